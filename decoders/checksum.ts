// RFC 1071 internet checksum, pseudo-header sums and the verdict logic.
// Hot path: no allocation per call. Long runs are summed as little-endian 32-bit words through a cached
// Uint32Array view of the frame's ArrayBuffer; RFC 1071's byte-order independence lets us fix the order once.

import { V_BAD, V_GOOD, V_PARTIAL, V_UNVERIFIED, V_ZERO } from './summary.ts';

// Uint32Array reads are host-order; the word path below assumes little-endian and is skipped otherwise.
const HOST_LE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
// Below this, setting up the word loop costs more than it saves.
const WORD_MIN = 48;

// Frames arrive as offsets into a large reused chunk (plus a carry buffer for records that straddle chunks):
// keep word views for the last two buffers, checked first by Uint8Array identity (reading .buffer is a builtin
// call). Small buffers, typically one frame each, take the byte loop: a view would cost more than it saves.
const VIEW_MIN_BUFFER = 1 << 16;
let u8A: Uint8Array | null = null;
let bufA: ArrayBufferLike | null = null;
let viewA: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
let u8B: Uint8Array | null = null;
let bufB: ArrayBufferLike | null = null;
let viewB: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

/**
 * A word view of b's buffer reaching byte address `endByte` (a multiple of 4), or null for the byte loop.
 * Takes bytes, not words: a fractional-typed argument would be boxed on every call.
 */
function wordView(b: Uint8Array, endByte: number): Uint32Array<ArrayBufferLike> | null {
  const words = endByte >>> 2;
  if (b === u8A && words <= viewA.length) return viewA;
  if (b === u8B && words <= viewB.length) return viewB;
  const buf = b.buffer;
  if (buf.byteLength < VIEW_MIN_BUFFER) return null;
  if (buf === bufA && words <= viewA.length) {
    u8A = b;
    return viewA;
  }
  if (buf === bufB && words <= viewB.length) {
    u8B = b;
    return viewB;
  }
  // Replace the older slot: A becomes B, the new view goes to A.
  u8B = u8A; bufB = bufA; viewB = viewA;
  u8A = b; bufA = buf; viewA = new Uint32Array(buf, 0, Math.floor(buf.byteLength / 4));
  return words <= viewA.length ? viewA : null;
}

function sumSmall(b: Uint8Array, i: number, stop: number): number {
  let acc = 0;
  for (; i + 3 < stop; i += 4) acc += ((b[i] << 8) | b[i + 1]) + ((b[i + 2] << 8) | b[i + 3]);
  for (; i + 1 < stop; i += 2) acc += (b[i] << 8) | b[i + 1];
  if (i < stop) acc += b[i] << 8;
  // acc < 2^32 for any run up to 128 KiB (every IP-sized one), so 32-bit folding is exact.
  acc = (acc & 0xffff) + (acc >>> 16);
  return (acc & 0xffff) + (acc >>> 16);
}

/** Folds a non-negative integer sum (< 2^53) to 16 bits with end-around carry; 0 stays 0, other multiples of 0xffff give 0xffff. */
export function fold(x: number): number {
  // End-around carry in float arithmetic (exact below 2^53); a few rounds even for sums near 2^48.
  while (x > 0xffff) {
    const hi = Math.floor(x / 0x10000);
    x = x - hi * 0x10000 + hi;
  }
  // An int32 result stays a small integer: a float-typed return would be boxed (allocated) on every call.
  return x | 0;
}

/** Ones-complement sum (folded, not complemented) of `len` bytes at b[start] as big-endian 16-bit words. */
export function sumBytes(b: Uint8Array, start: number, len: number): number {
  if (len <= 0) return 0;
  const stop = start + len;
  if (len < WORD_MIN || !HOST_LE) return sumSmall(b, start, stop);
  const a0 = b.byteOffset + start;
  const aEnd = a0 + len;
  const wEnd = aEnd - (aEnd & 3);
  const w = wordView(b, wEnd);
  if (w === null) return sumSmall(b, start, stop);
  // Below, every byte at absolute address a adds b << 8*(a&1): the little-endian 16-bit view of memory.
  let acc = 0;
  let i = start;
  let a = a0;
  while ((a & 3) !== 0) {
    acc += b[i] << ((a & 1) << 3);
    i++; a++;
  }
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
  // Folded here rather than by calling fold(): passing the float sum to a call would box it on every frame.
  while (acc > 0xffff) {
    const hi = Math.floor(acc / 0x10000);
    acc = acc - hi * 0x10000 + hi;
  }
  const r = acc | 0;
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
 * [start, start+len) is the declared extent; bytes at or past `end` were not captured; `pseudo` includes `len`.
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
  // Large-send offload (Windows NDIS LSO, DPDK TSO) seeds the field with the pseudo-header sum minus the length.
  const ph0 = fold(pseudo - len);
  if (field === ph0 || field === (~ph0 & 0xffff)) return record(V_PARTIAL, field, sum);
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
