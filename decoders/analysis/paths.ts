// "Where did it break?": the same packets seen at several points. Given several loaded captures and a way to
// read their frames back, matches the copies of each packet (pktmon packet ids inside a capture; between
// captures the invariant key of paths-key.ts within a window around each pair's estimated clock offset,
// paths-match.ts), orders every packet's copies along its path and says where a checksum broke
// (paths-findings.ts): per cause, pair of consecutive points, tenant and check, with examples.
//
// Memory per frame: the key pass keeps 8 + 4 bytes (key, payload hash) and the times 8 while matching; the
// analysis keeps 8 (packet of each frame, packets' copies). Pure TypeScript: runs in the worker and the CLI.

import type { FrameBytesSource } from '../filter/runner.ts';
import { CHECK_NAMES } from '../summary.ts';
import type { VerdictName } from '../summary.ts';
import type { FrameIndex } from './frame-index.ts';
import { readBatch } from './read-batch.ts';
import { isoNanos } from './time.ts';
import { abortError, captureKeys } from './paths-key.ts';
import { estimateOffset, matchPair, sortByKey, type MatchSide, type OffsetMethod } from './paths-match.ts';
import { Folding, frameSeconds, type FoldedCounts } from './paths-fold.ts';
import { buildPackets, GlobalFrames, Points, routePaths, Unions, type Packets, type PathPoint } from './paths-packets.ts';
import { causeText, evaluatePacket, verdictsOf, type PacketContext, type PacketEvent, type PathCause } from './paths-findings.ts';
import { copyDiff, coverHash, type CopyBytes, type CopyDiff } from './paths-cover.ts';

export type { PathCause } from './paths-findings.ts';
export type { PathPoint } from './paths-packets.ts';
export type { CopyDiff, DiffRange } from './paths-cover.ts';
export type { FoldedCounts, FoldedTenant } from './paths-fold.ts';
export { Folding } from './paths-fold.ts';

/** One capture: its name (as findings name it), its loaded analysis and a reader of its frames' bytes. */
export interface PathInput {
  name: string;
  index: FrameIndex;
  /**
   * Frame bytes by file offset. Each pass of analyzePaths reads at ascending offsets (a forward-only reader that
   * can start over when asked for an earlier offset serves); pathOf and diff read single frames.
   */
  bytes: FrameBytesSource;
}

export interface PathProgress {
  phase: 'keys' | 'match' | 'verdicts';
  /** The capture being read (keys, verdicts), or -1. */
  capture: number;
  done: number;
  total: number;
}

export interface PathOptions {
  /** Seconds two copies may be apart once the clock offset is taken out (default 1). */
  window?: number;
  /** Examples kept per finding (default 10). */
  examples?: number;
  signal?: AbortSignal;
  onProgress?: (p: PathProgress) => void;
}

export const DEFAULT_WINDOW = 1;

/** Findings, counted per cause, pair of consecutive points, tenant and check. */
export interface PathFinding {
  cause: PathCause;
  /** Point labels; `from` is null for sender (before the first point). */
  from: string | null;
  to: string;
  /** Tenant key (`nvgre:5001`), null for plain traffic. */
  tenant: string | null;
  /** Check name (`inner.tcp`); null for lost. */
  check: string | null;
  /** Packets. */
  count: number;
  /** [capture name, frame number]: the copy where it is bad (sender, offload, path) or last seen (lost). */
  examples: Array<[string, number]>;
  text: string;
}

export interface CaptureOffset {
  capture: string;
  /** How far this capture's clock is ahead of the first capture's, in seconds; null when no copy links them. */
  seconds: number | null;
  method: OffsetMethod | 'reference';
  /** The capture the estimate was made against (null for the first). */
  against: string | null;
  samples: number;
}

export interface CapturePair {
  a: string;
  b: string;
  /** Copies matched between the two. */
  matched: number;
  /** Clock offset of b against a (seconds) and how it was estimated. */
  seconds: number;
  method: OffsetMethod;
  samples: number;
}

