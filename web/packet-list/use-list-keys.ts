// The packet list's keyboard: the grid holds the focus (one Tab stop) and the keys move the selection.
import { useCallback, type KeyboardEvent, type RefObject } from 'react';
import { activeDescendant, listKey, pageRows } from './list-keys.ts';

export interface ListKeysOptions {
  scrollRef: RefObject<HTMLDivElement | null>;
  rowH: number;
  headerH: number;
  total: number;
  /** The selected row's index in the view, -1 for none. */
  selIdx: RefObject<number>;
  selectIndex: (idx: number) => void;
  selected: number | null;
  /** The rows rendered now. */
  rendered: readonly { n: number }[];
}

export function useListKeys(o: ListKeysOptions): { onKeyDown: (e: KeyboardEvent<HTMLDivElement>) => void; activeDescendant: string | undefined } {
  const { scrollRef, rowH, headerH, total, selIdx, selectIndex, selected, rendered } = o;
  const onKeyDown = useCallback((e: KeyboardEvent<HTMLDivElement>): void => {
    const page = pageRows(scrollRef.current?.clientHeight ?? 400, rowH, headerH);
    const next = listKey(e.key, selIdx.current, total, page);
    if (next === null) return;
    e.preventDefault();
    selectIndex(next);
  }, [scrollRef, rowH, headerH, total, selIdx, selectIndex]);
  return { onKeyDown, activeDescendant: activeDescendant(selected, rendered) };
}
