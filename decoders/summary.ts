// The flat per-frame summary that dissect() fills on the hot path, and the codes it uses.
// One Summary object is reused for every frame; nothing here allocates per frame.

import {
  L_ARP, L_END, L_ETH, L_GENEVE, L_GRE, L_ICMP, L_ICMPV6, L_IGMP, L_IP_PAYLOAD, L_IPV4, L_IPV6, L_LLC, L_MPLS, L_NVGRE,
  L_SLL, L_TCP, L_UDP, L_VXLAN,
} from './layers/ids.ts';

// Checksum verdicts (0 = check not present in the frame).
export const V_NONE = 0;
export const V_GOOD = 1;
export const V_BAD = 2;
export const V_PARTIAL = 3;
export const V_ZERO = 4;
export const V_UNVERIFIED = 5;
export const VERDICT_NAMES = ['', 'good', 'bad', 'partial', 'zero', 'unverified'] as const;
export type VerdictName = 'good' | 'bad' | 'partial' | 'zero' | 'unverified';

// Checksum kinds. Slot of a check = depth * CHECK_KINDS + kind, depth 0 = outermost, 1 = inner., 2 = inner.inner.
export const CK_IPV4 = 0;
export const CK_TCP = 1;
export const CK_UDP = 2;
export const CK_GRE = 3;
export const CK_ICMP = 4;
export const CK_ICMPV6 = 5;
export const CHECK_KINDS = 6;
export const CHECK_KIND_NAMES = ['ipv4', 'tcp', 'udp', 'gre', 'icmp', 'icmpv6'] as const;
/** Tunnel depths tracked separately; checks deeper than this are folded into the deepest slot. */
export const MAX_DEPTH = 3;
export const CHECK_SLOTS = CHECK_KINDS * MAX_DEPTH;

/** 'ipv4', 'inner.tcp', 'inner.inner.udp', ... for slot i. */
export function checkName(slot: number): string {
  const depth = Math.floor(slot / CHECK_KINDS);
  return 'inner.'.repeat(depth) + CHECK_KIND_NAMES[slot % CHECK_KINDS];
}
export const CHECK_NAMES: readonly string[] = Array.from({ length: CHECK_SLOTS }, (_, i) => checkName(i));

// Outermost tunnel of a frame.
export const ENC_NONE = 0;
export const ENC_NVGRE = 1;
export const ENC_VXLAN = 2;
export const ENC_GENEVE = 3;
export const ENC_GRE = 4; // GRE that is not NVGRE (no tenant id)
/** A tunnel's name (`vxlan`): the registered tunnels' (decoders/layers/registry.ts encapName). */
export type EncapName = string;

// Highest layer decoded (Summary.topProto), which the Protocol column names (registry.ts protoName): the
// layer ids of decoders/layers/ids.ts, under the names the analysis has always used.
export const P_UNKNOWN = L_END;
export const P_ETH = L_ETH;
export const P_ARP = L_ARP;
export const P_IPV4 = L_IPV4;
export const P_IPV6 = L_IPV6;
export const P_TCP = L_TCP;
export const P_UDP = L_UDP;
export const P_ICMP = L_ICMP;
export const P_ICMPV6 = L_ICMPV6;
export const P_GRE = L_GRE;
export const P_NVGRE = L_NVGRE;
export const P_VXLAN = L_VXLAN;
export const P_GENEVE = L_GENEVE;
export const P_SLL = L_SLL;
export const P_LLC = L_LLC;
export const P_IGMP = L_IGMP;
/** An IP payload protocol we do not decode (ESP, OSPF, ...). */
export const P_OTHER_IP = L_IP_PAYLOAD;
/** An MPLS label stack whose payload is not IP. */
export const P_MPLS = L_MPLS;

// Note bits: things worth a warning in the detail view / Info column.
export const N_TRUNCATED = 1 << 0; // frame ended before a layer did (snaplen or short frame)
export const N_MALFORMED = 1 << 1; // a length/version field makes no sense
export const N_FRAGMENT = 1 << 2; // an IP fragment: L4 not decoded past the first fragment
export const N_NVGRE_CSUM_BIT = 1 << 3; // RFC 7637: C bit must be 0
export const N_NVGRE_SEQ_BIT = 1 << 4; // RFC 7637: S bit must be 0
export const N_NVGRE_RESERVED_VSID = 1 << 5; // VSID 0..0xFFF or 0xFFFFFF are reserved
export const N_NVGRE_INNER_VLAN = 1 << 6; // RFC 7637: inner frame must not carry an 802.1Q tag
export const N_UNKNOWN_LINKTYPE = 1 << 7;
export const N_DEPTH_LIMIT = 1 << 8; // tunnels nested deeper than we follow
/**
 * ICMP "fragmentation needed" (type 3 code 4) or ICMPv6 "packet too big" (type 2) outside any tunnel: a router
 * on the underlay telling a host its packets are too big (the MTU diagnosis counts it; Summary.icmpMtu).
 */
