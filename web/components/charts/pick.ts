// Which bucket a click on a time chart was on. recharts reports the index under the pointer from its
// tooltip state, which follows the mouse one animation frame late: a click right after the pointer
// arrived (a quick click, a script) finds none yet, so the bucket is then read from where the click
// landed in the plot area (the chart's clip rectangle).

interface ChartState {
  activeTooltipIndex?: unknown;
  activeIndex?: unknown;
}

/** Where `x` falls in [left, left + width): 0..1, or null outside. */
export function fraction(x: number, left: number, width: number): number | null {
  if (!(width > 0)) return null;
  const f = (x - left) / width;
  return f >= 0 && f <= 1 ? f : null;
}

/** The bucket at fraction f of the plot: a band axis (bars) splits it in n; a linear one puts bucket k at k/(n-1). */
export function bucketAt(f: number, n: number, axis: 'band' | 'linear'): number {
  if (n <= 1) return 0;
  return axis === 'band' ? Math.min(n - 1, Math.floor(f * n)) : Math.round(f * (n - 1));
}

function stateIndex(state: ChartState | null | undefined): number | null {
  const raw = state?.activeTooltipIndex ?? state?.activeIndex;
  const i = raw === null || raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isInteger(i) && i >= 0 ? i : null;
}

/** The plot area of the chart a click landed in, in client coordinates. */
function plotArea(target: EventTarget | null): { left: number; width: number } | null {
  const el = target instanceof Element ? target.closest('.recharts-wrapper') : null;
  const svg = el?.querySelector<SVGSVGElement>('svg.recharts-surface[role=application]') ?? el?.querySelector<SVGSVGElement>('svg.recharts-surface');
  const clip = svg?.querySelector('defs clipPath rect');
  if (!svg || !clip) return null;
  const box = svg.getBoundingClientRect();
  const scale = svg.viewBox.baseVal && svg.viewBox.baseVal.width > 0 ? box.width / svg.viewBox.baseVal.width : 1;
  return { left: box.left + Number(clip.getAttribute('x')) * scale, width: Number(clip.getAttribute('width')) * scale };
}

/** Calls onPick with the bucket a chart click was on, if it was on one. */
export function pickBucket(
  state: ChartState | null | undefined, event: { clientX?: number; target?: EventTarget | null } | undefined, n: number,
  axis: 'band' | 'linear', onPick: (index: number) => void,
): void {
  let i = stateIndex(state);
  if (i === null && event?.clientX !== undefined) {
    const area = plotArea(event.target ?? null);
    const f = area ? fraction(event.clientX, area.left, area.width) : null;
    if (f !== null) i = bucketAt(f, n, axis);
  }
  if (i !== null && i < n) onPick(i);
}