/** The CLI's `--paths` output. */
export interface PathsJson {
  captures: string[];
  window: number;
  /** Packets in all (copies of one packet count once). */
  packets: number;
  /** Packets seen in two captures or more. */
  matched: number;
  /** Per capture: packets seen in it alone. */
  unmatched: Record<string, number>;
  points: Array<{ point: string; capture: string; interface: string | null }>;
  offsets: CaptureOffset[];
  pairs: CapturePair[];
  /** Per capture: frames that are copies of a packet shown at a later point of it (pktmon packet ids). */
  folded: Record<string, number>;
  /** Changes to bad whose covered bytes could not be compared (missing bytes, a reassembled datagram). */
  undetermined: number;
  findings: PathFinding[];
}

/** One copy on a packet's path (PathAnalysis.pathOf). */
export interface PathStop {
  capture: number;
  captureName: string;
  frame: number;
  point: string;
  interfaceName: string | null;
  /** The frame's time as captured (its own clock), ISO 8601; null without one. */
  time: string | null;
  /** Seconds since the packet's first copy, clock offsets taken out; null without a time. */
  sinceFirst: number | null;
  sincePrevious: number | null;
  checks: Record<string, VerdictName>;
  /** A copy shown at a later point of its capture when folded (pktmon). */
  folded: boolean;
}

/** A finding of one packet: stops are indices in PacketPath.stops. */
export interface StopFinding {
  cause: PathCause;
  check: string | null;
  fromStop: number | null;
  toStop: number | null;
  from: string | null;
  to: string;
  text: string;
}

export interface PacketPath {
  packet: number;
  tenant: string | null;
  /** Every copy in path order (copies at one point included). */
  stops: PathStop[];
  findings: StopFinding[];
}

interface CaptureState {
  name: string;
  e: FrameIndex;
  src: FrameBytesSource;
  folding: Folding;
  n: number;
}

export class PathAnalysis {
  readonly window: number;
  readonly points: readonly PathPoint[];
  readonly offsets: readonly CaptureOffset[];
  readonly pairs: readonly CapturePair[];
  readonly findings: readonly PathFinding[];
  readonly undetermined: number;
  private readonly ctx: PacketContext;

  /** Use analyzePaths. */
  constructor(
    private readonly caps: readonly CaptureState[],
    private readonly frames: GlobalFrames,
    private readonly packets: Packets,
    private readonly pts: Points,
    ctx: PacketContext,
    parts: { offsets: CaptureOffset[]; pairs: CapturePair[]; findings: PathFinding[]; undetermined: number },
  ) {
    this.window = ctx.window;
    this.ctx = ctx;
    this.points = pts.list;
    this.offsets = parts.offsets;
    this.pairs = parts.pairs;
    this.findings = parts.findings;
    this.undetermined = parts.undetermined;
  }

  get captureNames(): string[] {
    return this.caps.map((c) => c.name);
  }

  /** Packets in all. */
  get packetCount(): number {
    return this.packets.count;
  }

  /** The folding view of capture c (pktmon copies by packet id). */
  folding(c: number): Folding {
    return this.capture(c).folding;
  }

  /** Counts of capture c with each packet once (its copies folded). */
  foldedCounts(c: number): FoldedCounts {
    return this.capture(c).folding.counts();
  }

  /** The packet of frame n of capture c. */
  packetOf(c: number, n: number): number {
    const i = this.capture(c).e.checkFrame(n);
    if (i >= this.caps[c].n) throw new RangeError(`frame ${n} of ${this.caps[c].name} was not settled when the paths were analysed`);
    return this.packets.packetOf[this.frames.base[c] + i];
  }

  /** Every copy of packet p as [capture, frame number], in path order. */
  copies(p: number): Array<[number, number]> {
    const pk = this.packets;
    if (!Number.isInteger(p) || p < 0 || p >= pk.count) throw new RangeError(`no packet ${p}`);
    const out: Array<[number, number]> = [];
    for (let m = pk.start[p]; m < pk.start[p + 1]; m++) {
      const g = pk.members[m];
      const c = this.frames.captureOf(g);
      out.push([c, g - this.frames.base[c] + 1]);
    }
    return out;
  }

