// IP reassembly between the reader and the store (DESIGN "Reassembly sits between the reader and the
// store"): fragments wait, bounded by time, distance and memory, until their datagram completes. The frame
// that completes it is decoded over the reassembled bytes (its tenant, inner flow and inner checks come from
// there), and every fragment frame is then attributed to that tenant and flow. Datagrams inside a
// reassembled one may themselves be fragmented (a tenant's own fragments inside a fragmented underlay
// packet): the completing frame's decode is fed back in, one level deeper.
//
// Everything here is decided from the sequence of frames alone, in frame order, so that the single reader
// and the parallel decode (which replays each chunk's fragment frames when the chunk merges) agree frame for
// frame. Only fragment frames come here: unfragmented traffic never allocates on this path.

import { dissectReassembled } from '../dissect.ts';
import {
  CHECK_SLOTS, copySummary, MAX_DEPTH, newSummary, ownChecksMask, resetSummary, takeChecks, type Summary,
} from '../summary.ts';
import { Datagram } from './datagram.ts';
import { completedObservation, incompleteObservation, MtuTally, type MtuObservation } from './mtu.ts';
import type { DirectionCode } from './host-table.ts';

/** One decode of a buffer (a frame's bytes, or a buffer holding reassembled datagrams), kept while needed. */
export interface Decoded {
  s: Summary;
  /** The bytes the Summary's offsets point into (from 0). */
  buf: Uint8Array;
  caplen: number;
  origlen: number;
  linktype: number;
  /** Reassembled datagrams in buf: IP header / IPv6 fragment header offsets and their payload lengths. */
  at: number[];
  len: number[];
  /** Reassemblies that built buf: 0 for a frame's own bytes. */
  level: number;
}

/** A frame whose attribution waits for a datagram. `row` is the decode its packet-list row will show. */
export interface Member {
  n: number;
  caplen: number;
  /** Direction the capture gives (pcapng epb_flags): the sending host's side. */
  dir: DirectionCode;
  /** Length on the wire (caplen when not given). */
  origlen?: number;
  hasTime: boolean;
  sec: number;
  nsec: number;
  row: Decoded | null;
}

/** What the stage needs of the engine: attribute members to a decode's tenant and flow, and count them. */
export interface FragmentSink {
  settle(members: readonly Member[], target: Decoded): void;
}

export interface FragmentLimits {
  /** A datagram not complete this long after its first fragment (capture time) is given up, as IP stacks do. */
  timeoutSec: number;
  /** ... or after this many frames, so that a lost fragment does not hold the analysis back. */
  windowFrames: number;
  /** Bytes held for pending datagrams; past it the oldest is given up, with a warning. */
  maxBytes: number;
}

export const DEFAULT_LIMITS: FragmentLimits = { timeoutSec: 30, windowFrames: 100_000, maxBytes: 32 << 20 };

/** One fragment as it arrived. */
interface Entry {
  members: Member[];
  /** The frame whose bytes held this fragment (members[members.length - 1]). */
  primary: Member;
  alone: Decoded;
  offset: number;
  len: number;
}

interface Pending {
  key: string;
  id: number;
  family: number;
  /** Frame of the first fragment, its time, and the smallest frame among all members (nested ones too). */
  firstN: number;
  hasTime: boolean;
  sec: number;
  nsec: number;
  minN: number;
  dg: Datagram;
  entries: Entry[];
  bytes: number;
}