export const N_MTU_SIGNAL = 1 << 9;
/**
 * A super-frame: a TSO/GSO transmit or GRO/LRO receive packet larger than the link carries, captured before the
 * NIC cut it into segments (or after it merged them). Set by the IP layers for an IPv4 total length of 0 or an
 * IPv6 payload length of 0 with bytes following, a jumbo payload option, an IP packet over 9,216 bytes; and by
 * TCP for a partial checksum on an IP packet over 1,500 bytes (presumed, as tcpdump does). The pcapng TSO flag
 * (epb_flags bit 11) says the same from the capture (Engine.isSuperframe).
 */
export const N_SUPERFRAME = 1 << 10;

export interface Summary {
  /** Outermost tunnel encap (ENC_*), its tenant id (VSID/VNI) or -1, NVGRE FlowID or -1. */
  encap: number;
  vnid: number;
  flowId: number;
  /** Number of tunnels peeled (0 for plain traffic). */
  depth: number;
  /** Outermost IP layer: family 0 (none), 4 or 6; src/dst offsets relative to the frame start. */
  outerFamily: number;
  outerSrcOff: number;
  outerDstOff: number;
  /** IP protocol (IPv4) or first next header (IPv6) of the outermost IP layer, or -1. */
  outerProto: number;
  /**
   * The outermost UDP header when it carries a tunnel (VXLAN, Geneve, GRE-in-UDP): sport << 16 | dport as
   * an int32, or -1 (no tunnel port pair is 65535/65535, so -1 is unambiguous).
   */
  tunPorts: number;
  /** Innermost IP layer (same as outer for plain traffic) and its transport. */
  innerFamily: number;
  innerSrcOff: number;
  innerDstOff: number;
  /** IP protocol number carried by the innermost IP layer, or -1. */
  innerProto: number;
  /** Ports of the innermost TCP/UDP, or -1. */
  sport: number;
  dport: number;
  /** For ICMP/ICMPv6 in the innermost layer: type and code, else -1. */
  icmpType: number;
  icmpCode: number;
  /** TCP flags byte of the innermost TCP, or -1. */
  tcpFlags: number;
  /**
   * What TCP analysis (decoders/analysis/tcp-analysis.ts) reads of the innermost TCP: its segment length
   * (the IP-declared payload minus the header), -1 when the IP length does not hold the header (only the
   * connection is followed, not the sequence), -2 when there is nothing to analyse (header not captured, or
   * an IP fragment). The other tcp* fields are meaningful only when it is >= -1: sequence and acknowledgment
   * numbers (uint32), the window field as sent (unscaled), the header length (bytes, as the field says), and
   * the window scale shift a SYN's option announces (0..14), -1 without one.
   */
  tcpSegLen: number;
  tcpHdrLen: number;
  /** The header (its options) goes past the bytes there are: Wireshark's dissection stops in the options. */
  tcpHdrCut: boolean;
  tcpSeq: number;
  tcpAck: number;
  tcpWin: number;
  tcpWscale: number;
  /**
   * The MTU an N_MTU_SIGNAL message reports (next-hop MTU, bytes 6-7 of ICMP; bytes 4-7 of ICMPv6), -1 when
   * cut off. Written only with that note and meaningful only with it: nothing resets it per frame.
   */
  icmpMtu: number;
  /** Highest protocol decoded (P_*). */
  topProto: number;
  /** Verdict (V_*) per check slot; V_NONE when absent. */
  checks: Uint8Array;
  /** Bitmask of slots with a verdict, bad verdicts, partial verdicts, zero verdicts. */
  checkMask: number;
  badMask: number;
  partialMask: number;
  zeroMask: number;
  /** N_* bits. */
  notes: number;
  /**
   * The outermost IP fragment this decode did not reassemble: its tunnel depth, or -1 when the frame has
   * none. The other frag* fields are meaningful only when fragDepth >= 0; offsets are relative to the frame
   * start, as the other offsets.
   */
  fragDepth: number;
  fragFamily: number;
  /** Start of the IP header, and of the IPv6 fragment header (the IPv4 header itself for IPv4). */
  fragIpOff: number;
  fragHdrOff: number;
  fragSrcOff: number;
  fragDstOff: number;
  /** Where the fragment's payload starts, how many of its bytes are here, how many the header declares. */
  fragPayOff: number;
  fragPayLen: number;
  fragDeclLen: number;
  /** Byte offset of the payload in the datagram, more-fragments flag, identification, protocol. */
  fragOffset: number;
  fragMore: number;
  fragId: number;
  fragProto: number;
}

