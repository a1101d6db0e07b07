import { describe, expect, it } from 'vitest';
import {
  expectedFrom, fold, internetChecksum, lastCheck, pseudoIpv4, pseudoIpv6, sumBytes, verdictPlain, verdictPseudo,
} from './checksum.ts';
import { naiveSum } from './layers/testkit.ts';
import { V_BAD, V_GOOD, V_PARTIAL, V_UNVERIFIED, V_ZERO } from './summary.ts';

function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x & 0xff;
  };
}

function random(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length: n }, r);
}

describe('sumBytes', () => {
  it('matches a naive big-endian 16-bit sum at every alignment and length', () => {
    // Large enough for the word path (small buffers take the byte loop; tested too).
    const big = random(1 << 17, 7);
    const small = random(4096, 8);
    // Views with odd and even byteOffsets into one ArrayBuffer: the word path must fix byte order either way.
    for (const [buf, viewOff] of [[big, 0], [big, 1], [big, 2], [big, 3], [big, 5], [small, 1]] as const) {
      const view = new Uint8Array(buf.buffer, viewOff + (buf.length > 70000 ? 60000 : 0), 4096 - viewOff);
      for (let start = 0; start < 9; start++) {
        for (const len of [0, 1, 2, 3, 7, 47, 48, 49, 50, 63, 64, 65, 100, 511, 1499, 1500, 1501, 4000]) {
          if (start + len > view.length) continue;
          expect(sumBytes(view, start, len), `view ${viewOff} start ${start} len ${len}`)
            .toBe(naiveSum(view.subarray(start, start + len)));
        }
      }
    }
  });

  it('handles all-ones data (end-around carry on every word) and all zeros', () => {
    const ones = new Uint8Array(3000).fill(0xff);
    expect(sumBytes(ones, 1, 2001)).toBe(naiveSum(ones.subarray(1, 2002)));
    expect(sumBytes(new Uint8Array(300), 0, 300)).toBe(0);
  });

  it('survives switching between buffers and views (the cached word views follow them)', () => {
    const bufs = [random(1 << 16, 1), random(1 << 17, 2), random(1 << 16, 3), random(300, 4)];
    for (let i = 0; i < 12; i++) {
      const b = bufs[(i * 7) % bufs.length];
      const view = i % 2 ? b.subarray(i, b.length - 1) : b;
      expect(sumBytes(view, 3 + i, 250)).toBe(naiveSum(view.subarray(3 + i, 253 + i)));
    }
  });

  it('RFC 1071 example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2', () => {
    const d = Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    expect(sumBytes(d, 0, 8)).toBe(0xddf2);
    expect(internetChecksum(d, 0, 8)).toBe(0x220d);
  });
});

describe('fold', () => {
  it('keeps 0, maps non-zero multiples of 0xffff to 0xffff', () => {
    expect(fold(0)).toBe(0);
    expect(fold(0xffff)).toBe(0xffff);
    expect(fold(0x1fffe)).toBe(0xffff);
    expect(fold(0x10000)).toBe(1);
    expect(fold(2 ** 40 + 5)).toBe(naiveSum([], 2 ** 40 + 5));
  });
});

describe('pseudo-header sums', () => {
  it('IPv4 and IPv6 match a naive sum of the RFC 768 / RFC 8200 pseudo-header', () => {
    const b = random(64, 3);
    const ph4 = [...b.subarray(0, 4), ...b.subarray(8, 12), 0, 6, 0x05, 0xdc];
    expect(fold(pseudoIpv4(b, 0, 8, 6, 1500))).toBe(naiveSum(ph4));
    const ph6 = [...b.subarray(0, 16), ...b.subarray(32, 48), 0, 1, 0, 4, 0, 0, 0, 17];
    expect(fold(pseudoIpv6(b, 0, 32, 17, 0x10004))).toBe(naiveSum(ph6));
  });
});

// A transport segment whose checksum field (at 6) we set to various values.
function segment(fieldValue: (good: number, ph: number) => number, pseudo: number): Uint8Array {
  const seg = random(101, 9);
  seg[6] = 0; seg[7] = 0;
  const good = ~naiveSum(seg, pseudo) & 0xffff;
  const v = fieldValue(good, naiveSum([], pseudo));
  seg[6] = v >> 8; seg[7] = v & 0xff;
  return seg;
}

describe('verdictPseudo', () => {
  const pseudo = 0x1234 + 0xabcd + 17 + 101;
  it('good, bad (with the expected value), zero', () => {
    const good = segment((g) => g, pseudo);
    expect(verdictPseudo(good, 0, 101, 101, pseudo, 6, false)).toBe(V_GOOD);
    const bad = segment((g) => g ^ 0x0f0f, pseudo);
    expect(verdictPseudo(bad, 0, 101, 101, pseudo, 6, false)).toBe(V_BAD);
    const field = (bad[6] << 8) | bad[7];
    expect(expectedFrom(lastCheck.sum, field)).toBe(field ^ 0x0f0f);
    const zero = segment(() => 0, pseudo);
    expect(verdictPseudo(zero, 0, 101, 101, pseudo, 6, false)).toBe(V_ZERO);
  });

  it('partial: the field holds the pseudo-header sum, plain or complemented', () => {
    expect(verdictPseudo(segment((_g, ph) => ph, pseudo), 0, 101, 101, pseudo, 6, false)).toBe(V_PARTIAL);
    expect(verdictPseudo(segment((_g, ph) => ~ph & 0xffff, pseudo), 0, 101, 101, pseudo, 6, false)).toBe(V_PARTIAL);
  });

  it('partial: large-send offload seeds the pseudo-header sum without the length', () => {
    const noLen = naiveSum([], pseudo - 101);
    expect(verdictPseudo(segment(() => noLen, pseudo), 0, 101, 101, pseudo, 6, false)).toBe(V_PARTIAL);
    expect(verdictPseudo(segment(() => ~noLen & 0xffff, pseudo), 0, 101, 101, pseudo, 6, false)).toBe(V_PARTIAL);
  });

  it('UDP zero means "no checksum" even when bytes are missing', () => {
    const zero = segment(() => 0, pseudo);
    expect(verdictPseudo(zero, 0, 101, 50, pseudo, 6, true)).toBe(V_ZERO);
  });

  it('unverified when the data or the field was not captured', () => {
    const good = segment((g) => g, pseudo);
    expect(verdictPseudo(good, 0, 101, 100, pseudo, 6, false)).toBe(V_UNVERIFIED);
    expect(verdictPseudo(good, 0, 101, 7, pseudo, 6, true)).toBe(V_UNVERIFIED);
  });
});

describe('verdictPlain', () => {
  it('good, bad, zero, unverified', () => {
    const d = random(60, 11);
    d[2] = 0; d[3] = 0;
    const good = internetChecksum(d, 0, 60);
    d[2] = good >> 8; d[3] = good & 0xff;
    expect(verdictPlain(d, 0, 60, 60, 2)).toBe(V_GOOD);
    expect(verdictPlain(d, 0, 60, 59, 2)).toBe(V_UNVERIFIED);
    d[2] ^= 0x80;
    expect(verdictPlain(d, 0, 60, 60, 2)).toBe(V_BAD);
    expect(expectedFrom(lastCheck.sum, (d[2] << 8) | d[3])).toBe(good);
    d[2] = 0; d[3] = 0;
    expect(verdictPlain(d, 0, 60, 60, 2)).toBe(good === 0 ? V_GOOD : V_ZERO);
  });
});
