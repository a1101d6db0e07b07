// The packet list's virtual window. Browsers cap an element's height (Chromium: 2^25 px, about 1.6 M
// rows of 20 px), so a list taller than MAX_SCROLL_PX is laid out in a scroll space of that height and
// the scroll position is mapped onto rows proportionally: the rows on screen are always laid out at
// their true 20 px spacing, only the scrollbar is coarser (the 7.6 M frames of a 4.6 GiB capture need
// 152 M px, 4.5 row pixels per scroll pixel at 33 M). Pure arithmetic here; the hook wires it to a
// scrolling element.
import { useCallback, useEffect, useState, type RefObject } from 'react';

export const MAX_SCROLL_PX = 16_000_000;

/** Tests: a smaller cap, so that a small capture exercises the mapping (set before the app loads). */
function maxScrollPx(): number {
  const v = (globalThis as { __tunnelscopeMaxScrollPx?: unknown }).__tunnelscopeMaxScrollPx;
  return typeof v === 'number' && v > 0 ? v : MAX_SCROLL_PX;
}

export interface WindowItem {
  index: number;
  /** Top of the row in the body's coordinates. */
  top: number;
}

export interface Layout {
  /** Height of the body (the scroll space). */
  bodyH: number;
  items: WindowItem[];
}

interface Space {
  bodyH: number;
  /** Largest scrollTop, and the largest row-space offset it maps to. */
  sMax: number;
  rMax: number;
  ratio: number;
}

function space(total: number, rowH: number, viewH: number, maxPx: number): Space {
  const full = total * rowH;
  const bodyH = Math.min(full, maxPx);
  const sMax = Math.max(0, bodyH - viewH);
  const rMax = Math.max(0, full - viewH);
  return { bodyH, sMax, rMax, ratio: sMax > 0 ? rMax / sMax : 1 };
}

/** The rows to render for a scroll position (viewH: the visible height below the header). */
export function layout(total: number, rowH: number, scrollTop: number, viewH: number, overscan: number, maxPx = maxScrollPx()): Layout {
  const sp = space(total, rowH, viewH, maxPx);
  const s = Math.min(Math.max(0, scrollTop), sp.sMax);
  const ry = s * sp.ratio;
  const first = Math.max(0, Math.floor(ry / rowH) - overscan);
  const last = Math.min(total - 1, Math.floor((ry + viewH) / rowH) + overscan);
  const items: WindowItem[] = [];
  for (let i = first; i <= last; i++) items.push({ index: i, top: s + (i * rowH - ry) });
  return { bodyH: sp.bodyH, items };
}

/** The scrollTop that brings row idx into view ('auto': only if it is not fully visible), or null. */
export function scrollTopFor(
  idx: number, align: 'auto' | 'center', total: number, rowH: number, scrollTop: number, viewH: number, maxPx = maxScrollPx(),
): number | null {
  const sp = space(total, rowH, viewH, maxPx);
  const ry = Math.min(Math.max(0, scrollTop), sp.sMax) * sp.ratio;
  const rowTop = idx * rowH;
  let target: number;
  if (align === 'center') target = rowTop - (viewH - rowH) / 2;
  else if (rowTop < ry) target = rowTop;
  else if (rowTop + rowH > ry + viewH) target = rowTop + rowH - viewH;
  else return null;
  target = Math.min(Math.max(0, target), sp.rMax);
  return target / sp.ratio;
}

/** The window for a scrolling element whose first headerH pixels are a sticky header. */
export function useRowWindow(scrollRef: RefObject<HTMLDivElement | null>, total: number, rowH: number, headerH: number, overscan: number): Layout & {
  scrollToIndex: (idx: number, align: 'auto' | 'center') => void;
} {
  const [pos, setPos] = useState({ top: 0, h: 400 });
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const read = (): void => setPos((p) => (p.top === el.scrollTop && p.h === el.clientHeight ? p : { top: el.scrollTop, h: el.clientHeight }));
    read();
    el.addEventListener('scroll', read, { passive: true });
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', read);
      ro.disconnect();
    };
  }, [scrollRef]);
  const viewH = Math.max(rowH, pos.h - headerH);
  const lay = layout(total, rowH, pos.top, viewH, overscan);
  const scrollToIndex = useCallback((idx: number, align: 'auto' | 'center'): void => {
    const el = scrollRef.current;
    if (!el) return;
    const t = scrollTopFor(idx, align, total, rowH, el.scrollTop, Math.max(rowH, el.clientHeight - headerH));
    if (t === null) return;
    el.scrollTop = t;
    // The window follows now, not at the scroll event: the rows it needs are asked for in this update.
    setPos({ top: el.scrollTop, h: el.clientHeight });
  }, [scrollRef, total, rowH, headerH]);
  return { ...lay, scrollToIndex };
}
