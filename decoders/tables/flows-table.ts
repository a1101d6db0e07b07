// The `flows` table: one row per tenant-aware flow (the engine's flow table), with the columns Zeek's
// conn.log has where the meaning is the same (ts, duration, id.orig_h ... resp_ip_bytes; `id` is a struct,
// as Zeek's conn_id record, so `id.orig_h` reads the same in every SQL engine), plus the tenant, the
// outer (underlay) addresses and the verdict counts. The originator is the side that sent the flow's
// first frame. What the flow table does not keep per direction is tallied here from the frames' rows, by the
// thread that writes them.
import type { Engine } from '../analysis/engine.ts';
import { protoText } from '../analysis/report.ts';
import type { FieldSpec } from '../parquet/writer.ts';
import type { FrameColumns } from './frames-table.ts';

export const FLOW_SCHEMA: FieldSpec[] = [
  { name: 'file', type: 'string' },
  { name: 'flow', type: 'int32' },
  { name: 'ts', type: 'timestamp', optional: true },
  { name: 'duration', type: 'double', optional: true },
  {
    name: 'id',
    fields: [
      { name: 'orig_h', type: 'string' },
      { name: 'orig_p', type: 'int32', optional: true },
      { name: 'resp_h', type: 'string' },
      { name: 'resp_p', type: 'int32', optional: true },
    ],
  },
  { name: 'proto', type: 'string' },
  { name: 'orig_pkts', type: 'int64' },
  { name: 'orig_bytes', type: 'int64' },
  { name: 'orig_ip_bytes', type: 'int64' },
  { name: 'resp_pkts', type: 'int64' },
  { name: 'resp_bytes', type: 'int64' },
  { name: 'resp_ip_bytes', type: 'int64' },
  { name: 'tenant', type: 'string', optional: true },
  { name: 'encap', type: 'string', optional: true },
  { name: 'vnid', type: 'int64', optional: true },
  { name: 'outer_orig_h', type: 'string', optional: true },
  { name: 'outer_resp_h', type: 'string', optional: true },
  { name: 'frames', type: 'int64' },
  { name: 'bytes', type: 'int64' },
  { name: 'bad', type: 'int64' },
  { name: 'partial', type: 'int64' },
  { name: 'first_frame', type: 'int64' },
  { name: 'last_frame', type: 'int64' },
];

/** Per-flow figures per direction, frame by frame: FL words per flow id. */
const FL = 10;
/** A: the flow's A address when last seen; pairs (orig, resp) from PKTS, BYTES, IP and OUTER_ORIG on. */
const A = 0, PKTS = 1, BYTES = 3, IP = 5, OUTER_ORIG = 7, OUTER_RESP = 8, HAS_TIME = 9;

/** A FlowTally as plain data (it is kept by the thread that writes the frames and handed back). */
export interface FlowTallyData {
  t: Float64Array<ArrayBuffer>;
  times: Float64Array<ArrayBuffer>;
  count: number;
}

export class FlowTally {
  private t = new Float64Array(FL * 1024);
  /** Per flow: first time (microseconds, and nanoseconds past them), last time (the same). */
  private times = new Float64Array(4 * 1024);
  private count = 0;

  static from(d: FlowTallyData): FlowTally {
    const f = new FlowTally();
    f.t = d.t;
    f.times = d.times;
    f.count = d.count;
    return f;
  }

  data(): FlowTallyData {
    return { t: this.t, times: this.times, count: this.count };
  }

  private ensure(flow: number): void {
    if (flow < this.count) return;
    if ((flow + 1) * FL > this.t.length) {
      const n = Math.max(flow + 1, (this.t.length / FL) * 2);
      const t = new Float64Array(n * FL);
      t.set(this.t);
      this.t = t;
      const times = new Float64Array(n * 4);
      times.set(this.times);
      this.times = times;
    }
    for (let f = this.count; f <= flow; f++) {
      const o = f * FL;
      this.t[o + A] = -1;
      this.t[o + OUTER_ORIG] = -1;
      this.t[o + OUTER_RESP] = -1;
      this.t[o + HAS_TIME] = 0;
    }
    this.count = flow + 1;
  }

