// Aggregate views over an analysis (FrameIndex): tenants, flows, the offload report, checksum counts,
// time series, and the CLI's JSON shapes.
import {
  CHECK_NAMES, CHECK_SLOTS, V_BAD, V_GOOD, V_PARTIAL, V_UNVERIFIED, V_ZERO,
} from '../summary.ts';
import type { EncapName, VerdictName } from '../summary.ts';
import type { FrameIndex } from './frame-index.ts';
import type { FoldedCounts } from './paths-fold.ts';
import { encapName } from '../layers/index.ts';
import { retransmittedByTenant, tenantRetransmitted } from './retransmitted.ts';
import { isoNanos } from './time.ts';
import { OffloadTally } from './offload-tally.ts';
import { hostJson, hostStats } from './hosts.ts';
import { direction } from './frame-meta.ts';
import type {
  CaptureSummaryJson, FlowStats, FrameJson, OffloadReport, TenantStats, TimeSeries, VerdictCounts,
} from './types.ts';

export const VERDICT_EXPLANATIONS: OffloadReport['explanations'] = {
  bad: 'bad: the checksum does not match the data: computed wrongly (a NIC offload bug) or the bytes were corrupted. Frames with a bad checksum are the flagged frames (Export, Share, the CLI).',
  partial: 'partial: the field holds only the pseudo-header sum: captured on the sending host before its NIC filled the checksum in.',
  zero: 'zero: the field is 0 where a checksum is required (IPv4 header, TCP, ICMP, GRE, UDP over IPv6): it was never filled in (offload pending or disabled).',
  noChecksum: 'no checksum: a UDP checksum of 0 over IPv4 means "no checksum" (RFC 768; RFC 7348 recommends it for VXLAN, RFC 8926 allows it for Geneve): allowed, no finding.',
  unverified: 'unverified: bytes are missing (snaplen truncation) or the packet is an IP fragment, so it cannot be checked.',
};

const PROTO_TEXT: Record<number, string> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6', 47: 'gre', 132: 'sctp' };

export function protoText(p: number): string {
  return PROTO_TEXT[p] ?? String(p);
}

/**
 * Per tenant. With `folded` (a pktmon capture's copies folded, Folding.counts), frames, bytes, bad and partial
 * count each packet once, as its shown copy says; flows, times and retransmissions are the same either way.
 */
export function tenantStats(e: FrameIndex, folded: FoldedCounts | null = null): TenantStats[] {
  const t = e.tenants;
  const retx = retransmittedByTenant(e);
  const per = folded === null ? null : new Map(folded.tenants.map((f) => [f.key, f]));
  return t.sortedIds().map((id) => {
    const key = t.key(id);
    const f = per?.get(key);
    return {
      key,
      encap: t.encapName(id),
      vnid: t.vnidOrNull(id),
      frames: per === null ? t.frames[id] : f?.packets ?? 0,
      bytes: per === null ? t.bytes[id] : f?.bytes ?? 0,
      flows: t.flows[id],
      bad: per === null ? t.bad[id] : f?.bad ?? 0,
      partial: per === null ? t.partial[id] : f?.partial ?? 0,
      firstTime: t.hasTime[id] ? isoNanos(t.firstSec[id], t.firstNsec[id]) : null,
      lastTime: t.hasTime[id] ? isoNanos(t.lastSec[id], t.lastNsec[id]) : null,
      retransmitted: tenantRetransmitted(retx, id),
    };
  });
}

/** Flows of one tenant (key), of untunnelled traffic (''), or of everything (null). Largest first. */
export function flowStats(e: FrameIndex, tenantKey: string | null): FlowStats[] {
  const f = e.flows;
  const want = tenantKey === null ? -2 : tenantKey === '' ? -1 : e.tenants.idOfKey(tenantKey);
  const out: FlowStats[] = [];
  for (let id = 0; id < f.count; id++) {
    const t = f.tenant(id);
    if (want !== -2 && t !== want) continue;
    const ap = f.portA(id), bp = f.portB(id);
    out.push({
      tenant: t >= 0 ? e.tenants.key(t) : null,
      proto: protoText(f.proto(id)),
      a: e.addrs.text(f.addrA(id)),
      aPort: ap >= 0 ? ap : null,
      b: e.addrs.text(f.addrB(id)),
      bPort: bp >= 0 ? bp : null,
      frames: f.frames[id],
      bytes: f.bytes[id],
      bad: f.bad[id],
      partial: f.partial[id],
      firstFrame: f.firstFrame[id],
      lastFrame: f.lastFrame[id],
    });
  }
  return out.sort((x, y) => y.bytes - x.bytes || x.firstFrame - y.firstFrame);
}

