import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256, sha256Blob } from './sha256.ts';

const nodeHex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('SHA-256', () => {
  it('gives the FIPS 180-4 test vectors', () => {
    expect(new Sha256().digestHex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(new Sha256().update(new TextEncoder().encode('abc')).digestHex()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(new Sha256().update(new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).digestHex())
      .toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    const million = new Uint8Array(1_000_000).fill(0x61);
    expect(new Sha256().update(million).digestHex()).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('agrees with Node for every length around block boundaries, fed in uneven pieces', () => {
    for (let n = 0; n < 300; n++) {
      const b = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      const h = new Sha256();
      for (let p = 0; p < n; p += 7 + (p % 13)) h.update(b.subarray(p, Math.min(n, p + 7 + (p % 13))));
      expect(h.digestHex()).toBe(nodeHex(b));
    }
  });

  it('hashes a Blob the same way natively (small) and incrementally (large), by slices', async () => {
    const b = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 7) & 0xff);
    const blob = new Blob([b]);
    const want = nodeHex(b);
    const progress: number[] = [];
    expect(await sha256Blob(blob, { sliceBytes: 1 << 20, onProgress: (d) => progress.push(d) })).toBe(want);
    expect(progress[progress.length - 1]).toBe(b.length);
    expect(await sha256Blob(blob, { sliceBytes: 100_003, subtleMaxBytes: 1024 })).toBe(want);
    expect(await sha256Blob(new Blob([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const ac = new AbortController();
    ac.abort();
    await expect(sha256Blob(blob, { signal: ac.signal })).rejects.toThrow(/cancelled/);
  });

  it('refuses use after digest', () => {
    const h = new Sha256();
    h.digestHex();
    expect(() => h.update(new Uint8Array(1))).toThrow();
    expect(() => h.digestHex()).toThrow();
  });
});
