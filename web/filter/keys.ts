// Keyboard: `/` or Ctrl+F focuses the filter bar, Ctrl+G opens "Go to frame" (Esc in the bar clears it).
import { useEffect } from 'react';
import { filterUi, focusFilterBar } from './state.ts';

function typing(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
}

export function useFilterKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.altKey && !e.shiftKey && (e.key === 'f' || e.key === 'F')) {
        e.preventDefault();
        focusFilterBar();
      } else if (mod && !e.altKey && !e.shiftKey && (e.key === 'g' || e.key === 'G')) {
        e.preventDefault();
        filterUi.set({ gotoOpen: true, menu: null });
      } else if (e.key === '/' && !mod && !e.altKey && !typing(e.target)) {
        e.preventDefault();
        focusFilterBar();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