/** A datagram as reported for frames, details and filters, once it completed or was given up. */
export interface DatagramRecord {
  id: number;
  family: 4 | 6;
  /** Identification and protocol (IPv6: the fragment header's next header). */
  ident: number;
  proto: number;
  /** Tunnel depth of the fragmented IP layer (0 the underlay's, 1 a tenant's inside one tunnel, ...). */
  depth: number;
  /** Frame that completed it, or -1 when it never did. */
  completedIn: number;
  /** Payload length (-1 when never known). */
  total: number;
  /** In arrival order: frame, reassembly level of the bytes it came in, payload offset there, datagram offset, length. */
  fragments: Array<{ n: number; level: number; payOff: number; offset: number; len: number }>;
  overlap: boolean;
  conflict: boolean;
  /** It carries a tunnel (underlay fragmentation) or is inside one (a tenant's own fragments). */
  tunnel: boolean;
  /** Why it never completed: missing byte ranges, an error, a bound. Empty when complete. */
  missing: string[];
  /** What it says about its host's MTU (mtu.ts), or null: an underlay datagram that carries no tunnel. */
  mtu: MtuObservation | null;
  /** For the completing frame: where the fragmented header is in the buffer its bytes came in (at), its level. */
  at: number;
  level: number;
  /** The IP header's offset in that buffer (for IPv6, at is the fragment header). */
  ipOff: number;
  payOff: number;
}

export class FragmentStage {
  private readonly pending = new Map<string, Pending>();
  private nextId = 0;
  private bytes = 0;
  private minCache = -1;
  /** Datagrams given up because of the memory bound (maxBytes). */
  dropped = 0;
  /** Frame of the first datagram the memory bound dropped (for the warning), or 0. */
  firstDropN = 0;
  /** Fragment frames seen, datagrams completed, datagrams given up. */
  frames = 0;
  completed = 0;
  incomplete = 0;
  /** Per datagram, and per frame the datagrams it holds a fragment of (or completes). */
  readonly records: DatagramRecord[] = [];
  readonly byFrame = new Map<number, number[]>();
  /** MTU diagnosis: fragmented datagrams per host as they settle; the engine adds ICMP messages. */
  readonly mtu: MtuTally;

  /** The frame that completed the datagram frame n belongs to (n itself when n did), or null. */
  reassembledIn(n: number): number | null {
    const ids = this.byFrame.get(n);
    if (ids === undefined) return null;
    let last = -1;
    for (const id of ids) {
      const r = this.records[id];
      if (r.completedIn === n) last = n;
      else if (r.completedIn < 0) return last >= 0 ? last : null;
      else return r.completedIn;
    }
    return last >= 0 ? last : null;
  }

  /**
   * The datagram frame n is a fragment of, at its deepest reassembly level, unless n completed it (then n
   * shows the datagram): where it was reassembled or that it never was. Null for other frames.
   */
  fragmentOf(n: number): { record: DatagramRecord; offset: number; len: number; more: boolean } | null {
    const ids = this.byFrame.get(n);
    if (ids === undefined) return null;
    let level = 0;
    for (const id of ids) if (this.records[id].completedIn === n) level = Math.max(level, this.records[id].level + 1);
    for (const id of ids) {
      const r = this.records[id];
      if (r.completedIn === n) continue;
      const f = r.fragments.find((x) => x.n === n && x.level === level);
      if (f !== undefined) return { record: r, offset: f.offset, len: f.len, more: r.total < 0 || f.offset + f.len < r.total };
    }
    return null;
  }

  /** Where a completed datagram is decoded and counted (settle() keeps nothing of it). */
  private scratch = new Uint8Array(128 << 10);
  private readonly wholeScratch = newSummary();

  /**
   * `keep`: the datagram records (details, reassembledIn) and the MTU log; `rows`: members' rows as the packet
   * list shows them (otherwise only what the counts need).
   */
  constructor(
    private readonly sink: FragmentSink, private readonly limits: FragmentLimits = DEFAULT_LIMITS, private readonly keep = true,
    private readonly rows = keep,
  ) {
    this.mtu = new MtuTally(keep);
  }

  /** Datagrams waiting for fragments. */
  get size(): number {
    return this.pending.size;
  }

  /** Smallest frame number some pending datagram holds (its row may still change), or Infinity. */
  minPendingFrame(): number {
    if (this.pending.size === 0) return Infinity;
    if (this.minCache < 0) {
      let m = Infinity;
      for (const p of this.pending.values()) if (p.minN < m) m = p.minN;
      this.minCache = m;
    }
    return this.minCache;
  }

