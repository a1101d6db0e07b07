// Share of the tunnelled bytes per tenant: a donut and a legend with percentages.
import { memo } from 'react';
import { Cell, Pie, PieChart, ResponsiveContainer, Tooltip } from 'recharts';
import { bytes, num } from '../../format.ts';
import { TOOLTIP_STYLE } from './palette.ts';

export interface Slice {
  key: string;
  name: string;
  value: number;
  color: string;
}

export const ShareChart = memo(function ShareChart({ slices }: { slices: Slice[] }) {
  const total = slices.reduce((a, p) => a + p.value, 0);
  return (
    <figure className="chart pie" aria-label="Share of bytes per tenant">
      <figcaption>Share of bytes per tenant</figcaption>
      <div className="pie-row">
        <ResponsiveContainer width={150} height={150}>
          <PieChart>
            <Pie data={slices} dataKey="value" nameKey="name" innerRadius={36} outerRadius={68} isAnimationActive={false} stroke="#fff">
              {slices.map((p) => <Cell key={p.key} fill={p.color} />)}
            </Pie>
            <Tooltip isAnimationActive={false} formatter={(v, name) => [bytes(Number(v)), String(name)]} contentStyle={TOOLTIP_STYLE} />
          </PieChart>
        </ResponsiveContainer>
        <ul className="pie-legend">
          {slices.map((p) => (
            <li key={p.key}>
              <span className="swatch" style={{ background: p.color }} />
              <span className="pl-name">{p.name}</span>
              <span className="pl-val">{total > 0 ? `${((p.value / total) * 100).toFixed(1)} %` : ''}</span>
              <span className="pl-bytes" title={`${num(p.value)} bytes`}>{bytes(p.value)}</span>
            </li>
          ))}
        </ul>
      </div>
    </figure>
  );
});
