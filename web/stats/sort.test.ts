// The Conversations/Endpoints sort: addresses by value (not as text: 10.0.0.9 before 10.0.0.10), IPv4 before IPv6,
// numbers as numbers, tenants with their ids as numbers, empty cells first, ties in the engine's order, and a
// header click that sorts a new column ascending and flips the sorted one.
import { describe, expect, it } from 'vitest';
import { compareAddr, compareValues, nextSort, sortRows, type SortKind } from './sort.ts';

describe('stats table sort', () => {
  it('orders IPv4 numerically, then IPv6 by bytes, MAC addresses by bytes', () => {
    const addrs = ['10.0.0.10', '2001:db8::10', '9.255.0.1', '10.0.0.9', '2001:db8::9', '::1', '192.168.1.2'];
    expect([...addrs].sort(compareAddr)).toEqual(['9.255.0.1', '10.0.0.9', '10.0.0.10', '192.168.1.2', '::1', '2001:db8::9', '2001:db8::10']);
    expect(['00:15:5d:00:00:0a', '00:15:5d:00:00:02', '00:15:5d:00:01:00'].sort(compareAddr)).toEqual(['00:15:5d:00:00:02', '00:15:5d:00:00:0a', '00:15:5d:00:01:00']);
    expect(compareAddr('10.0.0.1', 'not an address')).toBeLessThan(0);
  });

  it('numbers as numbers, text with numeric ids, empty cells first', () => {
    expect([100, 9, 1000, 20].sort((a, b) => compareValues('num', a, b))).toEqual([9, 20, 100, 1000]);
    expect(['VXLAN 1000', 'VXLAN 300', 'NVGRE 5001'].sort((a, b) => compareValues('text', a, b))).toEqual(['NVGRE 5001', 'VXLAN 300', 'VXLAN 1000']);
    expect([443, null, 80].sort((a, b) => compareValues('num', a, b))).toEqual([null, 80, 443]);
  });

  it('sorts rows by a column either way, ties keeping the given order', () => {
    const rows = [{ n: 'x', a: '10.0.0.10', p: 5 }, { n: 'y', a: '10.0.0.9', p: 7 }, { n: 'z', a: '10.0.0.2', p: 5 }];
    const cols: Array<{ id: string; kind: SortKind; value: (r: typeof rows[0]) => string | number }> = [
      { id: 'a', kind: 'addr', value: (r) => r.a }, { id: 'p', kind: 'num', value: (r) => r.p },
    ];
    expect(sortRows(rows, null, cols).map((r) => r.n)).toEqual(['x', 'y', 'z']);
    expect(sortRows(rows, { col: 'a', dir: 'ascending' }, cols).map((r) => r.n)).toEqual(['z', 'y', 'x']);
    expect(sortRows(rows, { col: 'a', dir: 'descending' }, cols).map((r) => r.n)).toEqual(['x', 'y', 'z']);
    expect(sortRows(rows, { col: 'p', dir: 'ascending' }, cols).map((r) => r.n)).toEqual(['x', 'z', 'y']);
    expect(sortRows(rows, { col: 'p', dir: 'descending' }, cols).map((r) => r.n)).toEqual(['y', 'x', 'z']);
  });

  it('a header click sorts a new column ascending and flips the sorted one', () => {
    expect(nextSort(null, 'bytes')).toEqual({ col: 'bytes', dir: 'ascending' });
    expect(nextSort({ col: 'bytes', dir: 'ascending' }, 'bytes')).toEqual({ col: 'bytes', dir: 'descending' });
    expect(nextSort({ col: 'bytes', dir: 'descending' }, 'bytes')).toEqual({ col: 'bytes', dir: 'ascending' });
    expect(nextSort({ col: 'bytes', dir: 'descending' }, 'a')).toEqual({ col: 'a', dir: 'ascending' });
  });
});
