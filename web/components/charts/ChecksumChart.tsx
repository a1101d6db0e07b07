// Frames with a bad or partial checksum over time. A click picks the bucket under the pointer.
import { memo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS, AXIS_LINE, GRID, PICKED, secs, TOOLTIP_STYLE, type Point } from './palette.ts';
import { pickBucket } from './pick.ts';

export const ChecksumChart = memo(function ChecksumChart({ points, onPick, picked }: { points: Point[]; onPick: (index: number) => void; picked: number | null }) {
  return (
    <figure className="chart" aria-label="Bad and partial checksums over time">
      <figcaption>Bad and partial checksums</figcaption>
      <ResponsiveContainer width="100%" height={130}>
        <BarChart data={points} margin={{ top: 4, right: 12, bottom: 0, left: 0 }} barCategoryGap={0} onClick={(st, e) => pickBucket(st, e, points.length, 'band', onPick)}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="t" tickFormatter={secs} tick={AXIS} stroke={AXIS_LINE} minTickGap={24} />
          <YAxis allowDecimals={false} tick={AXIS} width={68} stroke={AXIS_LINE} />
          <Tooltip isAnimationActive={false} labelFormatter={(l) => `t = ${secs(Number(l))}`} contentStyle={TOOLTIP_STYLE} />
          <Legend iconSize={8} wrapperStyle={{ fontSize: 11 }} />
          {picked !== null && points[picked] && <ReferenceArea x1={points[picked].t} x2={points[picked].t} fill={PICKED} fillOpacity={0.18} ifOverflow="hidden" />}
          <Bar dataKey="bad" name="bad frames" stackId="v" fill="#d33a3a" isAnimationActive={false} />
          <Bar dataKey="partial" name="partial frames" stackId="v" fill="#e3a008" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
});
