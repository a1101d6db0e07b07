// The `frames` table (README "Many captures"): one row per frame, the --frames NDJSON flattened into
// columns. Rows are copied out of the engine's store as each frame's row becomes final (the onFrame hook)
// into typed columns, which ParquetWriter takes as they are: strings as the engine's own ids (addresses,
// tenants, protocols), which the writer turns into a dictionary per row group.
import type { Engine } from '../analysis/engine.ts';
import { protoText } from '../analysis/report.ts';
import { encapName } from '../layers/registry.ts';
import { CHECK_NAMES, CHECK_SLOTS, VERDICT_NAMES } from '../summary.ts';
import type { FieldSpec, LeafData } from '../parquet/writer.ts';
import { measure, measured } from './ip-bytes.ts';

/** A check's column: its name with dots as underscores (`inner.tcp` -> `inner_tcp`), as SQL names go. */
export function checkColumn(check: string): string {
  return check.replaceAll('.', '_');
}

export const FRAME_SCHEMA: FieldSpec[] = [
  { name: 'file', type: 'string' },
  { name: 'frame', type: 'int64' },
  { name: 'time', type: 'timestamp', optional: true },
  { name: 'nanos', type: 'int32', optional: true, dict: true },
  { name: 'caplen', type: 'int32', dict: true },
  { name: 'len', type: 'int32', dict: true },
  { name: 'encap', type: 'string', optional: true },
  { name: 'vnid', type: 'int64', optional: true },
  { name: 'tenant', type: 'string', optional: true },
  { name: 'flowId', type: 'int32', optional: true, dict: true },
  { name: 'flow', type: 'int32', optional: true, dict: true },
  { name: 'outerSrc', type: 'string', optional: true },
  { name: 'outerDst', type: 'string', optional: true },
  { name: 'innerSrc', type: 'string', optional: true },
  { name: 'innerDst', type: 'string', optional: true },
  { name: 'proto', type: 'string', optional: true },
  { name: 'sport', type: 'int32', optional: true, dict: true },
  { name: 'dport', type: 'int32', optional: true, dict: true },
  ...CHECK_NAMES.map((c): FieldSpec => ({ name: checkColumn(c), type: 'string', optional: true })),
  { name: 'flagged', type: 'bool' },
  { name: 'partial', type: 'bool' },
];

const byteScratch: Uint8Array[] = [];
const intScratch: Int32Array[] = [];

/** Scratch array k of at least n elements (its first n), reused batch after batch instead of made anew. */
function scratchBytes(k: number, n: number): Uint8Array {
  if (!(byteScratch[k]?.length >= n)) byteScratch[k] = new Uint8Array(n);
  return byteScratch[k].subarray(0, n);
}

function scratchInts(k: number, n: number): Int32Array {
  if (!(intScratch[k]?.length >= n)) intScratch[k] = new Int32Array(n);
  return intScratch[k].subarray(0, n);
}

/** Key of proto column rows whose inner IP protocol is unknown (the NDJSON's "unknown"). */
const PROTO_UNKNOWN = 256;

/** The strings behind the ids a row holds: the engine's tables, or a copy of them in another thread. */
export interface FrameNames {
  addr(id: number): string;
  tenantKey(id: number): string;
  tenantVnid(id: number): number;
  /** A tunnel's name by its code (the registry of the thread that decoded), null for none. */
  encap(code: number): string | null;
}

export function engineNames(e: Engine): FrameNames {
  return { addr: (id) => e.addrs.text(id), tenantKey: (id) => e.tenants.key(id), tenantVnid: (id) => e.tenants.vnid[id], encap: encapName };
}

export type Columns = Record<string, Float64Array | Int32Array | Uint8Array>;

/** Rows of the frames table for one row group, column by column. */
export class FrameColumns {
  n = 0;
  private cap = 0;
  frame = new Float64Array(0);
  time = new Float64Array(0);
  nanos = new Int32Array(0);
  hasTime = new Uint8Array(0);
  caplen = new Int32Array(0);
  len = new Int32Array(0);
  encap = new Int32Array(0);
  tenant = new Int32Array(0);
  hasVnid = new Uint8Array(0);
  flowId = new Int32Array(0);
  flow = new Int32Array(0);
  outerSrc = new Int32Array(0);
  outerDst = new Int32Array(0);
  innerSrc = new Int32Array(0);
  innerDst = new Int32Array(0);
  proto = new Int32Array(0);
  sport = new Int32Array(0);
  dport = new Int32Array(0);
  p0 = new Int32Array(0);
  p1 = new Int32Array(0);
  p2 = new Int32Array(0);
  // Not written as columns; the flows and hosts tallies count them (FlowTally, HostTally).
  /** 1 when the frame goes from its flow's B side to its A side; the flow's A address as it stood. */
  dir = new Uint8Array(0);
  flowA = new Int32Array(0);
  /** The innermost IP packet's length and transport payload (ip-bytes.ts); -1: not counted (a fragment's share). */
  ipBytes = new Int32Array(0);
  payload = new Int32Array(0);
  /** Zero verdicts that are UDP-over-IPv4 "no checksum" (Engine.benignZero), by check slot. */
  benign = new Int32Array(0);