  /**
   * A fragment frame, in frame order: `frame` its bytes and `alone` its decode on its own (Summary.fragDepth
   * >= 0), both only valid during the call (the reader's buffer, the engine's scratch Summary): they are
   * copied only when the fragment has to wait for others.
   */
  addFrame(m: Member, frame: Uint8Array, caplen: number, origlen: number, linktype: number, alone: Summary): void {
    this.frames++;
    this.advance(m.n);
    const d: Decoded = { s: alone, buf: frame, caplen, origlen, linktype, at: [], len: [], level: 0 };
    this.feed([m], m, d, false);
  }

  /** Frames up to n were added: datagrams begun windowFrames or more frames ago are given up. */
  advance(n: number): void {
    for (const p of this.pending.values()) {
      if (p.firstN > n - this.limits.windowFrames) break;
      this.expire(p, [`no fragment within ${this.limits.windowFrames} frames`]);
    }
  }

  /** The capture ended: every datagram still pending is incomplete. */
  flush(): void {
    for (const p of [...this.pending.values()]) this.expire(p, []);
  }

  /** Rebuilds the buffer a reassembly produced (details, filters), from the bytes of the frames it names. */
  static rebuild(prefix: Uint8Array, payOff: number, parts: ReadonlyArray<{ bytes: Uint8Array; payOff: number; offset: number; len: number }>, total: number): Uint8Array {
    const dg = new Datagram();
    for (const p of parts) dg.add(p.bytes, p.payOff, p.len, p.len, p.offset, p.offset + p.len < total);
    const out = new Uint8Array(payOff + total);
    out.set(prefix.subarray(0, payOff));
    out.set(dg.payload().subarray(0, total), payOff);
    return out;
  }

  /** `owned`: alone's Summary and bytes are the stage's to keep (else they are copied if they must wait). */
  private feed(members: Member[], primary: Member, alone: Decoded, owned: boolean): void {
    const s = alone.s;
    const key = keyOf(alone);
    this.expireOld(primary);
    if (s.fragPayLen < s.fragDeclLen) {
      // Its missing bytes are unknown, but the sender sent them: the datagram may still complete from a whole
      // copy (a capture that saw the packet twice). Wireshark leaves such a fragment out too.
      const by = alone.level === 0 ? 'cut short by the capture' : 'past the end of the datagram that carries it';
      this.setAside(members, primary, alone, [`this fragment's bytes ${s.fragOffset + s.fragPayLen}-${s.fragOffset + s.fragDeclLen - 1}, ${by}`]);
      return;
    }
    let p = this.pending.get(key);
    if (p === undefined) {
      p = {
        key, id: this.nextId++, family: s.fragFamily, firstN: primary.n, hasTime: primary.hasTime, sec: primary.sec,
        nsec: primary.nsec, minN: primary.n, dg: new Datagram(), entries: [], bytes: 0,
      };
      this.pending.set(key, p);
    }
    let minN = p.minN;
    for (const m of members) if (m.n < minN) minN = m.n;
    if (minN !== p.minN) { p.minN = minN; this.minCache = -1; }
    if (this.pending.size === 1) this.minCache = -1;
    const e: Entry = { members, primary, alone, offset: s.fragOffset, len: s.fragPayLen };
    p.entries.push(e);
    const cost = alone.buf.length + 64;
    p.bytes += cost;
    this.bytes += cost;
    const r = p.dg.add(alone.buf, s.fragPayOff, s.fragPayLen, s.fragDeclLen, s.fragOffset, s.fragMore === 1);
    if (r === 'complete') {
      this.complete(p, e);
      return;
    }
    if (!owned) e.alone = { ...alone, s: copySummary(alone.s), buf: alone.buf.slice(0, alone.caplen) };
    this.bound(primary);
  }

  /** Gives up datagrams older than the timeout at this fragment's time. */
  private expireOld(now: Member): void {
    if (!now.hasTime) return;
    const limit = this.limits.timeoutSec;
    for (const p of this.pending.values()) {
      if (!p.hasTime || now.sec - p.sec + (now.nsec - p.nsec) / 1e9 <= limit) break;
      this.expire(p, [`no fragment within ${limit} s`]);
    }
  }

