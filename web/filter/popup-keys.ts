// What a key does in the filter bar while its popup (field completions or recent filters) may be open.
// As in Wireshark, Enter applies the text as typed unless the user has moved into the list with the
// arrow keys: nothing in the list is chosen (active -1) until then. Tab takes the chosen completion, or
// the first one when none is chosen.

export type PopupKind = 'complete' | 'history';

export type KeyAction =
  | { do: 'open-history' }
  | { do: 'move'; active: number }
  | { do: 'accept'; index: number }
  | { do: 'apply' }
  | { do: 'close' }
  | { do: 'clear' }
  | null;

/**
 * @param popup the open popup and its item count, or null when none is open
 * @param active the chosen item, -1 for none
 */
export function popupKey(key: string, popup: { kind: PopupKind; items: number } | null, active: number): KeyAction {
  const items = popup?.items ?? 0;
  switch (key) {
    case 'ArrowDown':
      if (popup === null) return { do: 'open-history' };
      return { do: 'move', active: Math.min(items - 1, active + 1) };
    case 'ArrowUp':
      return popup === null ? null : { do: 'move', active: Math.max(-1, active - 1) };
    case 'Tab':
      if (popup === null || items === 0) return null;
      if (active >= 0) return { do: 'accept', index: active };
      return popup.kind === 'complete' ? { do: 'accept', index: 0 } : null;
    case 'Enter':
      return popup !== null && active >= 0 && active < items ? { do: 'accept', index: active } : { do: 'apply' };
    case 'Escape':
      return popup !== null ? { do: 'close' } : { do: 'clear' };
    default:
      return null;
  }
}
