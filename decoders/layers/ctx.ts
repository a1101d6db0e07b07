// Decode state shared by the layers: one object, reused for every frame (gopacket's "decoder fills a reused
// struct and names the next layer"). Each layer reads [pos, end), sets pos/end for its payload, and returns
// the id of the next layer (L_END to stop).

import {
  CK_ICMP, CK_ICMPV6, CK_TCP, CK_UDP, MAX_DEPTH, N_DEPTH_LIMIT, P_OTHER_IP, V_UNVERIFIED, setCheck, type Summary,
} from '../summary.ts';

export const L_END = 0;
export const L_ETH = 1;
export const L_VLAN = 2;
export const L_LLC = 3;
export const L_ARP = 4;
export const L_IPV4 = 5;
export const L_IPV6 = 6;
export const L_GRE = 7;
export const L_UDP = 8;
export const L_TCP = 9;
export const L_ICMP = 10;
export const L_ICMPV6 = 11;
export const L_IGMP = 12;
export const L_VXLAN = 13;
export const L_VXLAN_GPE = 14;
export const L_GENEVE = 15;
export const L_SLL = 16;
export const L_SLL2 = 17;
export const L_NULL = 18;
/** Raw IP whose version nibble picks IPv4 or IPv6. */
export const L_RAW = 19;
export const L_AH = 20;
export const L_MPLS = 21;

export interface DecodeCtx {
  /** Index of the frame's first byte in b; Summary/tree offsets are relative to it. */
  base: number;
  /** Index just past the last captured byte. */
  capEnd: number;
  /** Bytes of the frame are missing (caplen < origlen). */
  short: boolean;
  /** Start and end of the bytes the next layer may read. */
  pos: number;
  end: number;
  depth: number;
  /** From the nearest IP layer, for transport checksums. */
  ipFamily: number;
  /** Unfolded pseudo-header address sum (protocol and length are added by the transport). */
  ipAddrSum: number;
  /** Upper-layer length the IP layer declares (may exceed what was captured). */
  l4Len: number;
  /** The nearest IP layer is a fragment: 0 no, 1 first fragment, 2 later fragment. */
  frag: number;
  /** Some enclosing IP layer is a fragment, so bytes past `end` are elsewhere, not lost (no N_TRUNCATED). */
  inFrag: boolean;
  /**
   * Reassembled datagrams in this buffer (decoders/analysis/fragments.ts): the IPv4 header or IPv6 fragment
   * header at reasmAt[k] is followed by reasmLen[k] reassembled payload bytes and is decoded as unfragmented.
   */
  nReasm: number;
  reasmAt: Int32Array;
  reasmLen: Int32Array;
  /** Stop at the first fragment not reassembled (what Wireshark shows for a fragment reassembled elsewhere). */
  cut: boolean;
}

export function newCtx(): DecodeCtx {
  return {
    base: 0, capEnd: 0, short: false, pos: 0, end: 0, depth: 0,
    ipFamily: 0, ipAddrSum: 0, l4Len: 0, frag: 0, inFrag: false,
    nReasm: 0, reasmAt: new Int32Array(MAX_DEPTH + 1), reasmLen: new Int32Array(MAX_DEPTH + 1), cut: false,
  };
}

export function resetCtx(c: DecodeCtx, base: number, capEnd: number, short: boolean): void {
  c.base = base; c.capEnd = capEnd; c.short = short; c.pos = base; c.end = capEnd; c.depth = 0;
  c.ipFamily = 0; c.ipAddrSum = 0; c.l4Len = 0; c.frag = 0; c.inFrag = false; c.nReasm = 0; c.cut = false;
}

/** Reassembled payload length when the header at p is a reassembly point of this decode, else -1. */
export function reassembledLength(c: DecodeCtx, p: number): number {
  for (let k = 0; k < c.nReasm; k++) if (c.reasmAt[k] === p) return c.reasmLen[k];
  return -1;
}

/** Records the outermost fragment the decode does not reassemble (Summary.frag*); deeper ones are left. */
export function noteFragment(
  s: Summary, c: DecodeCtx, family: number, ipOff: number, hdrOff: number, srcOff: number, dstOff: number,
  payOff: number, payLen: number, declLen: number, offset: number, more: number, id: number, proto: number,
): void {
  if (s.fragDepth >= 0) return;
  const base = c.base;
  s.fragDepth = c.depth; s.fragFamily = family;
  s.fragIpOff = ipOff - base; s.fragHdrOff = hdrOff - base; s.fragSrcOff = srcOff - base; s.fragDstOff = dstOff - base;
  s.fragPayOff = payOff - base; s.fragPayLen = payLen < 0 ? 0 : payLen; s.fragDeclLen = declLen;
  s.fragOffset = offset; s.fragMore = more; s.fragId = id; s.fragProto = proto;
}

/** Enter a tunnel payload: one level deeper, or false (and a note) when the depth cap is reached. */
export function enterTunnel(c: DecodeCtx, s: Summary): boolean {
  if (c.depth >= MAX_DEPTH) {
    s.notes |= N_DEPTH_LIMIT;
    return false;
  }
  c.depth++;
  s.depth = c.depth;
  return true;
}

export function rd16(b: Uint8Array, p: number): number {
  return (b[p] << 8) | b[p + 1];
}

export function rd32(b: Uint8Array, p: number): number {
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}

/** Next layer for an IP protocol number; IP-in-IP (4, 41) is a tunnel and goes one level deeper. */
export function ipProtoNext(proto: number, c: DecodeCtx, s: Summary): number {
  switch (proto) {
    case 1: return L_ICMP;
    case 2: return L_IGMP;
    case 6: return L_TCP;
    case 17: return L_UDP;
    case 47: return L_GRE;
    case 58: return L_ICMPV6;
    case 4: return enterTunnel(c, s) ? L_IPV4 : L_END;
    case 41: return enterTunnel(c, s) ? L_IPV6 : L_END;
    case 51: return L_AH;
    case 59: return L_END; // IPv6 "no next header"
    default:
      s.topProto = P_OTHER_IP;
      return L_END;
  }
}

/** Next layer for an EtherType (also used by SLL/SLL2 and the GRE/Geneve protocol type). */
export function etherNext(t: number): number {
  switch (t) {
    case 0x0800: return L_IPV4;
    case 0x86dd: return L_IPV6;
    case 0x0806: case 0x8035: return L_ARP; // RARP has ARP's layout (opcodes 3 and 4)
    case 0x8100: case 0x88a8: case 0x9100: case 0x9200: return L_VLAN;
    case 0x8847: case 0x8848: return L_MPLS;
    default: return L_END;
  }
}

export function isVlanTpid(t: number): boolean {
  return t === 0x8100 || t === 0x88a8 || t === 0x9100 || t === 0x9200;
}

/** A later IP fragment carries no transport header: its transport checksum exists but cannot be checked. */
export function fragmentTransport(proto: number, c: DecodeCtx, s: Summary): void {
  const kind = proto === 6 ? CK_TCP : proto === 17 ? CK_UDP : proto === 1 ? CK_ICMP : proto === 58 ? CK_ICMPV6 : -1;
  if (kind >= 0) setCheck(s, c.depth, kind, V_UNVERIFIED);
}
