// Columnar frame index: one typed array per column, grown by doubling. The only per-frame memory
// the engine keeps; frame bytes are re-read from the source on demand.
//
// Inner addresses and ports are not stored per frame: a frame with a flow has exactly its flow's
// endpoints, in the flow's first-seen direction or reversed (one bit, `dir`). Read them with
// innerSrcOf/innerDstOf/sportOf/dportOf. Frames without a flow that still carry an inner address or
// a port (rare) keep them in a small side table. The old column names still work as getters that
// build the full column on first use (and extend it as frames arrive): fine for a one-off, but they
// cost 4 bytes per frame each, so hot paths use the accessors.
import { grown } from './bytes.ts';
import type { FrameRecord } from './capture/types.ts';
import type { Summary } from './summary.ts';

/** The endpoints of a flow as the store needs them (FlowTable implements it). */
export interface FlowEndpoints {
  addrA(id: number): number;
  portA(id: number): number;
  addrB(id: number): number;
  portB(id: number): number;
  proto(id: number): number;
}

type Derived = 'innerSrc' | 'innerDst' | 'sport' | 'dport';
export interface StoreSide {
  odd: Array<[number, [number, number, number, number]]>;
  protoOdd: Array<[number, number]>;
  offHi: number[];
  tBase: number;
  tOdd: Map<number, [number, number]>;
}

export type IdColumn = Int16Array | Int32Array;

function widen(col: IdColumn): Int32Array {
  return col instanceof Int32Array ? col : Int32Array.from(col);
}

/** floor(r / 1e9) for an integer |r| < 2^53, corrected for rounding of the double quotient. */
function floorDiv1e9(r: number): number {
  let q = Math.floor(r / 1e9);
  if (q * 1e9 > r) q--;
  else if ((q + 1) * 1e9 <= r) q++;
  return q;
}

type MaskName = 'checkMask' | 'badMask' | 'partialMask' | 'zeroMask' | 'unverMask';

/**
 * Id columns start 16 bits wide and widen to 32 bits (once, widenFor) when an id passes 32767: most
 * captures have fewer addresses, flows and tenants than that. Read them as ordinary typed arrays.
 */
const ID = Int16Array as new (n: number) => IdColumn;

/**
 * The per-frame columns and their element types: the one list that the store's fields, resize(),
 * bytesPerFrame() and the parallel merge (decoders/parallel/merge.ts) go by. A new column is a line here
 * and its value in write().
 */
const COLUMNS = {
  /** Low 32 bits of the file offset of the frame data; the high word is in offHi (offsetOf). */
  offLo: Uint32Array,
  caplen: Uint32Array,
  origlen: Uint32Array,
  linktype: Uint16Array,
  /** Nanoseconds since second tBase (exact below 2^53: about 104 days); NaN without a time, Infinity: see tOdd. */
  tRel: Float64Array,
  iface: Uint16Array,
  encap: Uint8Array,
  depth: Uint8Array,
  /** Tenant id or -1. */
  tenant: ID,
  /** NVGRE FlowID or -1. */
  flowId: Int16Array,
  /** Flow id or -1. */
  flow: ID,
  /** Address ids or -1. */
  outerSrc: ID,
  outerDst: ID,
  /** 1 when the frame goes from the flow's B endpoint to its A endpoint. */
  dir: Uint8Array,
  topProto: Uint8Array,
  /** 12 bits: reserved, AE and the 8 flags. */
  tcpFlags: Int16Array,
  /** IP protocol / first next header of the outermost IP layer, or -1. */
  outerProto: Int16Array,
  /** Outermost tunnel UDP ports (sport << 16 | dport), or -1. */
  tunPorts: Int32Array,
  icmpType: Int16Array,
  icmpCode: Int16Array,
  // Checksum verdicts: three bit planes, bit `slot` of plane k is bit k of the slot's verdict
  // (good 001, bad 010, partial 011, zero 100, unverified 101). Read with checkMaskOf & co.
  vplane0: Int32Array,
  vplane1: Int32Array,
  vplane2: Int32Array,
  notes: Uint16Array,
  /** TCP analysis flags (decoders/analysis/tcp-analysis.ts TA_*), 0 for frames without any. */
  tcpAnalysis: Uint16Array,
};

