// Charts: throughput per tenant over time (top tenants stacked, the rest as "other"), bad and partial
// checksums over time, and each tenant's share of the tunnelled bytes. A click on a time chart picks the
// bucket under the pointer: its first frame is selected, and its time range can be applied as a filter.
//
// Charts are drawn from a loaded capture. While another capture streams in, the last charts stay
// mounted but hidden (recharts renders synchronously: re-drawing or unmounting it while frames stream
// in would stall the main thread), and the new ones are drawn when the load finishes.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { TenantStats, TimeSeries } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { errorMessage, tenantLabel } from '../format.ts';
import { applyFilter } from '../filter/state.ts';
import { selectFrame } from '../state/actions.ts';
import { appStore, useApp } from '../state/app-state.ts';
import { bucketRange, rangeFilter, type BucketRange } from './charts/bucket-range.ts';
import { useWorkerQuery } from '../state/useWorkerQuery.ts';
import { ChecksumChart } from './charts/ChecksumChart.tsx';
import { OTHER, PALETTE, secs, seriesColor, type Point } from './charts/palette.ts';
import { ShareChart, type Slice } from './charts/ShareChart.tsx';
import { ThroughputChart } from './charts/ThroughputChart.tsx';
import { Pane } from './Pane.tsx';

const BUCKETS = 80;
const TOP = 6;
const NO_SERIES: string[] = [];

function toPoints(ts: TimeSeries): Point[] {
  const w = ts.bucketSec > 0 ? ts.bucketSec : 1;
  return ts.buckets.map((b) => {
    const p: Point = { t: b.t, bad: b.bad, partial: b.partial };
    ts.series.forEach((k, i) => {
      p[`s${i}`] = (b.bytes[k] ?? 0) / w;
    });
    return p;
  });
}

function toSlices(tenants: readonly TenantStats[], series: readonly string[]): Slice[] {
  const sorted = [...tenants].sort((a, b) => b.bytes - a.bytes);
  const top = sorted.slice(0, TOP);
  const rest = sorted.slice(TOP).reduce((a, t) => a + t.bytes, 0);
  const out = top.map((t, i) => {
    const si = series.indexOf(t.key);
    return { key: t.key, name: tenantLabel(t.key), value: t.bytes, color: si >= 0 ? seriesColor(si, t.key) : PALETTE[(i + series.length) % PALETTE.length] };
  });
  if (rest > 0) out.push({ key: 'other', name: 'other', value: rest, color: OTHER });
  return out;
}

export function ChartsPane() {
  const analysisId = useApp((s) => s.analysisId);
  const loadingActive = useApp((s) => s.loading !== null && s.capture !== null && s.capture.result === null);
  const key = `${analysisId}:${loadingActive ? 'loading' : 'loaded'}`;
  const enabled = analysisId > 0 && !loadingActive;
  const ts = useWorkerQuery(() => analyzer().timeSeries(BUCKETS, TOP), key, { enabled });
  const tenants = useWorkerQuery(() => analyzer().tenants(), key, { enabled });
  const points = useMemo(() => (ts ? toPoints(ts) : []), [ts]);
  const series = ts?.series ?? NO_SERIES;
  const slices = useMemo(() => toSlices(tenants ?? [], series), [tenants, series]);

  const [pick, setPick] = useState<{ range: BucketRange; frame: number | null } | null>(null);
  useEffect(() => setPick(null), [analysisId]);
  const onPick = useCallback((index: number) => {
    const r = ts ? bucketRange(ts, index) : null;
    if (r === null) return;
    // The bucket's first frame: the first row of a view filtered to its time range (the index answers it).
    analyzer().rows(0, 1, { tenant: null, sort: null, filter: rangeFilter(r) }).then((res) => {
      const n = res.rows[0]?.n ?? null;
      setPick({ range: r, frame: n });
      if (n !== null) selectFrame(n);
    }, (e: unknown) => appStore.set({ notice: { kind: 'error', text: `Cannot find the frames of that time: ${errorMessage(e)}` } }));
  }, [ts]);

  return (
    <Pane title="Charts" className="charts" meta={!loadingActive && ts && ts.bucketSec > 0 ? `bucket ${secs(ts.bucketSec)}` : undefined}>
      {loadingActive && <p className="pane-msg">The charts are drawn when the load finishes.</p>}
      {!loadingActive && !ts && <p className="pane-msg">No capture open.</p>}
      {!loadingActive && ts && points.length === 0 && <p className="pane-msg">This capture has no timestamps to chart.</p>}
      <div className={loadingActive ? 'charts-frozen' : undefined}>
        {points.length > 0 && <ThroughputChart points={points} series={series} onPick={onPick} picked={pick?.range.index ?? null} bucketSec={ts?.bucketSec ?? 1} />}
        {points.length > 0 && <ChecksumChart points={points} onPick={onPick} picked={pick?.range.index ?? null} />}
        {pick && (
          <div className="chart-pick" role="status" aria-label="Picked time range">
            <span className="cp-text">
              {secs(pick.range.startSec)} – {pick.range.to === null ? 'end' : secs(pick.range.endSec)}:{' '}
              {pick.frame !== null ? `frame ${pick.frame} selected` : 'no frames'}
            </span>
            <button type="button" className="tool" title={rangeFilter(pick.range)} onClick={() => applyFilter(rangeFilter(pick.range))}>Filter to this time range</button>
            <button type="button" className="tool" aria-label="Close" onClick={() => setPick(null)}>✕</button>
          </div>
        )}
        {slices.length > 0 && <ShareChart slices={slices} />}
      </div>
    </Pane>
  );
}
