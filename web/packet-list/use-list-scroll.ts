// Where the list is scrolled: to the top for a newly opened capture, to the selected row when it was
// chosen elsewhere (a shared link, the flows, the offload samples, Go to), and along with a row chosen
// here by mouse or keyboard (selectIndex). It keeps the selected row's position in the view (selIdx).
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { PacketRow, RowView } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { selectFrame, selectTenant } from '../state/actions.ts';
import type { Settle } from '../state/settle.ts';

export interface ListScrollOptions {
  scrollRef: RefObject<HTMLDivElement | null>;
  analysisId: number;
  selected: number | null;
  view: RowView;
  vkey: string;
  total: number;
  settle: Settle;
  rowAt: (idx: number) => PacketRow | undefined;
  scrollToIndex: (idx: number, align: 'auto' | 'center') => void;
}

export function useListScroll(o: ListScrollOptions): { selIdx: RefObject<number>; selectIndex: (idx: number) => void } {
  const { scrollRef, analysisId, selected, view, vkey, total, settle, rowAt, scrollToIndex } = o;

  // A newly opened capture starts at the top.
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [analysisId]);

  const selIdx = useRef(-1);
  const keyRef = useRef(vkey);
  if (keyRef.current !== vkey) {
    keyRef.current = vkey;
    selIdx.current = -1;
  }

  // Keep the selected row's position in this view; scroll to it when it was chosen elsewhere. The
  // scroll waits until the list knows it has that many rows (a shared link selects its frame before the
  // first rows arrive, and scrolling then went nowhere); its request counts until the scroll is done.
  const [scrollTo, setScrollTo] = useState(-1);
  const scrollHeld = useRef(false);
  useEffect(() => {
    if (scrollTo < 0 || scrollTo >= total) return;
    scrollToIndex(scrollTo, 'center');
    setScrollTo(-1);
    if (scrollHeld.current) {
      scrollHeld.current = false;
      settle.applied();
    }
  }, [scrollTo, total, scrollToIndex, settle]);
  useEffect(() => {
    // A scroll still waiting belongs to the selection or view being replaced.
    if (scrollHeld.current) {
      scrollHeld.current = false;
      settle.drop();
      setScrollTo(-1);
    }
    if (selected === null) {
      selIdx.current = -1;
      return;
    }
    const cur = selIdx.current >= 0 ? rowAt(selIdx.current) : undefined;
    if (cur && cur.n === selected) return;
    let live = true;
    settle.ask(() => analyzer().indexOf(selected, view)).then((idx) => {
      if (!live) return settle.drop();
      // Chosen elsewhere (offload samples, flows) but outside the tenant the list is narrowed to.
      if (idx < 0 && view.tenant !== null) selectTenant(null);
      if (idx < 0) return settle.applied();
      selIdx.current = idx;
      scrollHeld.current = true;
      setScrollTo(idx);
    }, (e: unknown) => console.error('indexOf failed', e));
    return () => {
      live = false;
    };
  }, [selected, vkey]);

  const selectIndex = useCallback((idx: number): void => {
    selIdx.current = idx;
    scrollToIndex(idx, 'auto');
    const r = rowAt(idx);
    if (r) {
      selectFrame(r.n);
      return;
    }
    const key = keyRef.current;
    analyzer().rows(idx, 1, view).then((res) => {
      if (keyRef.current === key && selIdx.current === idx && res.rows[0]) selectFrame(res.rows[0].n);
    }, (e: unknown) => console.error('rows failed', e));
  }, [rowAt, view, scrollToIndex]);

  return { selIdx, selectIndex };
}
