// What a pcapng packet block says about a frame besides its bytes (flags word, comments, drop count, packet
// id, queue, hashes, verdicts), kept only for the frames that have it. Most captures have none: nothing is
// allocated then. A numeric option gets a typed column (4 bytes a frame, 8 for the 64-bit ones) the first
// time a frame has it; comments, hashes and verdicts (variable length) are kept by store index.

import {
  EPB_HAS_DROPS, EPB_HAS_FLAGS, EPB_HAS_HASH, EPB_HAS_PACKET_ID, EPB_HAS_QUEUE, EPB_HAS_VERDICT, type FrameRecord,
} from '../capture/types.ts';

/** The packet block options of one frame, as read from the capture (Engine.packetExtras). */
export interface PacketExtras {
  /** The epb_flags word (0 when absent) and whether the block had one (a word of 0 is kept as written). */
  flags: number;
  hasFlags: boolean;
  /** opt_comment(s) joined by newline, or null. */
  comment: string | null;
  dropCount: bigint | null;
  packetId: bigint | null;
  queue: number | null;
  /** epb_hash values (algorithm octet first) and epb_verdict values (type octet first), in block order. */
  hashes: Uint8Array[];
  verdicts: Uint8Array[];
}

/** FrameExtras of a parallel chunk, as plain data (decoders/parallel/merge.ts). */
export interface ExtrasPart {
  /** Per frame with numeric options: store index, has bits, flags, drops hi/lo, packet id hi/lo, queue. */
  nums: Uint32Array;
  comments: Array<[number, string]>;
  hashes: Array<[number, Uint8Array[]]>;
  verdicts: Array<[number, Uint8Array[]]>;
}

const NUMERIC = EPB_HAS_FLAGS | EPB_HAS_DROPS | EPB_HAS_PACKET_ID | EPB_HAS_QUEUE;
const NW = 8;

/** A Uint32Array column created on first use and grown by doubling. */
class LazyColumn {
  a: Uint32Array | null = null;

  set(i: number, v: number): void {
    let a = this.a;
    if (a === null || i >= a.length) {
      const bigger = new Uint32Array(Math.max(1024, (i + 1) * 2));
      if (a !== null) bigger.set(a);
      a = this.a = bigger;
    }
    a[i] = v;
  }

  get(i: number): number {
    const a = this.a;
    return a !== null && i < a.length ? a[i] : 0;
  }
}

export class FrameExtras {
  /** EPB_HAS_* bits of the numeric options, per store index. */
  private readonly has = new LazyColumn();
  private readonly flagCol = new LazyColumn();
  private readonly dropsHi = new LazyColumn();
  private readonly dropsLo = new LazyColumn();
  private readonly idHi = new LazyColumn();
  private readonly idLo = new LazyColumn();
  private readonly queueCol = new LazyColumn();
  private readonly comments = new Map<number, string>();
  private readonly hashes = new Map<number, Uint8Array[]>();
  private readonly verdicts = new Map<number, Uint8Array[]>();
  /** EPB_HAS_* bits of every numeric option some frame has. */
  private seen = 0;

  /** Frame i's options from its record (called only when it has some). Hashes and verdicts are the record's copies. */
  note(i: number, rec: FrameRecord): void {
    const x = rec.epb;
    const has = x.has;
    if ((has & NUMERIC) !== 0) this.setNumbers(i, has & NUMERIC, rec.epbFlags, x.dropsHi, x.dropsLo, x.packetIdHi, x.packetIdLo, x.queue);
    if (rec.comment !== null) this.comments.set(i, rec.comment);
    if ((has & EPB_HAS_HASH) !== 0 && x.hashes !== null) this.hashes.set(i, x.hashes);
    if ((has & EPB_HAS_VERDICT) !== 0 && x.verdicts !== null) this.verdicts.set(i, x.verdicts);
  }

  private setNumbers(i: number, has: number, flags: number, dHi: number, dLo: number, pHi: number, pLo: number, queue: number): void {
    this.has.set(i, has);
    this.seen |= has;
    if ((has & EPB_HAS_FLAGS) !== 0) this.flagCol.set(i, flags);
    if ((has & EPB_HAS_DROPS) !== 0) { this.dropsHi.set(i, dHi); this.dropsLo.set(i, dLo); }
    if ((has & EPB_HAS_PACKET_ID) !== 0) { this.idHi.set(i, pHi); this.idLo.set(i, pLo); }
    if ((has & EPB_HAS_QUEUE) !== 0) this.queueCol.set(i, queue);
  }

