// Roving tabindex for the rows of a side-pane table (tenants, flows): the table is one Tab stop (the
// row last focused, else the selected one, else the first), arrows, PgUp/PgDn and Home/End move the
// focus between rows, Enter or Space activates the focused row.
import { useRef, useState, type KeyboardEvent } from 'react';

/** Rows PgUp/PgDn move by (the side tables show about this many). */
const PAGE = 10;

/** The row a navigation key moves the focus to from row `from` of `count`, or null for other keys. */
export function nextRow(key: string, from: number, count: number, page = PAGE): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown': return Math.min(count - 1, from + 1);
    case 'ArrowUp': return Math.max(0, from - 1);
    case 'PageDown': return Math.min(count - 1, from + page);
    case 'PageUp': return Math.max(0, from - page);
    case 'Home': return 0;
    case 'End': return count - 1;
    default: return null;
  }
}

export interface RowProps {
  tabIndex: number;
  ref: (el: HTMLTableRowElement | null) => void;
  onFocus: () => void;
  onKeyDown: (e: KeyboardEvent<HTMLTableRowElement>) => void;
}

/** Props for each row, by its key (rows keep their Tab stop when the list grows during a load). */
export function useRovingRows(keys: readonly string[], selected: string | null): (key: string, activate: () => void) => RowProps {
  const [focused, setFocused] = useState<string | null>(null);
  const rows = useRef(new Map<string, HTMLTableRowElement>());
  const has = (k: string | null): k is string => k !== null && keys.includes(k);
  const stop = has(focused) ? focused : has(selected) ? selected : keys[0];
  return (key, activate) => ({
    tabIndex: key === stop ? 0 : -1,
    ref: (el) => {
      if (el) rows.current.set(key, el);
      else rows.current.delete(key);
    },
    onFocus: () => setFocused(key),
    onKeyDown: (e) => {
      if (e.target !== e.currentTarget || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        activate();
        return;
      }
      const next = nextRow(e.key, keys.indexOf(key), keys.length);
      if (next === null) return;
      e.preventDefault();
      rows.current.get(keys[next])?.focus();
    },
  });
}
