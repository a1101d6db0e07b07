import { describe, expect, it } from 'vitest';
import { bucketAt, fraction, pickBucket } from './pick.ts';

describe('chart picks', () => {
  it('take recharts\' index under the pointer when it has one', () => {
    const got: number[] = [];
    pickBucket({ activeTooltipIndex: '3' }, { clientX: 0 }, 10, 'band', (i) => got.push(i));
    pickBucket({ activeTooltipIndex: 12 }, undefined, 10, 'band', (i) => got.push(i));
    pickBucket({ activeTooltipIndex: undefined }, undefined, 10, 'band', (i) => got.push(i));
    expect(got).toEqual([3]);
  });

  it('else read the bucket from where the click landed: bars split the plot, a line puts buckets at its points', () => {
    expect(fraction(150, 100, 200)).toBe(0.25);
    expect(fraction(99, 100, 200)).toBeNull();
    expect(fraction(301, 100, 200)).toBeNull();
    expect(fraction(150, 100, 0)).toBeNull();
    expect(bucketAt(0, 80, 'band')).toBe(0);
    expect(bucketAt(0.999, 80, 'band')).toBe(79);
    expect(bucketAt(1, 80, 'band')).toBe(79);
    expect(bucketAt(0.5, 4, 'band')).toBe(2);
    expect(bucketAt(0.5, 5, 'linear')).toBe(2);
    expect(bucketAt(0.2, 5, 'linear')).toBe(1);
    expect(bucketAt(0.3, 1, 'linear')).toBe(0);
  });
});
