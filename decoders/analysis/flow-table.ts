// Flows keyed by tenant + inner 5-tuple with both directions together. The tenant is part of the
// key so two tenants that reuse the same inner addresses stay apart (Wireshark merges them).
// Open addressing over typed arrays: no allocation per frame.

import { grown, rebuildSlots } from '../bytes.ts';
import type { AddressTable } from './address-table.ts';

const EMPTY = -1;
const K = 6; // key words: tenant, proto, addrA, portA, addrB, portB
// Memo entries: tenant, proto, source address (IPv4 as int32), sport, destination address, dport, then the
// flow and the two address ids. Direct-mapped; an entry with flow -1 is empty.
const MEMO_BITS = 12;
const M = 9;

export class FlowTable {
  private keys = new Int32Array(1024 * K);
  private hashes = new Uint32Array(1024);
  private slots = new Int32Array(2048).fill(EMPTY);
  count = 0;
  // Per-flow aggregates.
  frames = new Float64Array(1024);
  bytes = new Float64Array(1024);
  bad = new Float64Array(1024);
  partial = new Float64Array(1024);
  firstFrame = new Float64Array(1024);
  lastFrame = new Float64Array(1024);

  private memo = new Int32Array((1 << MEMO_BITS) * M).fill(EMPTY);
  /** Address ids of the last lookup4() (source, destination). */
  srcId = -1;
  dstId = -1;

  /**
   * lookup() for IPv4 addresses still in the frame (b[srcOff..+4], b[dstOff..+4]): interns them in `addrs`
   * (ids left in srcId/dstId) and finds the flow. Frames of a flow repeat the same raw tuple, so a memo keyed
   * by it answers most frames without hashing the addresses into ids and the ids into a flow; ids and flows
   * are never removed, so a memo entry never goes stale.
   */
  lookup4(
    addrs: AddressTable, tenant: number, proto: number, b: Uint8Array, srcOff: number, sport: number, dstOff: number,
    dport: number,
  ): number {
    const src = (b[srcOff] << 24) | (b[srcOff + 1] << 16) | (b[srcOff + 2] << 8) | b[srcOff + 3];
    const dst = (b[dstOff] << 24) | (b[dstOff + 1] << 16) | (b[dstOff + 2] << 8) | b[dstOff + 3];
    let h = (Math.imul(src, 0x9e3779b1) + Math.imul(dst, 0x85ebca6b))
      ^ (Math.imul((sport << 16) ^ dport, 0xc2b2ae35) + Math.imul((tenant << 8) ^ proto, 0x27d4eb2f));
    h ^= h >>> 15;
    const e = (Math.imul(h, 0x2c1b3c6d) >>> (32 - MEMO_BITS)) * M;
    const m = this.memo;
    if (m[e + 6] !== EMPTY && m[e] === tenant && m[e + 1] === proto && m[e + 2] === src && m[e + 3] === sport
      && m[e + 4] === dst && m[e + 5] === dport) {
      this.srcId = m[e + 7];
      this.dstId = m[e + 8];
      return m[e + 6];
    }
    const srcId = addrs.intern4(b, srcOff);
    const dstId = addrs.intern4(b, dstOff);
    const flow = this.lookup(tenant, proto, srcId, sport, dstId, dport);
    m[e] = tenant; m[e + 1] = proto; m[e + 2] = src; m[e + 3] = sport; m[e + 4] = dst; m[e + 5] = dport;
    m[e + 6] = flow; m[e + 7] = srcId; m[e + 8] = dstId;
    this.srcId = srcId;
    this.dstId = dstId;
    return flow;
  }

  /**
   * Id of the flow for this packet, created when new. Endpoints are ordered so that both
   * directions land on one flow; the first-seen direction is kept as (a, b) for display.
   */
  lookup(tenant: number, proto: number, src: number, sport: number, dst: number, dport: number): number {
    // Normalise: the smaller (addr, port) pair first, for the hash and the comparison only.
    let a = src, ap = sport, b = dst, bp = dport;
    if (a > b || (a === b && ap > bp)) { a = dst; ap = dport; b = src; bp = sport; }
    let h = Math.imul(tenant ^ 0x5bd1e995, 0x01000193);
    h = Math.imul(h ^ proto, 0x01000193);
    h = Math.imul(h ^ a, 0x01000193);
    h = Math.imul(h ^ ap, 0x01000193);
    h = Math.imul(h ^ b, 0x01000193);
    h = Math.imul(h ^ bp, 0x01000193);
    h = (h ^ (h >>> 15)) >>> 0;
    const mask = this.slots.length - 1;
    let s = h & mask;
    for (;;) {
      const id = this.slots[s];
      if (id === EMPTY) break;
      if (this.hashes[id] === h && this.matches(id, tenant, proto, a, ap, b, bp)) return id;
      s = (s + 1) & mask;
    }
    const id = this.count++;
    if (id >= this.hashes.length) this.grow();
    const k = id * K;
    this.keys[k] = tenant; this.keys[k + 1] = proto;
    this.keys[k + 2] = src; this.keys[k + 3] = sport; this.keys[k + 4] = dst; this.keys[k + 5] = dport;
    this.hashes[id] = h;
    this.slots[s] = id;
    if (this.count * 2 > this.slots.length) this.rehash();
    return id;
  }

  private matches(id: number, tenant: number, proto: number, a: number, ap: number, b: number, bp: number): boolean {
    const k = id * K;
    const keys = this.keys;
    if (keys[k] !== tenant || keys[k + 1] !== proto) return false;
    const s = keys[k + 2], sp = keys[k + 3], d = keys[k + 4], dp = keys[k + 5];
    return (s === a && sp === ap && d === b && dp === bp) || (s === b && sp === bp && d === a && dp === ap);
  }

  private grow(): void {
    const n = this.hashes.length * 2;
    this.keys = grown(this.keys, n * K);
    this.hashes = grown(this.hashes, n);
    this.frames = grown(this.frames, n); this.bytes = grown(this.bytes, n); this.bad = grown(this.bad, n);
    this.partial = grown(this.partial, n); this.firstFrame = grown(this.firstFrame, n); this.lastFrame = grown(this.lastFrame, n);
  }

  private rehash(): void {
    this.slots = rebuildSlots(this.hashes, this.count, this.slots.length * 2);
  }

  /** Makes B the first-seen side (the flow's earliest frame went the other way). Keys match either way. */
  swap(id: number): void {
    const k = id * K;
    const keys = this.keys;
    const a = keys[k + 2], ap = keys[k + 3];
    keys[k + 2] = keys[k + 4]; keys[k + 3] = keys[k + 5];
    keys[k + 4] = a; keys[k + 5] = ap;
  }

  tenant(id: number): number { return this.keys[id * K]; }
  proto(id: number): number { return this.keys[id * K + 1]; }
  addrA(id: number): number { return this.keys[id * K + 2]; }
  portA(id: number): number { return this.keys[id * K + 3]; }
  addrB(id: number): number { return this.keys[id * K + 4]; }
  portB(id: number): number { return this.keys[id * K + 5]; }
}
