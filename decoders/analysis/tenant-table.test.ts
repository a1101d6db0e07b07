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

describe('TenantTable with tenant ids up to 32 bits', () => {
  // Pairs that one packed int32 key, (encap << 25) | (vnid + 1), could not tell apart.
  const COLLIDED: Array<[[number, number], [number, number]]> = [
    [[2, -1], [2, 0xffffffff]], // no VNI vs the top id: vnid + 1 wraps to 0
    [[1, 0], [1, 0x2000000]], // bit 25 of the id lands on the encap
    [[1, 0x1000000], [1, 0x3000000]],
    [[3, 0], [1, 0x4000000]], // another encap's key
    [[3, 0x1000000], [2, 0x3000000]],
    [[2, 0x2000000 - 1], [3, -1]],
    [[4, -1], [4, 0xffffffff]],
  ];

  it('keeps pairs apart that differ only above bit 24 or across encaps', () => {
    for (const [a, b] of COLLIDED) {
      const t = new TenantTable();
      const ia = t.lookup(...a);
      const ib = t.lookup(...b);
      expect(ib, `${a} vs ${b}`).not.toBe(ia);
      expect([t.lookup(...a), t.lookup(...b)]).toEqual([ia, ib]);
      expect([t.encap[ib], t.vnid[ib]]).toEqual(b);
      expect(t.count).toBe(2);
    }
  });

  it('gives each of thousands of 32-bit ids its own tenant, through growth and interleaving', () => {
    const t = new TenantTable();
    const pairs: [number, number][] = [];
    // Ids spread over all 32 bits (the sign bit too), the same ids under each encap, and no-id tenants.
    for (let i = 0; i < 3000; i++) pairs.push([1 + (i % 4), (Math.imul(i >> 2, 0x9e3779b1) ^ (i & 1 ? 0x80000000 : 0)) >>> 0]);
    pairs.push([2, -1], [4, -1], [2, 0xffffffff], [4, 0xffffffff], [1, 0], [1, 0x80000000], [1, 0x7fffffff]);
    const expected = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      for (let i = pairs.length - 1; i >= 0; i -= round + 1) {
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
  });

  it('keys, labels and sorts 32-bit ids as unsigned numbers', () => {
    const t = new TenantTable();
    const top = t.lookup(2, 0xffffffff);
    const sign = t.lookup(2, 0x80000000);
    const none = t.lookup(2, -1);
    const small = t.lookup(2, 300);
    const wide = t.lookup(3, 0x1000000);
    expect(t.key(top)).toBe('vxlan:4294967295');
    expect(t.label(top)).toBe('VXLAN 4294967295 (0xffffffff)');
    expect(t.label(wide)).toBe('Geneve 16777216 (0x01000000)');
    expect(t.key(none)).toBe('vxlan:');
    expect(t.vnidOrNull(sign)).toBe(2147483648);
    expect(t.idOfKey('vxlan:4294967295')).toBe(top);
    expect(t.idOfKey('vxlan:2147483648')).toBe(sign);
    expect(t.sortedIds()).toEqual([wide, none, small, sign, top]);
  });

  it('refuses an id that is not 0..2^32-1 (or -1) and an encap that is not 0..255, rather than cut it', () => {
    const t = new TenantTable();
    t.lookup(1, 5);
    t.lookup(1, 0);
    for (const [e, v] of [[1, 0x100000005], [1, 2 ** 32], [1, -2], [1, 5.5], [1, NaN], [1, Infinity], [257, 5], [1.5, 5], [-1, 5]]) {
      expect(() => t.lookup(e, v), `${e}, ${v}`).toThrow(RangeError);
    }
    expect(t.count).toBe(2);
    expect(t.lookup(1, 5)).toBe(0);
  });
});
