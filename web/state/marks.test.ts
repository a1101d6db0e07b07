import { describe, expect, it } from 'vitest';
import { appStore } from './app-state.ts';
import { markedFrames, nextMarked, toggleMark, unmarkAll } from './marks.ts';

describe('marked frames', () => {
  it('toggle per frame, belong to the open capture, and clear', () => {
    appStore.set({ analysisId: 1 });
    toggleMark(5);
    toggleMark(2);
    toggleMark(9);
    toggleMark(5);
    expect([...markedFrames()].sort((a, b) => a - b)).toEqual([2, 9]);
    // Another capture opened: none marked there.
    appStore.set({ analysisId: 2 });
    expect(markedFrames().size).toBe(0);
    toggleMark(3);
    expect([...markedFrames()]).toEqual([3]);
    unmarkAll();
    expect(markedFrames().size).toBe(0);
  });

  it('find the next and previous marked frame by number', () => {
    const m = new Set([12, 4, 30]);
    expect(nextMarked(m, 4, 1)).toBe(12);
    expect(nextMarked(m, 13, 1)).toBe(30);
    expect(nextMarked(m, 30, 1)).toBeNull();
    expect(nextMarked(m, 30, -1)).toBe(12);
    expect(nextMarked(m, 4, -1)).toBeNull();
    expect(nextMarked(m, null, 1)).toBe(4);
    expect(nextMarked(m, null, -1)).toBe(30);
    expect(nextMarked(new Set(), 1, 1)).toBeNull();
  });
});
