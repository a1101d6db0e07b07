// Decode state shared by the layers: one object, reused for every frame (gopacket's "decoder fills a reused
// struct and names the next layer"). Each layer reads [pos, end), sets pos/end for its payload, and returns
// the id of the next layer (L_END to stop).

import {
  CK_ICMP, CK_ICMPV6, CK_TCP, CK_UDP, MAX_DEPTH, N_DEPTH_LIMIT, V_UNVERIFIED, setCheck, type Summary,
} from '../summary.ts';
import { L_END, L_IP_PAYLOAD } from './ids.ts';
import { ETHERTYPE_NEXT, IPPROTO_NEXT, TCPPORT_NEXT, TUNNEL_BIT, UDPPORT_NEXT } from './registry.ts';

export * from './ids.ts';

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
  /** Length of the nearest IP packet as sent (header included); 0 for a datagram the reassembly rebuilt. */
  ipLen: number;
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
    ipFamily: 0, ipAddrSum: 0, l4Len: 0, ipLen: 0, frag: 0, inFrag: false,
    nReasm: 0, reasmAt: new Int32Array(MAX_DEPTH + 1), reasmLen: new Int32Array(MAX_DEPTH + 1), cut: false,
  };
}

export function resetCtx(c: DecodeCtx, base: number, capEnd: number, short: boolean): void {
  c.base = base; c.capEnd = capEnd; c.short = short; c.pos = base; c.end = capEnd; c.depth = 0;
  c.ipFamily = 0; c.ipAddrSum = 0; c.l4Len = 0; c.ipLen = 0; c.frag = 0; c.inFrag = false; c.nReasm = 0; c.cut = false;
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

/**
 * Next layer for an IP protocol number (the layers' `ipproto` joins); IP-in-IP (4, 41) is a tunnel and goes
 * one level deeper.
 */
export function ipProtoNext(proto: number, c: DecodeCtx, s: Summary): number {
  const v = IPPROTO_NEXT[proto];
  if (v === 0) {
    // 59: IPv6 "no next header"; anything else is a payload we do not decode.
    if (proto !== 59) s.topProto = L_IP_PAYLOAD;
    return L_END;
  }
  if ((v & TUNNEL_BIT) === 0) return v;
  return enterTunnel(c, s) ? v & 0xff : L_END;
}

/** Next layer for an EtherType (the layers' `ethertype` joins: Ethernet, VLAN, SLL, GRE, Geneve payloads). */
export function etherNext(t: number): number {
  return ETHERTYPE_NEXT[t] & 0xff;
}

/** The layer a UDP port names, TUNNEL_BIT set when it is a tunnel header the UDP layer itself enters; 0 none. */
export function udpPortNext(port: number): number {
  return UDPPORT_NEXT[port];
}

/** The layer a TCP port names (the layers' `tcpport` joins); 0 none. */
export function tcpPortNext(port: number): number {
  return TCPPORT_NEXT[port];
}

/** Goes one tunnel deeper for a dispatch entry that says so (TUNNEL_BIT); the layer id, or L_END. */
export function dispatchTunnel(v: number, c: DecodeCtx, s: Summary): number {
  if ((v & TUNNEL_BIT) === 0) return v;
  return enterTunnel(c, s) ? v & 0xff : L_END;
}

export function isVlanTpid(t: number): boolean {
  return t === 0x8100 || t === 0x88a8 || t === 0x9100 || t === 0x9200;
}

/** A later IP fragment carries no transport header: its transport checksum exists but cannot be checked. */
export function fragmentTransport(proto: number, c: DecodeCtx, s: Summary): void {
  const kind = proto === 6 ? CK_TCP : proto === 17 ? CK_UDP : proto === 1 ? CK_ICMP : proto === 58 ? CK_ICMPV6 : -1;
  if (kind >= 0) setCheck(s, c.depth, kind, V_UNVERIFIED);
}