  /** Keeps the bytes held under the memory bound: the oldest datagrams go first. */
  private bound(now: Member): void {
    while (this.bytes > this.limits.maxBytes && this.pending.size > 0) {
      const p = this.pending.values().next().value as Pending;
      this.dropped++;
      if (this.firstDropN === 0) this.firstDropN = now.n;
      this.expire(p, [`dropped: reassembly memory bound (${this.limits.maxBytes >> 20} MiB) reached`]);
    }
  }

  private remove(p: Pending): void {
    this.pending.delete(p.key);
    this.bytes -= p.bytes;
    this.minCache = -1;
  }

  private complete(p: Pending, last: Entry): void {
    this.remove(p);
    this.completed++;
    // Without rows to show (the CLI's summary), the counts need only the checks the cut decode would keep.
    for (const e of p.entries) if (e !== last) e.primary.row ??= this.rows ? cutDecode(e.alone) : ownChecksOnly(e.alone);
    const a = last.alone;
    const s = a.s;
    const payload = p.dg.payload();
    // The reassembled bytes live in a scratch buffer until settle() has counted them (a buffer large enough
    // for the checksum's word loop); a datagram nested inside must wait, and gets a copy.
    const size = s.fragPayOff + payload.length;
    if (this.scratch.length < size) this.scratch = new Uint8Array(Math.max(size, this.scratch.length * 2));
    let buf = this.scratch.subarray(0, size);
    buf.set(a.buf.subarray(0, s.fragPayOff));
    buf.set(payload, s.fragPayOff);
    if (s.fragFamily === 6) buf[s.fragHdrOff] = datagramProto(p.entries);
    p.dg.release();
    const at = [...a.at, s.fragHdrOff];
    const len = [...a.len, payload.length];
    let whole = resetSummaryOf(this.wholeScratch);
    dissectReassembled(buf, 0, size, size, a.linktype, { at, len, cut: false }, whole);
    // Checks outside the fragmented layer cover this frame's own bytes, not the datagram's: keep them.
    takeChecks(whole, s, ownChecksMask(s.fragDepth));
    this.record(p, last.primary.n, [], whole.depth > s.fragDepth,
      completedObservation(p.entries.map((e) => e.alone), primaries(p), whole, buf, payload.length));
    const members: Member[] = [];
    for (const e of p.entries) members.push(...e.members);
    // A fragment inside the datagram (the tenant's own, inside a fragmented underlay packet) goes one level
    // deeper; past the depth the decoder tracks, the datagram is shown as it is.
    const nested = whole.fragDepth >= 0 && at.length <= MAX_DEPTH;
    if (nested) {
      buf = buf.slice();
      whole = copySummary(whole);
    }
    const d: Decoded = { s: whole, buf, caplen: size, origlen: size, linktype: a.linktype, at, len, level: a.level + 1 };
    if (nested) {
      this.feed(members, last.primary, d, true);
      return;
    }
    last.primary.row = d;
    this.sink.settle(members, d);
  }

  /** A fragment that cannot join its datagram: a datagram of its own that never completes, settled now. */
  private setAside(members: Member[], primary: Member, alone: Decoded, why: string[]): void {
    const s = alone.s;
    this.incomplete++;
    const p: Pending = {
      key: '', id: this.nextId++, family: s.fragFamily, firstN: primary.n, hasTime: primary.hasTime, sec: primary.sec,
      nsec: primary.nsec, minN: primary.n, dg: new Datagram(), entries: [{ members, primary, alone, offset: s.fragOffset, len: s.fragPayLen }], bytes: 0,
    };
    this.record(p, -1, why, s.fragOffset === 0 && s.depth > s.fragDepth, incompleteObservation([alone], 1));
    primary.row ??= alone;
    this.sink.settle(members, alone);
  }

  private expire(p: Pending, why: string[]): void {
    this.remove(p);
    this.incomplete++;
    const missing = p.dg.error !== null ? [p.dg.error] : p.dg.missing();
    // Without the whole datagram, the first fragment (if it came) tells whether a tunnel header starts it.
    const first = p.entries.find((e) => e.offset === 0);
    this.record(p, -1, [...missing, ...why], first !== undefined && first.alone.s.depth > first.alone.s.fragDepth,
      incompleteObservation(p.entries.map((e) => e.alone), primaries(p)));
    for (const e of p.entries) {
      e.primary.row ??= e.alone;
      this.sink.settle(e.members, e.alone);
    }
  }

