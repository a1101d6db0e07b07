// Snappy compression (the block format: https://github.com/google/snappy/blob/main/format_description.txt),
// Parquet's most widely read codec. Greedy matching over a 4-byte hash per 64 KiB block, as the reference
// compressor does: pages here are mostly small integers and run-length codes, where it is fast and
// earns most of what a slower codec would.
import { ByteOut } from './bytes-out.ts';

const BLOCK = 1 << 16;
const HASH_BITS = 14;
/** Matching stops this close to the end of a block so that 4-byte loads stay inside it. */
const MARGIN = 15;

/**
 * Positions by hash, as offsets in one running count over every input ever compressed (`epoch` + index), so
 * that entries from earlier blocks and calls are told apart without clearing the table each time.
 */
const table = new Int32Array(1 << HASH_BITS).fill(-1);
let epoch = 0;

function load32(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

function hash(v: number): number {
  return Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

function literal(out: ByteOut, src: Uint8Array, from: number, to: number): void {
  const n = to - from;
  if (n <= 0) return;
  const m = n - 1;
  out.ensure(n + 5);
  const b = out.buf;
  let p = out.length;
  if (m < 60) b[p++] = m << 2;
  else if (m < 0x100) { b[p++] = 60 << 2; b[p++] = m; }
  else if (m < 0x10000) { b[p++] = 61 << 2; b[p++] = m & 0xff; b[p++] = m >>> 8; }
  else if (m < 0x1000000) { b[p++] = 62 << 2; b[p++] = m & 0xff; b[p++] = (m >>> 8) & 0xff; b[p++] = m >>> 16; }
  else { b[p++] = 63 << 2; b[p++] = m & 0xff; b[p++] = (m >>> 8) & 0xff; b[p++] = (m >>> 16) & 0xff; b[p++] = m >>> 24; }
  if (n < 32) for (let i = from; i < to; i++) b[p++] = src[i];
  else {
    b.set(src.subarray(from, to), p);
    p += n;
  }
  out.length = p;
}

function copy(out: ByteOut, offset: number, len: number): void {
  out.ensure(3 * Math.ceil(len / 60) + 3);
  const b = out.buf;
  let p = out.length;
  // Pieces of at most 64 bytes; never leave fewer than 4 for the last (a 1-byte-offset copy needs 4).
  while (len >= 68) { b[p++] = (63 << 2) | 2; b[p++] = offset & 0xff; b[p++] = offset >>> 8; len -= 64; }
  if (len > 64) { b[p++] = (59 << 2) | 2; b[p++] = offset & 0xff; b[p++] = offset >>> 8; len -= 60; }
  if (len < 12 && offset < 2048) {
    b[p++] = 1 | ((len - 4) << 2) | ((offset >>> 8) << 5);
    b[p++] = offset & 0xff;
  } else {
    b[p++] = 2 | ((len - 1) << 2);
    b[p++] = offset & 0xff;
    b[p++] = offset >>> 8;
  }
  out.length = p;
}

function block(out: ByteOut, src: Uint8Array, start: number, end: number): void {
  let emit = start;
  if (end - start >= MARGIN) {
    const base = epoch;
    const limit = end - MARGIN;
    let ip = start + 1;
    let skip = 32;
    while (ip <= limit) {
      const v = load32(src, ip);
      const h = hash(v);
      const cand = table[h] - base;
      table[h] = base + ip;
      if (cand < start || load32(src, cand) !== v) {
        ip += skip >> 5;
        skip++;
        continue;
      }
      skip = 32;
      literal(out, src, emit, ip);
      let len = 4;
      while (ip + len + 4 <= end && load32(src, cand + len) === load32(src, ip + len)) len += 4;
      while (ip + len < end && src[cand + len] === src[ip + len]) len++;
      copy(out, ip - cand, len);
      ip += len;
      emit = ip;
      if (ip - 1 <= limit) table[hash(load32(src, ip - 1))] = base + ip - 1;
    }
  }
  literal(out, src, emit, end);
}

/** Appends the Snappy encoding of src to out. */
export function snappyCompress(src: Uint8Array, out: ByteOut): void {
  out.varint(src.length);
  for (let s = 0; s < src.length; s += BLOCK) block(out, src, s, Math.min(src.length, s + BLOCK));
  epoch += src.length + 1;
  if (epoch > 2 ** 30) {
    table.fill(-1);
    epoch = 0;
  }
}
