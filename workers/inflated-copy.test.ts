// The kept copy of a gzip capture's inflated bytes is exactly what was added, in order, across the
// staging buffer's boundaries.
import { describe, expect, it } from 'vitest';
import { InflatedCopy } from './inflated-copy.ts';

describe('InflatedCopy', () => {
  it('gives back every byte added, in order, in pieces of any size', async () => {
    const total = 20 * 1024 * 1024 + 17;
    const all = new Uint8Array(total);
    for (let i = 0; i < total; i++) all[i] = (i * 2654435761) >>> 24;
    const copy = new InflatedCopy();
    const reused = new Uint8Array(1_000_003); // the reader's pieces may share one buffer
    for (let o = 0, k = 0; o < total; k++) {
      const n = Math.min(total - o, [1, 65536, 1_000_003, 7][k % 4]);
      reused.set(all.subarray(o, o + n));
      copy.add(reused.subarray(0, n));
      o += n;
    }
    const back = new Uint8Array(await copy.blob().arrayBuffer());
    expect(back.length).toBe(total);
    expect(back.every((v, i) => v === all[i])).toBe(true);
  });

  it('is empty when nothing was added', async () => {
    expect((await new InflatedCopy().blob().arrayBuffer()).byteLength).toBe(0);
  });
});