  /** The path of the packet frame n of capture c belongs to: every copy, times between them, verdicts, findings. */
  async pathOf(c: number, n: number): Promise<PacketPath> {
    const p = this.packetOf(c, n);
    const pk = this.packets;
    const stopsOut: PathStop[] = [];
    const indexOfGid = new Map<number, number>();
    let t0 = NaN, prev = NaN;
    for (let m = pk.start[p]; m < pk.start[p + 1]; m++) {
      const g = pk.members[m];
      const cc = this.frames.captureOf(g);
      const cap = this.caps[cc];
      const i = g - this.frames.base[cc];
      const st = cap.e.store;
      const pt = this.pts.list[this.pts.of(cc, i)];
      const t = this.ctx.time(g);
      if (t0 !== t0) t0 = t;
      indexOfGid.set(g, stopsOut.length);
      stopsOut.push({
        capture: cc, captureName: cap.name, frame: i + 1, point: pt.label, interfaceName: pt.interfaceName,
        time: st.hasTimeOf(i) ? isoNanos(st.secOf(i), st.nsecOf(i)) : null,
        sinceFirst: t === t && t0 === t0 ? t - t0 : null,
        sincePrevious: t === t && prev === prev ? t - prev : null,
        checks: verdictsOf(cap.e, i),
        folded: cap.folding.folded[i] === 1,
      });
      if (t === t) prev = t;
    }
    const events: PacketEvent[] = [];
    evaluatePacket(this.ctx, p, events);
    const hashes = new Map<number, number>();
    for (const ev of events) {
      if (ev.cause !== null) continue;
      for (const [g, slot] of [[ev.from, ev.slotFrom], [ev.to, ev.slotTo]]) {
        const cc = this.frames.captureOf(g);
        hashes.set(g * 32 + slot, coverHash(await this.copyBytes(cc, g - this.frames.base[cc] + 1), CHECK_NAMES[slot]));
      }
    }
    const tenant = this.tenantOf(p);
    const findings: StopFinding[] = [];
    for (const ev of events) {
      const cause = ev.cause ?? classify(ev, hashes);
      if (cause === null) continue;
      const from = ev.fromPoint >= 0 ? this.pts.list[ev.fromPoint].label : null;
      const to = this.pts.list[ev.toPoint].label;
      findings.push({
        cause, check: ev.check, from, to,
        fromStop: ev.from >= 0 ? indexOfGid.get(ev.from) ?? null : null,
        toStop: ev.to >= 0 ? indexOfGid.get(ev.to) ?? null : null,
        text: causeText(cause, null, from, to, tenant, ev.check, this.window),
      });
    }
    return { packet: p, tenant, stops: stopsOut, findings };
  }

  /** The byte diff of two copies (capture, frame number each). */
  async diff(ca: number, na: number, cb: number, nb: number): Promise<CopyDiff> {
    return copyDiff(await this.copyBytes(ca, na), await this.copyBytes(cb, nb));
  }

  /** The tenant key of packet p: of its first copy that has one. */
  tenantOf(p: number): string | null {
    const pk = this.packets;
    for (let m = pk.start[p]; m < pk.start[p + 1]; m++) {
      const g = pk.members[m];
      const c = this.frames.captureOf(g);
      const e = this.caps[c].e;
      const t = e.store.tenant[g - this.frames.base[c]];
      if (t >= 0) return e.tenants.key(t);
    }
    return null;
  }

