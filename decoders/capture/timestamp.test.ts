import { describe, expect, it } from 'vitest';
import { setTimestamp, TsUnits } from './timestamp.ts';
import type { FrameRecord } from './types.ts';

const rec = { tsSec: 0, tsNsec: 0 } as FrameRecord;

/** Deterministic xorshift so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

describe('setTimestamp', () => {
  const resolutions = [0, 1, 3, 6, 7, 9, 0x80, 0x80 | 1, 0x80 | 10, 0x80 | 20, 0x80 | 29, 0x80 | 30, 0x80 | 31, 0x80 | 32, 10, 12, 15, 0x80 | 33, 0x80 | 48, 0x80 | 64];
  for (const r of resolutions) {
    it(`matches BigInt floor division for if_tsresol 0x${r.toString(16)}`, () => {
      const u = TsUnits.fromTsresol(r);
      const units = r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
      const next = rng(r + 1);
      const his = [0, 1, 0x1ffffe, 0x1fffff, 0x200000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
      const los = [0, 1, 999_999_999, 0x7fffffff, 0xffffffff];
      const pairs: [number, number][] = [];
      for (const hi of his) for (const lo of los) pairs.push([hi, lo]);
      for (let i = 0; i < 2000; i++) pairs.push([next() >>> (next() % 32), next()]);
      for (const [hi, lo] of pairs) {
        const t = (BigInt(hi) << 32n) | BigInt(lo);
        const sec = t / units;
        const ns = Number(((t % units) * 1_000_000_000n) / units);
        setTimestamp(rec, hi, lo, u, 0);
        if (sec < 2n ** 53n) expect([rec.tsSec, rec.tsNsec], `t=${t}`).toEqual([Number(sec), ns]);
        else expect(rec.tsNsec, `t=${t}`).toBe(ns);
      }
    });
  }

  it('adds the offset to the seconds only', () => {
    setTimestamp(rec, 0, 1_500_000, TsUnits.fromTsresol(6), -10);
    expect([rec.tsSec, rec.tsNsec]).toEqual([-9, 500_000_000]);
  });

  it('reports units per second', () => {
    expect(TsUnits.fromTsresol(6).perSec).toBe(1e6);
    expect(TsUnits.fromTsresol(9).perSec).toBe(1e9);
    expect(TsUnits.fromTsresol(0x80 | 20).perSec).toBe(1048576);
    expect(TsUnits.MICRO.perSec).toBe(1e6);
  });
});