  constructor(private readonly limit: number) {}

  get full(): boolean {
    return this.n >= this.limit;
  }

  private grow(): void {
    // From small to the row group size: a small capture never holds a full row group's columns.
    this.resize(Math.min(this.limit, Math.max(4096, this.cap * 2)), true);
  }

  private resize(cap: number, keep: boolean): void {
    for (const [k, v] of Object.entries(this.columns())) {
      const next = new (v.constructor as Int32ArrayConstructor)(cap);
      if (keep) next.set((v as Int32Array).subarray(0, this.n));
      (this as unknown as Columns)[k] = next;
    }
    this.cap = cap;
  }

  /** The column arrays by name. */
  columns(): Columns {
    const out: Columns = {};
    for (const [k, v] of Object.entries(this)) if (ArrayBuffer.isView(v) && !(v instanceof DataView)) out[k] = v as Int32Array;
    return out;
  }

  /**
   * Hands the rows over (another thread writes them): their arrays; in their place `spare` (arrays handed back,
   * if as large) or fresh ones of the same size.
   */
  take(spare?: Columns | null): { n: number; columns: Columns } {
    const taken = { n: this.n, columns: this.columns() };
    if (spare && Object.keys(taken.columns).every((k) => spare[k]?.length === this.cap)) Object.assign(this, spare);
    else this.resize(this.cap, false);
    this.n = 0;
    return taken;
  }

  /** Columns handed over by take(), to write. */
  static of(n: number, columns: Columns): FrameColumns {
    const c = new FrameColumns(n);
    Object.assign(c, columns);
    c.n = n;
    c.cap = n;
    return c;
  }

  /** Appends frame n, whose final row is at store index i of the engine (its decode in Engine.decoded). */
  push(e: Engine, i: number, n: number): void {
    if (this.n >= this.cap) this.grow();
    const r = this.n++;
    const st = e.store;
    this.frame[r] = n;
    const rel = st.tRel[i];
    if (rel === rel) {
      // secOf/nsecOf in one: nanoseconds from the store's base second (see FrameStore.tRel).
      let sec: number, ns: number;
      if (rel === Infinity) {
        sec = st.secOf(i);
        ns = st.nsecOf(i);
      } else {
        let q = Math.floor(rel / 1e9);
        if (q * 1e9 > rel) q--;
        else if ((q + 1) * 1e9 <= rel) q++;
        sec = st.tBase + q;
        ns = rel - q * 1e9;
      }
      const us = Math.floor(ns / 1000);
      this.time[r] = sec * 1e6 + us;
      this.nanos[r] = ns - us * 1000;
      this.hasTime[r] = 1;
    } else this.hasTime[r] = 0;
    this.caplen[r] = st.caplen[i];
    this.len[r] = st.origlen[i];
    const tenant = st.tenant[i];
    // An IP fragment's tenant is its datagram's, whatever headers the fragment itself carries (as frameJson).
    this.encap[r] = tenant >= 0 ? e.tenants.encap[tenant] : st.encap[i];
    this.tenant[r] = tenant;
    this.hasVnid[r] = tenant >= 0 && e.tenants.vnid[tenant] >= 0 ? 1 : 0;
    this.flowId[r] = st.flowId[i];
    const flow = st.flow[i];
    this.flow[r] = flow;
    const tunnelled = st.depth[i] > 0 && st.outerSrc[i] >= 0;
    this.outerSrc[r] = tunnelled ? st.outerSrc[i] : -1;
    this.outerDst[r] = tunnelled ? st.outerDst[i] : -1;
    let src: number, dst: number, proto: number, sport: number, dport: number;
    const dir = st.dir[i];
    this.dir[r] = dir;
    this.flowA[r] = flow >= 0 ? e.flows.addrA(flow) : -1;
    if (flow >= 0 && e.decoded.whole) {
      measure(e.decoded);
      this.ipBytes[r] = measured.ip;
      this.payload[r] = measured.payload;
    } else this.ipBytes[r] = -1;
    const zero = st.zeroMaskOf(i);
    this.benign[r] = zero !== 0 ? zero & ~e.notableZeroMask(i) : 0;
    if (flow >= 0 && st.odd.size === 0 && st.protoOdd.size === 0) {
      // The common case without the side tables' lookups: the flow's endpoints, turned by the direction bit.
      const f = e.flows;
      const ab = dir === 0;
      src = ab ? f.addrA(flow) : f.addrB(flow);
      dst = ab ? f.addrB(flow) : f.addrA(flow);
      sport = ab ? f.portA(flow) : f.portB(flow);
      dport = ab ? f.portB(flow) : f.portA(flow);
      proto = f.proto(flow);
    } else {
      src = st.innerSrcOf(i);
      dst = st.innerDstOf(i);
      sport = st.sportOf(i);
      dport = st.dportOf(i);
      proto = st.protoOf(i);
    }
    const inner = src >= 0;
    this.innerSrc[r] = src;
    this.innerDst[r] = inner ? dst : -1;
    this.proto[r] = !inner ? -1 : proto >= 0 ? proto : PROTO_UNKNOWN;
    this.sport[r] = inner ? sport : -1;
    this.dport[r] = inner ? dport : -1;
    this.p0[r] = st.vplane0[i];
    this.p1[r] = st.vplane1[i];
    this.p2[r] = st.vplane2[i];
  }

