// Keys that move the focus between the rows of the tenant and flow tables.
import { describe, expect, it } from 'vitest';
import { nextRow } from './roving.ts';

describe('nextRow', () => {
  it('moves by one, by a page, to either end, and stops at the ends', () => {
    expect(nextRow('ArrowDown', 0, 5)).toBe(1);
    expect(nextRow('ArrowDown', 4, 5)).toBe(4);
    expect(nextRow('ArrowUp', 0, 5)).toBe(0);
    expect(nextRow('ArrowUp', 3, 5)).toBe(2);
    expect(nextRow('PageDown', 1, 30, 10)).toBe(11);
    expect(nextRow('PageDown', 25, 30, 10)).toBe(29);
    expect(nextRow('PageUp', 5, 30, 10)).toBe(0);
    expect(nextRow('Home', 3, 5)).toBe(0);
    expect(nextRow('End', 1, 5)).toBe(4);
  });

  it('leaves other keys and empty tables alone', () => {
    expect(nextRow('Enter', 1, 5)).toBeNull();
    expect(nextRow('a', 1, 5)).toBeNull();
    expect(nextRow('ArrowDown', 0, 0)).toBeNull();
  });
});
