// Columnar frame index: one typed array per column, grown by doubling. The only per-frame memory
// the engine keeps; frame bytes are re-read from the source on demand.
import type { FrameRecord } from './capture/types.ts';
import type { Summary } from './summary.ts';

export class FrameStore {
  count = 0;
  private cap = 0;
  offset = new Float64Array(0); // file offset of the frame data (exact past 4 GiB)
  caplen = new Uint32Array(0);
  origlen = new Uint32Array(0);
  linktype = new Uint16Array(0);
  tsSec = new Float64Array(0);
  tsNsec = new Uint32Array(0);
  hasTime = new Uint8Array(0);
  iface = new Uint16Array(0);
  encap = new Uint8Array(0);
  depth = new Uint8Array(0);
  tenant = new Int32Array(0); // tenant id or -1
  flowId = new Int16Array(0); // NVGRE FlowID or -1
  flow = new Int32Array(0); // flow id or -1
  outerSrc = new Int32Array(0); // address ids or -1
  outerDst = new Int32Array(0);
  innerSrc = new Int32Array(0);
  innerDst = new Int32Array(0);
  proto = new Int16Array(0); // innermost IP protocol or -1
  sport = new Int32Array(0);
  dport = new Int32Array(0);
  topProto = new Uint8Array(0);
  tcpFlags = new Int16Array(0); // 12 bits: reserved, AE and the 8 flags
  outerProto = new Int16Array(0); // IP protocol / first next header of the outermost IP layer, or -1
  tunPorts = new Int32Array(0); // outermost tunnel UDP ports (sport << 16 | dport), or -1
  icmpType = new Int16Array(0);
  icmpCode = new Int16Array(0);
  checkMask = new Int32Array(0);
  badMask = new Int32Array(0);
  partialMask = new Int32Array(0);
  zeroMask = new Int32Array(0);
  unverMask = new Int32Array(0);
  notes = new Uint16Array(0);

  constructor(initial = 4096) {
    this.resize(initial);
  }

  private resize(n: number): void {
    const g = <T extends { length: number; set(a: T): void }>(old: T, make: (n: number) => T): T => {
      const x = make(n);
      x.set(old);
      return x;
    };
    this.offset = g(this.offset, (k) => new Float64Array(k));
    this.caplen = g(this.caplen, (k) => new Uint32Array(k));
    this.origlen = g(this.origlen, (k) => new Uint32Array(k));
    this.linktype = g(this.linktype, (k) => new Uint16Array(k));
    this.tsSec = g(this.tsSec, (k) => new Float64Array(k));
    this.tsNsec = g(this.tsNsec, (k) => new Uint32Array(k));
    this.hasTime = g(this.hasTime, (k) => new Uint8Array(k));
    this.iface = g(this.iface, (k) => new Uint16Array(k));
    this.encap = g(this.encap, (k) => new Uint8Array(k));
    this.depth = g(this.depth, (k) => new Uint8Array(k));
    this.tenant = g(this.tenant, (k) => new Int32Array(k));
    this.flowId = g(this.flowId, (k) => new Int16Array(k));
    this.flow = g(this.flow, (k) => new Int32Array(k));
    this.outerSrc = g(this.outerSrc, (k) => new Int32Array(k));
    this.outerDst = g(this.outerDst, (k) => new Int32Array(k));
    this.innerSrc = g(this.innerSrc, (k) => new Int32Array(k));
    this.innerDst = g(this.innerDst, (k) => new Int32Array(k));
    this.proto = g(this.proto, (k) => new Int16Array(k));
    this.sport = g(this.sport, (k) => new Int32Array(k));
    this.dport = g(this.dport, (k) => new Int32Array(k));
    this.topProto = g(this.topProto, (k) => new Uint8Array(k));
    this.tcpFlags = g(this.tcpFlags, (k) => new Int16Array(k));
    this.outerProto = g(this.outerProto, (k) => new Int16Array(k));
    this.tunPorts = g(this.tunPorts, (k) => new Int32Array(k));
    this.icmpType = g(this.icmpType, (k) => new Int16Array(k));
    this.icmpCode = g(this.icmpCode, (k) => new Int16Array(k));
    this.checkMask = g(this.checkMask, (k) => new Int32Array(k));
    this.badMask = g(this.badMask, (k) => new Int32Array(k));
    this.partialMask = g(this.partialMask, (k) => new Int32Array(k));
    this.zeroMask = g(this.zeroMask, (k) => new Int32Array(k));
    this.unverMask = g(this.unverMask, (k) => new Int32Array(k));
    this.notes = g(this.notes, (k) => new Uint16Array(k));
    this.cap = n;
  }

  /** Makes room for n frames in total (parallel merge appends whole columns). */
  reserve(n: number): void {
    if (n > this.cap) this.resize(Math.max(n, this.cap * 2));
  }

  /** Appends one frame; ids (tenant, flow, addresses) are resolved by the caller. Returns its index. */
  push(
    rec: FrameRecord, s: Summary, tenant: number, flow: number,
    outerSrc: number, outerDst: number, innerSrc: number, innerDst: number, unverMask: number,
  ): number {
    const i = this.count;
    if (i >= this.cap) this.resize(this.cap * 2);
    this.offset[i] = rec.fileOffset;
    this.caplen[i] = rec.caplen;
    this.origlen[i] = rec.origlen;
    this.linktype[i] = rec.linktype;
    this.tsSec[i] = rec.tsSec;
    this.tsNsec[i] = rec.tsNsec;
    this.hasTime[i] = rec.hasTime ? 1 : 0;
    this.iface[i] = rec.interfaceId;
    this.encap[i] = s.encap;
    this.depth[i] = s.depth;
    this.tenant[i] = tenant;
    this.flowId[i] = s.flowId;
    this.flow[i] = flow;
    this.outerSrc[i] = outerSrc;
    this.outerDst[i] = outerDst;
    this.innerSrc[i] = innerSrc;
    this.innerDst[i] = innerDst;
    this.proto[i] = s.innerProto;
    this.sport[i] = s.sport;
    this.dport[i] = s.dport;
    this.topProto[i] = s.topProto;
    this.tcpFlags[i] = s.tcpFlags;
    this.outerProto[i] = s.outerProto;
    this.tunPorts[i] = s.tunPorts;
    this.icmpType[i] = s.icmpType;
    this.icmpCode[i] = s.icmpCode;
    this.checkMask[i] = s.checkMask;
    this.badMask[i] = s.badMask;
    this.partialMask[i] = s.partialMask;
    this.zeroMask[i] = s.zeroMask;
    this.unverMask[i] = unverMask;
    this.notes[i] = s.notes;
    this.count = i + 1;
    return i;
  }

  /** Bytes of column storage per frame slot, for the memory budget. */
  static bytesPerFrame(): number {
    return 8 + 4 + 4 + 2 + 8 + 4 + 1 + 2 + 1 + 1 + 4 + 2 + 4 + 16 + 2 + 8 + 1 + 2 + 2 + 4 + 4 + 20 + 2;
  }
}