export type ColumnName = keyof typeof COLUMNS;
type Columns = { [K in ColumnName]: InstanceType<(typeof COLUMNS)[K]> };
export type Column = Columns[ColumnName];
/** The names of the per-frame columns, in the order of COLUMNS. */
export const COLUMN_NAMES = Object.keys(COLUMNS) as readonly ColumnName[];

// Every column is a field of the store (set up from COLUMNS in the constructor).
export interface FrameStore extends Columns {}

export class FrameStore {
  count = 0;
  private cap = 0;

  constructor(initial = 4096) {
    const cols = this as unknown as Record<ColumnName, Column>;
    for (const name of COLUMN_NAMES) cols[name] = new COLUMNS[name](initial);
    this.cap = initial;
  }

  private resize(n: number): void {
    // Same element type and width as before (16-bit id columns stay 16-bit until widened).
    const cols = this as unknown as Record<ColumnName, Column>;
    for (const name of COLUMN_NAMES) cols[name] = grown(cols[name], n);
    this.cap = n;
  }

  /** Makes room for n frames in total (parallel merge appends whole columns); `exact` does not round up. */
  /** Frames the columns have room for. */
  get capacity(): number {
    return this.cap;
  }

  reserve(n: number, exact = false): void {
    if (n > this.cap) this.resize(exact ? n : Math.max(n, this.cap * 2));
  }

  /** Appends one frame; ids (tenant, flow, addresses) are resolved by the caller. Returns its index. */
  push(
    rec: FrameRecord, s: Summary, tenant: number, flow: number,
    outerSrc: number, outerDst: number, innerSrc: number, innerDst: number, unverMask: number,
  ): number {
    const i = this.count;
    if (i >= this.cap) this.resize(this.cap * 2);
    const off = rec.fileOffset;
    this.offLo[i] = off >>> 0;
    const hi = (off - (off >>> 0)) / 4294967296;
    const runs = this.offHi;
    if (runs.length === 0 || runs[runs.length - 1] !== hi) runs.push(i, hi);
    this.caplen[i] = rec.caplen;
    this.origlen[i] = rec.origlen;
    this.linktype[i] = rec.linktype;
    this.setTime(i, rec.hasTime, rec.tsSec, rec.tsNsec);
    this.iface[i] = rec.interfaceId;
    this.write(i, s, tenant, flow, outerSrc, outerDst, innerSrc, innerDst, unverMask);
    this.count = i + 1;
    return i;
  }

