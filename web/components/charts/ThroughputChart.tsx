// Throughput per tenant over time: the top tenants stacked, the rest as "other". A click picks the bucket
// under the pointer.
import { memo } from 'react';
import { Area, AreaChart, CartesianGrid, Legend, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { rate, tenantLabel } from '../../format.ts';
import { AXIS, AXIS_LINE, GRID, PICKED, secs, seriesColor, TOOLTIP_STYLE, type Point } from './palette.ts';
import { pickBucket } from './pick.ts';

export const ThroughputChart = memo(function ThroughputChart({ points, series, onPick, picked, bucketSec }: {
  points: Point[];
  series: readonly string[];
  onPick: (index: number) => void;
  picked: number | null;
  bucketSec: number;
}) {
  return (
    <figure className="chart" aria-label="Throughput per tenant over time">
      <figcaption>Throughput per tenant</figcaption>
      <ResponsiveContainer width="100%" height={170}>
        <AreaChart data={points} margin={{ top: 4, right: 12, bottom: 0, left: 0 }} onClick={(st, e) => pickBucket(st, e, points.length, 'linear', onPick)}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={secs} tick={AXIS} stroke={AXIS_LINE} />
          <YAxis tickFormatter={(v: number) => rate(v)} tick={AXIS} width={68} stroke={AXIS_LINE} />
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(l) => `t = ${secs(Number(l))}`}
            formatter={(v, name) => [rate(Number(v)), String(name)]}
            contentStyle={TOOLTIP_STYLE}
          />
          <Legend iconSize={8} wrapperStyle={{ fontSize: 11 }} />
          {picked !== null && points[picked] && <ReferenceArea x1={points[picked].t} x2={points[picked].t + bucketSec} fill={PICKED} fillOpacity={0.18} ifOverflow="hidden" />}
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
  );
});