export function checkCounts(e: FrameIndex): Record<string, VerdictCounts> {
  const out: Record<string, VerdictCounts> = {};
  for (let slot = 0; slot < CHECK_SLOTS; slot++) {
    const c = e.checkCounts;
    const k = slot * 6;
    const total = c[k + V_GOOD] + c[k + V_BAD] + c[k + V_PARTIAL] + c[k + V_ZERO] + c[k + V_UNVERIFIED];
    if (total === 0) continue;
    out[CHECK_NAMES[slot]] = {
      good: c[k + V_GOOD], bad: c[k + V_BAD], partial: c[k + V_PARTIAL], zero: c[k + V_ZERO], unverified: c[k + V_UNVERIFIED],
      noChecksum: e.noChecksumCounts[slot],
    };
  }
  return out;
}

/** Frame numbers (ascending) with at least one bad verdict. */
export function flaggedFrames(e: FrameIndex): number[] {
  return e.flagged.slice();
}

/**
 * Checksum findings (bad, partial, a zero that matters) grouped by check, verdict and the outer source
 * address (the sending host or NIC), counted afresh over every frame (Engine.offload() keeps the same
 * report up to date instead).
 */
export function offloadReport(e: FrameIndex, sampleSize = 10): OffloadReport {
  const t = new OffloadTally(sampleSize);
  t.update(e);
  return tallyReport(t);
}

export function tallyReport(t: OffloadTally): OffloadReport {
  return { groups: t.report(), frames: t.frameCounts(), noChecksum: t.noChecksumCount(), capture: t.captureCounts(), explanations: VERDICT_EXPLANATIONS };
}

const NICE_STEPS = [1e-6, 1e-5, 1e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];

/** Bytes per tenant over time (top tenants by bytes, the rest as `other`), bad and partial per bucket. */
export function timeSeries(e: FrameIndex, maxBuckets: number, topTenants: number): TimeSeries {
  const st = e.store;
  const t = e.tenants;
  const top = t.sortedIds().sort((a, b) => t.bytes[b] - t.bytes[a]).slice(0, Math.max(0, topTenants));
  const series = top.map((id) => t.key(id));
  const count = e.settledCount;
  const hasOther = t.count > top.length || count > 0 && top.reduce((n, id) => n + t.frames[id], 0) < count;
  if (hasOther) series.push('other');
  if (Number.isNaN(e.minSec)) return { bucketSec: 1, startSec: 0, startTime: null, series, buckets: [] };
  const span = (e.maxSec - e.minSec) + (e.maxNsec - e.minNsec) / 1e9;
  const want = span / Math.max(1, maxBuckets);
  const bucketSec = NICE_STEPS.find((s) => s >= want) ?? Math.ceil(want / 86400) * 86400;
  const n = Math.min(maxBuckets, Math.floor(span / bucketSec) + 1);
  const seriesOf = new Int32Array(t.count).fill(-1);
  top.forEach((id, k) => { seriesOf[id] = k; });
  const other = hasOther ? series.length - 1 : -1;
  const bytes = Array.from({ length: series.length }, () => new Float64Array(n));
  const bad = new Float64Array(n), partial = new Float64Array(n);
  for (let i = 0; i < count; i++) {
    if (!st.hasTimeOf(i)) continue;
    const dt = (st.secOf(i) - e.minSec) + (st.nsecOf(i) - e.minNsec) / 1e9;
    const b = Math.min(n - 1, Math.max(0, Math.floor(dt / bucketSec)));
    const tenant = st.tenant[i];
    const k = tenant >= 0 && seriesOf[tenant] >= 0 ? seriesOf[tenant] : other;
    if (k >= 0) bytes[k][b] += st.caplen[i];
    if (st.badMaskOf(i)) bad[b]++;
    if (st.partialMaskOf(i)) partial[b]++;
  }
  const buckets = Array.from({ length: n }, (_, b) => {
    const rec: Record<string, number> = {};
    series.forEach((key, k) => { rec[key] = bytes[k][b]; });
    return { t: b * bucketSec, bytes: rec, bad: bad[b], partial: partial[b] };
  });
  return { bucketSec, startSec: e.minSec + e.minNsec / 1e9, startTime: e.firstTime(), series, buckets };
}

