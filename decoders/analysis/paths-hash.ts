// A two-lane 32-bit hash (murmur3-style mixing) for the keys of "where did it break": 53 bits fit a double
// exactly, so keys live in Float64Arrays and compare with ===. One reused instance per use: nothing allocates
// per frame.

export class Hash53 {
  private a = 0;
  private b = 0;
  private n = 0;

  reset(seed = 0): this {
    this.a = seed ^ 0x9e3779b9;
    this.b = Math.imul(seed, 0x85ebca6b) ^ 0x27d4eb2f;
    this.n = 0;
    return this;
  }

  /** Adds a 32-bit word (any number: its low 32 bits). */
  word(v: number): this {
    let k = Math.imul(v | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    let a = this.a ^ k;
    a = (a << 13) | (a >>> 19);
    this.a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    let b = this.b ^ Math.imul((v | 0) ^ 0x5bd1e995, 0x85ebca6b);
    b = (b << 17) | (b >>> 15);
    this.b = (Math.imul(b, 0xc2b2ae35) + 0x165667b1) | 0;
    this.n++;
    return this;
  }

  /** Adds a number that may exceed 32 bits (up to 2^53): both halves. */
  num(v: number): this {
    return this.word(v).word(Math.floor(v / 4294967296));
  }

  /** Adds b[from, to), bytes [maskFrom, maskTo) read as 0 (a checksum field left out), and the length. */
  bytes(b: Uint8Array, from: number, to: number, maskFrom = -1, maskTo = -1): this {
    let p = from;
    const mf = maskFrom, mt = maskTo;
    if (mf < 0) {
      for (; p + 4 <= to; p += 4) this.word((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
    } else {
      for (; p + 4 <= to; p += 4) this.word((at(b, p, mf, mt) << 24) | (at(b, p + 1, mf, mt) << 16) | (at(b, p + 2, mf, mt) << 8) | at(b, p + 3, mf, mt));
    }
    let tail = 0;
    for (let s = 24; p < to; p++, s -= 8) tail |= at(b, p, mf, mt) << s;
    return this.word(tail).word(to - from);
  }

  /** The hash as a whole number below 2^53. */
  value53(): number {
    const a = fmix(this.a ^ this.n), b = fmix(this.b ^ Math.imul(this.n, 0x9e3779b1));
    return (fmix(a ^ b) >>> 11) * 4294967296 + (fmix(b + a) >>> 0);
  }

  /** The hash as a 32-bit signed integer (an Int32Array element). */
  value32(): number {
    return fmix(this.a ^ fmix(this.b ^ this.n)) | 0;
  }
}

/** b[q], or 0 inside the masked range [mf, mt). */
function at(b: Uint8Array, q: number, mf: number, mt: number): number {
  return q >= mf && q < mt ? 0 : b[q];
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
