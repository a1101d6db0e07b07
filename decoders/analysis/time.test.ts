import { describe, expect, it } from 'vitest';
import { diffSeconds, isoNanos } from './time.ts';

describe('isoNanos', () => {
  it('keeps nanoseconds exact', () => {
    expect(isoNanos(1763999999, 1)).toBe('2025-11-24T15:59:59.000000001Z');
    expect(isoNanos(1764000000, 999999999)).toBe('2025-11-24T16:00:00.999999999Z');
  });
  it('handles times before 1970', () => {
    expect(isoNanos(-1, 500000000)).toBe('1969-12-31T23:59:59.500000000Z');
  });
});

describe('diffSeconds', () => {
  it('subtracts seconds before adding the fraction', () => {
    expect(diffSeconds(1764000001, 5, 1764000000, 0)).toBeCloseTo(1.000000005, 12);
    expect(diffSeconds(1764000000, 0, 1764000000, 1)).toBeCloseTo(-1e-9, 15);
  });
});