  /**
   * Replaces what a decode wrote for frame index i (IP reassembly: a fragment's row once its datagram
   * settled); its place in the file, lengths and time stay.
   */
  rewrite(
    i: number, s: Summary, tenant: number, flow: number,
    outerSrc: number, outerDst: number, innerSrc: number, innerDst: number, unverMask: number,
  ): void {
    if (i < 0 || i >= this.count) return;
    this.odd.delete(i);
    this.protoOdd.delete(i);
    this.write(i, s, tenant, flow, outerSrc, outerDst, innerSrc, innerDst, unverMask);
    // Columns built on first use are extended from where they stopped: make them redo this row.
    for (const [k, from] of this.#legacyFrom) if (from > i) this.#legacyFrom.set(k, i);
    for (const [k, from] of this.#masksFrom) if (from > i) this.#masksFrom.set(k, i);
    if (this.#protoCol !== null && this.#protoCol.n > i) this.#protoCol.n = i;
  }

  /**
   * Writes a frame's row past the last one without counting it (a scratch row for a hook, when frames are not
   * retained): lengths and time from `rec`, the rest as push() writes it. Returns its index; forget() it after.
   */
  writeAside(
    rec: { caplen: number; origlen?: number; hasTime: boolean; sec: number; nsec: number }, s: Summary, tenant: number, flow: number,
    outerSrc: number, outerDst: number, innerSrc: number, innerDst: number, unverMask: number,
  ): number {
    const i = this.count;
    if (i >= this.cap) this.resize(this.cap * 2);
    this.offLo[i] = 0;
    this.caplen[i] = rec.caplen;
    this.origlen[i] = rec.origlen ?? rec.caplen;
    this.linktype[i] = 0;
    this.setTime(i, rec.hasTime, rec.sec, rec.nsec);
    this.iface[i] = 0;
    this.write(i, s, tenant, flow, outerSrc, outerDst, innerSrc, innerDst, unverMask);
    return i;
  }

  /** Drops what side tables hold for row i (a scratch row reused next time). */
  forget(i: number): void {
    if (this.odd.size !== 0) this.odd.delete(i);
    if (this.protoOdd.size !== 0) this.protoOdd.delete(i);
    if (this.tOdd.size !== 0) this.tOdd.delete(i);
  }

  /**
   * Empties the store for the next frame when frames are not retained (its rows are reused): side tables
   * included, so that a row never shows what an earlier frame left there.
   */
  recycle(): void {
    if (this.count === 0) return;
    this.count = 0;
    if (this.odd.size !== 0) this.odd.clear();
    if (this.protoOdd.size !== 0) this.protoOdd.clear();
    if (this.tOdd.size !== 0) this.tOdd.clear();
    if (this.offHi.length > 2) this.offHi.splice(0, this.offHi.length - 2);
  }

  private write(
    i: number, s: Summary, tenant: number, flow: number,
    outerSrc: number, outerDst: number, innerSrc: number, innerDst: number, unverMask: number,
  ): void {
    this.encap[i] = s.encap;
    this.depth[i] = s.depth;
    if (tenant > 32767 || flow > 32767 || outerSrc > 32767 || outerDst > 32767) this.widenFor(tenant, flow, outerSrc, outerDst);
    this.tenant[i] = tenant;
    this.flowId[i] = s.flowId;
    this.flow[i] = flow;
    this.outerSrc[i] = outerSrc;
    this.outerDst[i] = outerDst;
    const fl = this.#flows;
    if (flow >= 0 && fl !== null && fl.addrA(flow) === innerSrc && fl.portA(flow) === s.sport && fl.addrB(flow) === innerDst && fl.portB(flow) === s.dport) {
      this.dir[i] = 0;
    } else if (flow >= 0 && fl !== null && fl.addrA(flow) === innerDst && fl.portA(flow) === s.dport && fl.addrB(flow) === innerSrc && fl.portB(flow) === s.sport) {
      this.dir[i] = 1;
    } else {
      this.dir[i] = 0;
      if (flow >= 0 || innerSrc >= 0 || innerDst >= 0 || s.sport >= 0 || s.dport >= 0) this.odd.set(i, [innerSrc, innerDst, s.sport, s.dport]);
    }
    // The innermost IP protocol is the flow's; frames without a flow that have one keep it aside.
    if (flow < 0 || fl === null ? s.innerProto >= 0 : fl.proto(flow) !== s.innerProto) this.protoOdd.set(i, s.innerProto);
    this.topProto[i] = s.topProto;
    this.tcpFlags[i] = s.tcpFlags;
    this.outerProto[i] = s.outerProto;
    this.tunPorts[i] = s.tunPorts;
    this.icmpType[i] = s.icmpType;
    this.icmpCode[i] = s.icmpCode;
    const good = s.checkMask & ~(s.badMask | s.partialMask | s.zeroMask | unverMask);
    this.vplane0[i] = good | s.partialMask | unverMask;
    this.vplane1[i] = s.badMask | s.partialMask;
    this.vplane2[i] = s.zeroMask | unverMask;
    this.notes[i] = s.notes;
    // Set by the engine once the frame's segment is analysed (a settling fragment is analysed anew).
    this.tcpAnalysis[i] = 0;
  }

  /** Bytes of column storage per frame slot, for the memory budget (the growth slack aside). */
  bytesPerFrame(): number {
    let n = 0;
    for (const name of COLUMN_NAMES) n += this[name].BYTES_PER_ELEMENT;
    return n;
  }

  #flows: FlowEndpoints | null = null;
  /** Frames whose inner endpoints are not their flow's: [innerSrc, innerDst, sport, dport] by frame index. */
  readonly odd = new Map<number, [number, number, number, number]>();
  #legacy = new Map<Derived, Int32Array>();
  #legacyFrom = new Map<Derived, number>();

  /** The flow table that resolves inner endpoints (the Engine's). */
  attachFlows(flows: FlowEndpoints): void {
    this.#flows = flows;
  }

  private endpoint(i: number, which: 0 | 1 | 2 | 3): number {
    const o = this.odd.get(i);
    if (o !== undefined) return o[which];
    const f = this.flow[i];
    const fl = this.#flows;
    if (f < 0 || fl === null) return -1;
    // which: 0 src address, 1 dst address, 2 src port, 3 dst port; dir 1 swaps A and B.
    const a = (which === 0 || which === 2) !== (this.dir[i] === 1);
    if (which < 2) return a ? fl.addrA(f) : fl.addrB(f);
    return a ? fl.portA(f) : fl.portB(f);
  }

  /** Frames whose innermost IP protocol is not their flow's (mostly: IP without a flow). */
  readonly protoOdd = new Map<number, number>();

  /** Innermost IP protocol of frame index i, or -1. */
  protoOf(i: number): number {
    const o = this.protoOdd.get(i);
    if (o !== undefined) return o;
    const f = this.flow[i];
    const fl = this.#flows;
    return f >= 0 && fl !== null ? fl.proto(f) : -1;
  }

  /** Inner (innermost) source address id of frame index i, or -1. */
  innerSrcOf(i: number): number { return this.endpoint(i, 0); }
  innerDstOf(i: number): number { return this.endpoint(i, 1); }
  /** Inner source / destination port, or -1. */
  sportOf(i: number): number { return this.endpoint(i, 2); }
  dportOf(i: number): number { return this.endpoint(i, 3); }

  private legacy(name: Derived, which: 0 | 1 | 2 | 3): Int32Array {
    let col = this.#legacy.get(name);
    if (col === undefined || col.length < this.count) {
      const next = new Int32Array(Math.max(this.cap, this.count));
      if (col !== undefined) next.set(col);
      col = next;
      this.#legacy.set(name, col);
    }
    const from = this.#legacyFrom.get(name) ?? 0;
    for (let i = from; i < this.count; i++) col[i] = this.endpoint(i, which);
    this.#legacyFrom.set(name, this.count);
    return col;
  }

  /** Widens the id columns whose next id does not fit 16 bits (at most once each). */
  widenFor(tenant: number, flow: number, outerSrc: number, outerDst: number): void {
    if (tenant > 32767) this.tenant = widen(this.tenant);
    if (flow > 32767) this.flow = widen(this.flow);
    if (outerSrc > 32767) this.outerSrc = widen(this.outerSrc);
    if (outerDst > 32767) this.outerDst = widen(this.outerDst);
  }

  /** [first frame index, high word] each time the high word of the offsets changes (once per 4 GiB). */
  readonly offHi: number[] = [];
  /** Second that tRel counts from: the first timed frame's. */
  tBase = NaN;
  /** Frames whose time is too far from tBase for tRel: [sec, nsec]. */
  readonly tOdd = new Map<number, [number, number]>();

  private setTime(i: number, has: boolean, sec: number, nsec: number): void {
    if (!has) {
      this.tRel[i] = NaN;
      return;
    }
    if (Number.isNaN(this.tBase)) this.tBase = sec;
    const d = sec - this.tBase;
    if (d > -9e6 && d < 9e6) this.tRel[i] = d * 1e9 + nsec;
    else {
      this.tRel[i] = Infinity;
      this.tOdd.set(i, [sec, nsec]);
    }
  }

  /** File offset of frame index i's data (exact past 4 GiB). */
  offsetOf(i: number): number {
    const runs = this.offHi;
    let r = runs.length - 2;
    if (r > 0 && runs[r] > i) {
      let lo = 0, hi = runs.length / 2 - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (runs[mid * 2] <= i) lo = mid;
        else hi = mid - 1;
      }
      r = lo * 2;
    }
    return (r >= 0 ? runs[r + 1] * 4294967296 : 0) + this.offLo[i];
  }

  hasTimeOf(i: number): boolean { return !Number.isNaN(this.tRel[i]); }

  /** Whole seconds of frame index i's time (0 without a time). */
  secOf(i: number): number {
    const r = this.tRel[i];
    if (r !== r) return 0;
    if (r === Infinity) return (this.tOdd.get(i) ?? [0, 0])[0];
    return this.tBase + floorDiv1e9(r);
  }

  /** Nanoseconds 0..999999999 of frame index i's time. */
  nsecOf(i: number): number {
    const r = this.tRel[i];
    if (r !== r) return 0;
    if (r === Infinity) return (this.tOdd.get(i) ?? [0, 0])[1];
    return r - floorDiv1e9(r) * 1e9;
  }

  /** Parallel merge: side tables of another store's frames, appended at rowBase (addresses remapped). */
  appendSide(o: StoreSide, rowBase: number, rows: number, addrMap: Int32Array): void {
    const id = (v: number): number => (v >= 0 ? addrMap[v] : v);
    for (const [i, v] of o.odd) this.odd.set(i + rowBase, [id(v[0]), id(v[1]), v[2], v[3]]);
    for (const [i, v] of o.protoOdd) this.protoOdd.set(i + rowBase, v);
    const runs = this.offHi;
    for (let r = 0; r < o.offHi.length; r += 2) {
      if (runs.length === 0 || runs[runs.length - 1] !== o.offHi[r + 1]) runs.push(o.offHi[r] + rowBase, o.offHi[r + 1]);
    }
    // Times: re-based on this store's tBase; anything not exact that way goes to tOdd.
    if (Number.isNaN(this.tBase)) this.tBase = o.tBase;
    const t = this.tRel;
    const same = o.tBase === this.tBase;
    const shift = (o.tBase - this.tBase) * 1e9;
    for (let i = rowBase, end = rowBase + rows; i < end; i++) {
      const r = t[i];
      if (r !== r) continue;
      let sec: number, nsec: number;
      if (r === Infinity) [sec, nsec] = o.tOdd.get(i - rowBase) ?? [0, 0];
      else if (same) continue;
      else if (r + shift >= -8999999e9 && r + shift < 9e15 && Math.abs(shift) < 2 ** 52) {
        // The same value setTime would store: the seconds stay within the exact range.
        t[i] = r + shift;
        continue;
      } else {
        const q = floorDiv1e9(r);
        sec = o.tBase + q;
        nsec = r - q * 1e9;
      }
      this.setTime(i, true, sec, nsec);
    }
  }

  /** The side tables appendSide takes. */
  side(): StoreSide {
    return { odd: [...this.odd], protoOdd: [...this.protoOdd], offHi: this.offHi.slice(), tBase: this.tBase, tOdd: new Map(this.tOdd) };
  }

  /** Slots with a check / with each verdict, of frame index i. */
  checkMaskOf(i: number): number { return this.vplane0[i] | this.vplane1[i] | this.vplane2[i]; }
  badMaskOf(i: number): number { return ~this.vplane0[i] & this.vplane1[i] & ~this.vplane2[i]; }
  partialMaskOf(i: number): number { return this.vplane0[i] & this.vplane1[i]; }
  zeroMaskOf(i: number): number { return ~this.vplane0[i] & this.vplane2[i]; }
  unverMaskOf(i: number): number { return this.vplane0[i] & this.vplane2[i]; }

  private legacyMask(name: MaskName): Int32Array {
    let col = this.#masks.get(name);
    if (col === undefined || col.length < this.count) {
      const next = new Int32Array(Math.max(this.cap, this.count));
      if (col !== undefined) next.set(col);
      col = next;
      this.#masks.set(name, col);
    }
    const get = this[`${name}Of`];
    for (let i = this.#masksFrom.get(name) ?? 0; i < this.count; i++) col[i] = get.call(this, i);
    this.#masksFrom.set(name, this.count);
    return col;
  }
  #masks = new Map<MaskName, Int32Array>();
  #masksFrom = new Map<MaskName, number>();

  /** Full mask columns built on first use (4 bytes per frame each): prefer checkMaskOf & co. */
  get checkMask(): Int32Array { return this.legacyMask('checkMask'); }
  get badMask(): Int32Array { return this.legacyMask('badMask'); }
  get partialMask(): Int32Array { return this.legacyMask('partialMask'); }
  get zeroMask(): Int32Array { return this.legacyMask('zeroMask'); }
  get unverMask(): Int32Array { return this.legacyMask('unverMask'); }

  #timeCols: { n: number; offset: Float64Array; tsSec: Float64Array; tsNsec: Uint32Array; hasTime: Uint8Array } | null = null;

  private timeCols(): { n: number; offset: Float64Array; tsSec: Float64Array; tsNsec: Uint32Array; hasTime: Uint8Array } {
    let c = this.#timeCols;
    if (c === null || c.offset.length < this.count) {
      const n = Math.max(this.cap, this.count);
      const grow = <T extends Float64Array | Uint32Array | Uint8Array>(old: T | undefined, make: (k: number) => T): T => {
        const x = make(n);
        if (old !== undefined) x.set(old);
        return x;
      };
      c = {
        n: c?.n ?? 0,
        offset: grow(c?.offset, (k) => new Float64Array(k)),
        tsSec: grow(c?.tsSec, (k) => new Float64Array(k)),
        tsNsec: grow(c?.tsNsec, (k) => new Uint32Array(k)),
        hasTime: grow(c?.hasTime, (k) => new Uint8Array(k)),
      };
      this.#timeCols = c;
    }
    for (let i = c.n; i < this.count; i++) {
      c.offset[i] = this.offsetOf(i);
      c.tsSec[i] = this.secOf(i);
      c.tsNsec[i] = this.nsecOf(i);
      c.hasTime[i] = this.hasTimeOf(i) ? 1 : 0;
    }
    c.n = this.count;
    return c;
  }

  /** Full columns built on first use (8+8+4+1 bytes per frame): prefer offsetOf/secOf/nsecOf/hasTimeOf. */
  get offset(): Float64Array { return this.timeCols().offset; }
  get tsSec(): Float64Array { return this.timeCols().tsSec; }
  get tsNsec(): Uint32Array { return this.timeCols().tsNsec; }
  get hasTime(): Uint8Array { return this.timeCols().hasTime; }

  /** Full columns built on first use (4 bytes per frame each): prefer innerSrcOf & co. */
  get innerSrc(): Int32Array { return this.legacy('innerSrc', 0); }
  /** Built on first use (2 bytes per frame): prefer protoOf. */
  get proto(): Int16Array {
    let c = this.#protoCol;
    if (c === null || c.col.length < this.count) {
      const col = new Int16Array(Math.max(this.cap, this.count));
      if (c !== null) col.set(c.col);
      c = this.#protoCol = { col, n: c?.n ?? 0 };
    }
    for (let i = c.n; i < this.count; i++) c.col[i] = this.protoOf(i);
    c.n = this.count;
    return c.col;
  }
  #protoCol: { col: Int16Array; n: number } | null = null;
  get innerDst(): Int32Array { return this.legacy('innerDst', 1); }
  get sport(): Int32Array { return this.legacy('sport', 2); }
  get dport(): Int32Array { return this.legacy('dport', 3); }
}
