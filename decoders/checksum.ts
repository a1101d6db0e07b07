// RFC 1071 internet checksum, pseudo-header sums and the verdict logic.
// Hot path: no allocation per call. Long runs are summed as little-endian 32-bit words through a cached
// Uint32Array view of the frame's ArrayBuffer; RFC 1071's byte-order independence lets us fix the order once.

import { simdBuffer, simdSum } from './simd-sum.ts';
import { V_BAD, V_GOOD, V_PARTIAL, V_UNVERIFIED, V_ZERO } from './summary.ts';

// Int32Array reads are host-order; the word path below assumes little-endian and is skipped otherwise.
const HOST_LE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
// Below this, setting up the word loop costs more than it saves.
const WORD_MIN = 48;
// Words per block of the word loop: each of its 4 accumulators takes 2 words per 8-word step, so it gains at most
// BLOCK_WORDS / 4 * 0x1fffe = 2048 * 131070 < 2^28 per block; the four together plus the folded carry-in
// (< 2^17) stay below 2^31, so every sum is exact int32 arithmetic whatever the run length.
const BLOCK_WORDS = 8192;

// Frames arrive as offsets into a large reused chunk (plus a carry buffer for records that straddle chunks):
// keep word views for the last two buffers, checked first by Uint8Array identity. Reading .buffer or .byteOffset
// is a generic property load (a builtin call) in optimized code, so both are read once per array and cached.
// Small buffers, typically one frame each, take the byte loop: a view would cost more than it saves.
const VIEW_MIN_BUFFER = 1 << 16;
let u8A: Uint8Array | null = null;
let bufA: ArrayBufferLike | null = null;
let offA = 0;
let viewA: Int32Array<ArrayBufferLike> = new Int32Array(0);
/** Whether the slot's buffer is the WebAssembly memory of simd-sum.ts (frameBuffer()). */
let simdA = false;
let u8B: Uint8Array | null = null;
let bufB: ArrayBufferLike | null = null;
let offB = 0;
let viewB: Int32Array<ArrayBufferLike> = new Int32Array(0);
let simdB = false;
/** Bytes per SIMD call: well inside its lane bound (512 KiB). */
const SIMD_BLOCK = 1 << 18;

/** Makes b the A slot (its view and byteOffset); false when b is too small to be worth a view. */
function bindView(b: Uint8Array): boolean {
  const buf = b.buffer;
  if (buf.byteLength < VIEW_MIN_BUFFER) return false;
  if (buf === bufA) {
    u8A = b; offA = b.byteOffset;
    return true;
  }
  // Replace the older slot: A becomes B, the new view goes to A (or back to A when b shares B's buffer).
  const shared = buf === bufB;
  const view = shared ? viewB : new Int32Array(buf, 0, Math.floor(buf.byteLength / 4));
  u8B = u8A; bufB = bufA; offB = offA; viewB = viewA; simdB = simdA;
  u8A = b; bufA = buf; offA = b.byteOffset; viewA = view; simdA = buf === simdBuffer();
  return true;
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
  let w: Int32Array<ArrayBufferLike>;
  let off: number;
  let simd: boolean;
  if (b === u8A) {
    w = viewA; off = offA; simd = simdA;
  } else if (b === u8B) {
    w = viewB; off = offB; simd = simdB;
  } else if (bindView(b)) {
    w = viewA; off = offA; simd = simdA;
  } else {
    return sumSmall(b, start, stop);
  }
  if (simd) return sumSimd(start, len, off);
  const a0 = off + start;
  const aEnd = a0 + len;
  const wEnd = aEnd - (aEnd & 3);
  const kEnd = wEnd >>> 2;
  // Only a caller reading past b (or a buffer that shrank) gets here; the byte loop reads what b holds.
  if (kEnd > w.length) return sumSmall(b, start, stop);
  // Below, every byte at absolute address a adds b << 8*(a&1): the little-endian 16-bit view of memory, and
  // each word x adds its two 16-bit halves. Every partial sum is a non-negative int32 (see BLOCK_WORDS).
  let acc = 0;
  let i = start;
  let a = a0;
  while ((a & 3) !== 0) {
    acc += b[i] << ((a & 1) << 3);
    i++; a++;
  }
  let k = a >>> 2;
  while (k + 7 < kEnd) {
    const blockEnd = kEnd - 7 < k + BLOCK_WORDS ? kEnd - 7 : k + BLOCK_WORDS;
    // Four independent int32 chains let the adds overlap.
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (; k < blockEnd; k += 8) {
      const x0 = w[k], x1 = w[k + 1], x2 = w[k + 2], x3 = w[k + 3];
      const x4 = w[k + 4], x5 = w[k + 5], x6 = w[k + 6], x7 = w[k + 7];
      s0 += ((x0 & 0xffff) + (x0 >>> 16)) + ((x4 & 0xffff) + (x4 >>> 16));
      s1 += ((x1 & 0xffff) + (x1 >>> 16)) + ((x5 & 0xffff) + (x5 >>> 16));
      s2 += ((x2 & 0xffff) + (x2 >>> 16)) + ((x6 & 0xffff) + (x6 >>> 16));
      s3 += ((x3 & 0xffff) + (x3 >>> 16)) + ((x7 & 0xffff) + (x7 >>> 16));
    }
    acc += (s0 + s1) + (s2 + s3);
    acc = (acc & 0xffff) + (acc >>> 16);
  }
  for (; k < kEnd; k++) {
    const x = w[k];
    acc += (x & 0xffff) + (x >>> 16);
  }
  i += wEnd - a;
  for (a = wEnd; a < aEnd; a++, i++) acc += b[i] << ((a & 1) << 3);
  // acc < 2^21 here (a folded block sum plus at most 7 words and 6 bytes): two folds reach 16 bits.
  acc = (acc & 0xffff) + (acc >>> 16);
  const r = (acc & 0xffff) + (acc >>> 16);
  // An even start address means the LE view is the byte-swapped BE sum; an odd one lines the bytes up already.
  return (a0 & 1) === 0 ? ((r >>> 8) | ((r & 0xff) << 8)) : r;
}

/** sumBytes over a buffer in the WebAssembly memory (byteOffset `off`): the SIMD loop does it all. */
function sumSimd(start: number, len: number, off: number): number {
  const a0 = off + start;
  const aEnd = a0 + len;
  let acc = 0;
  for (let p = a0; p < aEnd; p += SIMD_BLOCK) {
    // Each call returns < 2^22 and acc stays folded below 2^17 between calls: int32 throughout.
    acc += simdSum(p, aEnd - p < SIMD_BLOCK ? aEnd - p : SIMD_BLOCK);
    acc = (acc & 0xffff) + (acc >>> 16);
  }
  const r = (acc & 0xffff) + (acc >>> 16);
  // As in sumBytes: an even start address means the little-endian view is the byte-swapped sum.
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
