// Keys of the packet list that work anywhere outside a text field: Ctrl+M marks or unmarks the selected
// frame (Wireshark's Edit > Mark Packet), Ctrl+Alt+1..8 pick the time display format (View menu order).
import { useEffect } from 'react';
import { setTimeFormat } from '../prefs/store.ts';
import { TIME_FORMATS } from '../prefs/view-prefs.ts';
import { appStore } from '../state/app-state.ts';
import { toggleMark } from '../state/marks.ts';

function typing(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
}

export function useListShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (typing(e.target) || e.metaKey || !e.ctrlKey || e.shiftKey) return;
      if (!e.altKey && (e.key === 'm' || e.key === 'M')) {
        const n = appStore.get().selected;
        if (n === null) return;
        e.preventDefault();
        toggleMark(n);
        return;
      }
      // e.code: with Alt held, e.key may be another character on some layouts.
      const digit = /^Digit([1-8])$/.exec(e.code);
      if (e.altKey && digit) {
        e.preventDefault();
        setTimeFormat(TIME_FORMATS[Number(digit[1]) - 1].id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
