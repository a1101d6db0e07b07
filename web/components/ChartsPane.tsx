// Charts: throughput per tenant over time (top tenants stacked, the rest as "other"), bad and partial
// checksums over time, and each tenant's share of the tunnelled bytes.
import { useMemo } from 'react';
import {
  Area, AreaChart, Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis,
} from 'recharts';
import type { TenantStats, TimeSeries } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { bytes, num, rate, tenantLabel } from '../format.ts';
import { useApp } from '../state/app-state.ts';
import { useWorkerQuery } from '../state/useWorkerQuery.ts';
import { Pane } from './Pane.tsx';

const PALETTE = ['#2f6fdb', '#1f9d55', '#8e44c9', '#e0781c', '#0f95a8', '#cf3d8c', '#7a9a1a', '#b8860b'];
const OTHER = '#9aa5b4';
const BUCKETS = 80;
const TOP = 6;
const AXIS = { fontSize: 10, fill: '#4a5565' };

type Point = Record<string, number>;

function seriesColor(i: number, key: string): string {
  return key === 'other' ? OTHER : PALETTE[i % PALETTE.length];
}

function secs(t: number): string {
  return t >= 100 ? `${t.toFixed(0)} s` : t >= 1 ? `${t.toFixed(1)} s` : `${(t * 1000).toFixed(0)} ms`;
}

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

function pieData(tenants: readonly TenantStats[], series: readonly string[]): Array<{ key: string; name: string; value: number; color: string }> {
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
  const slowVersion = useApp((s) => s.slowVersion);
  const key = `${analysisId}:${slowVersion}`;
  const ts = useWorkerQuery(() => analyzer().timeSeries(BUCKETS, TOP), key, analysisId > 0);
  const tenants = useWorkerQuery(() => analyzer().tenants(), key, analysisId > 0);
  const points = useMemo(() => (ts ? toPoints(ts) : []), [ts]);
  const series = ts?.series ?? [];
  const pie = useMemo(() => pieData(tenants ?? [], series), [tenants, series]);
  const pieTotal = pie.reduce((a, p) => a + p.value, 0);
  const noTime = ts !== undefined && points.length === 0;

  return (
    <Pane title="Charts" className="charts" meta={ts && ts.bucketSec > 0 ? `bucket ${secs(ts.bucketSec)}` : undefined}>
      {!ts && <p className="pane-msg">No capture open.</p>}
      {noTime && <p className="pane-msg">This capture has no timestamps to chart.</p>}
      {points.length > 0 && (
        <>
          <figure className="chart" aria-label="Throughput per tenant over time">
            <figcaption>Throughput per tenant</figcaption>
            <ResponsiveContainer width="100%" height={170}>
              <AreaChart data={points} margin={{ top: 4, right: 12, bottom: 0, left: 0 }}>
                <CartesianGrid stroke="#e3e7ed" vertical={false} />
                <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={secs} tick={AXIS} stroke="#b5bdc9" />
                <YAxis tickFormatter={(v: number) => rate(v)} tick={AXIS} width={68} stroke="#b5bdc9" />
                <Tooltip
                  isAnimationActive={false}
                  labelFormatter={(l) => `t = ${secs(Number(l))}`}
                  formatter={(v, name) => [rate(Number(v)), String(name)]}
                  contentStyle={{ fontSize: 11, padding: '4px 8px' }}
                />
                <Legend iconSize={8} wrapperStyle={{ fontSize: 11 }} />
                {series.map((k, i) => (
                  <Area
                    key={k}
                    dataKey={`s${i}`}
                    name={k === 'other' ? 'other' : tenantLabel(k)}
                    stackId="1"
                    type="stepAfter"
                    stroke={seriesColor(i, k)}
                    fill={seriesColor(i, k)}
                    fillOpacity={0.55}
                    isAnimationActive={false}
                  />
                ))}
              </AreaChart>
            </ResponsiveContainer>
          </figure>
          <figure className="chart" aria-label="Bad and partial checksums over time">
            <figcaption>Bad and partial checksums</figcaption>
            <ResponsiveContainer width="100%" height={130}>
              <BarChart data={points} margin={{ top: 4, right: 12, bottom: 0, left: 0 }} barCategoryGap={0}>
                <CartesianGrid stroke="#e3e7ed" vertical={false} />
                <XAxis dataKey="t" tickFormatter={secs} tick={AXIS} stroke="#b5bdc9" minTickGap={24} />
                <YAxis allowDecimals={false} tick={AXIS} width={68} stroke="#b5bdc9" />
                <Tooltip isAnimationActive={false} labelFormatter={(l) => `t = ${secs(Number(l))}`} contentStyle={{ fontSize: 11, padding: '4px 8px' }} />
                <Legend iconSize={8} wrapperStyle={{ fontSize: 11 }} />
                <Bar dataKey="bad" name="bad frames" stackId="v" fill="#d33a3a" isAnimationActive={false} />
                <Bar dataKey="partial" name="partial frames" stackId="v" fill="#e3a008" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </figure>
        </>
      )}
      {pie.length > 0 && (
        <figure className="chart pie" aria-label="Share of bytes per tenant">
          <figcaption>Share of bytes per tenant</figcaption>
          <div className="pie-row">
            <ResponsiveContainer width={150} height={150}>
              <PieChart>
                <Pie data={pie} dataKey="value" nameKey="name" innerRadius={36} outerRadius={68} isAnimationActive={false} stroke="#fff">
                  {pie.map((p) => <Cell key={p.key} fill={p.color} />)}
                </Pie>
                <Tooltip isAnimationActive={false} formatter={(v, name) => [bytes(Number(v)), String(name)]} contentStyle={{ fontSize: 11, padding: '4px 8px' }} />
              </PieChart>
            </ResponsiveContainer>
            <ul className="pie-legend">
              {pie.map((p) => (
                <li key={p.key}>
                  <span className="swatch" style={{ background: p.color }} />
                  <span className="pl-name">{p.name}</span>
                  <span className="pl-val">{pieTotal > 0 ? `${((p.value / pieTotal) * 100).toFixed(1)} %` : ''}</span>
                  <span className="pl-bytes" title={`${num(p.value)} bytes`}>{bytes(p.value)}</span>
                </li>
              ))}
            </ul>
          </div>
        </figure>
      )}
    </Pane>
  );
}
