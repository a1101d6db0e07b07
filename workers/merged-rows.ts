// The open captures merged by time, for the "All, by time" list: every settled frame of every capture in time
// order (each capture's clock offset taken out when the UI knows it from a comparison), with the capture it
// belongs to and its own frame number. The order is kept (8 bytes a frame) until the captures, their frame
// counts or the offsets change; rows are formatted as the packet list's (formatRow, the application layers
// read back from the bytes).
import { fillLayerRows } from '../decoders/analysis/layer-rows.ts';
import { fillSuperframeRows } from '../decoders/analysis/superframe.ts';
import { formatRow } from '../decoders/analysis/rows.ts';
import { frameSeconds } from '../decoders/analysis/paths-fold.ts';
import type { PacketRow } from '../decoders/analysis/rows.ts';
import type { OpenSession } from './paths-service.ts';
import type { MergedRow, MergedRows } from './paths-api.ts';

interface Order {
  sessions: readonly OpenSession[];
  key: string;
  /** Global frame ids (capture base + store index) in time order. */
  ids: Int32Array;
  base: Int32Array;
  times: Float64Array;
  first: number;
}

export class MergedView {
  private order: Order | null = null;

  constructor(private readonly sessions: () => readonly OpenSession[]) {}

  /** Rows start .. start + count of the merged list; `shifts`: seconds each capture's clock is ahead (0 unknown). */
  async rows(start: number, count: number, shifts: readonly number[]): Promise<MergedRows> {
    const o = this.prepare(shifts);
    const total = o.ids.length;
    const from = Math.max(0, Math.min(Math.floor(start), total));
    const to = Math.min(total, from + Math.max(0, Math.floor(count)));
    const rows: MergedRow[] = [];
    const perCapture = o.sessions.map((): PacketRow[] => []);
    for (let p = from; p < to; p++) {
      const g = o.ids[p];
      const c = captureOf(o.base, g);
      const i = g - o.base[c];
      const row = formatRow(o.sessions[c].engine, i) as MergedRow;
      row.capture = c;
      const t = o.times[g];
      row.mergedTime = t === t ? t - o.first : null;
      rows.push(row);
      perCapture[c].push(row);
    }
    await Promise.all(o.sessions.map(async (s, c) => {
      if (perCapture[c].length === 0) return;
      await fillLayerRows(s.engine, perCapture[c], s.frames);
      await fillSuperframeRows(s.engine, perCapture[c], s.frames);
    }));
    return { total, start: from, rows };
  }

  /** Position of frame n of capture c in the merged list, or -1. */
  indexOf(c: number, n: number, shifts: readonly number[]): number {
    const o = this.prepare(shifts);
    if (c < 0 || c >= o.sessions.length) return -1;
    const g = o.base[c] + n - 1;
    if (n < 1 || g >= (c + 1 < o.base.length ? o.base[c + 1] : o.ids.length)) return -1;
    for (let p = 0; p < o.ids.length; p++) if (o.ids[p] === g) return p;
    return -1;
  }

  private prepare(shifts: readonly number[]): Order {
    const sessions = this.sessions();
    const key = `${sessions.map((s, c) => `${s.engine.settledCount}@${shifts[c] ?? 0}`).join(',')}`;
    const o = this.order;
    if (o !== null && o.sessions === sessions && o.key === key) return o;
    const base = new Int32Array(sessions.length + 1);
    for (let c = 0; c < sessions.length; c++) base[c + 1] = base[c] + sessions[c].engine.settledCount;
    const total = base[sessions.length];
    let minSec = Infinity;
    for (const s of sessions) if (s.engine.minSec < minSec) minSec = s.engine.minSec;
    if (minSec === Infinity) minSec = 0;
    const times = new Float64Array(total);
    let first = Infinity;
    for (let c = 0; c < sessions.length; c++) {
      const e = sessions[c].engine;
      const shift = Number.isFinite(shifts[c]) ? shifts[c] : 0;
      for (let i = 0; i < e.settledCount; i++) {
        const t = frameSeconds(e, i, minSec) - shift;
        times[base[c] + i] = t;
        if (t < first) first = t;
      }
    }
    const ids = Int32Array.from({ length: total }, (_, g) => g);
    // Frames without a time go last, in capture and file order.
    ids.sort((a, b) => {
      const x = times[a], y = times[b];
      if (x !== x || y !== y) return (x !== x ? 1 : 0) - (y !== y ? 1 : 0) || a - b;
      return x - y || a - b;
    });
    const out: Order = { sessions, key, ids, base: base.subarray(0, sessions.length), times, first: first === Infinity ? 0 : first };
    this.order = out;
    return out;
  }
}

function captureOf(base: Int32Array, g: number): number {
  let c = base.length - 1;
  while (c > 0 && base[c] > g) c--;
  return c;
}