  toJson(): PathsJson {
    const names = this.captureNames;
    const unmatched: Record<string, number> = {};
    const folded: Record<string, number> = {};
    for (const c of this.caps) {
      unmatched[c.name] = 0;
      let f = 0;
      for (let i = 0; i < c.n; i++) f += c.folding.folded[i];
      folded[c.name] = f;
    }
    let matched = 0;
    const pk = this.packets;
    for (let p = 0; p < pk.count; p++) {
      const first = this.frames.captureOf(pk.members[pk.start[p]]);
      let many = false;
      for (let m = pk.start[p] + 1; m < pk.start[p + 1] && !many; m++) many = this.frames.captureOf(pk.members[m]) !== first;
      if (many) matched++;
      else unmatched[names[first]]++;
    }
    return {
      captures: names,
      window: this.window,
      packets: pk.count,
      matched,
      unmatched,
      points: this.points.map((p) => ({ point: p.label, capture: names[p.capture], interface: p.interfaceName })),
      offsets: [...this.offsets],
      pairs: [...this.pairs],
      folded,
      undetermined: this.undetermined,
      findings: [...this.findings],
    };
  }

  private capture(c: number): CaptureState {
    const cap = this.caps[c];
    if (cap === undefined) throw new RangeError(`no capture ${c}: there are ${this.caps.length}`);
    return cap;
  }

  private async copyBytes(c: number, n: number): Promise<CopyBytes> {
    const cap = this.capture(c);
    const loc = cap.e.frameLocation(n);
    const bytes = await cap.src.read(loc.offset, loc.caplen);
    return { bytes: bytes.subarray(0, Math.min(bytes.length, loc.caplen)), origlen: loc.origlen, linktype: loc.linktype };
  }
}

/** Offload when the covered bytes are the same apart from the checksum field, path when not; null: unknown. */
function classify(ev: PacketEvent, hashes: ReadonlyMap<number, number>): PathCause | null {
  const a = hashes.get(ev.from * 32 + ev.slotFrom) ?? NaN, b = hashes.get(ev.to * 32 + ev.slotTo) ?? NaN;
  if (a !== a || b !== b) return null;
  return a === b ? 'offload' : 'path';
}

