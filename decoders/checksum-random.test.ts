import { describe, expect, it } from 'vitest';
import { sumBytes } from './checksum.ts';
import { frameBuffer, simdBuffer } from './simd-sum.ts';

/** The RFC 1071 sum spelled out: big-endian 16-bit words, odd byte padded with zero, end-around carry. */
function referenceSum(b: Uint8Array, start: number, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i += 2) {
    s += (b[start + i] << 8) + (i + 1 < len ? b[start + i + 1] : 0);
    if (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  }
  return s;
}

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

describe('sumBytes against a reference sum', () => {
  // Runs long enough to need several word-loop blocks, over buffers large enough for the word path and small
  // ones for the byte loop, through views at every byteOffset mod 4 so both byte orders of the fix-up are hit.
  const r = rng(20240611);
  const backing = new Uint8Array(1 << 18);
  for (let i = 0; i < backing.length; i++) backing[i] = r() & 0xff;
  const views = [0, 1, 2, 3, 7, 4097].map((o) => new Uint8Array(backing.buffer, o, backing.length - o - 3));
  const small = new Uint8Array(9000);
  for (let i = 0; i < small.length; i++) small[i] = r() & 0xff;
  const smallViews = [small, small.subarray(1), small.subarray(3)];

  it('random lengths 0..70000 at random offsets, switching between buffers', () => {
    for (let n = 0; n < 600; n++) {
      const useSmall = n % 5 === 4;
      const b = useSmall ? smallViews[n % 3] : views[r() % views.length];
      // Mostly packet-sized runs, with a share of long ones (up to 70000) that cross block boundaries.
      const max = Math.min(b.length, useSmall ? b.length : n % 3 === 0 ? 70001 : 1600);
      const len = r() % max;
      const start = r() % (b.length - len + 1);
      expect(sumBytes(b, start, len), `n ${n} off ${b.byteOffset} start ${start} len ${len}`)
        .toBe(referenceSum(b, start, len));
    }
  });

  it('every length 0..200 at every start 0..7, and every length around the word-loop edges', () => {
    for (const b of [views[0], views[1], views[2], views[3], small]) {
      for (let start = 0; start < 8; start++) {
        for (let len = 0; len <= 200; len++) expect(sumBytes(b, start, len)).toBe(referenceSum(b, start, len));
      }
      for (const len of [32767, 32768, 32769, 32770, 32771, 32772, 32773, 32774, 32775, 32776]) {
        if (len + 5 > b.length) continue;
        for (let start = 0; start < 5; start++) expect(sumBytes(b, start, len)).toBe(referenceSum(b, start, len));
      }
    }
  });

  it('all-ones runs up to 70000 bytes (the largest value every word can add)', () => {
    const ones = new Uint8Array(1 << 17).fill(0xff);
    for (const [start, len] of [[0, 70000], [1, 70000], [2, 69999], [3, 65536], [5, 32768 + 13], [0, 1 << 16]]) {
      expect(sumBytes(ones, start, len)).toBe(referenceSum(ones, start, len));
    }
  });
});

describe('sumBytes over WebAssembly frame buffers (the SIMD loop)', () => {
  const r = rng(777);
  const wasm = frameBuffer(1 << 20);
  for (let i = 0; i < wasm.length; i++) wasm[i] = r() & 0xff;
  const ones = frameBuffer(300_000).fill(0xff);

  it('the buffers are in WebAssembly memory on this platform', () => {
    expect(wasm.buffer).toBe(simdBuffer());
    expect(simdBuffer()).not.toBeNull();
  });

  it('random lengths and offsets, every start 0..31 with lengths 0..300, and views at odd offsets', () => {
    const views = [wasm, wasm.subarray(1), wasm.subarray(15), wasm.subarray(16), wasm.subarray(4097)];
    for (let n = 0; n < 800; n++) {
      const b = views[n % views.length];
      const len = r() % (n % 4 === 0 ? 300_000 : 1600);
      const start = r() % (b.length - len + 1);
      expect(sumBytes(b, start, len), `n ${n} off ${b.byteOffset} start ${start} len ${len}`).toBe(referenceSum(b, start, len));
    }
    for (let start = 0; start < 32; start++) {
      for (let len = 0; len <= 300; len++) expect(sumBytes(wasm, start, len)).toBe(referenceSum(wasm, start, len));
    }
  });

  it('all-ones runs across several SIMD blocks', () => {
    for (const [start, len] of [[0, 299_000], [1, 262_144], [3, 262_160], [16, 65_536], [7, 70_001]]) {
      expect(sumBytes(ones, start, len)).toBe(referenceSum(ones, start, len));
    }
  });
});
