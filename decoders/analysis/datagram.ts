// One IP datagram being put back together from its fragments (RFC 791 / RFC 8200 4.5), byte by byte:
// fragments may come in any order, twice, or overlapping. Where fragments overlap, the bytes of the one that
// starts lowest win, and of those starting at the same byte the first received: what Wireshark's reassembly
// keeps (it copies the fragments in offset order, each only past what the ones before it covered), so that
// the verdicts over a reassembled datagram are Wireshark's. No RFC settles it (IP stacks differ; RFC 8200 and
// Linux drop such datagrams); an overlap whose bytes differ is a conflict, reported.

/** Largest datagram payload an IP header can describe (fragment offset 8191 * 8 + a 16-bit length). */
export const MAX_DATAGRAM = 65535;

export type AddResult = 'pending' | 'complete' | 'error';

export class Datagram {
  /** Payload bytes so far, and which of them were received. */
  private bytes = new Uint8Array(2048);
  private filled = new Uint8Array(2048);
  /** Per byte received: the offset (in 8-byte units) of the fragment whose byte it is. */
  private from = new Uint16Array(2048);
  /** End of the highest byte received. */
  private end = 0;
  /** Payload length, known once the last fragment (more-fragments 0) arrived; -1 before. */
  total = -1;
  /** Distinct payload bytes received. */
  received = 0;
  overlap = false;
  conflict = false;
  /** Why it can never complete (too long, two different ends, bytes past the end), or null. */
  error: string | null = null;

  /**
   * Adds one fragment: `len` bytes of `src` from `at`, at datagram offset `offset` (a multiple of 8); `declared`
   * is what its header says it carries. A fragment the capture cut short (len < declared) is for the caller
   * to keep out: its missing bytes are not known.
   */
  add(src: Uint8Array, at: number, len: number, declared: number, offset: number, more: boolean): AddResult {
    if (this.error !== null) return 'error';
    const end = offset + declared;
    if (end > MAX_DATAGRAM) return this.fail(`fragment ends at byte ${end}, past the largest datagram (${MAX_DATAGRAM})`);
    if (!more) {
      if (this.total >= 0 && this.total !== end) return this.fail(`two last fragments end at bytes ${this.total} and ${end}`);
      // Bytes past the end, whichever came first, mean the fragments do not describe one datagram (RFC 8200
      // 4.5 and IP stacks discard it; Linux does for IPv4 too).
      if (this.end > end) return this.fail(`a fragment ends at byte ${this.end}, past the last fragment's end (${end})`);
      this.total = end;
    } else if (declared % 8 !== 0) {
      // RFC 791: every fragment but the last carries a multiple of 8 bytes.
      return this.fail(`a fragment that is not the last carries ${declared} bytes, not a multiple of 8`);
    }
    if (this.total >= 0 && end > this.total) return this.fail(`a fragment ends at byte ${end}, past the last fragment's end (${this.total})`);
    this.grow(offset + len);
    if (offset + len > this.end) this.end = offset + len;
    const b = this.bytes, f = this.filled, from = this.from;
    const unit = offset >> 3;
    for (let k = 0; k < len; k++) {
      const i = offset + k;
      const v = src[at + k];
      if (f[i] === 0) {
        f[i] = 1;
        b[i] = v;
        from[i] = unit;
        this.received++;
        continue;
      }
      this.overlap = true;
      if (b[i] === v) continue;
      this.conflict = true;
      if (unit < from[i]) {
        b[i] = v;
        from[i] = unit;
      }
    }
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
    const from = new Uint16Array(size);
    from.set(this.from);
    this.bytes = b;
    this.filled = f;
    this.from = from;
  }
}
