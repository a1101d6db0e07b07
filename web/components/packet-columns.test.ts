import { describe, expect, it } from 'vitest';
import { buildColumns, cellText, columnList, placeholder, type GridRow } from './packet-columns.ts';

const ROW: GridRow = {
  ...placeholder(0), n: 7, time: 1.25, epoch: { sec: 1764000000, nsec: 5_000_000 }, delta: 0.5, deltaShown: 0.75,
  src: '10.0.0.1', length: 98, flowId: 3, custom: { 'ip.ttl': { text: '64,63', filter: 'ip.ttl == 64' } },
};

describe('packet list columns', () => {
  it('put custom columns before Info, which stays last to take the width left', () => {
    const custom = [{ field: 'ip.ttl', title: 'Time to Live' }];
    expect(columnList(custom).map((c) => c.id)).toEqual([
      'no', 'time', 'src', 'dst', 'outerSrc', 'outerDst', 'protocol', 'length', 'tenant', 'flowId', 'checks', 'custom:ip.ttl', 'info',
    ]);
    expect(buildColumns('relative', custom).map((c) => c.id)).toEqual(columnList(custom).map((c) => c.id));
  });

  it('show each cell in the time format chosen, custom cells by field', () => {
    expect(cellText('time', ROW, 'relative')).toBe('1.250000');
    expect(cellText('time', ROW, 'delta-displayed')).toBe('0.750000');
    expect(cellText('time', ROW, 'utc')).toBe('2025-11-24 16:00:00.005000');
    expect(cellText('no', ROW, 'relative')).toBe('7');
    expect(cellText('flowId', ROW, 'relative')).toBe('3');
    expect(cellText('custom:ip.ttl', ROW, 'relative')).toBe('64,63');
    expect(cellText('custom:tcp.window_size', ROW, 'relative')).toBe('');
    // A row still on its way shows nothing.
    expect(['no', 'length', 'time', 'custom:ip.ttl'].map((c) => cellText(c, placeholder(3), 'relative'))).toEqual(['', '', '', '']);
  });

  it('widen the Time column for a format with a date', () => {
    const width = (f: 'relative' | 'absolute') => buildColumns(f, []).find((c) => c.id === 'time')?.size ?? 0;
    expect(width('absolute')).toBeGreaterThan(width('relative'));
  });
});
