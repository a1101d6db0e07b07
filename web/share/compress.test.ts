import { describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { encodeBase64url } from './base64url.ts';
import { decodeCapture, deflateRaw, encodeCapture, inflateRaw } from './compress.ts';
import { MAX_EMBEDDED_BYTES } from './limits.ts';

function sample(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i % 97) ^ ((i >> 8) & 0xff);
  return b;
}

describe('embedded capture codec', () => {
  it('round-trips through deflate-raw and base64url, and reads what zlib writes', async () => {
    const b = sample(50_000);
    const text = await encodeCapture(b);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(text.length).toBeLessThan(b.length);
    const back = await decodeCapture(text);
    expect(back).toEqual({ ok: true, value: b });
    const fromZlib = await decodeCapture(Buffer.from(deflateRawSync(b)).toString('base64url'));
    expect(fromZlib).toEqual({ ok: true, value: b });
    expect(await inflateRaw(await deflateRaw(new Uint8Array(0)), 10)).toEqual({ ok: true, value: new Uint8Array(0) });
  });

  it('stops a decompression bomb at the limit instead of inflating it', async () => {
    // 64 MiB of zeros deflate to ~64 KB: a link-sized "bomb".
    const bomb = encodeBase64url(deflateRawSync(Buffer.alloc(64 * 1024 * 1024)));
    const r = await decodeCapture(bomb);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(new RegExp(`larger than ${MAX_EMBEDDED_BYTES / 1024 / 1024} MiB once decompressed`));
    const small = await decodeCapture(encodeBase64url(deflateRawSync(Buffer.alloc(1001))), 1000);
    expect(small.ok).toBe(false);
    const exact = await decodeCapture(encodeBase64url(deflateRawSync(Buffer.alloc(1000))), 1000);
    expect(exact.ok).toBe(true);
  });

  it('reports cut, damaged and non-base64url data clearly', async () => {
    const text = await encodeCapture(sample(20_000));
    const cut = await decodeCapture(text.slice(0, Math.floor(text.length / 2) - (Math.floor(text.length / 2) % 4)));
    expect(cut).toEqual({ ok: false, error: expect.stringMatching(/damaged or cut short/) });
    const junk = await decodeCapture('AAAAAAAA____');
    expect(junk.ok).toBe(false);
    expect(await decodeCapture('not base64!')).toEqual({ ok: false, error: expect.stringMatching(/not valid base64url/) });
    expect(await decodeCapture('')).toEqual({ ok: false, error: expect.stringMatching(/empty/) });
  });
});
