// One IP datagram being put back together from its fragments (RFC 791 / RFC 8200 4.5): fragments may come in
// any order, twice, or overlapping. Where fragments overlap, the bytes of the one that starts lowest win, and
// of those starting at the same byte the first received: what Wireshark's reassembly keeps (it copies the
// fragments in offset order, each only past what the ones before it covered), so that the verdicts over a
// reassembled datagram are Wireshark's. No RFC settles it (IP stacks differ; RFC 8200 and Linux drop such
// datagrams); an overlap whose bytes differ is a conflict, reported.
// What has arrived is a short list of byte ranges, so a fragment that overlaps nothing (the usual case) is one
// copy; only overlaps are looked at byte by byte.

/** Largest datagram payload an IP header can describe (fragment offset 8191 * 8 + a 16-bit length). */
export const MAX_DATAGRAM = 65535;

export type AddResult = 'pending' | 'complete' | 'error';

// Most datagrams are one tunnelled frame cut in two or three: their buffers are reused, not collected.
const POOLED = 4096;
const POOL_MAX = 256;
const POOL: Uint8Array[] = [];
const EMPTY = new Uint8Array(0);

export class Datagram {
  /** Payload bytes so far. */
  private bytes: Uint8Array;
  /** Ranges received, [start, end) pairs, ascending and merged. */
  private ranges: number[] = [];
  /** Every fragment's [start, end), in arrival order (who owns a byte where they overlap). */
  private pieces: number[] = [];
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

  constructor() {
    this.bytes = POOL.pop() ?? new Uint8Array(POOLED);
  }

  /** Done with it (its payload was copied): its buffer serves the next datagram. */
  release(): void {
    if (this.bytes.length === POOLED && POOL.length < POOL_MAX) POOL.push(this.bytes);
    this.bytes = EMPTY;
  }

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
    if (len > 0) {
      if (offset + len > this.end) this.end = offset + len;
      this.put(src, at, offset, offset + len);
      this.pieces.push(offset, offset + len);
    }
    return this.total >= 0 && this.received === this.total ? 'complete' : 'pending';
  }

  /** Copies src[at..] to [from, to): gaps as they are; where bytes already arrived, the lower fragment's win. */
  private put(src: Uint8Array, at: number, from: number, to: number): void {
    this.grow(to);
    const r = this.ranges;
    const b = this.bytes;
    let pos = from;
    let k = 0;
    while (k < r.length && r[k + 1] <= from) k += 2;
    while (pos < to) {
      const gapEnd = k < r.length ? Math.min(to, r[k]) : to;
      if (gapEnd > pos) {
        b.set(src.subarray(at + pos - from, at + gapEnd - from), pos);
        this.received += gapEnd - pos;
        pos = gapEnd;
      }
      if (pos >= to || k >= r.length) break;
      const stop = Math.min(to, r[k + 1]);
      this.overlap = true;
      for (let i = pos; i < stop; i++) {
        const v = src[at + i - from];
        if (b[i] === v) continue;
        this.conflict = true;
        if (from < this.owner(i)) b[i] = v;
      }
      pos = stop;
      k += 2;
    }
    this.mark(from, to);
  }

  /** Start of the fragment whose byte i is: the lowest start among those that hold it (earliest on a tie). */
  private owner(i: number): number {
    const p = this.pieces;
    let best = Infinity;
    for (let k = 0; k < p.length; k += 2) if (p[k] <= i && i < p[k + 1] && p[k] < best) best = p[k];
    return best;
  }

  /** Adds [from, to) to the ranges, merging neighbours. */
  private mark(from: number, to: number): void {
    const r = this.ranges;
    let k = 0;
    while (k < r.length && r[k + 1] < from) k += 2;
    let j = k;
    let s = from, e = to;
    while (j < r.length && r[j] <= to) {
      s = Math.min(s, r[j]);
      e = Math.max(e, r[j + 1]);
      j += 2;
    }
    r.splice(k, j - k, s, e);
  }

  /** The reassembled payload (valid once complete). */
  payload(): Uint8Array {
    return this.bytes.subarray(0, Math.max(0, this.total));
  }

  /** Ranges of payload bytes not received, as text: "bytes 1480-2959", "the last fragment". */
  missing(): string[] {
    const out: string[] = [];
    const r = this.ranges;
    let pos = 0;
    for (let k = 0; k < r.length; k += 2) {
      if (r[k] > pos) out.push(`bytes ${pos}-${r[k] - 1}`);
      pos = r[k + 1];
    }
    if (this.total >= 0 && pos < this.total) out.push(`bytes ${pos}-${this.total - 1}`);
    if (this.total < 0) out.push('the last fragment');
    return out;
  }

  private fail(why: string): AddResult {
    this.error = why;
    return 'error';
  }

  private grow(n: number): void {
    if (n <= this.bytes.length) return;
    const b = new Uint8Array(Math.min(MAX_DATAGRAM, Math.max(n, this.bytes.length * 2)));
    b.set(this.bytes);
    this.bytes = b;
  }
}