export function newSummary(): Summary {
  return {
    encap: 0, vnid: -1, flowId: -1, depth: 0,
    outerFamily: 0, outerSrcOff: 0, outerDstOff: 0, outerProto: -1, tunPorts: -1,
    innerFamily: 0, innerSrcOff: 0, innerDstOff: 0,
    innerProto: -1, sport: -1, dport: -1, icmpType: -1, icmpCode: -1, tcpFlags: -1, icmpMtu: -1,
    tcpSegLen: -2, tcpHdrLen: 0, tcpHdrCut: false, tcpSeq: 0, tcpAck: 0, tcpWin: 0, tcpWscale: -1,
    topProto: 0, checks: new Uint8Array(CHECK_SLOTS),
    checkMask: 0, badMask: 0, partialMask: 0, zeroMask: 0, notes: 0,
    fragDepth: -1, fragFamily: 0, fragIpOff: 0, fragHdrOff: 0, fragSrcOff: 0, fragDstOff: 0, fragPayOff: 0,
    fragPayLen: 0, fragDeclLen: 0, fragOffset: 0, fragMore: 0, fragId: 0, fragProto: 0,
  };
}

export function resetSummary(s: Summary): void {
  s.encap = 0; s.vnid = -1; s.flowId = -1; s.depth = 0;
  s.outerFamily = 0; s.outerSrcOff = 0; s.outerDstOff = 0; s.outerProto = -1; s.tunPorts = -1;
  s.innerFamily = 0; s.innerSrcOff = 0; s.innerDstOff = 0;
  s.innerProto = -1; s.sport = -1; s.dport = -1; s.icmpType = -1; s.icmpCode = -1; s.tcpFlags = -1;
  s.tcpSegLen = -2;
  s.topProto = 0;
  // Only slots named in checkMask can be non-zero: clear those instead of the whole array.
  let m = s.checkMask;
  while (m !== 0) {
    const slot = 31 - Math.clz32(m);
    m &= ~(1 << slot);
    s.checks[slot] = 0;
  }
  s.checkMask = 0; s.badMask = 0; s.partialMask = 0; s.zeroMask = 0; s.notes = 0;
  s.fragDepth = -1;
}

/** A copy of every field (fresh checks array): the reassembly keeps the decodes of pending fragments. */
export function copySummary(from: Summary, to: Summary = newSummary()): Summary {
  to.encap = from.encap; to.vnid = from.vnid; to.flowId = from.flowId; to.depth = from.depth;
  to.outerFamily = from.outerFamily; to.outerSrcOff = from.outerSrcOff; to.outerDstOff = from.outerDstOff;
  to.outerProto = from.outerProto; to.tunPorts = from.tunPorts;
  to.innerFamily = from.innerFamily; to.innerSrcOff = from.innerSrcOff; to.innerDstOff = from.innerDstOff;
  to.innerProto = from.innerProto; to.sport = from.sport; to.dport = from.dport;
  to.icmpType = from.icmpType; to.icmpCode = from.icmpCode; to.icmpMtu = from.icmpMtu; to.tcpFlags = from.tcpFlags; to.topProto = from.topProto;
  to.tcpSegLen = from.tcpSegLen; to.tcpHdrLen = from.tcpHdrLen; to.tcpHdrCut = from.tcpHdrCut; to.tcpSeq = from.tcpSeq; to.tcpAck = from.tcpAck; to.tcpWin = from.tcpWin; to.tcpWscale = from.tcpWscale;
  to.checks.set(from.checks);
  to.checkMask = from.checkMask; to.badMask = from.badMask; to.partialMask = from.partialMask; to.zeroMask = from.zeroMask;
  to.notes = from.notes;
  to.fragDepth = from.fragDepth; to.fragFamily = from.fragFamily; to.fragIpOff = from.fragIpOff; to.fragHdrOff = from.fragHdrOff;
  to.fragSrcOff = from.fragSrcOff; to.fragDstOff = from.fragDstOff; to.fragPayOff = from.fragPayOff;
  to.fragPayLen = from.fragPayLen; to.fragDeclLen = from.fragDeclLen; to.fragOffset = from.fragOffset;
  to.fragMore = from.fragMore; to.fragId = from.fragId; to.fragProto = from.fragProto;
  return to;
}