/** Names as given, made unique (a second `x.pcapng` becomes `x.pcapng (2)`). */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n} (${k})`;
  });
}

/** Which frames of a capture take part in matching between captures: all but copies whose key a later copy repeats. */
function participants(f: Folding, key: Float64Array): Uint8Array {
  const take = new Uint8Array(key.length).fill(1);
  const g = f.groups;
  for (let k = 0; k < g.count; k++) {
    const seen = new Set<number>();
    for (let m = g.start[k + 1] - 1; m >= g.start[k]; m--) {
      const i = g.members[m];
      if (seen.has(key[i])) take[i] = 0;
      seen.add(key[i]);
    }
  }
  return take;
}

/** Clock offsets against the first capture along the pairs with the most samples (a maximum spanning tree). */
function captureOffsets(names: readonly string[], pairs: readonly CapturePair[]): CaptureOffset[] {
  const out: CaptureOffset[] = names.map((capture, c) => ({
    capture, seconds: c === 0 ? 0 : null, method: c === 0 ? 'reference' : 'none', against: null, samples: 0,
  }));
  const idx = new Map(names.map((n, c) => [n, c]));
  for (;;) {
    let best: CapturePair | null = null;
    for (const p of pairs) {
      if (p.method === 'none') continue;
      const a = out[idx.get(p.a) as number], b = out[idx.get(p.b) as number];
      if ((a.seconds === null) === (b.seconds === null)) continue;
      if (best === null || p.samples > best.samples) best = p;
    }
    if (best === null) return out;
    const a = out[idx.get(best.a) as number], b = out[idx.get(best.b) as number];
    if (b.seconds === null) Object.assign(b, { seconds: (a.seconds as number) + best.seconds, method: best.method, against: best.a, samples: best.samples });
    else Object.assign(a, { seconds: b.seconds - best.seconds, method: best.method, against: best.b, samples: best.samples });
  }
}

/** Matches the copies of the captures' packets and says where they broke (see the head of this file). */
export async function analyzePaths(inputs: readonly PathInput[], opts: PathOptions = {}): Promise<PathAnalysis> {
  if (inputs.length === 0) throw new Error('no captures to compare');
  const window = opts.window ?? DEFAULT_WINDOW;
  if (!(window > 0) || !Number.isFinite(window)) throw new RangeError(`the window must be a positive number of seconds, not ${window}`);
  const maxExamples = opts.examples ?? 10;
  const names = uniqueNames(inputs.map((x) => x.name));
  const caps: CaptureState[] = inputs.map((x, c) => ({ name: names[c], e: x.index, src: x.bytes, folding: new Folding(x.index), n: x.index.settledCount }));
  let base = Infinity;
  for (const c of caps) if (c.e.minSec < base) base = c.e.minSec;
  if (base === Infinity) base = 0;

  // Keys, times and the frames that take part, per capture.
  const sides: MatchSide[] = [];
  for (let c = 0; c < caps.length; c++) {
    const cap = caps[c];
    const keys = await captureKeys(cap.e, cap.src, {
      signal: opts.signal, onProgress: (done, total) => opts.onProgress?.({ phase: 'keys', capture: c, done, total }),
    });
    const times = new Float64Array(cap.n);
    for (let i = 0; i < cap.n; i++) times[i] = frameSeconds(cap.e, i, base);
    sides.push({ e: cap.e, keys, times, ord: sortByKey(keys, times, participants(cap.folding, keys.key)) });
  }

  const frames = new GlobalFrames(caps.map((c) => c.e), caps.map((c) => c.n));
  const unions = new Unions(frames.total);
  const pairs: CapturePair[] = [];
  const pairCount = (caps.length * (caps.length - 1)) / 2;
  for (let x = 0; x < caps.length; x++) {
    for (let y = x + 1; y < caps.length; y++) {
      if (opts.signal?.aborted) throw abortError();
      const off = estimateOffset(sides[x], sides[y], window);
      const m = matchPair(sides[x], sides[y], off.skew, window);
      for (let k = 0; k < m.x.length; k++) unions.union(frames.base[x] + m.x[k], frames.base[y] + m.y[k]);
      pairs.push({ a: names[x], b: names[y], matched: m.x.length, seconds: off.skew, method: off.method, samples: off.samples });
      opts.onProgress?.({ phase: 'match', capture: -1, done: pairs.length, total: pairCount });
    }
  }
  for (let c = 0; c < caps.length; c++) {
    const g = caps[c].folding.groups;
    for (let k = 0; k < g.count; k++) {
      for (let m = g.start[k] + 1; m < g.start[k + 1]; m++) unions.union(frames.base[c] + g.members[g.start[k]], frames.base[c] + g.members[m]);
    }
  }

  const offsets = captureOffsets(names, pairs);
  const shift = Float64Array.from(offsets, (o) => o.seconds ?? 0);
  const time = (g: number): number => {
    const c = frames.captureOf(g);
    return sides[c].times[g - frames.base[c]] - shift[c];
  };
  const packets = buildPackets(unions, frames, time);
  const pts = new Points(names, caps.map((c) => c.e));
  const routes = routePaths(packets, frames, pts);
  const coverFrom = new Float64Array(caps.length), coverTo = new Float64Array(caps.length);
  for (let c = 0; c < caps.length; c++) {
    const e = caps[c].e;
    coverFrom[c] = Number.isNaN(e.minSec) ? NaN : (e.minSec - base) + e.minNsec / 1e9 - shift[c];
    coverTo[c] = Number.isNaN(e.maxSec) ? NaN : (e.maxSec - base) + e.maxNsec / 1e9 - shift[c];
  }
  // The matching arrays are done with: only the times stay (in `time`), as long as the analysis lives.
  for (const s of sides) { s.keys = { key: new Float64Array(0), payload: new Int32Array(0) }; s.ord = new Int32Array(0); }
  const ctx: PacketContext = { frames, packets, points: pts, routeOf: routes.routeOf, routePaths: routes.paths, time, coverFrom, coverTo, window };

  const events: PacketEvent[] = [];
  const owner: number[] = [];
  for (let p = 0; p < packets.count; p++) {
    const before = events.length;
    evaluatePacket(ctx, p, events);
    for (let k = before; k < events.length; k++) owner.push(p);
  }
  const hashes = await coverHashes(caps, frames, events, opts);

  const groups = new Map<string, PathFinding>();
  let undetermined = 0;
  for (let k = 0; k < events.length; k++) {
    const ev = events[k];
    const cause = ev.cause ?? classify(ev, hashes);
    if (cause === null) { undetermined++; continue; }
    const from = ev.fromPoint >= 0 ? pts.list[ev.fromPoint].label : null;
    const to = pts.list[ev.toPoint].label;
    const tenant = tenantKey(caps, frames, packets, owner[k]);
    const id = `${cause}\0${from}\0${to}\0${tenant}\0${ev.check}`;
    let f = groups.get(id);
    if (f === undefined) groups.set(id, f = { cause, from, to, tenant, check: ev.check, count: 0, examples: [], text: '' });
    f.count++;
    const ex = cause === 'lost' ? ev.from : ev.to;
    if (f.examples.length < maxExamples) {
      const c = frames.captureOf(ex);
      f.examples.push([names[c], ex - frames.base[c] + 1]);
    }
  }
  const order: Record<PathCause, number> = { sender: 0, offload: 1, path: 2, lost: 3 };
  const findings = [...groups.values()].sort((a, b) => b.count - a.count || order[a.cause] - order[b.cause]
    || cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.tenant, b.tenant) || cmp(a.check, b.check));
  for (const f of findings) f.text = causeText(f.cause, f.count, f.from, f.to, f.tenant, f.check, window);
  return new PathAnalysis(caps, frames, packets, pts, ctx, { offsets, pairs, findings, undetermined });
}

function cmp(a: string | null, b: string | null): number {
  const x = a ?? '', y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function tenantKey(caps: readonly CaptureState[], frames: GlobalFrames, pk: Packets, p: number): string | null {
  for (let m = pk.start[p]; m < pk.start[p + 1]; m++) {
    const g = pk.members[m];
    const c = frames.captureOf(g);
    const t = caps[c].e.store.tenant[g - frames.base[c]];
    if (t >= 0) return caps[c].e.tenants.key(t);
  }
  return null;
}

/** The covered-bytes hashes the undecided events need, reading those frames capture by capture in file order. */
async function coverHashes(caps: readonly CaptureState[], frames: GlobalFrames, events: readonly PacketEvent[], opts: PathOptions): Promise<Map<number, number>> {
  const want = caps.map(() => new Map<number, number>());
  for (const ev of events) {
    if (ev.cause !== null) continue;
    for (const [g, slot] of [[ev.from, ev.slotFrom], [ev.to, ev.slotTo]]) {
      const c = frames.captureOf(g);
      const i = g - frames.base[c];
      want[c].set(i, (want[c].get(i) ?? 0) | (1 << slot));
    }
  }
  const out = new Map<number, number>();
  for (let c = 0; c < caps.length; c++) {
    const list = Int32Array.from(want[c].keys()).sort();
    const { e, src } = caps[c];
    const st = e.store;
    let k = 0;
    while (k < list.length) {
      if (opts.signal?.aborted) throw abortError();
      const { end, start, stop } = readBatch(st, list, k, 0, 64 << 10, 4 << 20);
      const buf = await src.read(start, stop - start);
      for (let m = k; m < end; m++) {
        const i = list[m];
        const o = st.offsetOf(i) - start;
        const copy: CopyBytes = { bytes: buf.subarray(o, Math.min(buf.length, o + st.caplen[i])), origlen: st.origlen[i], linktype: st.linktype[i] };
        let slots = want[c].get(i) ?? 0;
        while (slots !== 0) {
          const slot = 31 - Math.clz32(slots);
          slots &= ~(1 << slot);
          out.set((frames.base[c] + i) * 32 + slot, coverHash(copy, CHECK_NAMES[slot]));
        }
      }
      k = end;
      opts.onProgress?.({ phase: 'verdicts', capture: c, done: k, total: list.length });
    }
  }
  return out;
}