export function summaryJson(e: FrameIndex, file: string): CaptureSummaryJson {
  const r = e.result;
  const warnings = r ? [...r.warnings, ...(r.error ? [r.error] : [])] : [];
  return {
    file,
    format: r?.format ?? 'pcap',
    frames: e.frames,
    bytes: e.totalBytes,
    firstTime: e.firstTime(),
    lastTime: e.lastTime(),
    tenants: tenantStats(e).map(({ encap, vnid, frames, bytes, flows, bad, partial, retransmitted }) => ({ encap, vnid, frames, bytes, flows, bad, partial, retransmitted })),
    checks: checkCounts(e),
    flagged: flaggedFrames(e),
    warnings,
    fragments: { frames: e.fragments.frames, datagrams: e.fragments.completed + e.fragments.incomplete, incomplete: e.fragments.incomplete },
    mtu: e.mtu(),
    hosts: hostStats(e).map(hostJson),
  };
}

const VERDICT_BY_MASK: Array<[keyof Pick<FrameIndex['store'], 'badMaskOf' | 'partialMaskOf' | 'zeroMaskOf' | 'unverMaskOf'>, VerdictName]> = [
  ['badMaskOf', 'bad'], ['partialMaskOf', 'partial'], ['zeroMaskOf', 'zero'], ['unverMaskOf', 'unverified'],
];

/** Frame at store index i as the --frames NDJSON object; n defaults to i + 1 (store retains all frames). */
export function frameJson(e: FrameIndex, i: number, n = i + 1): FrameJson {
  const st = e.store;
  const tenant = st.tenant[i];
  const checks: Record<string, VerdictName> = {};
  for (let slot = 0; slot < CHECK_SLOTS; slot++) {
    const bit = 1 << slot;
    if ((st.checkMaskOf(i) & bit) === 0) continue;
    let v: VerdictName = 'good';
    for (const [col, name] of VERDICT_BY_MASK) if (st[col](i) & bit) { v = name; break; }
    checks[CHECK_NAMES[slot]] = v;
  }
  // An IP fragment's tenant is its datagram's, whatever headers the fragment itself carries.
  const encap = tenant >= 0 ? e.tenants.encapName(tenant) : encapName(st.encap[i]);
  const innerSrc = st.innerSrcOf(i);
  const hasInner = innerSrc >= 0;
  return {
    n,
    time: st.hasTimeOf(i) ? isoNanos(st.secOf(i), st.nsecOf(i)) : null,
    caplen: st.caplen[i],
    len: st.origlen[i],
    encap,
    vnid: tenant >= 0 ? e.tenants.vnidOrNull(tenant) : null,
    flowId: st.flowId[i] >= 0 ? st.flowId[i] : null,
    outer: st.depth[i] > 0 && st.outerSrc[i] >= 0 ? { src: e.addrs.text(st.outerSrc[i]), dst: e.addrs.text(st.outerDst[i]) } : null,
    inner: hasInner
      ? {
        src: e.addrs.text(innerSrc),
        dst: e.addrs.text(st.innerDstOf(i)),
        proto: st.protoOf(i) >= 0 ? protoText(st.protoOf(i)) : 'unknown',
        sport: st.sportOf(i) >= 0 ? st.sportOf(i) : null,
        dport: st.dportOf(i) >= 0 ? st.dportOf(i) : null,
      }
      : null,
    checks,
    reassembledIn: e.fragments.reassembledIn(n),
    direction: direction(e, i),
    superframe: e.isSuperframe(i),
  };
}
