// Where a packet broke, from its copies in path order (paths-packets.ts):
//   sender   a checksum already bad (not partial) at the route's first point: the sending stack computed it;
//   offload  not bad at one point, bad at the next, the bytes it covers the same apart from the checksum field:
//            the device between the points (the sending NIC's offload) computed it wrongly;
//   path     the same, but the covered bytes changed between the points: corruption on the way;
//   lost     seen at a point of its route and not at the next one, which was capturing at the time (not for a
//            super-frame: the NIC sends it on as segments, which are other packets).
// Checks are compared level by level from the innermost (a vmNIC copy has no tunnel yet, its `tcp` is the
// `inner.tcp` of the encapsulated copy); outer levels only between copies of the same depth.

import { CHECK_KINDS, CHECK_NAMES, CK_IPV4, MAX_DEPTH, type VerdictName } from '../summary.ts';
import type { FrameIndex } from './frame-index.ts';
import { stops, type GlobalFrames, type Packets, type Points } from './paths-packets.ts';

export type PathCause = 'sender' | 'offload' | 'path' | 'lost';

/** One thing a packet's path shows. Points are ids in Points.list; copies global frame ids. */
export interface PacketEvent {
  /** null while a change to bad waits for its covered bytes to say offload or path. */
  cause: PathCause | null;
  /** The check (as the `to` copy names it; for lost: null). */
  check: string | null;
  /** -1 for sender (before the first point). */
  fromPoint: number;
  toPoint: number;
  /** The copy at fromPoint (-1 for sender) and at toPoint (-1 for lost). */
  from: number;
  to: number;
  /** Check slots in the `from` and `to` copies (-1 when none). */
  slotFrom: number;
  slotTo: number;
}

/** What evaluating a packet needs to know about the whole analysis. */
export interface PacketContext {
  frames: GlobalFrames;
  packets: Packets;
  points: Points;
  routeOf: (p: number) => number;
  routePaths: Map<number, number[]>;
  /** Corrected time of a global frame id (seconds on the first capture's clock; NaN without a time). */
  time: (g: number) => number;
  /** Corrected first and last time of each capture (what it was capturing). */
  coverFrom: Float64Array;
  coverTo: Float64Array;
  window: number;
}

/** Verdict of check `slot` of store index i, or null when the frame has no such check. */
export function verdictAt(e: FrameIndex, i: number, slot: number): VerdictName | null {
  const st = e.store;
  const bit = 1 << slot;
  if ((st.checkMaskOf(i) & bit) === 0) return null;
  if ((st.badMaskOf(i) & bit) !== 0) return 'bad';
  if ((st.partialMaskOf(i) & bit) !== 0) return 'partial';
  if ((st.zeroMaskOf(i) & bit) !== 0) return 'zero';
  if ((st.unverMaskOf(i) & bit) !== 0) return 'unverified';
  return 'good';
}

/** Every check of store index i with its verdict, by name. */
export function verdictsOf(e: FrameIndex, i: number): Record<string, VerdictName> {
  const out: Record<string, VerdictName> = {};
  const mask = e.store.checkMaskOf(i);
  for (let slot = 0; mask >>> slot !== 0; slot++) {
    if ((mask & (1 << slot)) === 0) continue;
    const v = verdictAt(e, i, slot);
    if (v !== null) out[CHECK_NAMES[slot]] = v;
  }
  return out;
}

function frameOf(ctx: PacketContext, g: number): { e: FrameIndex; i: number } {
  const c = ctx.frames.captureOf(g);
  return { e: ctx.frames.indexes[c], i: g - ctx.frames.base[c] };
}

const scratch = { ids: [] as number[], points: [] as number[] };

