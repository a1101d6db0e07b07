// Matching the copies of one packet between two captures: by invariant key (paths-key.ts), within a time window
// around the clock offset of the two captures. The offset is estimated first from the keys that occur exactly
// once in each capture (they match whatever the clocks say): per conversation, the median delay one way and the
// other, their mean is the offset (the delays cancel when they are alike both ways, as NTP assumes); with
// traffic in one direction only, the smallest delay is taken as no delay (the captures were given in path
// order). Copies with equal keys (a retransmission of the same segment) pair nearest in time without crossing,
// so an original and its retransmission pair with theirs in time order; an equal payload is preferred.

import type { FrameIndex } from './frame-index.ts';
import type { FrameKeys } from './paths-key.ts';
import { Hash53 } from './paths-hash.ts';

/** One capture as the matching sees it. */
export interface MatchSide {
  e: FrameIndex;
  keys: FrameKeys;
  /** Seconds since the common base second, per store index (NaN without a time). */
  times: Float64Array;
  /** Store indices that take part, sorted by key then time. */
  ord: Int32Array;
}

export type OffsetMethod = 'two-way' | 'one-way' | 'none';

export interface PairOffset {
  /** Seconds to subtract from the second capture's times to read them on the first capture's clock. */
  skew: number;
  method: OffsetMethod;
  /** Copies matched by a key unique in both captures (what the estimate rests on). */
  samples: number;
}

/** Sorts the participating store indices of a capture by key, then time. */
export function sortByKey(keys: FrameKeys, times: Float64Array, take: Uint8Array): Int32Array {
  let n = 0;
  for (let i = 0; i < take.length; i++) if (take[i] === 1) n++;
  const ord = new Int32Array(n);
  for (let i = 0, k = 0; i < take.length; i++) if (take[i] === 1) ord[k++] = i;
  const K = keys.key;
  ord.sort((a, b) => (K[a] - K[b]) || (times[a] - times[b]) || a - b);
  return ord;
}

/** Calls fn for every key present in both captures with the ranges of ord holding it. */
function joinKeys(x: MatchSide, y: MatchSide, fn: (ax: number, bx: number, ay: number, by: number) => void): void {
  const KX = x.keys.key, KY = y.keys.key, ox = x.ord, oy = y.ord;
  let p = 0, q = 0;
  while (p < ox.length && q < oy.length) {
    const kx = KX[ox[p]], ky = KY[oy[q]];
    if (kx < ky) { p++; continue; }
    if (ky < kx) { q++; continue; }
    let p2 = p + 1, q2 = q + 1;
    while (p2 < ox.length && KX[ox[p2]] === kx) p2++;
    while (q2 < oy.length && KY[oy[q2]] === kx) q2++;
    fn(p, p2, q, q2);
    p = p2;
    q = q2;
  }
}

const conv = new Hash53();

/** Conversation (tenant and innermost address pair) and direction of frames, comparable between captures. */
export class Conversations {
  private readonly addr: Float64Array;
  /** Direction of the frame last passed to of(): 0 from the lower address hash, 1 from the higher. */
  dir = 0;

  constructor(private readonly e: FrameIndex) {
    this.addr = new Float64Array(e.addrs.count).fill(NaN);
  }

  private addrHash(id: number): number {
    if (id < 0) return -1;
    let v = this.addr[id];
    if (v !== v) {
      const b = this.e.addrs.bytesOf(id);
      v = this.addr[id] = conv.reset(5).bytes(b, 0, b.length).value53();
    }
    return v;
  }

  private tenant(i: number): void {
    const t = this.e.store.tenant[i];
    const tt = this.e.tenants;
    conv.word(t >= 0 ? tt.encap[t] : -1).word(t >= 0 ? tt.vnid[t] : -1);
  }

  /** The undirected conversation of store index i (sets dir). */
  of(i: number): number {
    const st = this.e.store;
    const a = this.addrHash(st.innerSrcOf(i)), b = this.addrHash(st.innerDstOf(i));
    this.dir = a <= b ? 0 : 1;
    conv.reset(6);
    this.tenant(i);
    return conv.num(Math.min(a, b)).num(Math.max(a, b)).value53();
  }

  /** The directed route of store index i: tenant, innermost source and destination. */
  route(i: number): number {
    const st = this.e.store;
    conv.reset(7);
    this.tenant(i);
    return conv.num(this.addrHash(st.innerSrcOf(i))).num(this.addrHash(st.innerDstOf(i))).value53();
  }
}

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const PER_CONVERSATION = 4096;

