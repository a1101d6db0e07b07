// Hosts: the sending address of each frame (the outer source, the provider address of the host that
// encapsulated a tunnelled frame; the IP source of an untunnelled one), split by the direction the capture
// records (pcapng epb_flags: inbound, outbound, or not said), with every check's verdict counts. Kept up to
// date per frame, so the CLI's summary has it without keeping frames: an IPv4 address is found through a
// small memo of its raw bytes, so a frame costs a few compares here, not a hash of its address.
import { CHECK_SLOTS, V_GOOD } from '../summary.ts';

const SAMPLES = 5;
import type { AddressTable } from './address-table.ts';

/** Direction as pcapng's epb_flags bits 0-1 say it: 0 not said, 1 inbound, 2 outbound. */
export type DirectionCode = 0 | 1 | 2;

/** A pcapng epb_flags word's direction (0 when it says neither). */
export function directionOf(epbFlags: number): DirectionCode {
  const d = epbFlags & 3;
  return d === 3 ? 0 : (d as DirectionCode);
}

const MEMO_BITS = 12;
const EMPTY = -1;

export class HostTable {
  count = 0;
  /** Address id and direction of each host. */
  addr: number[] = [];
  dir: DirectionCode[] = [];
  frames: number[] = [];
  bytes: number[] = [];
  /** Frames with a bad verdict, with a partial one. */
  bad: number[] = [];
  partial: number[] = [];
  /** Of the partial frames, those the capture marks "checksum not ready" or that are super-frames: expected. */
  expected: number[] = [];
  /** First and last frame with a bad verdict, 0 when none. */
  firstBad: number[] = [];
  lastBad: number[] = [];
  /** Tenant ids seen behind each host. */
  tenants: Array<Set<number>> = [];
  private lastTenant: number[] = [];
  /**
   * Verdict counts: (host * CHECK_SLOTS + slot) * 6 + verdict (V_GOOD..V_UNVERIFIED); at + 0 (V_NONE, never a
   * verdict) the zeros that are UDP-over-IPv4 "no checksum".
   */
  verdicts = new Float64Array(64 * CHECK_SLOTS * 6);
  /** Per verdict key: the frame number a new sample must be below (the last kept once SAMPLES are kept). */
  private sampleCut = new Float64Array(64 * CHECK_SLOTS * 6).fill(Infinity);
  /** The first few frames of each host, check and verdict other than good (the diagnosis names them). */
  readonly samples = new Map<number, number[]>();
  private readonly byKey = new Map<number, number>();
  /** Raw IPv4 source and direction -> host, direct-mapped (entries never go stale: hosts are never removed). */
  private readonly memoRaw = new Int32Array(1 << MEMO_BITS).fill(EMPTY);
  private readonly memoDir = new Int8Array(1 << MEMO_BITS);
  private readonly memoHost = new Int32Array(1 << MEMO_BITS);
  /**
   * (host, tenant) pairs already in `tenants`, direct-mapped: hosts carry tenants interleaved frame by frame, and
   * a Set.add per frame cost more than these two compares.
   */
  private readonly seenHost = new Int32Array(1 << MEMO_BITS).fill(EMPTY);
  private readonly seenTenant = new Int32Array(1 << MEMO_BITS);

  /** The host of address id `addr` in direction `dir`, created when new. */
  lookup(addr: number, dir: DirectionCode): number {
    const key = addr * 4 + dir;
    const id = this.byKey.get(key);
    if (id !== undefined) return id;
    return this.add(key, addr, dir);
  }

  /** The host whose IPv4 address is b[off..off+4]: the memo, else the address interned in `addrs`. */
  lookup4(addrs: AddressTable, b: Uint8Array, off: number, dir: DirectionCode): number {
    const raw = (b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3];
    const e = (Math.imul(raw ^ dir, 0x9e3779b1) >>> (32 - MEMO_BITS));
    if (this.memoRaw[e] === raw && this.memoDir[e] === dir && this.memoHost[e] !== EMPTY) return this.memoHost[e];
    const id = this.lookup(addrs.intern4(b, off), dir);
    this.memoRaw[e] = raw;
    this.memoDir[e] = dir;
    this.memoHost[e] = id;
    return id;
  }

