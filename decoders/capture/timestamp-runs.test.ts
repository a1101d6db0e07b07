import { describe, expect, it } from 'vitest';
import { setTimestamp, TsUnits } from './timestamp.ts';
import type { FrameRecord } from './types.ts';

// setTimestamp remembers the second of the previous call; runs of close timestamps (the normal case) must
// give the same answers as isolated calls, including across second boundaries and a carry into hi.
describe('setTimestamp over runs of nearby timestamps', () => {
  const rec = { tsSec: 0, tsNsec: 0 } as FrameRecord;
  for (const r of [6, 9, 3, 0, 0x80 | 20, 0x80 | 32]) {
    it(`matches BigInt division for if_tsresol 0x${r.toString(16)}`, () => {
      const u = TsUnits.fromTsresol(r);
      const units = r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
      const U = Number(units);
      // Starts just below a change of hi, near 2^53 units (long-division path) and at small values.
      const starts = [2n ** 32n * 0x5a5an - 3n * units / 2n, 2n ** 32n * 0x1ffffen + 0xfffff000n, 2n ** 32n * 0x200000n - 7n, 5n];
      for (const t0 of starts) {
        let t = t0;
        const step = BigInt(Math.max(1, Math.floor(U / 7)));
        for (let i = 0; i < 200; i++) {
          // Mostly forward steps of a fraction of a second, sometimes a step back (reordered packets).
          t = i % 17 === 16 ? t - step * 3n : t + step + BigInt(i % 5);
          if (t < 0n) t = 0n;
          const hi = Number(t >> 32n), lo = Number(t & 0xffffffffn);
          setTimestamp(rec, hi, lo, u, 0);
          const ns = Number(((t % units) * 1_000_000_000n) / units);
          expect([rec.tsSec, rec.tsNsec], `t=${t}`).toEqual([Number(t / units), ns]);
        }
      }
    });
  }
});
