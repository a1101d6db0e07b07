import { describe, expect, it } from 'vitest';
import { frameBuffer, releaseFrameBuffer, simdBuffer, simdSum } from './simd-sum.ts';

describe('frame buffers in WebAssembly memory', () => {
  it('hands out disjoint buffers, reuses released ones, and falls back to ordinary arrays when full', () => {
    const a = frameBuffer(1000);
    const b = frameBuffer(1000);
    expect(a.buffer).toBe(simdBuffer());
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 1000);
    expect(b.byteOffset % 16).toBe(0);
    releaseFrameBuffer(a);
    expect(frameBuffer(1000)).toBe(a);
    // 64 MiB in all: a run of 4 MiB buffers ends in ordinary arrays, never in a grown (detaching) memory.
    const big: Uint8Array[] = [];
    for (let i = 0; i < 20; i++) big.push(frameBuffer(4 << 20));
    expect(big.some((x) => x.buffer !== simdBuffer())).toBe(true);
    expect(big.every((x) => x.length === 4 << 20)).toBe(true);
    expect(a.length).toBe(1000); // not detached
    for (const x of big) releaseFrameBuffer(x);
  });

  it('simdSum weighs each byte by its address parity', () => {
    const v = frameBuffer(64);
    v.fill(0);
    v[0] = 1; v[1] = 1; v[2] = 2; v[33] = 3; v[63] = 1;
    const p = v.byteOffset; // 16-aligned: even addresses weigh 1, odd 256
    expect(simdSum(p, 64)).toBe(1 + 256 + 2 + 3 * 256 + 256);
    expect(simdSum(p + 1, 2)).toBe(256 + 2);
  });
});
