// Packets across captures: the copies the pairwise matching and the packet ids tie together, each packet's
// copies in path order, the points they were seen at (a capture, or a capture's interface: a pktmon component)
// and per route (tenant, innermost source and destination) the path its packets take.

import type { FrameIndex } from './frame-index.ts';
import { Conversations } from './paths-match.ts';
import { Hash53 } from './paths-hash.ts';

/** A place a copy was seen: a capture, or one interface of a capture that has several. */
export interface PathPoint {
  label: string;
  capture: number;
  /** Index in the capture's interfaces(). */
  iface: number;
  interfaceName: string | null;
}

/** Frames of all captures numbered one after the other: capture c's store index i is base[c] + i. */
export class GlobalFrames {
  readonly base: Int32Array;
  readonly total: number;

  constructor(readonly indexes: readonly FrameIndex[], counts: readonly number[]) {
    this.base = new Int32Array(counts.length + 1);
    for (let c = 0; c < counts.length; c++) this.base[c + 1] = this.base[c] + counts[c];
    this.total = this.base[counts.length];
  }

  captureOf(g: number): number {
    let lo = 0, hi = this.base.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.base[mid] <= g) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  indexOf(g: number): number {
    return g - this.base[this.captureOf(g)];
  }
}

/** Union-find over global frame ids. */
export class Unions {
  readonly parent: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(a: number): number {
    const p = this.parent;
    while (p[a] !== a) {
      p[a] = p[p[a]];
      a = p[a];
    }
    return a;
  }

  union(a: number, b: number): void {
    const ra = this.find(a), rb = this.find(b);
    if (ra !== rb) {
      if (ra < rb) this.parent[rb] = ra;
      else this.parent[ra] = rb;
    }
  }
}

/** Packets in compressed rows: packet p's copies are members[start[p] .. start[p + 1]), in path order. */
export interface Packets {
  /** Per global frame id: its packet. */
  packetOf: Int32Array;
  start: Int32Array;
  members: Int32Array;
  count: number;
}

/**
 * Packets from the unions, numbered in order of their first frame (global id), each packet's copies ordered by
 * corrected time (`time(g)`: NaN last), then capture, then file order.
 */
export function buildPackets(u: Unions, frames: GlobalFrames, time: (g: number) => number): Packets {
  const n = frames.total;
  const packetOf = new Int32Array(n);
  const sizes: number[] = [];
  let count = 0;
  for (let g = 0; g < n; g++) {
    const r = u.find(g);
    if (r === g) {
      packetOf[g] = count++;
      sizes.push(0);
    } else packetOf[g] = packetOf[r];
    sizes[packetOf[g]]++;
  }
  const start = new Int32Array(count + 1);
  for (let p = 0; p < count; p++) start[p + 1] = start[p] + sizes[p];
  const members = new Int32Array(n);
  const fill = start.slice(0, count);
  for (let g = 0; g < n; g++) members[fill[packetOf[g]]++] = g;
  const t = (g: number): number => {
    const v = time(g);
    return v === v ? v : Infinity;
  };
  for (let p = 0; p < count; p++) {
    if (sizes[p] < 2) continue;
    const part = members.subarray(start[p], start[p + 1]);
    // Global ids already run capture by capture in file order: only the times can reorder them.
    part.set(Array.from(part).sort((a, b) => (t(a) - t(b)) || (frames.captureOf(a) - frames.captureOf(b)) || a - b));
  }
  return { packetOf, start, members, count };
}

/** The points of the captures: a capture with one interface is one point, else one per interface. */
export class Points {
  readonly list: PathPoint[] = [];
  private readonly byCapture: Array<Map<number, number>>;

  constructor(private readonly names: readonly string[], private readonly indexes: readonly FrameIndex[]) {
    this.byCapture = names.map(() => new Map());
  }

  /** Point id of capture c's store index i. */
  of(c: number, i: number): number {
    const e = this.indexes[c];
    const iface = e.interfaceIndex(i + 1);
    const m = this.byCapture[c];
    let id = m.get(iface);
    if (id === undefined) {
      const ifs = e.interfaces();
      const name = ifs[iface]?.name ?? null;
      const label = ifs.length <= 1 ? this.names[c] : `${this.names[c]}:${name ?? `if${iface}`}`;
      id = this.list.length;
      this.list.push({ label, capture: c, iface, interfaceName: name });
      m.set(iface, id);
    }
    return id;
  }
}

/**
 * The member that stands for a packet's route: its first copy with a tenant (a vmNIC copy is not encapsulated
 * yet), else its first copy.
 */
export function routeMember(pk: Packets, p: number, frames: GlobalFrames): number {
  for (let m = pk.start[p]; m < pk.start[p + 1]; m++) {
    const g = pk.members[m];
    const c = frames.captureOf(g);
    if (frames.indexes[c].store.tenant[g - frames.base[c]] >= 0) return g;
  }
  return pk.members[pk.start[p]];
}

/**
 * A packet's copies with consecutive copies at one point collapsed (the first kept): the global ids, and the
 * point of each in `points` (same length).
 */
export function stops(pk: Packets, p: number, frames: GlobalFrames, pts: Points, out: { ids: number[]; points: number[] }): void {
  out.ids.length = 0;
  out.points.length = 0;
  for (let m = pk.start[p]; m < pk.start[p + 1]; m++) {
    const g = pk.members[m];
    const c = frames.captureOf(g);
    const pt = pts.of(c, g - frames.base[c]);
    if (out.points.length > 0 && out.points[out.points.length - 1] === pt) continue;
    out.ids.push(g);
    out.points.push(pt);
  }
}

/**
 * Per route, the path its packets take: of the point sequences its packets show, the longest, and of those
 * the most frequent. A packet that stops early on it was lost after its last point.
 */
export function routePaths(pk: Packets, frames: GlobalFrames, pts: Points): { routeOf: (p: number) => number; paths: Map<number, number[]> } {
  const convs = frames.indexes.map((e) => new Conversations(e));
  const routeOf = (p: number): number => {
    const g = routeMember(pk, p, frames);
    const c = frames.captureOf(g);
    return convs[c].route(g - frames.base[c]);
  };
  const seqs = new Map<number, Map<number, { count: number; points: number[] }>>();
  const h = new Hash53();
  const st = { ids: [] as number[], points: [] as number[] };
  for (let p = 0; p < pk.count; p++) {
    stops(pk, p, frames, pts, st);
    const r = routeOf(p);
    let m = seqs.get(r);
    if (m === undefined) seqs.set(r, m = new Map());
    h.reset(8);
    for (const pt of st.points) h.word(pt);
    const k = h.value53();
    const e = m.get(k);
    if (e === undefined) m.set(k, { count: 1, points: st.points.slice() });
    else e.count++;
  }
  const paths = new Map<number, number[]>();
  for (const [r, m] of seqs) {
    let best: { count: number; points: number[] } | null = null;
    for (const e of m.values()) {
      if (best === null || e.points.length > best.points.length || (e.points.length === best.points.length && e.count > best.count)) best = e;
    }
    if (best !== null) paths.set(r, best.points);
  }
  return { routeOf, paths };
}
