// The filter bar's keys with its popup open or closed: Enter applies the typed text unless the arrows
// chose an item.
import { describe, expect, it } from 'vitest';
import { popupKey } from './popup-keys.ts';

const completions = { kind: 'complete' as const, items: 3 };
const history = { kind: 'history' as const, items: 2 };

describe('popupKey', () => {
  it('applies the typed text on Enter while nothing in the popup is chosen', () => {
    expect(popupKey('Enter', completions, -1)).toEqual({ do: 'apply' });
    expect(popupKey('Enter', history, -1)).toEqual({ do: 'apply' });
    expect(popupKey('Enter', null, -1)).toEqual({ do: 'apply' });
  });

  it('takes the item the arrows chose on Enter', () => {
    const a = popupKey('ArrowDown', completions, -1);
    expect(a).toEqual({ do: 'move', active: 0 });
    expect(popupKey('ArrowDown', completions, 0)).toEqual({ do: 'move', active: 1 });
    expect(popupKey('ArrowDown', completions, 2)).toEqual({ do: 'move', active: 2 });
    expect(popupKey('Enter', completions, 1)).toEqual({ do: 'accept', index: 1 });
    // Back up out of the list: Enter applies the text again.
    expect(popupKey('ArrowUp', completions, 0)).toEqual({ do: 'move', active: -1 });
    expect(popupKey('ArrowUp', completions, -1)).toEqual({ do: 'move', active: -1 });
  });

  it('keeps ↓ for the history and Tab for completing a name', () => {
    expect(popupKey('ArrowDown', null, -1)).toEqual({ do: 'open-history' });
    expect(popupKey('ArrowUp', null, -1)).toBeNull();
    expect(popupKey('Tab', completions, -1)).toEqual({ do: 'accept', index: 0 });
    expect(popupKey('Tab', completions, 2)).toEqual({ do: 'accept', index: 2 });
    expect(popupKey('Tab', history, 1)).toEqual({ do: 'accept', index: 1 });
    // Nothing chosen in the history, or no popup: Tab moves the focus on as usual.
    expect(popupKey('Tab', history, -1)).toBeNull();
    expect(popupKey('Tab', null, -1)).toBeNull();
  });

  it('closes the popup on Esc, or clears the filter when none is open', () => {
    expect(popupKey('Escape', completions, 1)).toEqual({ do: 'close' });
    expect(popupKey('Escape', null, -1)).toEqual({ do: 'clear' });
    expect(popupKey('a', completions, 0)).toBeNull();
  });
});