  /** The columns as FRAME_SCHEMA's leaves, for ParquetWriter.writeRowGroup. */
  leaves(names: FrameNames, file: string): LeafData[] {
    const n = this.n;
    const sub = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => a.subarray(0, n) as T;
    // The derived arrays are scratch that the writer is done with when writeRows returns: one set per thread.
    let b = 0, w = 0;
    const bytes = (): Uint8Array => scratchBytes(b++, n);
    const ints = (): Int32Array => scratchInts(w++, n);
    const present = (keys: Int32Array): Uint8Array => {
      const v = bytes();
      for (let r = 0; r < n; r++) v[r] = keys[r] >= 0 ? 1 : 0;
      return v;
    };
    const addr = (keys: Int32Array): LeafData => ({ values: sub(keys), valid: present(keys), text: names.addr });
    const encapValid = bytes();
    for (let r = 0; r < n; r++) encapValid[r] = this.encap[r] !== 0 && names.encap(this.encap[r]) !== null ? 1 : 0;
    const flagged = bytes(), partial = bytes();
    let seen = 0;
    for (let r = 0; r < n; r++) {
      const a = this.p0[r], bb = this.p1[r], c = this.p2[r];
      flagged[r] = (~a & bb & ~c) !== 0 ? 1 : 0;
      partial[r] = (a & bb) !== 0 ? 1 : 0;
      seen |= a | bb | c;
    }
    const none = bytes().fill(0);
    const checks: LeafData[] = [];
    for (let slot = 0; slot < CHECK_SLOTS; slot++) {
      if ((seen & (1 << slot)) === 0) {
        checks.push({ values: sub(this.p0), valid: none, text: () => '' });
        continue;
      }
      // The planes' three bits are the verdict code itself (V_GOOD 1 ... V_UNVERIFIED 5; 0: no such check).
      const keys = ints(), valid = bytes();
      for (let r = 0; r < n; r++) {
        const v = ((this.p0[r] >>> slot) & 1) | (((this.p1[r] >>> slot) & 1) << 1) | (((this.p2[r] >>> slot) & 1) << 2);
        keys[r] = v;
        valid[r] = v !== 0 ? 1 : 0;
      }
      checks.push({ values: keys, valid, text: (k) => VERDICT_NAMES[k] });
    }
    return [
      { values: ints().fill(0), text: () => file },
      { values: sub(this.frame) },
      { values: sub(this.time), valid: sub(this.hasTime) },
      { values: sub(this.nanos), valid: sub(this.hasTime) },
      { values: sub(this.caplen) },
      { values: sub(this.len) },
      { values: sub(this.encap), valid: encapValid, text: (k) => names.encap(k) ?? '' },
      { values: sub(this.tenant), valid: sub(this.hasVnid), value: names.tenantVnid },
      { values: sub(this.tenant), valid: present(this.tenant), text: names.tenantKey },
      { values: sub(this.flowId), valid: present(this.flowId) },
      { values: sub(this.flow), valid: present(this.flow) },
      addr(this.outerSrc),
      addr(this.outerDst),
      addr(this.innerSrc),
      addr(this.innerDst),
      { values: sub(this.proto), valid: present(this.proto), text: (k) => (k === PROTO_UNKNOWN ? 'unknown' : protoText(k)) },
      { values: sub(this.sport), valid: present(this.sport) },
      { values: sub(this.dport), valid: present(this.dport) },
      ...checks,
      { values: flagged },
      { values: partial },
    ];
  }

  clear(): void {
    this.n = 0;
  }
}
