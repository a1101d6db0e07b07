// Parquet's RLE / bit-packing hybrid (definition levels, dictionary indices): runs of 8 or more equal
// values as RLE runs, everything between them bit-packed in groups of 8 (a bit-packed run may only be
// padded at the very end of the data).
import type { ByteOut } from './bytes-out.ts';

/** parquet-mr writes bit-packed runs of at most 63 groups (a one-byte header); readers expect no more. */
const MAX_GROUPS = 63;

/** Bits needed for values 0..max (at least 1). */
export function bitWidth(max: number): number {
  return Math.max(1, 32 - Math.clz32(max));
}

function packed(out: ByteOut, v: ArrayLike<number>, from: number, to: number, width: number, last: boolean): void {
  let i = from;
  while (i < to) {
    let count = Math.min(to - i, MAX_GROUPS * 8);
    // Only the last run of the data may end inside a group.
    if (!(last && i + count === to)) count -= count % 8;
    const groups = Math.ceil(count / 8);
    out.varint(groups * 2 + 1);
    out.ensure(groups * width);
    const b = out.buf;
    let p = out.length;
    let acc = 0;
    let bits = 0;
    const end = i + groups * 8;
    for (let k = i; k < end; k++) {
      acc |= (k < to ? v[k] : 0) << bits;
      bits += width;
      while (bits >= 8) {
        b[p++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
    }
    out.length = p;
    i += count;
  }
}

function rleRun(out: ByteOut, value: number, count: number, width: number): void {
  out.varint(count * 2);
  for (let w = 0; w < width; w += 8) out.u8((value >>> w) & 0xff);
}

/** Appends v[from..to) (each below 2^width, width at most 24) in the hybrid encoding. */
export function rleHybrid(out: ByteOut, v: ArrayLike<number>, from: number, to: number, width: number): void {
  if (width > 24) throw new RangeError(`bit width ${width} is more than this encoder packs`);
  let lit = from;
  let i = from;
  while (i < to) {
    const x = v[i];
    let run = 1;
    while (i + run < to && v[i + run] === x) run++;
    if (run >= 8) {
      const pad = (8 - ((i - lit) % 8)) % 8;
      if (run - pad >= 8) {
        if (i + pad > lit) packed(out, v, lit, i + pad, width, false);
        rleRun(out, x, run - pad, width);
        lit = i + run;
      }
    }
    i += run;
  }
  if (lit < to) packed(out, v, lit, to, width, true);
}
