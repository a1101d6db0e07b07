// Interns IPv4/IPv6 addresses read straight from frame bytes into small integer ids, so the
// columnar store holds 4 bytes per address and the hot path never builds strings.

import { grown, rebuildSlots } from '../bytes.ts';

const EMPTY = -1;

export class AddressTable {
  /** family (4 or 6) per id */
  private fam = new Uint8Array(1024);
  /** 16 bytes per id (IPv4 uses the first 4) */
  private bytes = new Uint8Array(1024 * 16);
  private slots = new Int32Array(2048).fill(EMPTY);
  private hashes = new Uint32Array(1024);
  private texts: (string | undefined)[] = [];
  count = 0;

  /** IPv4 fast path: the address as an unsigned 32-bit value per id (0 for IPv6 ids). */
  private v4 = new Uint32Array(1024);

  /** Id of the address at b[off..] (4 or 16 bytes), adding it when new. */
  intern(b: Uint8Array, off: number, family: number): number {
    if (family === 4) return this.intern4(b, off);
    const len = family === 4 ? 4 : 16;
    let h = family === 4 ? 0x9e3779b1 : 0x85ebca6b;
    for (let i = 0; i < len; i++) h = Math.imul(h ^ b[off + i], 0x01000193);
    h >>>= 0;
    const mask = this.slots.length - 1;
    let s = h & mask;
    for (;;) {
      const id = this.slots[s];
      if (id === EMPTY) break;
      if (this.hashes[id] === h && this.fam[id] === family && this.same(id, b, off, len)) return id;
      s = (s + 1) & mask;
    }
    return this.add(b, off, family, len, h, s);
  }

  /** intern() for an IPv4 address. */
  intern4(b: Uint8Array, off: number): number {
    const v = ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
    let h = Math.imul(v ^ 0x9e3779b1, 0x85ebca6b);
    h = (h ^ (h >>> 13)) >>> 0;
    const mask = this.slots.length - 1;
    let s = h & mask;
    for (;;) {
      const id = this.slots[s];
      if (id === EMPTY) break;
      if (this.v4[id] === v && this.fam[id] === 4) return id;
      s = (s + 1) & mask;
    }
    const id = this.add(b, off, 4, 4, h, s);
    this.v4[id] = v;
    return id;
  }

  private same(id: number, b: Uint8Array, off: number, len: number): boolean {
    const base = id * 16;
    for (let i = 0; i < len; i++) if (this.bytes[base + i] !== b[off + i]) return false;
    return true;
  }

  private add(b: Uint8Array, off: number, family: number, len: number, h: number, slot: number): number {
    const id = this.count++;
    if (id >= this.fam.length) this.growStorage();
    this.fam[id] = family;
    this.hashes[id] = h;
    this.bytes.set(b.subarray(off, off + len), id * 16);
    this.slots[slot] = id;
    if (this.count * 2 > this.slots.length) this.rehash();
    return id;
  }

  private growStorage(): void {
    const n = this.fam.length * 2;
    this.fam = grown(this.fam, n);
    this.hashes = grown(this.hashes, n);
    this.v4 = grown(this.v4, n);
    this.bytes = grown(this.bytes, n * 16);
  }

  private rehash(): void {
    this.slots = rebuildSlots(this.hashes, this.count, this.slots.length * 2);
  }

  /** The address bytes of id (4 or 16), a view into the table: copy what you keep. */
  bytesOf(id: number): Uint8Array {
    return this.bytes.subarray(id * 16, id * 16 + (this.fam[id] === 4 ? 4 : 16));
  }

  family(id: number): number {
    return this.fam[id];
  }

  /** Text form (dotted quad, or RFC 5952 IPv6), cached. */
  text(id: number): string {
    if (id < 0) return '';
    let t = this.texts[id];
    if (t === undefined) {
      t = this.fam[id] === 4 ? formatIpv4(this.bytes, id * 16) : formatIpv6(this.bytes, id * 16);
      this.texts[id] = t;
    }
    return t;
  }

  /** Sort key that orders IPv4 before IPv6 and numerically within a family. */
  compare(a: number, b: number): number {
    if (a === b) return 0;
    if (a < 0 || b < 0) return a < 0 ? -1 : 1;
    const fa = this.fam[a], fb = this.fam[b];
    if (fa !== fb) return fa - fb;
    const len = fa === 4 ? 4 : 16;
    for (let i = 0; i < len; i++) {
      const d = this.bytes[a * 16 + i] - this.bytes[b * 16 + i];
      if (d !== 0) return d;
    }
    return 0;
  }
}

export function formatIpv4(b: Uint8Array, off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

/** RFC 5952: lower case, longest run (≥ 2) of zero groups compressed, first one on a tie. */
export function formatIpv6(b: Uint8Array, off: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[off + 2 * i] << 8) | b[off + 2 * i + 1]);
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (x: number) => x.toString(16);
  if (bestStart < 0) return g.map(hex).join(':');
  const head = g.slice(0, bestStart).map(hex).join(':');
  const tail = g.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}
