import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from './base64url.ts';

describe('base64url', () => {
  it('matches Node for every length 0..300 and round-trips', () => {
    for (let n = 0; n <= 300; n++) {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = (i * 151 + n * 7) & 0xff;
      const text = encodeBase64url(b);
      expect(text).toBe(Buffer.from(b).toString('base64url'));
      expect(decodeBase64url(text)).toEqual(b);
    }
  });

  it('encodes long input (chunked string building)', () => {
    const b = new Uint8Array(100_000).map((_, i) => (i * 13) & 0xff);
    expect(encodeBase64url(b)).toBe(Buffer.from(b).toString('base64url'));
  });

  it('refuses other alphabets, padding, impossible lengths and non-canonical tails', () => {
    expect(decodeBase64url('ab+c')).toBeNull(); // standard base64 character
    expect(decodeBase64url('ab/c')).toBeNull();
    expect(decodeBase64url('YQ==')).toBeNull(); // padding
    expect(decodeBase64url('abcde')).toBeNull(); // length % 4 == 1
    expect(decodeBase64url('YR')).toBeNull(); // 'a' is YQ; YR has stray low bits
    expect(decodeBase64url('é')).toBeNull();
    expect(decodeBase64url('')).toEqual(new Uint8Array(0));
  });
});
