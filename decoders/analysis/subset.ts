// The CLI summary over a subset of the frames (a display filter's matches), computed by scanning the
// frame index: the same shape as summaryJson, with `frames`, `bytes`, times, tenants, checks and
// `flagged` counting matching frames only, plus the filter and the total frame count.

import { CHECK_NAMES, CHECK_SLOTS, V_BAD, V_GOOD, V_PARTIAL, V_UNVERIFIED, V_ZERO } from '../summary.ts';
import type { FrameIndex } from './frame-index.ts';
import { isoNanos } from './time.ts';
import { MtuTally } from './mtu.ts';
import { retransmittedByTenant, tenantRetransmitted } from './retransmitted.ts';
import type { CaptureSummaryJson, MtuFinding, VerdictCounts } from './types.ts';
import { hostJson, subsetHosts } from './hosts.ts';

export interface FilteredSummaryJson extends CaptureSummaryJson {
  /** The display filter the figures are restricted to. */
  filter: string;
  /** Frames in the capture (`frames` counts the matching ones). */
  totalFrames: number;
}

/** `match[i] === 1` selects store index i. The engine must retain its frames. */
export function subsetSummaryJson(e: FrameIndex, file: string, filter: string, match: Uint8Array): FilteredSummaryJson {
  const st = e.store;
  const t = e.tenants;
  const tf = new Float64Array(t.count), tb = new Float64Array(t.count), tbad = new Float64Array(t.count), tpart = new Float64Array(t.count);
  const tflows = Array.from({ length: t.count }, () => new Set<number>());
  const counts = new Float64Array(CHECK_SLOTS * 6);
  const noChecksum = new Float64Array(CHECK_SLOTS);
  const flagged: number[] = [];
  let frames = 0, bytes = 0;
  let minS = NaN, minN = 0, maxS = NaN, maxN = 0;
  for (let i = 0; i < st.count; i++) {
    if (match[i] !== 1) continue;
    frames++;
    bytes += st.caplen[i];
    if (st.hasTimeOf(i)) {
      const s = st.secOf(i), n = st.nsecOf(i);
      if (Number.isNaN(minS) || s < minS || (s === minS && n < minN)) { minS = s; minN = n; }
      if (Number.isNaN(maxS) || s > maxS || (s === maxS && n > maxN)) { maxS = s; maxN = n; }
    }
    const bad = st.badMaskOf(i) !== 0, partial = st.partialMaskOf(i) !== 0;
    if (bad) flagged.push(i + 1);
    const id = st.tenant[i];
    if (id >= 0) {
      tf[id]++;
      tb[id] += st.caplen[i];
      if (bad) tbad[id]++;
      if (partial) tpart[id]++;
      if (st.flow[i] >= 0) tflows[id].add(st.flow[i]);
    }
    let m = st.checkMaskOf(i);
    while (m !== 0) {
      const slot = 31 - Math.clz32(m);
      const bit = 1 << slot;
      m &= ~bit;
      const v = (st.badMaskOf(i) & bit) !== 0 ? V_BAD : (st.partialMaskOf(i) & bit) !== 0 ? V_PARTIAL
        : (st.zeroMaskOf(i) & bit) !== 0 ? V_ZERO : (st.unverMaskOf(i) & bit) !== 0 ? V_UNVERIFIED : V_GOOD;
      counts[slot * 6 + v]++;
      if (v === V_ZERO && e.benignZero(i, slot)) noChecksum[slot]++;
    }
  }
  const checks: Record<string, VerdictCounts> = {};
  for (let slot = 0; slot < CHECK_SLOTS; slot++) {
    const k = slot * 6;
    const c = {
      good: counts[k + V_GOOD], bad: counts[k + V_BAD], partial: counts[k + V_PARTIAL], zero: counts[k + V_ZERO], unverified: counts[k + V_UNVERIFIED],
      noChecksum: noChecksum[slot],
    };
    if (c.good + c.bad + c.partial + c.zero + c.unverified > 0) checks[CHECK_NAMES[slot]] = c;
  }
  const r = e.result;
  const retx = retransmittedByTenant(e, match);
  return {
    file,
    format: r?.format ?? 'pcap',
    frames,
    bytes,
    firstTime: Number.isNaN(minS) ? null : isoNanos(minS, minN),
    lastTime: Number.isNaN(maxS) ? null : isoNanos(maxS, maxN),
    tenants: t.sortedIds().filter((id) => tf[id] > 0).map((id) => ({
      encap: t.encapName(id), vnid: t.vnidOrNull(id), frames: tf[id], bytes: tb[id], flows: tflows[id].size, bad: tbad[id], partial: tpart[id],
      retransmitted: tenantRetransmitted(retx, id),
    })),
    checks,
    flagged,
    warnings: r ? [...r.warnings, ...(r.error ? [r.error] : [])] : [],
    fragments: subsetFragments(e, match),
    mtu: subsetMtu(e, match),
    hosts: subsetHosts(e, match).map(hostJson),
    filter,
    totalFrames: e.frames,
  };
}

/**
 * The MTU diagnosis of the datagrams with a fragment among the selected frames (each counted whole, as in
 * `fragments`) and of the ICMP messages selected.
 */
function subsetMtu(e: FrameIndex, match: Uint8Array): MtuFinding[] {
  const f = e.fragments;
  const t = new MtuTally();
  const seen = new Set<number>();
  for (const [n, ids] of f.byFrame) {
    if (match[n - 1] !== 1) continue;
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      const o = f.records[id].mtu;
      if (o !== null) t.addDatagram(o);
    }
  }
  for (const x of f.mtu.icmpLog) if (match[x.n - 1] === 1) t.addIcmpEntry(x);
  return t.report();
}

/** The fragment frames the filter selects, and the datagrams they belong to (complete or not). */
function subsetFragments(e: FrameIndex, match: Uint8Array): FilteredSummaryJson['fragments'] {
  const f = e.fragments;
  let frames = 0;
  const datagrams = new Set<number>();
  let incomplete = 0;
  for (const [n, ids] of f.byFrame) {
    if (match[n - 1] !== 1) continue;
    frames++;
    for (const id of ids) {
      if (datagrams.has(id)) continue;
      datagrams.add(id);
      if (f.records[id].completedIn < 0) incomplete++;
    }
  }
  return { frames, datagrams: datagrams.size, incomplete };
}
