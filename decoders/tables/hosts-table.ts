// The `hosts` table: one row per underlay host, the outer source address of tunnelled frames (the IP
// source of untunnelled ones), with its frames, verdict counts per check (a struct per check, as the
// summary's `checks`) and the summary's MTU findings for it. hostRows() is the one place a row is made,
// for the per-host diagnosis to extend.
import type { Engine } from '../analysis/engine.ts';
import { CHECK_NAMES, CHECK_SLOTS, V_BAD, V_GOOD, V_PARTIAL, V_UNVERIFIED, V_ZERO } from '../summary.ts';
import type { FieldSpec, LeafSpec } from '../parquet/writer.ts';
import { checkColumn, type FrameColumns } from './frames-table.ts';

const VERDICTS = ['good', 'bad', 'partial', 'zero', 'unverified', 'noChecksum'] as const;
/** Words per host: frames, bytes, bad, partial, then 6 verdict counts per check slot. */
const HW = 4 + CHECK_SLOTS * 6;
/** Index of a verdict code's count among a slot's six. */
const AT: Record<number, number> = { [V_GOOD]: 0, [V_BAD]: 1, [V_PARTIAL]: 2, [V_ZERO]: 3, [V_UNVERIFIED]: 4 };

const MTU_FIELDS: LeafSpec[] = [
  { name: 'encap', type: 'string', optional: true },
  { name: 'fragmented', type: 'int64', optional: true },
  { name: 'incomplete', type: 'int64', optional: true },
  { name: 'tenantFragmented', type: 'int64', optional: true },
  { name: 'largestInner', type: 'int32', optional: true },
  { name: 'overhead', type: 'int32', optional: true },
  { name: 'needed', type: 'int32', optional: true },
  { name: 'underlayMtu', type: 'int32', optional: true },
  { name: 'icmpCount', type: 'int64', optional: true },
  /** The distinct MTUs ICMP reported, comma-separated (a string keeps the table free of lists). */
  { name: 'icmpMtus', type: 'string', optional: true },
  { name: 'advice', type: 'string', optional: true },
];

export const HOST_SCHEMA: FieldSpec[] = [
  { name: 'file', type: 'string' },
  { name: 'host', type: 'string' },
  { name: 'frames', type: 'int64' },
  { name: 'bytes', type: 'int64' },
  { name: 'bad', type: 'int64' },
  { name: 'partial', type: 'int64' },
  ...CHECK_NAMES.map((c): FieldSpec => ({ name: checkColumn(c), fields: VERDICTS.map((v) => ({ name: v, type: 'int64' })) })),
  { name: 'mtu', fields: MTU_FIELDS },
];

/** A HostTally as plain data (it is kept by the thread that writes the frames and handed back). */
export interface HostTallyData {
  of: Int32Array<ArrayBuffer>;
  addr: number[];
  t: Float64Array<ArrayBuffer>;
}

export class HostTally {
  /** Host index of an address id, -1 for none yet. */
  private of = new Int32Array(1024).fill(-1);
  private addr: number[] = [];
  private t = new Float64Array(HW * 16);

  static from(d: HostTallyData): HostTally {
    const h = new HostTally();
    Object.assign(h, d);
    return h;
  }

  data(): HostTallyData {
    return { of: this.of, addr: this.addr, t: this.t };
  }

  private hostOf(a: number): number {
    if (a >= this.of.length) {
      const of = new Int32Array(Math.max(a + 1, this.of.length * 2)).fill(-1);
      of.set(this.of);
      this.of = of;
    }
    let h = this.of[a];
    if (h < 0) {
      h = this.of[a] = this.addr.length;
      this.addr.push(a);
      if ((h + 1) * HW > this.t.length) {
        const t = new Float64Array(this.t.length * 2);
        t.set(this.t);
        this.t = t;
      }
    }
    return h;
  }

  /** Counts a batch of frames towards their hosts (outer source, else IP source; none without IP). */
  add(c: FrameColumns): void {
    for (let r = 0; r < c.n; r++) {
      const a = c.outerSrc[r] >= 0 ? c.outerSrc[r] : c.innerSrc[r];
      if (a < 0) continue;
      const o = this.hostOf(a) * HW;
      const t = this.t;
      const p0 = c.p0[r], p1 = c.p1[r], p2 = c.p2[r];
      t[o]++;
      t[o + 1] += c.caplen[r];
      if ((~p0 & p1 & ~p2) !== 0) t[o + 2]++;
      if ((p0 & p1) !== 0) t[o + 3]++;
      const benign = c.benign[r];
      let mask = p0 | p1 | p2;
      while (mask !== 0) {
        const slot = 31 - Math.clz32(mask);
        mask &= ~(1 << slot);
        const v = ((p0 >>> slot) & 1) | (((p1 >>> slot) & 1) << 1) | (((p2 >>> slot) & 1) << 2);
        const k = o + 4 + slot * 6;
        t[k + AT[v]]++;
        if ((benign & (1 << slot)) !== 0) t[k + 5]++;
      }
    }
  }

  /** Hosts seen so far: address text and their counts. */
  each(e: Engine, fn: (host: string, counts: Float64Array) => void): void {
    this.addr.forEach((a, h) => fn(e.addrs.text(a), this.t.subarray(h * HW, (h + 1) * HW)));
  }
}

export type HostRow = Record<string, unknown> & { file: string; host: string };

/** The hosts table's rows: every host that sent frames or has an MTU finding, in address order of first use. */
export function hostRows(e: Engine, tally: HostTally, file: string): HostRow[] {
  const rows = new Map<string, HostRow>();
  const empty = new Float64Array(HW);
  const row = (host: string, c: Float64Array): HostRow => {
    const r: HostRow = { file, host, frames: c[0], bytes: c[1], bad: c[2], partial: c[3], mtu: {} };
    for (let slot = 0; slot < CHECK_SLOTS; slot++) {
      const k = 4 + slot * 6;
      r[checkColumn(CHECK_NAMES[slot])] = Object.fromEntries(VERDICTS.map((v, j) => [v, c[k + j]]));
    }
    return r;
  };
  tally.each(e, (host, c) => rows.set(host, row(host, c)));
  for (const m of e.mtu()) {
    const r = rows.get(m.host) ?? row(m.host, empty);
    r.mtu = {
      encap: m.encap, fragmented: m.fragmented, incomplete: m.incomplete, tenantFragmented: m.tenantFragmented,
      largestInner: m.largestInner, overhead: m.overhead, needed: m.needed, underlayMtu: m.underlayMtu,
      icmpCount: m.icmp.count, icmpMtus: m.icmp.mtus.length > 0 ? m.icmp.mtus.join(',') : null, advice: m.advice,
    };
    rows.set(m.host, r);
  }
  return [...rows.values()];
}
