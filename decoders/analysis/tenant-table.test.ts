import { describe, expect, it } from 'vitest';
import { TenantTable } from './tenant-table.ts';

describe('TenantTable.lookup', () => {
  it('gives each (encap, vnid) one id in first-seen order, through growth and interleaving', () => {
    const t = new TenantTable();
    const pairs: [number, number][] = [];
    for (let i = 0; i < 3000; i++) pairs.push([1 + (i % 4), i % 4 === 3 ? -1 : (i * 2654435761) % 0x1000000]);
    const expected = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < pairs.length; i += round + 1) {
        const [e, v] = pairs[i];
        const k = `${e}:${v}`;
        if (!expected.has(k)) expected.set(k, expected.size);
        expect(t.lookup(e, v)).toBe(expected.get(k));
      }
    }
    expect(t.count).toBe(expected.size);
    for (const [k, id] of expected) {
      const [e, v] = k.split(':').map(Number);
      expect([t.encap[id], t.vnid[id]]).toEqual([e, v]);
    }
    expect(t.lookup(4, -1)).toBe(expected.get('4:-1'));
    expect(t.lookup(1, 0xffffff)).toBe(t.count - 1);
  });
});
