// Frame bytes -> flat Summary (hot path, no allocation) and -> detail tree (on demand). Both walk the same
// layer loop, so the tree can never disagree with the Summary about which layers a frame has.

import { lastCheck } from './checksum.ts';
import {
  N_DEPTH_LIMIT, N_FRAGMENT, N_MALFORMED, N_TRUNCATED, N_UNKNOWN_LINKTYPE, newSummary, resetSummary, type Summary, type TreeNode,
} from './summary.ts';
import { decodeAh, describeAh } from './layers/ah.ts';
import { decodeArp, describeArp } from './layers/arp.ts';
import {
  L_AH, L_ARP, L_END, L_ETH, L_GENEVE, L_GRE, L_ICMP, L_ICMPV6, L_IGMP, L_IPV4, L_IPV6, L_LLC, L_NULL, L_RAW, L_SLL, L_SLL2,
  L_MPLS, L_TCP, L_UDP, L_VLAN, L_VXLAN, L_VXLAN_GPE, isVlanTpid, newCtx, rd16, resetCtx, type DecodeCtx,
} from './layers/ctx.ts';
import { decodeEthernet, decodeLlc, describeEthernet, describeLlc } from './layers/ethernet.ts';
import { decodeGeneve, describeGeneve } from './layers/geneve.ts';
import { decodeGre, describeGre } from './layers/gre.ts';
import { decodeIcmp, describeIcmp } from './layers/icmp.ts';
import { decodeIcmpv6, describeIcmpv6 } from './layers/icmpv6.ts';
import { decodeIgmp, describeIgmp } from './layers/igmp.ts';
import { decodeIpv4, describeIpv4 } from './layers/ipv4.ts';
import { decodeIpv6, describeIpv6 } from './layers/ipv6.ts';
import { decodeMpls, describeMpls } from './layers/mpls.ts';
import { decodeNull, describeNull } from './layers/null.ts';
import { decodeRaw } from './layers/raw.ts';
import { decodeSll, describeSll } from './layers/sll.ts';
import { decodeSll2, describeSll2 } from './layers/sll2.ts';
import { decodeTcp, describeTcp } from './layers/tcp.ts';
import { bytesHex, textNode } from './layers/tree.ts';
import { decodeUdp, describeUdp } from './layers/udp.ts';
import { decodeVlan, describeVlan } from './layers/vlan.ts';
import { decodeVxlan, describeVxlan } from './layers/vxlan.ts';

/** First layer for a LINKTYPE_* value, or L_END when we do not decode that link type. */
export function linkLayer(linktype: number): number {
  switch (linktype) {
    case 1: return L_ETH;
    case 113: return L_SLL;
    case 276: return L_SLL2;
    case 0: case 108: return L_NULL;
    case 101: case 12: case 14: return L_RAW;
    case 228: return L_IPV4;
    case 229: return L_IPV6;
    default: return L_END;
  }
}

const hotCtx = newCtx();
const treeCtx = newCtx();
const treeSummary = newSummary();

/**
 * Decode one frame into the reused Summary. `b[off, off+caplen)` holds the captured bytes, `origlen` is the
 * length on the wire; offsets written to the Summary are relative to b[off].
 */
export function dissect(b: Uint8Array, off: number, caplen: number, origlen: number, linktype: number, s: Summary): void {
  resetSummary(s);
  walk(b, off, caplen, origlen, linktype, s, hotCtx, null, null);
}

/** The detail tree of one frame: one node per layer, byte ranges relative to the frame start. */
export function detail(b: Uint8Array, off: number, caplen: number, origlen: number, linktype: number): TreeNode[] {
  const out: TreeNode[] = [];
  resetSummary(treeSummary);
  walk(b, off, caplen, origlen, linktype, treeSummary, treeCtx, out, null);
  return out;
}

/**
 * How a buffer built by the reassembly is decoded: the IP headers at `at[k]` (IPv4 header, or IPv6 fragment
 * header) are followed by `len[k]` reassembled bytes; `cut` stops at the first fragment still unreassembled.
 */
export interface ReassemblyPoints {
  at: readonly number[];
  len: readonly number[];
  cut: boolean;
}

const reasmCtx = newCtx();

/** dissect() over a buffer that holds reassembled datagrams (decoders/analysis/fragments.ts). */
export function dissectReassembled(
  b: Uint8Array, off: number, caplen: number, origlen: number, linktype: number, points: ReassemblyPoints, s: Summary,
): void {
  resetSummary(s);
  walk(b, off, caplen, origlen, linktype, s, reasmCtx, null, points);
}