  /** Counts a batch of frames towards their flows. */
  add(c: FrameColumns): void {
    for (let r = 0; r < c.n; r++) {
      const flow = c.flow[r];
      if (flow < 0) continue;
      if (flow >= this.count) this.ensure(flow);
      const tt = this.t;
      const o = flow * FL;
      const a = c.flowA[r];
      // The flow table turns a flow round when a fragment settles earlier than its first frame so far.
      if (tt[o + A] >= 0 && tt[o + A] !== a) this.swap(o);
      tt[o + A] = a;
      const dir = c.dir[r];
      tt[o + PKTS + dir]++;
      if (c.ipBytes[r] >= 0) {
        tt[o + BYTES + dir] += c.payload[r];
        tt[o + IP + dir] += c.ipBytes[r];
      }
      if (tt[o + OUTER_ORIG] < 0 && c.outerSrc[r] >= 0) {
        tt[o + OUTER_ORIG] = dir === 0 ? c.outerSrc[r] : c.outerDst[r];
        tt[o + OUTER_RESP] = dir === 0 ? c.outerDst[r] : c.outerSrc[r];
      }
      if (c.hasTime[r] === 1) {
        const us = c.time[r], ns = c.nanos[r];
        const tm = this.times;
        const q = flow * 4;
        const first = tt[o + HAS_TIME] === 0;
        if (first || us < tm[q] || (us === tm[q] && ns < tm[q + 1])) { tm[q] = us; tm[q + 1] = ns; }
        if (first || us > tm[q + 2] || (us === tm[q + 2] && ns > tm[q + 3])) { tm[q + 2] = us; tm[q + 3] = ns; }
        tt[o + HAS_TIME] = 1;
      }
    }
  }

  private swap(o: number): void {
    const t = this.t;
    for (const k of [PKTS, BYTES, IP, OUTER_ORIG]) {
      const x = t[o + k];
      t[o + k] = t[o + k + 1];
      t[o + k + 1] = x;
    }
  }

  /** The flows table's rows, from the engine's flow table and these tallies. */
  rows(e: Engine, file: string): FlowRow[] {
    const f = e.flows;
    const out: FlowRow[] = [];
    for (let id = 0; id < f.count; id++) {
      this.ensure(id);
      const o = id * FL;
      const t = this.t;
      if (t[o + A] >= 0 && t[o + A] !== f.addrA(id)) this.swap(o);
      const q = id * 4;
      const tm = this.times;
      const timed = t[o + HAS_TIME] === 1;
      const tenant = f.tenant(id);
      const ap = f.portA(id), bp = f.portB(id);
      out.push({
        file,
        flow: id,
        ts: timed ? tm[q] : null,
        duration: timed ? (tm[q + 2] - tm[q]) / 1e6 + (tm[q + 3] - tm[q + 1]) / 1e9 : null,
        id: { orig_h: e.addrs.text(f.addrA(id)), orig_p: ap >= 0 ? ap : null, resp_h: e.addrs.text(f.addrB(id)), resp_p: bp >= 0 ? bp : null },
        proto: protoText(f.proto(id)),
        orig_pkts: t[o + PKTS], orig_bytes: t[o + BYTES], orig_ip_bytes: t[o + IP],
        resp_pkts: t[o + PKTS + 1], resp_bytes: t[o + BYTES + 1], resp_ip_bytes: t[o + IP + 1],
        tenant: tenant >= 0 ? e.tenants.key(tenant) : null,
        encap: tenant >= 0 ? e.tenants.encapName(tenant) : null,
        vnid: tenant >= 0 ? e.tenants.vnidOrNull(tenant) : null,
        outer_orig_h: t[o + OUTER_ORIG] >= 0 ? e.addrs.text(t[o + OUTER_ORIG]) : null,
        outer_resp_h: t[o + OUTER_RESP] >= 0 ? e.addrs.text(t[o + OUTER_RESP]) : null,
        frames: f.frames[id], bytes: f.bytes[id], bad: f.bad[id], partial: f.partial[id],
        first_frame: f.firstFrame[id], last_frame: f.lastFrame[id],
      });
    }
    return out;
  }
}

export interface FlowRow {
  file: string;
  flow: number;
  /** Microseconds since 1970 (UTC). */
  ts: number | null;
  duration: number | null;
  id: { orig_h: string; orig_p: number | null; resp_h: string; resp_p: number | null };
  proto: string;
  orig_pkts: number; orig_bytes: number; orig_ip_bytes: number;
  resp_pkts: number; resp_bytes: number; resp_ip_bytes: number;
  tenant: string | null; encap: string | null; vnid: number | null;
  outer_orig_h: string | null; outer_resp_h: string | null;
  frames: number; bytes: number; bad: number; partial: number; first_frame: number; last_frame: number;
}
