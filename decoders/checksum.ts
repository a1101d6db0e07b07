// RFC 1071 internet checksum, pseudo-header sums and the verdict logic.
// Hot path: no allocation per call. Long runs are summed as little-endian 32-bit words through one cached
// Uint32Array view of the frame's ArrayBuffer; RFC 1071's byte-order independence lets us fix the order once.

import { V_BAD, V_GOOD, V_PARTIAL, V_UNVERIFIED, V_ZERO } from './summary.ts';

// Uint32Array reads are host-order; the word path below assumes little-endian and is skipped otherwise.
const HOST_LE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
// Below this, setting up the word loop costs more than it saves.
const WORD_MIN = 48;

// Frames arrive as offsets into one large reused chunk: remember the last Uint8Array (a pointer compare), then
// its buffer (reading .buffer costs a builtin call), and keep one word view per buffer.
let viewU8: Uint8Array | null = null;
let viewBuf: ArrayBufferLike | null = null;
let view32: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

/** Folds a non-negative integer sum (< 2^53) to 16 bits with end-around carry; 0 stays 0, other multiples of 0xffff give 0xffff. */
export function fold(x: number): number {
  // End-around carry in float arithmetic (exact below 2^53); a few rounds even for sums near 2^48.
  while (x > 0xffff) {
    const hi = Math.floor(x / 0x10000);
    x = x - hi * 0x10000 + hi;
  }
  return x;
}

/** Ones-complement sum (folded, not complemented) of `len` bytes at b[start] as big-endian 16-bit words. */
export function sumBytes(b: Uint8Array, start: number, len: number): number {
  if (len <= 0) return 0;
  const stop = start + len;
  let acc = 0;
  let i = start;
  if (len < WORD_MIN || !HOST_LE) {
    for (; i + 3 < stop; i += 4) acc += ((b[i] << 8) | b[i + 1]) + ((b[i + 2] << 8) | b[i + 3]);
    for (; i + 1 < stop; i += 2) acc += (b[i] << 8) | b[i + 1];
    if (i < stop) acc += b[i] << 8;
    return fold(acc);
  }
  // Below, every byte at absolute address a adds b << 8*(a&1): the little-endian 16-bit view of memory.
  const a0 = b.byteOffset + start;
  let a = a0;
  while ((a & 3) !== 0) {
    acc += b[i] << ((a & 1) << 3);
    i++; a++;
  }
  const aEnd = a0 + len;
  const wEnd = aEnd - (aEnd & 3);
  if (b !== viewU8 || wEnd > view32.length * 4) {
    const buf = b.buffer;
    if (buf !== viewBuf || wEnd > view32.length * 4) {
      viewBuf = buf;
      view32 = new Uint32Array(buf, 0, Math.floor(buf.byteLength / 4));
    }
    viewU8 = b;
  }
  const w = view32;
  let k = a / 4;
  const kEnd = wEnd / 4;
  // Pairwise adds into two accumulators let the float adds overlap; sums stay far below 2^53.
  let acc2 = 0;
  for (; k + 3 < kEnd; k += 4) {
    acc += w[k] + w[k + 1];
    acc2 += w[k + 2] + w[k + 3];
  }
  for (; k < kEnd; k++) acc += w[k];
  acc += acc2;
  i += wEnd - a;
  for (a = wEnd; a < aEnd; a++, i++) acc += b[i] << ((a & 1) << 3);
  const r = fold(acc);
  // An even start address means the LE view is the byte-swapped BE sum; an odd one lines the bytes up already.
  return (a0 & 1) === 0 ? ((r >>> 8) | ((r & 0xff) << 8)) : r;
}

/** The value a checksum field should hold over these bytes (with the field itself zeroed). */
export function internetChecksum(b: Uint8Array, start: number, len: number): number {
  return ~sumBytes(b, start, len) & 0xffff;
}

/** Unfolded sum of the IPv4 pseudo-header (RFC 768/793): addresses, protocol, upper-layer length. */
export function pseudoIpv4(b: Uint8Array, src: number, dst: number, proto: number, len: number): number {
  return ((b[src] << 8) | b[src + 1]) + ((b[src + 2] << 8) | b[src + 3]) +
    ((b[dst] << 8) | b[dst + 1]) + ((b[dst + 2] << 8) | b[dst + 3]) + proto + len;
}

/** Unfolded sum of the IPv6 pseudo-header (RFC 8200 8.1); `dst` is the final destination. */
export function pseudoIpv6(b: Uint8Array, src: number, dst: number, proto: number, len: number): number {
  let acc = proto + (len >>> 16) + (len & 0xffff);
  for (let i = 0; i < 16; i += 2) acc += ((b[src + i] << 8) | b[src + i + 1]) + ((b[dst + i] << 8) | b[dst + i + 1]);
  return acc;
}

/** What the last verdict call saw; read by the detail tree right after the decode that made it. */
export const lastCheck = {
  /** Folded sum over pseudo-header + data including the field, or -1 when not computed. */
  sum: -1,
  field: -1,
  verdict: 0,
};

function record(v: number, field: number, sum: number): number {
  lastCheck.verdict = v; lastCheck.field = field; lastCheck.sum = sum;
  return v;
}

/**
 * Verdict for a transport checksum covered by a pseudo-header (TCP, UDP, ICMPv6).
 * [start, start+len) is the declared extent; bytes at or past `end` were not captured.
 * `zeroMeansNone`: UDP, where a 0 field means "no checksum" (RFC 768) and is never a valid sum.
 */
export function verdictPseudo(
  b: Uint8Array, start: number, len: number, end: number, pseudo: number, fieldAt: number, zeroMeansNone: boolean,
): number {
  if (fieldAt + 2 > end) return record(V_UNVERIFIED, -1, -1);
  const field = (b[fieldAt] << 8) | b[fieldAt + 1];
  if (zeroMeansNone && field === 0) return record(V_ZERO, 0, -1);
  if (start + len > end) return record(V_UNVERIFIED, field, -1);
  const sum = fold(fold(pseudo) + sumBytes(b, start, len));
  if (sum === 0xffff) return record(V_GOOD, field, sum);
  // A sender's capture taken before checksum offload holds the pseudo-header sum; stacks store either form.
  const ph = fold(pseudo);
  if (field === ph || field === (~ph & 0xffff)) return record(V_PARTIAL, field, sum);
  return record(field === 0 ? V_ZERO : V_BAD, field, sum);
}

/** Verdict for a checksum without pseudo-header (IPv4 header, ICMP, GRE). */
export function verdictPlain(b: Uint8Array, start: number, len: number, end: number, fieldAt: number): number {
  if (fieldAt + 2 > end) return record(V_UNVERIFIED, -1, -1);
  const field = (b[fieldAt] << 8) | b[fieldAt + 1];
  if (start + len > end) return record(V_UNVERIFIED, field, -1);
  const sum = sumBytes(b, start, len);
  if (sum === 0xffff) return record(V_GOOD, field, sum);
  return record(field === 0 ? V_ZERO : V_BAD, field, sum);
}

/** For the tree: record a check that was not attempted (fragment) so stale values are not shown. */
export function verdictSkipped(v: number, b: Uint8Array, fieldAt: number, end: number): number {
  return record(v, fieldAt + 2 <= end ? (b[fieldAt] << 8) | b[fieldAt + 1] : -1, -1);
}

/** The value the field should have held, given the folded sum that included it (RFC 1624 arithmetic). */
export function expectedFrom(sum: number, field: number): number {
  // Remove the field from the sum (add its complement), then complement the result.
  return ~fold(sum + (~field & 0xffff)) & 0xffff;
}
