// SHA-256 fingerprints of captures for `sha256=` links.
//
// WebCrypto has no incremental digest: crypto.subtle.digest() needs the whole input in one buffer. So
// a Blob up to SUBTLE_HASH_MAX_BYTES is read (by slices) into one buffer and hashed natively; a larger
// one is hashed by the incremental SHA-256 below, slice by slice, in constant memory. Both give the same
// hex digest (`sha256sum` prints it too).
import { SUBTLE_HASH_MAX_BYTES } from './limits.ts';

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** Incremental SHA-256 (FIPS 180-4). */
export class Sha256 {
  private readonly h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  private readonly w = new Uint32Array(64);
  private readonly block = new Uint8Array(64);
  private blockLen = 0;
  private total = 0;
  private finished = false;

  update(data: Uint8Array): this {
    if (this.finished) throw new Error('Sha256: update after digest');
    this.total += data.length;
    let p = 0;
    if (this.blockLen > 0) {
      const take = Math.min(64 - this.blockLen, data.length);
      this.block.set(data.subarray(0, take), this.blockLen);
      this.blockLen += take;
      p = take;
      if (this.blockLen < 64) return this;
      this.compress(this.block, 0);
      this.blockLen = 0;
    }
    for (; p + 64 <= data.length; p += 64) this.compress(data, p);
    if (p < data.length) {
      this.block.set(data.subarray(p), 0);
      this.blockLen = data.length - p;
    }
    return this;
  }

  /** Lower-case hex digest. */
  digestHex(): string {
    if (this.finished) throw new Error('Sha256: digest twice');
    const bits = this.total * 8;
    const pad = new Uint8Array((this.blockLen < 56 ? 56 : 120) - this.blockLen + 8);
    pad[0] = 0x80;
    const n = pad.length;
    // 64-bit big-endian length in bits (exact up to 2^53).
    const hi = Math.floor(bits / 0x100000000);
    const lo = bits >>> 0;
    pad[n - 8] = hi >>> 24; pad[n - 7] = (hi >>> 16) & 255; pad[n - 6] = (hi >>> 8) & 255; pad[n - 5] = hi & 255;
    pad[n - 4] = lo >>> 24; pad[n - 3] = (lo >>> 16) & 255; pad[n - 2] = (lo >>> 8) & 255; pad[n - 1] = lo & 255;
    const total = this.total;
    this.update(pad);
    this.total = total;
    this.finished = true;
    let out = '';
    for (const x of this.h) out += x.toString(16).padStart(8, '0');
    return out;
  }

  private compress(b: Uint8Array, p: number): void {
    const w = this.w;
    for (let i = 0; i < 16; i++, p += 4) w[i] = (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15], y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    const h = this.h;
    let a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & bb) ^ (a & c) ^ (bb & c);
      const t2 = (S0 + maj) | 0;
      hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
    }
    h[0] += a; h[1] += bb; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
}

export interface HashOptions {
  /** Bytes read per Blob slice. Default 8 MiB. */
  sliceBytes?: number;
  /** Blobs up to this size are hashed with crypto.subtle in one go. */
  subtleMaxBytes?: number;
  onProgress?: (hashed: number, total: number) => void;
  signal?: AbortSignal;
}

/** Hex SHA-256 of a Blob (File), read by slices. Throws only when reading fails or is cancelled. */
export async function sha256Blob(blob: Blob, opts: HashOptions = {}): Promise<string> {
  const slice = Math.max(64, opts.sliceBytes ?? 8 * 1024 * 1024);
  const subtleMax = opts.subtleMaxBytes ?? SUBTLE_HASH_MAX_BYTES;
  const size = blob.size;
  if (size <= subtleMax && globalThis.crypto?.subtle !== undefined) {
    const all = new Uint8Array(size);
    for (let p = 0; p < size; p += slice) {
      if (opts.signal?.aborted) throw new Error('hashing cancelled');
      const part = new Uint8Array(await blob.slice(p, Math.min(size, p + slice)).arrayBuffer());
      all.set(part, p);
      opts.onProgress?.(Math.min(size, p + slice), size);
    }
    return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', all)));
  }
  const h = new Sha256();
  for (let p = 0; p < size; p += slice) {
    if (opts.signal?.aborted) throw new Error('hashing cancelled');
    h.update(new Uint8Array(await blob.slice(p, Math.min(size, p + slice)).arrayBuffer()));
    opts.onProgress?.(Math.min(size, p + slice), size);
  }
  return h.digestHex();
}

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}