/** The clock offset of capture y against capture x (see the head of this file). */
export function estimateOffset(x: MatchSide, y: MatchSide, window: number): PairOffset {
  const cx = new Conversations(x.e);
  const byConv = new Map<number, [number[], number[]]>();
  const all: number[] = [];
  let samples = 0;
  joinKeys(x, y, (ax, bx, ay, by) => {
    if (bx - ax !== 1 || by - ay !== 1) return;
    const ix = x.ord[ax], iy = y.ord[ay];
    const d = y.times[iy] - x.times[ix];
    if (d !== d) return;
    samples++;
    const c = cx.of(ix);
    let e = byConv.get(c);
    if (e === undefined) byConv.set(c, e = [[], []]);
    const side = e[cx.dir];
    if (side.length < PER_CONVERSATION) side.push(d);
    if (all.length < PER_CONVERSATION * 16) all.push(d);
  });
  if (samples === 0) return { skew: 0, method: 'none', samples };
  const twoWay: number[] = [];
  for (const [f, r] of byConv.values()) if (f.length > 0 && r.length > 0) twoWay.push((median(f) + median(r)) / 2);
  if (twoWay.length > 0) return { skew: median(twoWay), method: 'two-way', samples };
  const m = median(all);
  let least = m;
  for (const d of all) if (d < least && d >= m - window) least = d;
  return { skew: least, method: 'one-way', samples };
}

/** Pairs of store indices (x, y) that are copies of one packet. */
export interface PairMatches {
  x: number[];
  y: number[];
}

/** Groups larger than this (many copies of one key) pair in one sweep instead of by nearest pairs first. */
const SMALL_GROUP = 4096;

/** Matches the copies of capture x and y (see the head of this file). */
export function matchPair(x: MatchSide, y: MatchSide, skew: number, window: number): PairMatches {
  const out: PairMatches = { x: [], y: [] };
  const TX = x.times, TY = y.times, PX = x.keys.payload, PY = y.keys.payload;
  const ox = x.ord, oy = y.ord;
  const dt = (ix: number, iy: number): number => Math.abs(TY[iy] - skew - TX[ix]);
  joinKeys(x, y, (ax, bx, ay, by) => {
    const nx = bx - ax, ny = by - ay;
    if (nx === 1 && ny === 1) {
      if (dt(ox[ax], oy[ay]) <= window) { out.x.push(ox[ax]); out.y.push(oy[ay]); }
      return;
    }
    if (nx * ny <= SMALL_GROUP) {
      // Nearest pairs first (an equal payload before a different one), none crossing another.
      const cand: Array<[number, number, number]> = [];
      for (let p = ax; p < bx; p++) {
        for (let q = ay; q < by; q++) {
          const d = dt(ox[p], oy[q]);
          if (d <= window) cand.push([p, q, d + (PX[ox[p]] === PY[oy[q]] ? 0 : 2 * window + 1)]);
        }
      }
      cand.sort((u, v) => u[2] - v[2] || u[0] - v[0] || u[1] - v[1]);
      const takenX = new Set<number>(), takenY = new Set<number>();
      const accepted: Array<[number, number]> = [];
      for (const [p, q] of cand) {
        if (takenX.has(p) || takenY.has(q)) continue;
        if (accepted.some(([p2, q2]) => (p < p2) !== (q < q2))) continue;
        takenX.add(p); takenY.add(q);
        accepted.push([p, q]);
      }
      accepted.sort((u, v) => u[0] - v[0]);
      for (const [p, q] of accepted) { out.x.push(ox[p]); out.y.push(oy[q]); }
      return;
    }
    // Many copies of one key: one sweep in time order, each taking the nearest one left within the window.
    let q0 = ay;
    for (let p = ax; p < bx; p++) {
      const tx = TX[ox[p]];
      while (q0 < by && TY[oy[q0]] - skew < tx - window) q0++;
      let best = -1, bestCost = Infinity;
      for (let q = q0; q < by && TY[oy[q]] - skew <= tx + window; q++) {
        const c = dt(ox[p], oy[q]) + (PX[ox[p]] === PY[oy[q]] ? 0 : 2 * window + 1);
        if (c < bestCost) { bestCost = c; best = q; }
      }
      if (best >= 0) {
        out.x.push(ox[p]);
        out.y.push(oy[best]);
        q0 = best + 1;
      }
    }
  });
  return out;
}
