// Tenants are (encap, vnid) pairs: NVGRE VSID, VXLAN VNI, Geneve VNI; plain GRE is one tenant without id.
import { encapName, tunnelSpec } from '../layers/registry.ts';
import type { EncapName } from '../summary.ts';
import { tenantIdText } from '../tenant-id.ts';

function slotOf(key: number, mask: number): number {
  const h = Math.imul(key, 0x9e3779b1);
  return (h ^ (h >>> 16)) & mask;
}

export class TenantTable {
  /**
   * Open addressing over typed arrays (key, id per slot; key -1 = empty), kept under half full: tenants
   * interleave frame by frame, and a Map lookup per frame (hashing, bucket chain) cost more than a probe here.
   */
  private slotKeys = new Int32Array(64).fill(-1);
  private slotIds = new Int32Array(64);
  private lastKey = -1;
  private lastId = -1;
  count = 0;
  encap: number[] = [];
  vnid: number[] = [];
  frames: number[] = [];
  bytes: number[] = [];
  flows: number[] = [];
  bad: number[] = [];
  partial: number[] = [];
  firstSec: number[] = [];
  firstNsec: number[] = [];
  lastSec: number[] = [];
  lastNsec: number[] = [];
  hasTime: boolean[] = [];

  /** Id for (encap, vnid); vnid -1 for GRE without tenant id. */
  lookup(encap: number, vnid: number): number {
    // VNIs are 24-bit: (encap, vnid + 1) packs into a non-negative int32 (never the empty mark -1).
    const key = (encap << 25) | (vnid + 1);
    if (key === this.lastKey) return this.lastId;
    const keys = this.slotKeys;
    const mask = keys.length - 1;
    let slot = slotOf(key, mask);
    let k = keys[slot];
    while (k !== key && k !== -1) {
      slot = (slot + 1) & mask;
      k = keys[slot];
    }
    let id: number;
    if (k === key) id = this.slotIds[slot];
    else {
      id = this.count++;
      keys[slot] = key;
      this.slotIds[slot] = id;
      if (this.count * 2 > keys.length) this.rehash();
      this.encap.push(encap); this.vnid.push(vnid);
      this.frames.push(0); this.bytes.push(0); this.flows.push(0); this.bad.push(0); this.partial.push(0);
      this.firstSec.push(0); this.firstNsec.push(0); this.lastSec.push(0); this.lastNsec.push(0);
      this.hasTime.push(false);
    }
    this.lastKey = key;
    this.lastId = id;
    return id;
  }

  private rehash(): void {
    const oldKeys = this.slotKeys, oldIds = this.slotIds;
    const keys = new Int32Array(oldKeys.length * 2).fill(-1);
    const ids = new Int32Array(keys.length);
    const mask = keys.length - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      const key = oldKeys[i];
      if (key === -1) continue;
      let slot = slotOf(key, mask);
      while (keys[slot] !== -1) slot = (slot + 1) & mask;
      keys[slot] = key;
      ids[slot] = oldIds[i];
    }
    this.slotKeys = keys;
    this.slotIds = ids;
  }

  encapName(id: number): EncapName {
    return encapName(this.encap[id]) ?? '';
  }

  vnidOrNull(id: number): number | null {
    return this.vnid[id] < 0 ? null : this.vnid[id];
  }

  /** `nvgre:5001`, `gre:` for plain GRE. */
  key(id: number): string {
    const v = this.vnid[id];
    return `${this.encapName(id)}:${v < 0 ? '' : v}`;
  }

  /** `NVGRE 5001 (0x001389)`, `Geneve 1193046 (0x123456)`, `GRE`. */
  label(id: number): string {
    const name = this.encapLabel(id);
    const v = this.vnid[id];
    return v < 0 ? name : `${name} ${tenantIdText(v)}`;
  }

  /** `NVGRE`, `VXLAN`, `Geneve`, `GRE`: the tunnel's own label (its layer definition). */
  encapLabel(id: number): string {
    return tunnelSpec(this.encap[id])?.label ?? this.encapName(id).toUpperCase();
  }

  idOfKey(key: string): number {
    for (let i = 0; i < this.count; i++) if (this.key(i) === key) return i;
    return -1;
  }

  /** Ids sorted by encap name then vnid (the CLI contract). */
  sortedIds(): number[] {
    const ids = Array.from({ length: this.count }, (_, i) => i);
    return ids.sort((a, b) => {
      const ea = this.encapName(a), eb = this.encapName(b);
      if (ea !== eb) return ea < eb ? -1 : 1;
      return this.vnid[a] - this.vnid[b];
    });
  }
}
