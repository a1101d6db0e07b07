// Filter errors carry the span of the offending text (UTF-16 offsets, end exclusive) so the UI can
// underline it and the CLI can point at it with a caret.

export class FilterError extends Error {
  constructor(message: string, readonly start: number, readonly end: number) {
    super(message);
    this.name = 'FilterError';
  }
}

/** Plain-data form of a FilterError (crosses the worker boundary): a message and the span of the text at fault (end exclusive). */
export interface FilterErrorInfo {
  message: string;
  start: number;
  end: number;
}

export function errorInfo(e: FilterError): FilterErrorInfo {
  return { message: e.message, start: e.start, end: e.end };
}

/** `filter\n    ^~~~ message`, for terminals. */
export function caretText(src: string, e: FilterErrorInfo): string {
  const start = Math.max(0, Math.min(e.start, src.length));
  const len = Math.max(1, Math.min(e.end, src.length) - start);
  return `${src}\n${' '.repeat(start)}^${'~'.repeat(len - 1)} ${e.message}`;
}

/** Levenshtein distance, capped (returns cap + 1 once it is certain to exceed cap). */
export function editDistance(a: string, b: string, cap = 8): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** The known names closest to `name` (edit distance, then a shared prefix), best first. */
export function nearestNames(name: string, known: Iterable<string>, max = 3): string[] {
  const lower = name.toLowerCase();
  const cap = Math.max(2, Math.min(4, Math.floor(lower.length / 3)));
  const scored: [number, string][] = [];
  for (const k of known) {
    let d = editDistance(lower, k, cap);
    // `src` for `ip.src`, `vni` for `vxlan.vni`: a last component that matches exactly is close too.
    if (d > cap && k.endsWith(`.${lower}`)) d = cap;
    if (d <= cap) scored.push([d, k]);
  }
  scored.sort((x, y) => x[0] - y[0] || x[1].length - y[1].length || (x[1] < y[1] ? -1 : 1));
  return scored.slice(0, max).map(([, k]) => k);
}