/** detail() over such a buffer. */
export function detailReassembled(
  b: Uint8Array, off: number, caplen: number, origlen: number, linktype: number, points: ReassemblyPoints,
): TreeNode[] {
  const out: TreeNode[] = [];
  resetSummary(treeSummary);
  walk(b, off, caplen, origlen, linktype, treeSummary, treeCtx, out, points);
  return out;
}

function walk(
  b: Uint8Array, off: number, caplen: number, origlen: number, linktype: number, s: Summary, c: DecodeCtx,
  tree: TreeNode[] | null, points: ReassemblyPoints | null,
): void {
  const start = off < 0 ? 0 : off;
  const avail = b.length - start;
  const capEnd = start + (caplen < 0 ? 0 : caplen < avail ? caplen : avail > 0 ? avail : 0);
  resetCtx(c, start, capEnd, caplen < origlen);
  if (points !== null) setPoints(c, points);
  let next = linkLayer(linktype);
  if (next === L_END) s.notes |= N_UNKNOWN_LINKTYPE;
  while (next !== 0 satisfies typeof L_END) {
    const layer = next;
    const p = c.pos, e = c.end, depth = c.depth, l4Len = c.l4Len, frag = c.frag;
    if (tree !== null) lastCheck.verdict = 0;
    // Literal labels (checked against the L_* constants by `satisfies`) compile to a jump table; imported
    // constants would compile to a chain of module-cell loads and compares, one per case, on every layer.
    switch (layer) {
      case 1 satisfies typeof L_ETH: next = decodeEthernet(b, c, s); break;
      case 2 satisfies typeof L_VLAN: next = decodeVlan(b, c, s); break;
      case 3 satisfies typeof L_LLC: next = decodeLlc(b, c, s); break;
      case 4 satisfies typeof L_ARP: next = decodeArp(b, c, s); break;
      case 5 satisfies typeof L_IPV4: next = decodeIpv4(b, c, s); break;
      case 6 satisfies typeof L_IPV6: next = decodeIpv6(b, c, s); break;
      case 7 satisfies typeof L_GRE: next = decodeGre(b, c, s); break;
      case 8 satisfies typeof L_UDP: next = decodeUdp(b, c, s); break;
      case 9 satisfies typeof L_TCP: next = decodeTcp(b, c, s); break;
      case 10 satisfies typeof L_ICMP: next = decodeIcmp(b, c, s); break;
      case 11 satisfies typeof L_ICMPV6: next = decodeIcmpv6(b, c, s); break;
      case 12 satisfies typeof L_IGMP: next = decodeIgmp(b, c, s); break;
      case 13 satisfies typeof L_VXLAN: next = decodeVxlan(b, c, s, false); break;
      case 14 satisfies typeof L_VXLAN_GPE: next = decodeVxlan(b, c, s, true); break;
      case 15 satisfies typeof L_GENEVE: next = decodeGeneve(b, c, s); break;
      case 16 satisfies typeof L_SLL: next = decodeSll(b, c, s); break;
      case 17 satisfies typeof L_SLL2: next = decodeSll2(b, c, s); break;
      case 18 satisfies typeof L_NULL: next = decodeNull(b, c, s); break;
      case 19 satisfies typeof L_RAW: next = decodeRaw(b, c, s); break;
      case 20 satisfies typeof L_AH: next = decodeAh(b, c, s); break;
      case 21 satisfies typeof L_MPLS: next = decodeMpls(b, c, s); break;
      default: next = 0 satisfies typeof L_END;
    }
    if (tree !== null) describeLayer(tree, layer, b, p, e, c.base, depth, l4Len, frag !== 0);
    // A layer that stopped without consuming its header leaves nothing to show as payload.
    if (next === (0 satisfies typeof L_END) && c.pos === p) c.pos = c.end;
    // Layers that enclose a reassembled datagram declare the length of the fragment they came with: the
    // reassembled bytes run on to the end of the buffer.
    if (c.nReasm !== 0 && c.pos <= c.reasmAt[c.nReasm - 1]) c.end = c.capEnd;
  }
  if (tree !== null) finishTree(tree, b, c, s);
}

function setPoints(c: DecodeCtx, points: ReassemblyPoints): void {
  const n = Math.min(points.at.length, c.reasmAt.length);
  for (let k = 0; k < n; k++) {
    c.reasmAt[k] = c.base + points.at[k];
    c.reasmLen[k] = points.len[k];
  }
  c.nReasm = n;
  c.cut = points.cut;
}