/**
 * Whether a zero verdict in `slot` is no finding: a UDP checksum of 0 over IPv4 means "no checksum"
 * (RFC 768; RFC 7348 recommends it for VXLAN's outer UDP, RFC 8926 allows it for Geneve). Every other zero
 * (IPv4 header, TCP, ICMP, GRE, UDP over IPv6) is a checksum that was never filled in. The IP layer that
 * carries the UDP is the innermost one when the check is at the frame's own depth, else the outermost
 * (the columns keep no IP layer in between); family 0 (unknown) counts as IPv4.
 */
export function zeroAllowed(slot: number, frameDepth: number, outerFamily: number, innerFamily: number): boolean {
  if (slot % CHECK_KINDS !== CK_UDP) return false;
  const family = Math.floor(slot / CHECK_KINDS) === frameDepth ? innerFamily : outerFamily;
  return family !== 6;
}

/** Record a verdict for a check; layers call this so the masks stay in step. */
export function setCheck(s: Summary, depth: number, kind: number, verdict: number): void {
  const slot = (depth < MAX_DEPTH ? depth : MAX_DEPTH - 1) * CHECK_KINDS + kind;
  // A repeated check at the same slot (e.g. IP-in-IP without a tunnel depth bump) keeps the worst verdict.
  const prev = s.checks[slot];
  if (prev !== V_NONE && severity(prev) >= severity(verdict)) return;
  const bit = 1 << slot;
  s.checks[slot] = verdict;
  s.checkMask |= bit;
  s.badMask &= ~bit; s.partialMask &= ~bit; s.zeroMask &= ~bit;
  if (verdict === V_BAD) s.badMask |= bit;
  else if (verdict === V_PARTIAL) s.partialMask |= bit;
  else if (verdict === V_ZERO) s.zeroMask |= bit;
}

/**
 * Check slots a fragment makes on its own bytes: every layer outside the fragmented IP layer (tunnel depth
 * `depth`) and that layer's IPv4 header checksum. The rest is verified over the reassembled datagram.
 */
export function ownChecksMask(depth: number): number {
  const d = depth < MAX_DEPTH ? depth : MAX_DEPTH - 1;
  return ((1 << (d * CHECK_KINDS)) - 1) | (1 << (d * CHECK_KINDS + CK_IPV4));
}

/** Replaces the verdicts of `to` in the slots of `mask` by those of `from` (present or not). */
export function takeChecks(to: Summary, from: Summary, mask: number): void {
  for (let m = mask; m !== 0;) {
    const slot = 31 - Math.clz32(m);
    const bit = 1 << slot;
    m &= ~bit;
    const v = from.checks[slot];
    to.checks[slot] = v;
    to.checkMask &= ~bit; to.badMask &= ~bit; to.partialMask &= ~bit; to.zeroMask &= ~bit;
    if (v === V_NONE) continue;
    to.checkMask |= bit;
    if (v === V_BAD) to.badMask |= bit;
    else if (v === V_PARTIAL) to.partialMask |= bit;
    else if (v === V_ZERO) to.zeroMask |= bit;
  }
}

function severity(v: number): number {
  return v === V_BAD ? 4 : v === V_PARTIAL ? 3 : v === V_ZERO ? 2 : v === V_UNVERIFIED ? 1 : 0;
}

/** Node of the on-demand detail tree. Byte ranges are relative to the frame start. */
export interface TreeNode {
  label: string;
  /** Registry field name (`ip.src`, `nvgre.vsid`, ...) when the node is a field. */
  field?: string;
  /** Display value of the field (text, never HTML). */
  value?: string;
  /** Numeric value of an integer or boolean field (masked and shifted as registered; 1/0 for flags). */
  raw?: number;
  /** The display filter that selects this field's value ("Apply as filter"); set by the worker. */
  filter?: string;
  start: number;
  length: number;
  /** For checksum fields: the verdict, and the value it should have been when bad. */
  verdict?: VerdictName;
  expected?: string;
  /** For checksum fields: the Summary check name (`inner.udp`, ...) this verdict is recorded under. */
  check?: string;
  /** Byte source the range is in: 0 (absent) the frame, k a datagram reassembled k levels deep. */
  src?: number;
  /** A frame this line refers to (a fragment, the frame that reassembled it): the details link to it. */
  frame?: number;
  /** A `zero` verdict that is UDP-over-IPv4 "no checksum" (zeroAllowed): no finding. Set by Engine.detail. */
  noChecksum?: boolean;
  children?: TreeNode[];
}
