// The `total` of a run over several captures: the summary's figures over all of them (README "Many
// captures"). Counts add up; tenants (same encap and id) and checks merge; times span them all. What
// names frames of one file (flagged frame numbers, warnings) stays in each file's summary and is
// counted here; MTU findings are listed per file, since one datagram may be captured on both hosts, and so
// are hosts (a host's frames captured at both ends would count twice).
import type { CaptureFormat } from '../capture/types.ts';
import type { CaptureSummaryJson, MtuFinding, VerdictCounts } from './types.ts';
import type { RetransmitFigures } from './tcp-retransmit.ts';

export interface TotalSummaryJson {
  /** Captures summed (those that could be read). */
  captures: number;
  /** Their format when they share one, else 'mixed'; null without any. */
  format: CaptureFormat | 'mixed' | null;
  frames: number;
  bytes: number;
  firstTime: string | null;
  lastTime: string | null;
  tenants: CaptureSummaryJson['tenants'];
  checks: Record<string, VerdictCounts>;
  /** Flagged frames in all captures (their numbers are in each file's summary). */
  flagged: number;
  /** Warnings in all captures. */
  warnings: number;
  fragments: CaptureSummaryJson['fragments'];
  mtu: Array<MtuFinding & { file: string }>;
  /** With --filter: the filter, and the frames of all captures before it. */
  filter?: string;
  totalFrames?: number;
}

type Summary = CaptureSummaryJson & { filter?: string; totalFrames?: number };

export function totalSummary(list: readonly Summary[]): TotalSummaryJson {
  const formats = new Set(list.map((s) => s.format));
  const tenants = new Map<string, CaptureSummaryJson['tenants'][number]>();
  const checks: Record<string, VerdictCounts> = {};
  const t: TotalSummaryJson = {
    captures: list.length,
    format: formats.size === 0 ? null : formats.size === 1 ? [...formats][0] : 'mixed',
    frames: 0, bytes: 0, firstTime: null, lastTime: null, tenants: [], checks, flagged: 0, warnings: 0,
    fragments: { frames: 0, datagrams: 0, incomplete: 0 }, mtu: [],
  };
  for (const s of list) {
    t.frames += s.frames;
    t.bytes += s.bytes;
    // ISO 8601 with nine decimals and Z: text order is time order.
    if (s.firstTime !== null && (t.firstTime === null || s.firstTime < t.firstTime)) t.firstTime = s.firstTime;
    if (s.lastTime !== null && (t.lastTime === null || s.lastTime > t.lastTime)) t.lastTime = s.lastTime;
    for (const x of s.tenants) {
      const key = `${x.encap}:${x.vnid ?? ''}`;
      const y = tenants.get(key);
      if (y === undefined) tenants.set(key, { ...x, retransmitted: { ...x.retransmitted } });
      else {
        y.frames += x.frames; y.bytes += x.bytes; y.flows += x.flows; y.bad += x.bad; y.partial += x.partial;
        y.retransmitted = addRetransmitted(y.retransmitted, x.retransmitted);
      }
    }
    for (const [name, c] of Object.entries(s.checks)) {
      const d = (checks[name] ??= { good: 0, bad: 0, partial: 0, zero: 0, unverified: 0, noChecksum: 0 });
      d.good += c.good; d.bad += c.bad; d.partial += c.partial; d.zero += c.zero; d.unverified += c.unverified; d.noChecksum += c.noChecksum;
    }
    t.flagged += s.flagged.length;
    t.warnings += s.warnings.length;
    t.fragments.frames += s.fragments.frames;
    t.fragments.datagrams += s.fragments.datagrams;
    t.fragments.incomplete += s.fragments.incomplete;
    for (const m of s.mtu) t.mtu.push({ file: s.file, ...m });
    if (s.filter !== undefined) {
      t.filter = s.filter;
      t.totalFrames = (t.totalFrames ?? 0) + (s.totalFrames ?? 0);
    }
  }
  // As in a summary: by encap name, then id (untunnelled GRE, without one, first).
  t.tenants = [...tenants.values()].sort((a, b) => (a.encap < b.encap ? -1 : a.encap > b.encap ? 1 : (a.vnid ?? -1) - (b.vnid ?? -1)));
  t.mtu.sort((a, b) => b.fragmented - a.fragmented);
  return t;
}

/**
 * Two captures' retransmission figures for one tenant: the counts add up; a median of delays cannot be made
 * from two medians, so it stays only when one of the two has any retransmission (null otherwise: read it per file).
 */
function addRetransmitted(a: RetransmitFigures, b: RetransmitFigures): RetransmitFigures {
  const medianDelayMs = a.retransmitted === 0 ? b.medianDelayMs : b.retransmitted === 0 ? a.medianDelayMs : null;
  return { badSegments: a.badSegments + b.badSegments, retransmitted: a.retransmitted + b.retransmitted, medianDelayMs };
}