  private add(key: number, addr: number, dir: DirectionCode): number {
    const id = this.count++;
    this.byKey.set(key, id);
    this.addr.push(addr); this.dir.push(dir);
    this.frames.push(0); this.bytes.push(0); this.bad.push(0); this.partial.push(0); this.expected.push(0);
    this.firstBad.push(0); this.lastBad.push(0);
    this.tenants.push(new Set()); this.lastTenant.push(-2);
    const need = this.count * CHECK_SLOTS * 6;
    if (need > this.verdicts.length) {
      const v = new Float64Array(Math.max(need, this.verdicts.length * 2));
      v.set(this.verdicts);
      this.verdicts = v;
      const c = new Float64Array(v.length).fill(Infinity);
      c.set(this.sampleCut);
      this.sampleCut = c;
    }
    return id;
  }

  /**
   * Counts frame n towards host h: its verdicts (checks[slot] for the slots in mask; `allowed` the zeros that
   * are "no checksum"), its tenant.
   */
  note(
    h: number, n: number, caplen: number, checks: Uint8Array, mask: number, allowed: number, bad: boolean, partial: boolean,
    expected: boolean, tenant: number,
  ): void {
    const base = h * CHECK_SLOTS;
    while (mask !== 0) {
      const slot = 31 - Math.clz32(mask);
      mask &= ~(1 << slot);
      this.verdict(base + slot, checks[slot], (allowed & (1 << slot)) !== 0, n);
    }
    this.noteFrame(h, n, caplen, bad, partial, expected, tenant);
  }

  /**
   * One check's verdict v of frame n at `hs` (host * CHECK_SLOTS + slot); `allowed`: a zero that is "no checksum".
   * note() is this for each check, then noteFrame(); Engine.count calls them itself, from its own loop over the checks.
   */
  verdict(hs: number, v: number, allowed: boolean, n: number): void {
    const k = hs * 6 + v;
    this.verdicts[k]++;
    if (allowed) this.verdicts[k - v]++;
    // Most frames of an offloading host are partial: once a key has its samples, a later frame costs a compare.
    else if (v !== V_GOOD && n < this.sampleCut[k]) this.sample(k, n);
  }

  /** note() past the verdicts: the frame's counts and its tenant. */
  noteFrame(h: number, n: number, caplen: number, bad: boolean, partial: boolean, expected: boolean, tenant: number): void {
    this.frames[h]++;
    this.bytes[h] += caplen;
    if (bad) {
      this.bad[h]++;
      if (this.firstBad[h] === 0 || n < this.firstBad[h]) this.firstBad[h] = n;
      if (n > this.lastBad[h]) this.lastBad[h] = n;
    }
    if (partial) this.partial[h]++;
    if (expected) this.expected[h]++;
    if (tenant >= 0 && tenant !== this.lastTenant[h]) {
      this.lastTenant[h] = tenant;
      const e = (Math.imul(h, 0x9e3779b1) ^ Math.imul(tenant, 0x85ebca6b)) >>> (32 - MEMO_BITS);
      if (this.seenHost[e] !== h || this.seenTenant[e] !== tenant) {
        this.seenHost[e] = h;
        this.seenTenant[e] = tenant;
        this.tenants[h].add(tenant);
      }
    }
  }

  /** Parallel merge: a chunk's samples for key k (frame numbers already global). */
  addSamples(k: number, frames: readonly number[]): void {
    for (const n of frames) this.sample(k, n);
  }

  /** Keeps the SAMPLES lowest frame numbers, ascending (fragment frames are counted late, out of order). */
  private sample(k: number, n: number): void {
    const list = this.samples.get(k);
    if (list === undefined) {
      this.samples.set(k, [n]);
      return;
    }
    if (list.length === SAMPLES && n >= list[SAMPLES - 1]) return;
    let i = list.length;
    while (i > 0 && list[i - 1] > n) i--;
    list.splice(i, 0, n);
    if (list.length > SAMPLES) list.length = SAMPLES;
    if (list.length === SAMPLES) this.sampleCut[k] = list[SAMPLES - 1];
  }

  /** The first frames (ascending) of host h with `verdict` on check `slot`. */
  sampleOf(h: number, slot: number, verdict: number): number[] {
    return (this.samples.get((h * CHECK_SLOTS + slot) * 6 + verdict) ?? []).slice();
  }

  /** The verdict counts of host h for check slot (good, bad, partial, zero, unverified at 1..5). */
  slotCounts(h: number, slot: number): Float64Array {
    const o = (h * CHECK_SLOTS + slot) * 6;
    return this.verdicts.subarray(o, o + 6);
  }
}