  private record(p: Pending, completedIn: number, missing: string[], carriesTunnel: boolean, mtu: MtuObservation | null): void {
    if (mtu !== null) this.mtu.addDatagram(mtu);
    if (!this.keep) return;
    const last = p.entries[p.entries.length - 1];
    const a = last.alone;
    const r: DatagramRecord = {
      id: this.records.length, family: p.family === 6 ? 6 : 4, ident: a.s.fragId, proto: datagramProto(p.entries),
      depth: a.s.fragDepth, completedIn, total: p.dg.total,
      fragments: p.entries.map((e) => ({ n: e.primary.n, level: e.alone.level, payOff: e.alone.s.fragPayOff, offset: e.offset, len: e.len })),
      overlap: p.dg.overlap, conflict: p.dg.conflict, missing, tunnel: carriesTunnel || a.s.fragDepth > 0, mtu,
      at: a.s.fragHdrOff, level: a.level, ipOff: a.s.fragIpOff, payOff: a.s.fragPayOff,
    };
    this.records.push(r);
    const seen = new Set<number>();
    for (const f of r.fragments) {
      if (seen.has(f.n)) continue;
      seen.add(f.n);
      const list = this.byFrame.get(f.n);
      if (list === undefined) this.byFrame.set(f.n, [r.id]);
      else list.push(r.id);
    }
  }
}

/**
 * Which datagram a fragment belongs to: addresses, identification and, for IPv4, protocol (RFC 791; RFC 8200
 * 4.5 leaves IPv6's next header out: only the first fragment's counts), and for a fragment inside a tunnel
 * the tenant too, so that two tenants reusing inner addresses and ids never mix.
 */
function keyOf(d: Decoded): string {
  const s = d.s;
  const n = s.fragFamily === 6 ? 16 : 4;
  let k = `${s.fragFamily}/${s.fragId}/${s.fragFamily === 6 ? '' : s.fragProto}/`;
  if (s.fragDepth > 0) k += `${s.encap}:${s.vnid}/`;
  for (let i = 0; i < n; i++) k += String.fromCharCode(d.buf[s.fragSrcOff + i]);
  for (let i = 0; i < n; i++) k += String.fromCharCode(d.buf[s.fragDstOff + i]);
  return k;
}

/**
 * The datagram's protocol: the same in every IPv4 fragment (it is part of the key); for IPv6 the next header
 * of the fragment at offset 0 (RFC 8200 4.5: the others' may differ), else of the latest fragment.
 */
function datagramProto(entries: readonly Entry[]): number {
  const first = entries.find((e) => e.offset === 0) ?? entries[entries.length - 1];
  return first.alone.s.fragProto;
}

/** Frames whose bytes held a datagram's fragments (the frames its details mark). */
function primaries(p: Pending): number {
  const seen = new Set<number>();
  for (const e of p.entries) seen.add(e.primary.n);
  return seen.size;
}

/** The decode Wireshark shows for a fragment reassembled elsewhere: up to the fragmented IP layer. */
function cutDecode(d: Decoded): Decoded {
  const s = newSummary();
  dissectReassembled(d.buf, 0, d.caplen, d.origlen, d.linktype, { at: d.at, len: d.len, cut: true }, s);
  takeChecks(s, d.s, ownChecksMask(d.s.fragDepth));
  return { ...d, s };
}

/** The decode with only the checks a fragment makes on its own bytes (what cutDecode keeps of them). */
function ownChecksOnly(d: Decoded): Decoded {
  const s = copySummary(d.s);
  takeChecks(s, EMPTY, ~ownChecksMask(d.s.fragDepth) & ((1 << CHECK_SLOTS) - 1));
  return { ...d, s };
}

const EMPTY = newSummary();

function resetSummaryOf(s: Summary): Summary {
  resetSummary(s);
  return s;
}
