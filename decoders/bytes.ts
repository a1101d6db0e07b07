// Small byte and typed-array utilities shared by readers, writers, tables and tests.

/** One Uint8Array holding every part in order (the part itself when there is only one). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

type Numeric = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float64Array;

/** A copy of `old` with room for n elements (n ≥ old.length), of the same type. */
export function grown<T extends Numeric>(old: T, n: number): T {
  const make = old.constructor as new (len: number) => T;
  const x = new make(n);
  (x as Numeric).set(old as Numeric);
  return x;
}

/**
 * Open-addressing slot table (linear probing, power-of-two size) rebuilt from stored hashes, for
 * tables that keep a hash per id and grow their slots by doubling.
 */
export function rebuildSlots(hashes: Uint32Array, count: number, size: number): Int32Array<ArrayBuffer> {
  const slots = new Int32Array(size).fill(-1);
  const mask = size - 1;
  for (let id = 0; id < count; id++) {
    let s = hashes[id] & mask;
    while (slots[s] !== -1) s = (s + 1) & mask;
    slots[s] = id;
  }
  return slots;
}
