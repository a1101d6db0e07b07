// Exact conversion of pcapng 64-bit timestamps (a count of units since 1970) into seconds plus
// nanoseconds. Nanosecond counts of today's dates exceed 2^53, so a plain double division would lose
// the low digits; every path here keeps its intermediates below 2^53 and never allocates, except the
// BigInt path reserved for resolutions finer than 2^-32 s.

import type { FrameRecord } from './types.ts';

/** A timestamp resolution, prepared once per interface so the per-frame work is arithmetic only. */
export class TsUnits {
  /** Units per second as a double (exact for every resolution the number path handles). */
  readonly perSec: number;
  /** 1e9 / perSec when that is an integer (10^-n with n <= 9), else 0. */
  readonly nsMul: number;
  /** Set only for resolutions above 2^32 units per second. */
  readonly big: bigint | null;
  /**
   * The second the last timestamp fell in, as [hi, lo at its start, lo at its end (exclusive), seconds]:
   * consecutive packets mostly share a second, and then the division is a subtraction. The start may be
   * negative or the end past 2^32 when the second straddles a change of hi; only this hi is ever matched.
   * A Float64Array rather than fields: storing non-Smi numbers in fields or module variables can allocate.
   */
  readonly last = Float64Array.of(-1, 0, 0, 0);

  private constructor(perSec: number, big: bigint | null) {
    this.perSec = perSec;
    this.big = big;
    this.nsMul = big === null && 1e9 % perSec === 0 ? 1e9 / perSec : 0;
  }

  static readonly MICRO = new TsUnits(1e6, null);

  /** From the if_tsresol byte: bit 7 clear means 10^-n seconds, set means 2^-n seconds. */
  static fromTsresol(v: number): TsUnits {
    const n = v & 0x7f;
    if (v & 0x80) {
      return n <= 32 ? new TsUnits(2 ** n, null) : new TsUnits(2 ** n, 1n << BigInt(n));
    }
    return n <= 9 ? new TsUnits(10 ** n, null) : new TsUnits(10 ** n, 10n ** BigInt(n));
  }
}

/** floor(a / b) for integers 0 <= a < 2^53, 0 < b; corrects a possible rounding of the double quotient. */
function div(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q--;
  else if ((q + 1) * b <= a) q++;
  return q;
}

/**
 * Sets rec.tsSec / rec.tsNsec from the 64-bit unit count hi*2^32 + lo (both unsigned 32-bit),
 * rounding sub-nanosecond resolutions down, then adds offsetSec (if_tsoffset).
 */
export function setTimestamp(rec: FrameRecord, hi: number, lo: number, u: TsUnits, offsetSec: number): void {
  if (u.big !== null) {
    setBig(rec, hi, lo, u.big, offsetSec);
    return;
  }
  const U = u.perSec;
  let sec: number;
  let rem: number;
  const last = u.last;
  if (hi === last[0] && lo >= last[1] && lo < last[2]) {
    sec = last[3];
    rem = lo - last[1];
  } else {
    if (hi < 0x1fffff) {
      // Below 2^53 - 2^32, so t and sec * U (<= t + U) are exact doubles.
      const t = hi * 4294967296 + lo;
      sec = div(t, U);
      rem = t - sec * U;
    } else {
      // Long division in 16-bit digits: each partial dividend is r * 2^16 + digit < 2^48 + 2^16.
      let r = hi >>> 16;
      const q3 = div(r, U);
      r = (r - q3 * U) * 65536 + (hi & 0xffff);
      const q2 = div(r, U);
      r = (r - q2 * U) * 65536 + (lo >>> 16);
      const q1 = div(r, U);
      r = (r - q1 * U) * 65536 + (lo & 0xffff);
      const q0 = div(r, U);
      rem = r - q0 * U;
      sec = ((q3 * 65536 + q2) * 65536 + q1) * 65536 + q0;
    }
    // Every value here is an integer below 2^33 (sec as computed above), so the cache holds it exactly.
    last[0] = hi; last[1] = lo - rem; last[2] = lo - rem + U; last[3] = sec;
  }
  rec.tsSec = sec + offsetSec;
  rec.tsNsec = u.nsMul > 0 ? rem * u.nsMul : fracToNs(rem, U);
}

/** floor(rem * 1e9 / U) for rem < U <= 2^32, split as 1e9 = 31250 * 32000 to stay below 2^47. */
function fracToNs(rem: number, U: number): number {
  const a = rem * 31250;
  const q1 = div(a, U);
  return q1 * 32000 + div((a - q1 * U) * 32000, U);
}

function setBig(rec: FrameRecord, hi: number, lo: number, U: bigint, offsetSec: number): void {
  const t = (BigInt(hi) << 32n) | BigInt(lo);
  rec.tsSec = Number(t / U) + offsetSec;
  rec.tsNsec = Number(((t % U) * 1_000_000_000n) / U);
}
