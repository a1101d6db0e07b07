import { describe, expect, it } from 'vitest';
import { layout, scrollTopFor } from './row-window.ts';

const ROW = 20;
const VIEW = 400; // 20 rows visible

describe('packet list window', () => {
  it('small lists: rows at their true offsets, as an ordinary virtual list', () => {
    const l = layout(1000, ROW, 2000, VIEW, 2, 16_000_000);
    expect(l.bodyH).toBe(20_000);
    expect(l.items[0]).toEqual({ index: 98, top: 1960 });
    expect(l.items.at(-1)).toEqual({ index: 122, top: 2440 });
    expect(scrollTopFor(500, 'auto', 1000, ROW, 2000, VIEW, 16_000_000)).toBe(500 * ROW - VIEW + ROW);
    expect(scrollTopFor(105, 'auto', 1000, ROW, 2000, VIEW, 16_000_000)).toBeNull();
    expect(scrollTopFor(10, 'auto', 1000, ROW, 2000, VIEW, 16_000_000)).toBe(200);
  });

  it('lists taller than the cap: the scroll space is capped, rows keep their spacing, every row is reachable', () => {
    const total = 7_625_860; // the 4.6 GiB bench capture
    const cap = 16_000_000;
    const top = layout(total, ROW, 0, VIEW, 0, cap);
    expect(top.bodyH).toBe(cap);
    expect(top.items[0]).toEqual({ index: 0, top: 0 });
    // The bottom of the scroll space shows the last rows, flush with the end.
    const end = layout(total, ROW, cap - VIEW, VIEW, 0, cap);
    const lastItem = end.items.at(-1);
    expect(lastItem?.index).toBe(total - 1);
    expect((lastItem?.top ?? 0) + ROW).toBeCloseTo(cap, 6);
    // Consecutive rows are ROW apart wherever the window is.
    for (const s of [1, 12345.5, 8_000_000, cap - VIEW - 1]) {
      const l = layout(total, ROW, s, VIEW, 1, cap);
      for (let k = 1; k < l.items.length; k++) expect(l.items[k].top - l.items[k - 1].top).toBeCloseTo(ROW, 6);
      // Some row covers the top edge of the view, and rows reach past its bottom edge.
      expect(l.items.some((x) => x.top <= s + 1e-6 && x.top + ROW > s)).toBe(true);
      expect((l.items.at(-1)?.top ?? 0) + ROW).toBeGreaterThanOrEqual(Math.min(s + VIEW, cap) - 1e-6);
    }
    // Scrolling to any row puts it on screen.
    for (const idx of [0, 1, 1_677_000, 3_000_001, total - 2, total - 1]) {
      for (const align of ['auto', 'center'] as const) {
        const s = scrollTopFor(idx, align, total, ROW, 0, VIEW, cap) ?? 0;
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(cap - VIEW);
        const it = layout(total, ROW, s, VIEW, 0, cap).items.find((x) => x.index === idx);
        expect(it, `row ${idx} ${align}`).toBeDefined();
        expect(it!.top).toBeGreaterThanOrEqual(s - 1e-6);
        expect(it!.top + ROW).toBeLessThanOrEqual(s + VIEW + 1e-6);
      }
    }
  });
});