/** The events of packet p, appended to out; offload/path ones with cause null (see PacketEvent). */
export function evaluatePacket(ctx: PacketContext, p: number, out: PacketEvent[]): void {
  stops(ctx.packets, p, ctx.frames, ctx.points, scratch);
  const ids = scratch.ids, pts = scratch.points;
  const ref = ctx.routePaths.get(ctx.routeOf(p));
  if (ref !== undefined && ref.length >= 2) {
    if (pts[0] === ref[0]) {
      const { e, i } = frameOf(ctx, ids[0]);
      let bad = e.store.badMaskOf(i);
      while (bad !== 0) {
        const slot = 31 - Math.clz32(bad);
        bad &= ~(1 << slot);
        out.push({ cause: 'sender', check: CHECK_NAMES[slot], fromPoint: -1, toPoint: pts[0], from: -1, to: ids[0], slotFrom: -1, slotTo: slot });
      }
    }
    const last = pts.length - 1;
    const k = ref.indexOf(pts[last]);
    // A super-frame (TSO before the NIC, GRO after it) goes on as other packets: its segments have keys of their own.
    const end = frameOf(ctx, ids[last]);
    if (k >= 0 && k < ref.length - 1 && !end.e.isSuperframe(end.i)) {
      const next = ref[k + 1];
      const c = ctx.points.list[next].capture;
      const t = ctx.time(ids[last]);
      if (t >= ctx.coverFrom[c] && t + ctx.window <= ctx.coverTo[c]) {
        out.push({ cause: 'lost', check: null, fromPoint: pts[last], toPoint: next, from: ids[last], to: -1, slotFrom: -1, slotTo: -1 });
      }
    }
  }
  for (let j = 0; j + 1 < ids.length; j++) transitions(ctx, ids[j], pts[j], ids[j + 1], pts[j + 1], out);
}

/** Checks bad at copy b that were not bad (good, partial or zero) at copy a, the copy before it. */
function transitions(ctx: PacketContext, a: number, pa: number, b: number, pb: number, out: PacketEvent[]): void {
  const fa = frameOf(ctx, a), fb = frameOf(ctx, b);
  const top = MAX_DEPTH - 1;
  const da = Math.min(fa.e.store.depth[fa.i], top), db = Math.min(fb.e.store.depth[fb.i], top);
  let bad = fb.e.store.badMaskOf(fb.i);
  while (bad !== 0) {
    const slot = 31 - Math.clz32(bad);
    bad &= ~(1 << slot);
    const level = Math.floor(slot / CHECK_KINDS);
    const atA = da - (db - level);
    if (atA < 0) continue;
    const slotA = atA * CHECK_KINDS + (slot % CHECK_KINDS);
    const v = verdictAt(fa.e, fa.i, slotA);
    if (v === 'good' || v === 'partial' || v === 'zero') {
      out.push({ cause: null, check: CHECK_NAMES[slot], fromPoint: pa, toPoint: pb, from: a, to: b, slotFrom: slotA, slotTo: slot });
    }
  }
}

/** `inner TCP`, `IPv4 header`: a check name in words. */
export function checkWords(check: string): string {
  const slot = CHECK_NAMES.indexOf(check);
  if (slot < 0) return check;
  const kind = slot % CHECK_KINDS;
  const depth = Math.floor(slot / CHECK_KINDS);
  const name = kind === CK_IPV4 ? 'IPv4 header' : ['', 'TCP', 'UDP', 'GRE', 'ICMP', 'ICMPv6'][kind];
  return `${depth === 0 ? '' : depth === 1 ? 'inner ' : 'inner-inner '}${name}`;
}

/**
 * What a cause means, in words: for `count` packets of a tenant (null: plain traffic), or for one packet's path
 * (count null: no count, no tenant).
 */
export function causeText(cause: PathCause, count: number | null, from: string | null, to: string, tenant: string | null, check: string | null, window: number): string {
  const sum = check !== null ? `the ${checkWords(check)} checksum` : '';
  let text: string;
  switch (cause) {
    case 'sender':
      text = `${sum} was already bad at ${to}, the first point: the sending stack computed it`;
      break;
    case 'offload':
      text = `${sum} was good or partial at ${from} and bad at ${to}, the bytes it covers unchanged: the device between the points (the sending NIC's checksum offload) computed it wrongly`;
      break;
    case 'path':
      text = `${sum} was good or partial at ${from} and bad at ${to}, and the bytes it covers changed between the points: corrupted on the way`;
      break;
    case 'lost':
      text = `seen at ${from} and not at ${to} within ${window} s: lost between the points`;
      break;
  }
  if (count === null) return text.charAt(0).toUpperCase() + text.slice(1);
  return `${count} packet${count === 1 ? '' : 's'} of ${tenant ?? 'plain traffic'}: ${text}`;
}
