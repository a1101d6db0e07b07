// Flows keyed by tenant + inner 5-tuple with both directions together. The tenant is part of the
// key so two tenants that reuse the same inner addresses stay apart (Wireshark merges them).
// Open addressing over typed arrays: no allocation per frame.

import { grown, rebuildSlots } from '../bytes.ts';

const EMPTY = -1;
const K = 6; // key words: tenant, proto, addrA, portA, addrB, portB

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

  tenant(id: number): number { return this.keys[id * K]; }
  proto(id: number): number { return this.keys[id * K + 1]; }
  addrA(id: number): number { return this.keys[id * K + 2]; }
  portA(id: number): number { return this.keys[id * K + 3]; }
  addrB(id: number): number { return this.keys[id * K + 4]; }
  portB(id: number): number { return this.keys[id * K + 5]; }
}
