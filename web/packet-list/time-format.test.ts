import { describe, expect, it } from 'vitest';
import { TIME_FORMATS } from '../prefs/view-prefs.ts';
import { formatTime, timeColumnWidth, type RowTimes } from './time-format.ts';

// 2025-11-24T16:00:00.123456789Z, 1.5 s into the capture.
const ROW: RowTimes = { time: 1.5, epoch: { sec: 1764000000, nsec: 123_456_789 }, delta: 0.25, deltaShown: 0.75 };
const PARIS = (): number => 60; // UTC+1 in November
const NEW_YORK = (): number => -300;

describe('formatTime', () => {
  it('shows each of Wireshark\'s time display formats', () => {
    expect(formatTime(ROW, 'relative', PARIS)).toBe('1.500000');
    expect(formatTime(ROW, 'delta', PARIS)).toBe('0.250000');
    expect(formatTime(ROW, 'delta-displayed', PARIS)).toBe('0.750000');
    expect(formatTime(ROW, 'epoch', PARIS)).toBe('1764000000.123456');
    expect(formatTime(ROW, 'utc', PARIS)).toBe('2025-11-24 16:00:00.123456');
    expect(formatTime(ROW, 'utc-time-of-day', PARIS)).toBe('16:00:00.123456');
    expect(formatTime(ROW, 'absolute', PARIS)).toBe('2025-11-24 17:00:00.123456');
    expect(formatTime(ROW, 'time-of-day', PARIS)).toBe('17:00:00.123456');
    // West of UTC the local date can be the day before.
    const early = { ...ROW, epoch: { sec: 1764000000 - 16 * 3600 + 60, nsec: 5_000 } };
    expect(formatTime(early, 'absolute', NEW_YORK)).toBe('2025-11-23 19:01:00.000005');
    expect(formatTime(early, 'utc', NEW_YORK)).toBe('2025-11-24 00:01:00.000005');
  });

  it('truncates to the microsecond, so a time never reads later than it is', () => {
    const r = { ...ROW, epoch: { sec: 1764000059, nsec: 999_999_999 } };
    expect(formatTime(r, 'utc')).toBe('2025-11-24 16:00:59.999999');
    expect(formatTime(r, 'epoch')).toBe('1764000059.999999');
  });

  it('leaves the cell empty for a frame without a timestamp', () => {
    const none: RowTimes = { time: null, epoch: null, delta: null, deltaShown: null };
    for (const f of TIME_FORMATS) expect(formatTime(none, f.id)).toBe('');
  });

  it('gives a column width for every format, wide enough for a date where there is one', () => {
    for (const f of TIME_FORMATS) expect(timeColumnWidth(f.id)).toBeGreaterThanOrEqual(90);
    expect(timeColumnWidth('absolute')).toBeGreaterThan(timeColumnWidth('relative'));
  });
});
