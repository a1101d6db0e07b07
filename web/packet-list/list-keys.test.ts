// The packet list's keys: which row each selects, and the grid's active descendant.
import { describe, expect, it } from 'vitest';
import { activeDescendant, listKey, pageRows } from './list-keys.ts';

describe('pageRows', () => {
  it('is a screenful of rows below the header, less one, at least one', () => {
    expect(pageRows(422, 20, 22)).toBe(19);
    expect(pageRows(431, 20, 22)).toBe(19);
    expect(pageRows(442, 20, 22)).toBe(20);
    expect(pageRows(30, 20, 22)).toBe(1);
    expect(pageRows(0, 20, 22)).toBe(1);
  });
});

describe('listKey', () => {
  const total = 100;
  const page = 19;

  it('arrows move by one and stop at the ends', () => {
    expect(listKey('ArrowDown', 5, total, page)).toBe(6);
    expect(listKey('ArrowUp', 5, total, page)).toBe(4);
    expect(listKey('ArrowDown', 99, total, page)).toBe(99);
    expect(listKey('ArrowUp', 0, total, page)).toBe(0);
  });

  it('page keys move by a page, clamped', () => {
    expect(listKey('PageDown', 10, total, page)).toBe(29);
    expect(listKey('PageUp', 29, total, page)).toBe(10);
    expect(listKey('PageDown', 90, total, page)).toBe(99);
    expect(listKey('PageUp', 10, total, page)).toBe(0);
  });

  it('Home and End go to the first and last row', () => {
    expect(listKey('Home', 50, total, page)).toBe(0);
    expect(listKey('End', 50, total, page)).toBe(99);
    expect(listKey('End', -1, total, page)).toBe(99);
  });

  it('with nothing selected, the arrows take the first row and PgDn the row a page down', () => {
    expect(listKey('ArrowDown', -1, total, page)).toBe(0);
    expect(listKey('ArrowUp', -1, total, page)).toBe(0);
    expect(listKey('PageDown', -1, total, page)).toBe(19);
    expect(listKey('PageUp', -1, total, page)).toBe(0);
    expect(listKey('PageDown', -1, 5, page)).toBe(4);
  });

  it('leaves other keys, and every key on an empty list, to the page', () => {
    expect(listKey('Enter', 5, total, page)).toBeNull();
    expect(listKey('a', 5, total, page)).toBeNull();
    expect(listKey('Tab', 5, total, page)).toBeNull();
    for (const k of ['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End']) expect(listKey(k, -1, 0, page)).toBeNull();
  });
});

describe('activeDescendant', () => {
  it('names the selected row only while it is rendered', () => {
    const rendered = [{ n: 4 }, { n: 5 }, { n: 0 }];
    expect(activeDescendant(5, rendered)).toBe('pkt-5');
    expect(activeDescendant(9, rendered)).toBeUndefined();
    expect(activeDescendant(null, rendered)).toBeUndefined();
    expect(activeDescendant(5, [])).toBeUndefined();
  });
});
