// Sorting the Conversations and Endpoints tables by a column, as Wireshark's do on a header click: numbers as
// numbers, addresses as addresses (IPv4 by value, then IPv6 by its 16 bytes, MAC by its 6), tenants and
// other text with their digits read as numbers (`vxlan 300` before `vxlan 1000`). The engine's order (busiest
// first) is the order before any click, and ties keep it (the sort is stable).
import { parseIpv4, parseIpv6 } from '../../decoders/filter/values.ts';

export type SortKind = 'num' | 'addr' | 'text';
export type SortDir = 'ascending' | 'descending';
export interface SortState { col: string; dir: SortDir }

const text = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const MAC = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;

/** An address as bytes behind a family rank (IPv4, IPv6, MAC), or null when it is none of them. */
function addrKey(s: string): number[] | null {
  const v4 = parseIpv4(s);
  if (!Number.isNaN(v4)) return [0, v4];
  if (MAC.test(s)) return [2, ...s.split(/[:-]/).map((h) => parseInt(h, 16))];
  const v6 = parseIpv6(s);
  if (v6 !== null) return [1, ...v6];
  return null;
}

export function compareAddr(a: string, b: string): number {
  const x = addrKey(a), y = addrKey(b);
  if (x === null || y === null) return x !== null ? -1 : y !== null ? 1 : text.compare(a, b);
  for (let i = 0; i < x.length && i < y.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** Compares two cell values of one kind; an empty one (null: no port, no tenant) sorts first. */
export function compareValues(kind: SortKind, a: string | number | null, b: string | number | null): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : -1) : 1;
  if (kind === 'num') return Number(a) - Number(b);
  if (kind === 'addr') return compareAddr(String(a), String(b));
  return text.compare(String(a), String(b));
}

/** The rows in the order of `sort` (a new array), or as given when nothing is sorted. */
export function sortRows<R>(rows: readonly R[], sort: SortState | null, columns: ReadonlyArray<{ id: string; kind: SortKind; value: (r: R) => string | number | null }>): R[] {
  const c = sort === null ? undefined : columns.find((x) => x.id === sort.col);
  if (sort === null || c === undefined) return [...rows];
  const sign = sort.dir === 'ascending' ? 1 : -1;
  return rows
    .map((r, i) => [r, i] as const)
    .sort(([x, i], [y, j]) => sign * compareValues(c.kind, c.value(x), c.value(y)) || i - j)
    .map(([r]) => r);
}

/** A header click: a new column sorts ascending, the sorted one flips. */
export function nextSort(cur: SortState | null, col: string): SortState {
  return cur !== null && cur.col === col ? { col, dir: cur.dir === 'ascending' ? 'descending' : 'ascending' } : { col, dir: 'ascending' };
}