/** Registry protocol name of each layer's node (what Wireshark's filter calls the protocol). */
const LAYER_FIELD: Record<number, string> = {
  [L_ETH]: 'eth', [L_VLAN]: 'vlan', [L_LLC]: 'llc', [L_SLL]: 'sll', [L_SLL2]: 'sll', [L_NULL]: 'null', [L_ARP]: 'arp',
  [L_IPV4]: 'ip', [L_IPV6]: 'ipv6', [L_GRE]: 'gre', [L_UDP]: 'udp', [L_TCP]: 'tcp', [L_ICMP]: 'icmp',
  [L_ICMPV6]: 'icmpv6', [L_IGMP]: 'igmp', [L_VXLAN]: 'vxlan', [L_VXLAN_GPE]: 'vxlan', [L_GENEVE]: 'geneve',
  [L_AH]: 'ah', [L_MPLS]: 'mpls',
};

function describeLayer(
  tree: TreeNode[], layer: number, b: Uint8Array, p: number, e: number, base: number, depth: number, l4Len: number,
  frag: boolean,
): void {
  const first = tree.length;
  describeInto(tree, layer, b, p, e, base, depth, l4Len, frag);
  if (tree.length > first && tree[first].field === undefined) tree[first].field = LAYER_FIELD[layer];
}

function describeInto(
  tree: TreeNode[], layer: number, b: Uint8Array, p: number, e: number, base: number, depth: number, l4Len: number,
  frag: boolean,
): void {
  switch (layer) {
    case L_ETH: tree.push(describeEthernet(b, p, e, base)); break;
    case L_VLAN: {
      const tpid = p - 2 >= base ? rd16(b, p - 2) : 0x8100;
      tree.push(describeVlan(b, p, e, base, isVlanTpid(tpid) ? tpid : 0x8100));
      break;
    }
    case L_LLC: tree.push(describeLlc(b, p, e, base)); break;
    case L_SLL: tree.push(describeSll(b, p, e, base)); break;
    case L_SLL2: tree.push(describeSll2(b, p, e, base)); break;
    case L_NULL: tree.push(describeNull(b, p, e, base)); break;
    case L_ARP: tree.push(describeArp(b, p, e, base)); break;
    case L_IPV4: tree.push(describeIpv4(b, p, e, base, depth)); break;
    case L_IPV6: tree.push(describeIpv6(b, p, e, base)); break;
    case L_GRE: tree.push(...describeGre(b, p, e, base, depth)); break;
    case L_UDP: tree.push(describeUdp(b, p, e, base, depth)); break;
    case L_TCP: tree.push(describeTcp(b, p, e, base, depth, l4Len)); break;
    case L_ICMP: tree.push(describeIcmp(b, p, e, base, depth)); break;
    case L_ICMPV6: tree.push(describeIcmpv6(b, p, e, base, depth)); break;
    case L_IGMP: tree.push(describeIgmp(b, p, e, base, l4Len, frag)); break;
    case L_VXLAN: tree.push(describeVxlan(b, p, e, base, false)); break;
    case L_VXLAN_GPE: tree.push(describeVxlan(b, p, e, base, true)); break;
    case L_GENEVE: tree.push(describeGeneve(b, p, e, base)); break;
    case L_AH: tree.push(describeAh(b, p, e, base)); break;
    case L_MPLS: tree.push(describeMpls(b, p, e, base)); break;
    default: break;
  }
}

// The NVGRE conformance bits (N_NVGRE_*) are not listed: describeNvgre writes them inside the NVGRE node of
// the layer they concern, so a frame-level copy would say the same thing twice.
const NOTES: [number, string][] = [
  [N_TRUNCATED, 'Frame ends before a layer does (snaplen or short frame); checks past that point are unverified'],
  [N_MALFORMED, 'A length or version field makes no sense; decoding stopped there'],
  [N_FRAGMENT, 'IP fragment: the transport checksum cannot be verified'],
  [N_UNKNOWN_LINKTYPE, 'Link type not decoded'],
  [N_DEPTH_LIMIT, 'Tunnels nested deeper than decoded'],
];

function finishTree(tree: TreeNode[], b: Uint8Array, c: DecodeCtx, s: Summary): void {
  const len = c.end - c.pos;
  if (len > 0) {
    const data = { label: 'Data', field: 'data.data', value: bytesHex(b, c.pos, len), start: c.pos - c.base, length: len };
    const dlen = { label: `Length: ${len}`, field: 'data.len', value: String(len), raw: len, start: c.pos - c.base, length: len };
    tree.push({ label: `Data (${len} bytes)`, field: 'data', start: c.pos - c.base, length: len, children: [data, dlen] });
  }
  for (const [bit, text] of NOTES) {
    if (s.notes & bit) tree.push(textNode(`[Expert: ${text}]`, c.base, 0, c.base));
  }
}
