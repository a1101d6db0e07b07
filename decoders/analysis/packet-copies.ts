// pktmon copies for TCP analysis. Windows Packet Monitor logs one packet at every stack component it crosses
// (vmNIC, vSwitch, NIC driver), each copy its own frame with the same epb_packetid: analysed as segments, every
// later copy would read as a retransmission (or a duplicate ACK). TCP analysis takes each packet once per flow:
// the first copy is analysed and a later copy of the same (packet id, flow) takes that copy's flags. Per flow,
// because a vmNIC copy is the tenant's frame alone (no tunnel yet), another flow than the encapsulated copies,
// and each flow must see every packet of its conversation once.
//
// pktmon writes a packet's copies close together, so only the last RECENT_COPIES distinct (packet id, flow)
// pairs are remembered: a ring of entries, indexed by an open-addressed hash table (linear probing, at most half
// full; the ring's oldest entry leaves the table by backward-shift deletion when it is overwritten). A copy
// logged more than RECENT_COPIES packets after its first is analysed as a packet of its own. Fixed memory
// (about 160 KB), nothing allocated per frame.

export const RECENT_COPIES = 4096;

export class PacketCopies {
  /** Per entry: the first copy's TCP analysis flags, its duplicate ACK number and frame. */
  readonly flags: Uint16Array;
  readonly dupNum: Float64Array;
  readonly dupFrame: Float64Array;
  /** Per entry: a copy with a bad TCP checksum went to the bad-segment tracking (once per packet). */
  readonly bad: Uint8Array;
  /** Whether the last note() made a new entry (the first copy of its packet in its flow). */
  fresh = false;
  private readonly hi: Uint32Array;
  private readonly lo: Uint32Array;
  private readonly flow: Int32Array;
  /** Hash slot -> entry, -1 empty. */
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly shift: number;
  private next = 0;
  private used = 0;

  /** `capacity`: entries remembered, a power of two. */
  constructor(readonly capacity = RECENT_COPIES) {
    if (!(capacity >= 2 && (capacity & (capacity - 1)) === 0)) throw new RangeError(`PacketCopies capacity ${capacity}: not a power of two`);
    this.flags = new Uint16Array(capacity);
    this.dupNum = new Float64Array(capacity);
    this.dupFrame = new Float64Array(capacity);
    this.bad = new Uint8Array(capacity);
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.flow = new Int32Array(capacity);
    this.table = new Int32Array(capacity * 2).fill(-1);
    this.mask = capacity * 2 - 1;
    this.shift = 32 - Math.log2(capacity * 2);
  }

  private home(hi: number, lo: number, flow: number): number {
    return Math.imul(lo ^ Math.imul(hi, 0x9e3779b1) ^ Math.imul(flow + 1, 0x85ebca6b), 0x27d4eb2d) >>> this.shift;
  }

  /**
   * The entry of packet id (hi, lo) in `flow`: an earlier copy's (fresh false), or a new one with no flags
   * (fresh true), which may take the place of the oldest.
   */
  note(hi: number, lo: number, flow: number): number {
    hi >>>= 0;
    lo >>>= 0;
    const t = this.table;
    let s = this.home(hi, lo, flow);
    for (let k = t[s]; k >= 0; k = t[s]) {
      if (this.lo[k] === lo && this.hi[k] === hi && this.flow[k] === flow) {
        this.fresh = false;
        return k;
      }
      s = (s + 1) & this.mask;
    }
    const k = this.next;
    if (this.used === this.capacity) {
      this.remove(k);
      // The removal may have shifted an entry into the empty slot found above: look for one again.
      s = this.home(hi, lo, flow);
      while (t[s] >= 0) s = (s + 1) & this.mask;
    } else {
      this.used++;
    }
    t[s] = k;
    this.hi[k] = hi; this.lo[k] = lo; this.flow[k] = flow;
    this.flags[k] = 0; this.dupNum[k] = 0; this.dupFrame[k] = 0; this.bad[k] = 0;
    this.next = (k + 1) & (this.capacity - 1);
    this.fresh = true;
    return k;
  }

  /** Takes entry k out of the table, moving back the entries probed past it (no tombstones). */
  private remove(k: number): void {
    const t = this.table, mask = this.mask;
    let i = this.home(this.hi[k], this.lo[k], this.flow[k]);
    while (t[i] !== k) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const e = t[j];
      if (e < 0) break;
      const h = this.home(this.hi[e], this.lo[e], this.flow[e]);
      // e may move to i when its home is not cyclically in (i, j].
      if (((j - h) & mask) >= ((j - i) & mask)) {
        t[i] = e;
        i = j;
      }
    }
    t[i] = -1;
  }
}
