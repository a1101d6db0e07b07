// Colours and small formatters shared by the charts.
export const PALETTE = ['#2f6fdb', '#1f9d55', '#8e44c9', '#e0781c', '#0f95a8', '#cf3d8c', '#7a9a1a', '#b8860b'];
export const OTHER = '#9aa5b4';
export const AXIS = { fontSize: 10, fill: '#4a5565' };
export const GRID = '#e3e7ed';
export const AXIS_LINE = '#b5bdc9';
/** The time bucket a click picked. */
export const PICKED = '#1f4fae';
export const TOOLTIP_STYLE = { fontSize: 11, padding: '4px 8px' };

export function seriesColor(i: number, key: string): string {
  return key === 'other' ? OTHER : PALETTE[i % PALETTE.length];
}

/** Seconds from the capture start as a short axis label: `250 ms`, `4.5 s`, `12 min`, `3.2 h`, `4.1 d`. */
export function secs(t: number): string {
  if (t === 0) return '0 s';
  if (t < 1) return `${(t * 1000).toFixed(0)} ms`;
  if (t < 100) return `${Number(t.toFixed(1))} s`;
  if (t < 5400) return `${Number((t / 60).toFixed(1))} min`;
  if (t < 3 * 86400) return `${Number((t / 3600).toFixed(1))} h`;
  return `${Number((t / 86400).toFixed(1))} d`;
}

/** One chart point: `t` (seconds from start), `s0..sN` (bytes/s per series), `bad`, `partial`. */
export type Point = Record<string, number>;
