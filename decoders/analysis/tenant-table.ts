// Tenants are (encap, vnid) pairs: NVGRE VSID, VXLAN VNI, Geneve VNI; plain GRE is one tenant without id.
import { encapName, tunnelSpec } from '../layers/index.ts';
import type { EncapName } from '../summary.ts';
import { tenantIdText } from '../tenant-id.ts';

const EMPTY = -1;
const W = 3; // words per slot: lo, tag, id

/** Probe start for the key (tag, lo): every bit of both (tag < 512) goes through the multiply. */
function slotOf(tag: number, lo: number, mask: number): number {
  const h = Math.imul(lo ^ (tag << 23), 0x9e3779b1);
  return (h ^ (h >>> 16)) & mask;
}

function badKey(encap: number, vnid: number): never {
  throw new RangeError(`tenant (${encap}, ${vnid}): the encap is not 0..255 or the id not 0..4294967295 (-1 for none)`);
}

export class TenantTable {
  /**
   * Open addressing, kept under half full: tenants interleave frame by frame, and a Map lookup per frame
   * (hashing, bucket chain) cost more than a probe here. A slot is W adjacent words (a probe touches one
   * place): `lo`, the id's 32 bits (vnid | 0), so that any id 0..2^32-1 keys exactly; `tag`, encap << 1,
   * plus 1 for "no id" (vnid -1, whose bits are 0xffffffff's), EMPTY in a free slot; and the tenant's id.
   */
  private slots = new Int32Array(64 * W).fill(EMPTY);
  private cap = 64;
  private lastEncap = -1; // no valid pair: the first real lookup probes
  private lastVnid = -1;
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

  /**
   * Id for (encap, vnid): vnid is the tenant id, 0..2^32-1 (NVGRE VSID and VNIs are 24 bits, other tunnel
   * ids 32), or -1 for GRE without tenant id. Anything else throws: cut to 32 bits it would silently join
   * another tenant. Kept small (the new-tenant path is add()) so that it inlines into the per-frame loop.
   */
  lookup(encap: number, vnid: number): number {
    if (vnid === this.lastVnid && encap === this.lastEncap) return this.lastId;
    const lo = vnid | 0;
    if ((lo >>> 0 !== vnid && vnid !== -1) || (encap & 0xff) !== encap) badKey(encap, vnid);
    const tag = vnid < 0 ? (encap << 1) | 1 : encap << 1;
    const sl = this.slots;
    const mask = this.cap - 1;
    let slot = slotOf(tag, lo, mask);
    let o = slot * W;
    let t = sl[o + 1];
    while ((sl[o] !== lo || t !== tag) && t !== EMPTY) {
      slot = (slot + 1) & mask;
      o = slot * W;
      t = sl[o + 1];
    }
    const id = t !== EMPTY ? sl[o + 2] : this.add(encap, vnid, tag, lo, o);
    this.lastVnid = vnid;
    this.lastEncap = encap;
    this.lastId = id;
    return id;
  }

  /** A new tenant, in the free slot at word `o`. */
  private add(encap: number, vnid: number, tag: number, lo: number, o: number): number {
    const id = this.count++;
    const sl = this.slots;
    sl[o] = lo;
    sl[o + 1] = tag;
    sl[o + 2] = id;
    if (this.count * 2 > this.cap) this.rehash();
    this.encap.push(encap); this.vnid.push(vnid);
    this.frames.push(0); this.bytes.push(0); this.flows.push(0); this.bad.push(0); this.partial.push(0);
    this.firstSec.push(0); this.firstNsec.push(0); this.lastSec.push(0); this.lastNsec.push(0);
    this.hasTime.push(false);
    return id;
  }

  private rehash(): void {
    const old = this.slots;
    const cap = this.cap * 2;
    const sl = new Int32Array(cap * W).fill(EMPTY);
    const mask = cap - 1;
    for (let p = 0; p < old.length; p += W) {
      const tag = old[p + 1];
      if (tag === EMPTY) continue;
      let slot = slotOf(tag, old[p], mask);
      while (sl[slot * W + 1] !== EMPTY) slot = (slot + 1) & mask;
      sl.set(old.subarray(p, p + W), slot * W);
    }
    this.slots = sl;
    this.cap = cap;
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