  /** EPB_HAS_* bits of frame i (the numeric options, hashes and verdicts). */
  hasOf(i: number): number {
    return this.has.get(i) | (this.hashes.has(i) ? EPB_HAS_HASH : 0) | (this.verdicts.has(i) ? EPB_HAS_VERDICT : 0);
  }

  /** EPB_HAS_* bits of the numeric options of frame i (flags, drops, packet id, queue): one array read. */
  numericHas(i: number): number {
    return this.has.get(i);
  }

  /** Whether any frame has the option (EPB_HAS_* bit): filters on an option no frame has need not look further. */
  any(bit: number): boolean {
    if (bit === EPB_HAS_HASH) return this.hashes.size > 0;
    if (bit === EPB_HAS_VERDICT) return this.verdicts.size > 0;
    return (this.seen & bit) !== 0;
  }

  /** The flags word of frame i (0 when absent). */
  flags(i: number): number {
    return this.flagCol.get(i);
  }

  /** The numeric options of frame i as numbers (64-bit ones exact below 2^53), NaN when absent. */
  dropCount(i: number): number {
    return (this.has.get(i) & EPB_HAS_DROPS) !== 0 ? this.dropsHi.get(i) * 2 ** 32 + this.dropsLo.get(i) : NaN;
  }

  packetId(i: number): number {
    return (this.has.get(i) & EPB_HAS_PACKET_ID) !== 0 ? this.idHi.get(i) * 2 ** 32 + this.idLo.get(i) : NaN;
  }

  queue(i: number): number {
    return (this.has.get(i) & EPB_HAS_QUEUE) !== 0 ? this.queueCol.get(i) : NaN;
  }

  comment(i: number): string | null {
    return this.comments.get(i) ?? null;
  }

  hashesOf(i: number): readonly Uint8Array[] {
    return this.hashes.get(i) ?? [];
  }

  verdictsOf(i: number): readonly Uint8Array[] {
    return this.verdicts.get(i) ?? [];
  }

  /** Everything about frame i, 64-bit values exact. */
  of(i: number): PacketExtras {
    const has = this.has.get(i);
    const u64 = (bit: number, hi: LazyColumn, lo: LazyColumn): bigint | null =>
      (has & bit) !== 0 ? (BigInt(hi.get(i)) << 32n) | BigInt(lo.get(i)) : null;
    return {
      flags: this.flagCol.get(i),
      hasFlags: (has & EPB_HAS_FLAGS) !== 0,
      comment: this.comment(i),
      dropCount: u64(EPB_HAS_DROPS, this.dropsHi, this.dropsLo),
      packetId: u64(EPB_HAS_PACKET_ID, this.idHi, this.idLo),
      queue: (has & EPB_HAS_QUEUE) !== 0 ? this.queueCol.get(i) : null,
      hashes: [...this.hashesOf(i)],
      verdicts: [...this.verdictsOf(i)],
    };
  }

  /** Frames [0, count) as plain data for the merge. */
  part(count: number): ExtrasPart {
    const has = this.has.a ?? new Uint32Array(0);
    const end = Math.min(count, has.length);
    // Eight words per frame with options, counted first: a pktmon chunk has options on every frame.
    let m = 0;
    for (let i = 0; i < end; i++) if (has[i] !== 0) m++;
    const nums = new Uint32Array(m * 8);
    for (let i = 0, o = 0; i < end; i++) {
      const h = has[i];
      if (h === 0) continue;
      nums[o] = i; nums[o + 1] = h; nums[o + 2] = this.flagCol.get(i); nums[o + 3] = this.dropsHi.get(i);
      nums[o + 4] = this.dropsLo.get(i); nums[o + 5] = this.idHi.get(i); nums[o + 6] = this.idLo.get(i); nums[o + 7] = this.queueCol.get(i);
      o += 8;
    }
    return {
      nums,
      comments: [...this.comments].filter(([i]) => i < count),
      hashes: [...this.hashes].filter(([i]) => i < count),
      verdicts: [...this.verdicts].filter(([i]) => i < count),
    };
  }

  /** Appends a chunk's extras; its store indices start at rowBase here. */
  merge(p: ExtrasPart, rowBase: number): void {
    const n = p.nums;
    for (let k = 0; k + NW <= n.length; k += NW) {
      this.setNumbers(n[k] + rowBase, n[k + 1], n[k + 2], n[k + 3], n[k + 4], n[k + 5], n[k + 6], n[k + 7]);
    }
    for (const [i, c] of p.comments) this.comments.set(i + rowBase, c);
    for (const [i, h] of p.hashes) this.hashes.set(i + rowBase, h);
    for (const [i, v] of p.verdicts) this.verdicts.set(i + rowBase, v);
  }
}
