// What a key does in the packet list: the row it selects. Arrows move by one, PgUp/PgDn by a screenful
// less one row (as Wireshark), Home/End go to the ends; with nothing selected yet ↓/↑ take the first row
// and PgDn the row a page down. Other keys are left to the page (null), as are all on an empty list.

/** Rows a PgUp/PgDn moves: the rows that fit below the header, less one, at least one. */
export function pageRows(clientHeight: number, rowH: number, headerH: number): number {
  return Math.max(1, Math.floor((clientHeight - headerH) / rowH) - 1);
}

/** The index `key` selects from `cur` (-1: none selected) in a list of `total` rows, or null when it does nothing. */
export function listKey(key: string, cur: number, total: number, page: number): number | null {
  if (total === 0) return null;
  let next: number;
  switch (key) {
    case 'ArrowDown': next = cur < 0 ? 0 : cur + 1; break;
    case 'ArrowUp': next = cur < 0 ? 0 : cur - 1; break;
    case 'PageDown': next = cur < 0 ? page : cur + page; break;
    case 'PageUp': next = cur - page; break;
    case 'Home': next = 0; break;
    case 'End': next = total - 1; break;
    default: return null;
  }
  return Math.max(0, Math.min(total - 1, next));
}

/**
 * The grid's aria-activedescendant: the selected row's id while that row is rendered (the focus stays on
 * the grid; a row scrolled out of the window has no element to point at).
 */
export function activeDescendant(selected: number | null, rendered: readonly { n: number }[]): string | undefined {
  return selected !== null && rendered.some((r) => r.n === selected) ? `pkt-${selected}` : undefined;
}
