// One IP datagram being put back together from its fragments (RFC 791 / RFC 8200 4.5), byte by byte:
// fragments may come in any order, twice, or overlapping. The bytes first received win (as Wireshark's
// reassembly keeps them); an overlap whose bytes differ is a conflict, reported and otherwise ignored.

/** Largest datagram payload an IP header can describe (fragment offset 8191 * 8 + a 16-bit length). */
export const MAX_DATAGRAM = 65535;

export type AddResult = 'pending' | 'complete' | 'error';

export class Datagram {
  /** Payload bytes so far, and which of them were received. */
  private bytes = new Uint8Array(2048);
  private filled = new Uint8Array(2048);
  /** Payload length, known once the last fragment (more-fragments 0) arrived; -1 before. */
  total = -1;
  /** Distinct payload bytes received. */
  received = 0;
  overlap = false;
  conflict = false;
  /** Why it can never complete (too long, two different ends, a fragment cut by the snaplen), or null. */
  error: string | null = null;

  /**
   * Adds one fragment: `len` bytes of `src` from `at`, at datagram offset `offset`; `declared` is what its
   * header says it carries (more than `len` when the capture cut it short).
   */
  add(src: Uint8Array, at: number, len: number, declared: number, offset: number, more: boolean): AddResult {
    if (this.error !== null) return 'error';
    const end = offset + declared;
    if (end > MAX_DATAGRAM) return this.fail(`fragment ends at byte ${end}, past the largest datagram (${MAX_DATAGRAM})`);
    if (!more) {
      if (this.total >= 0 && this.total !== end) return this.fail(`two last fragments end at bytes ${this.total} and ${end}`);
      this.total = end;
    } else if (declared % 8 !== 0) {
      // RFC 791: every fragment but the last carries a multiple of 8 bytes.
      return this.fail(`a fragment that is not the last carries ${declared} bytes, not a multiple of 8`);
    }
    if (this.total >= 0 && end > this.total) return this.fail(`a fragment ends at byte ${end}, past the last fragment's end (${this.total})`);
    this.grow(offset + len);
    const b = this.bytes, f = this.filled;
    for (let k = 0; k < len; k++) {
      const i = offset + k;
      if (f[i] === 0) {
        f[i] = 1;
        b[i] = src[at + k];
        this.received++;
      } else {
        this.overlap = true;
        if (b[i] !== src[at + k]) this.conflict = true;
      }
    }
    if (len < declared) return this.fail(`a fragment was cut short by the capture (${len} of ${declared} bytes)`);
    return this.total >= 0 && this.received === this.total ? 'complete' : 'pending';
  }

  /** The reassembled payload (valid once complete). */
  payload(): Uint8Array {
    return this.bytes.subarray(0, Math.max(0, this.total));
  }

  /** Ranges of payload bytes not received, as text: "bytes 1480-2959", "the last fragment". */
  missing(): string[] {
    const out: string[] = [];
    const f = this.filled;
    const stop = this.total >= 0 ? this.total : f.length;
    let i = 0;
    while (i < stop) {
      if (f[i] !== 0) { i++; continue; }
      let j = i;
      while (j < stop && f[j] === 0) j++;
      // Past the highest byte received, with the end unknown, is "everything after": say so once.
      if (this.total < 0 && j === stop) break;
      out.push(`bytes ${i}-${j - 1}`);
      i = j;
    }
    if (this.total < 0) out.push('the last fragment');
    return out;
  }

  private fail(why: string): AddResult {
    this.error = why;
    return 'error';
  }

  private grow(n: number): void {
    if (n <= this.bytes.length) return;
    const size = Math.min(MAX_DATAGRAM, Math.max(n, this.bytes.length * 2));
    const b = new Uint8Array(size);
    b.set(this.bytes);
    const f = new Uint8Array(size);
    f.set(this.filled);
    this.bytes = b;
    this.filled = f;
  }
}
