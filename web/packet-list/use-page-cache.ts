// The rows of the visible window, fetched by page from the worker (sorting and narrowing run there).
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import type { PacketRow, RowView } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { filterUi } from '../filter/state.ts';
import { appStore } from '../state/app-state.ts';
import type { Settle } from '../state/settle.ts';
import { PAGE, PageCache, pagesOf } from './page-cache.ts';

export interface PageCacheOptions {
  view: RowView;
  /** The view's key: another one starts from an empty cache. */
  vkey: string;
  rulesVersion: number;
  /** The visible rows (window indices, overscan included). */
  first: number;
  last: number;
  settle: Settle;
  /** The view's row count as a page's answer gave it. */
  setTotal: (total: number) => void;
  /** After the visible pages are asked for again because the analysis grew (the row count follows it). */
  onGrowth: () => void;
}

/** `tick` changes whenever a page arrives; rowAt gives a cached row, or undefined while it is on its way. */
export function usePageCache(o: PageCacheOptions): { rowAt: (idx: number) => PacketRow | undefined; tick: number } {
  const { view, vkey, rulesVersion, first, last, settle, setTotal, onGrowth } = o;
  const ref = useRef<PageCache | null>(null);
  if (ref.current === null) ref.current = new PageCache(vkey);
  const cache = ref.current;
  cache.show(vkey);
  const [tick, setTick] = useState(0);

  const fetchPage = useCallback((p: number): void => {
    const req = cache.request(p, Boolean(view.sort), appStore.get().dataVersion, filterUi.get().rulesVersion);
    if (req === null) return;
    settle.ask(() => analyzer().rows(p * PAGE, PAGE, view)).then(
      (res) => {
        if (!cache.answer(req, res.rows)) return settle.drop();
        startTransition(() => {
          setTotal(res.total);
          setTick((t) => t + 1);
          settle.applied();
        });
      },
      (e: unknown) => {
        cache.failed(req);
        console.error('rows failed', e);
      },
    );
  }, [cache, view, settle, setTotal]);

  // Fetch the visible pages: when the window moves, when a page arrives (maybe stale by then), and as
  // the analysis grows during a load (a store listener: growth alone does not re-render the list).
  const range = useRef({ first, last });
  range.current = { first, last };
  useEffect(() => {
    const fetchVisible = (): void => {
      const [p0, p1] = pagesOf(range.current.first, range.current.last);
      for (let p = p0; p <= p1; p++) fetchPage(p);
    };
    fetchVisible();
    let version = appStore.get().dataVersion;
    return appStore.subscribe(() => {
      const v = appStore.get().dataVersion;
      if (v !== version) {
        version = v;
        fetchVisible();
        onGrowth();
      }
    });
  }, [first, last, vkey, tick, fetchPage, rulesVersion, view, settle, onGrowth]);

  const rowAt = useCallback((idx: number): PacketRow | undefined => cache.rowAt(idx), [cache]);
  return { rowAt, tick };
}
