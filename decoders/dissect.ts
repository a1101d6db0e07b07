// Frame bytes -> flat Summary (hot path, no allocation) and -> detail tree (on demand). Both walk the same
// layer loop, so the tree can never disagree with the Summary about which layers a frame has.

import { lastCheck } from './checksum.ts';
import {
  N_DEPTH_LIMIT, N_FRAGMENT, N_MALFORMED, N_TRUNCATED, N_UNKNOWN_LINKTYPE, newSummary, resetSummary, type Summary, type TreeNode,
} from './summary.ts';
import { decodeAh } from './layers/ah.ts';
import { decodeArp } from './layers/arp.ts';
import { newCtx, resetCtx, type DecodeCtx } from './layers/ctx.ts';
import { decodeDhcp } from './layers/dhcp.ts';
import { decodeDhcpv6 } from './layers/dhcpv6.ts';
import { decodeDns } from './layers/dns.ts';
import { decodeEthernet, decodeLlc } from './layers/ethernet.ts';
import { decodeGeneve } from './layers/geneve.ts';
import { decodeGre } from './layers/gre.ts';
import { decodeHttp } from './layers/http.ts';
import { decodeIcmp } from './layers/icmp.ts';
import { decodeIcmpv6 } from './layers/icmpv6.ts';
import { L_END } from './layers/ids.ts';
import { decodeIgmp } from './layers/igmp.ts';
import './layers/index.ts';
import { decodeIpv4 } from './layers/ipv4.ts';
import { decodeIpv6 } from './layers/ipv6.ts';
import { decodeMpls } from './layers/mpls.ts';
import { decodeNbns } from './layers/nbns.ts';
import { decodeNull } from './layers/null.ts';
import { decodeRaw } from './layers/raw.ts';
import { KIND_APP, LAYER_KIND, layerDef, LINKTYPE_NEXT } from './layers/registry.ts';
import { decodeService } from './layers/services.ts';
import { decodeSll } from './layers/sll.ts';
import { decodeSll2 } from './layers/sll2.ts';
import { decodeTcp } from './layers/tcp.ts';
import { decodeTls } from './layers/tls.ts';
import { bytesHex, textNode } from './layers/tree.ts';
import { decodeUdp } from './layers/udp.ts';
import { decodeVlan } from './layers/vlan.ts';
import { decodeVxlan } from './layers/vxlan.ts';

/** First layer for a LINKTYPE_* value (the layers' `linktype` joins), or L_END when none decodes it. */
export function linkLayer(linktype: number): number {
  return linktype >= 0 && linktype < LINKTYPE_NEXT.length ? LINKTYPE_NEXT[linktype] & 0xff : L_END;
}

/**
 * Layer ids the hot path's switch calls directly (`walk`): every layer decoders/layers/index.ts ships. A layer
 * registered otherwise (a plug-in, a test's) is decoded through the registry, a little slower.
 */
export const SWITCHED_LAYERS: readonly number[] = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 24, 25, 26, 27, 28, 29, 30, 31,
  32, 33, 34, 35, 36, 37, 38, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53,
];

const hotCtx = newCtx();
const treeCtx = newCtx();
const treeSummary = newSummary();

/**
 * Decode one frame into the reused Summary. `b[off, off+caplen)` holds the captured bytes, `origlen` is the
 * length on the wire; offsets written to the Summary are relative to b[off].
 */
export function dissect(b: Uint8Array, off: number, caplen: number, origlen: number, linktype: number, s: Summary): void {
  resetSummary(s);
  walk(b, off, caplen, origlen, linktype, s, hotCtx, null, null, null);
}

/** The detail tree of one frame: one node per layer, byte ranges relative to the frame start. */
export function detail(b: Uint8Array, off: number, caplen: number, origlen: number, linktype: number): TreeNode[] {
  const out: TreeNode[] = [];
  resetSummary(treeSummary);
  walk(b, off, caplen, origlen, linktype, treeSummary, treeCtx, out, null, null);
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
  walk(b, off, caplen, origlen, linktype, s, reasmCtx, null, points, null);
}

/** detail() over such a buffer. */
export function detailReassembled(
  b: Uint8Array, off: number, caplen: number, origlen: number, linktype: number, points: ReassemblyPoints,
): TreeNode[] {
  const out: TreeNode[] = [];
  resetSummary(treeSummary);
  walk(b, off, caplen, origlen, linktype, treeSummary, treeCtx, out, points, null);
  return out;
}

const traceCtx = newCtx();

/** Where trace() puts the bytes no layer decoded (the tree's Data node), in place of a layer id. */
export const TRACE_DATA = 0;

/**
 * dissect() that also lists the layers it decoded: trace[2k] is the k-th layer's id, trace[2k + 1] its offset
 * from the frame start; bytes left undecoded end the list as TRACE_DATA. Returns the number of entries (pairs
 * past the trace's room are dropped). For statistics passes (decoders/analysis/proto-hierarchy.ts).
 */
export function dissectTrace(b: Uint8Array, off: number, caplen: number, origlen: number, linktype: number, s: Summary, trace: Int32Array): number {
  resetSummary(s);
  trace[trace.length - 1] = 0;
  walk(b, off, caplen, origlen, linktype, s, traceCtx, null, null, trace);
  return trace[trace.length - 1];
}

function walk(
  b: Uint8Array, off: number, caplen: number, origlen: number, linktype: number, s: Summary, c: DecodeCtx,
  tree: TreeNode[] | null, points: ReassemblyPoints | null, trace: Int32Array | null,
): void {
  const start = off < 0 ? 0 : off;
  const avail = b.length - start;
  const capEnd = start + (caplen < 0 ? 0 : caplen < avail ? caplen : avail > 0 ? avail : 0);
  resetCtx(c, start, capEnd, caplen < origlen);
  if (points !== null) setPoints(c, points);
  let next = linkLayer(linktype);
  if (next === L_END) s.notes |= N_UNKNOWN_LINKTYPE;
  let parent = 0;
  while (next !== 0 satisfies typeof L_END) {
    const layer = next;
    const p = c.pos, e = c.end, depth = c.depth, l4Len = c.l4Len, frag = c.frag;
    if (tree !== null) lastCheck.verdict = 0;
    // Literal labels (the ids of decoders/layers/ids.ts; dissect.test.ts checks every shipped definition is
    // here, under its id) compile to a jump table: imported constants would compile to a chain of module-cell
    // loads and compares, and a call through the registry would not be inlined.
    switch (layer) {
      case 1: next = decodeEthernet(b, c, s); break;
      case 2: next = decodeVlan(b, c, s); break;
      case 3: next = decodeLlc(b, c, s); break;
      case 4: next = decodeArp(b, c, s); break;
      case 5: next = decodeIpv4(b, c, s); break;
      case 6: next = decodeIpv6(b, c, s); break;
      case 7: next = decodeGre(b, c, s); break;
      case 8: next = decodeUdp(b, c, s); break;
      case 9: next = decodeTcp(b, c, s); break;
      case 10: next = decodeIcmp(b, c, s); break;
      case 11: next = decodeIcmpv6(b, c, s); break;
      case 12: next = decodeIgmp(b, c, s); break;
      case 13: next = decodeVxlan(b, c, s, false); break;
      case 14: next = decodeVxlan(b, c, s, true); break;
      case 15: next = decodeGeneve(b, c, s); break;
      case 16: next = decodeSll(b, c, s); break;
      case 17: next = decodeSll2(b, c, s); break;
      case 18: next = decodeNull(b, c, s); break;
      case 19: next = decodeRaw(b, c, s); break;
      case 20: next = decodeAh(b, c, s); break;
      case 21: next = decodeMpls(b, c, s); break;
      case 24: next = decodeDns(b, c, s, 24); break;
      case 25: next = decodeDns(b, c, s, 25); break;
      case 26: next = decodeDns(b, c, s, 26); break;
      case 27: next = decodeNbns(b, c, s); break;
      case 28: next = decodeDhcp(b, c, s); break;
      case 29: next = decodeDhcpv6(b, c, s); break;
      case 30: next = decodeHttp(b, c, s); break;
      case 31: next = decodeTls(b, c, s); break;
      case 32: next = decodeService(b, c, s, 32); break;
      case 33: next = decodeService(b, c, s, 33); break;
      case 34: next = decodeService(b, c, s, 34); break;
      case 35: next = decodeService(b, c, s, 35); break;
      case 36: next = decodeService(b, c, s, 36); break;
      case 37: next = decodeService(b, c, s, 37); break;
      case 38: next = decodeService(b, c, s, 38); break;
      case 40: next = decodeService(b, c, s, 40); break;
      case 41: next = decodeService(b, c, s, 41); break;
      case 42: next = decodeService(b, c, s, 42); break;
      case 43: next = decodeService(b, c, s, 43); break;
      case 44: next = decodeService(b, c, s, 44); break;
      case 45: next = decodeService(b, c, s, 45); break;
      case 46: next = decodeService(b, c, s, 46); break;
      case 47: next = decodeService(b, c, s, 47); break;
      case 48: next = decodeService(b, c, s, 48); break;
      case 49: next = decodeService(b, c, s, 49); break;
      case 50: next = decodeService(b, c, s, 50); break;
      case 51: next = decodeService(b, c, s, 51); break;
      case 52: next = decodeService(b, c, s, 52); break;
      case 53: next = decodeService(b, c, s, 53); break;
      default: next = decodeOther(layer, b, c, s);
    }
    if (tree !== null) describeLayer(tree, layer, b, p, e, c.base, depth, l4Len, frag !== 0, parent);
    if (trace !== null) addTrace(trace, layer, p - c.base);
    parent = layer;
    // A layer that stopped without consuming its header leaves nothing to show as payload; an application
    // layer that found no message of its own leaves the bytes as data.
    if (next === L_END && c.pos === p && LAYER_KIND[layer] !== KIND_APP) c.pos = c.end;
    // Layers that enclose a reassembled datagram declare the length of the fragment they came with: the
    // reassembled bytes run on to the end of the buffer.
    if (c.nReasm !== 0 && c.pos <= c.reasmAt[c.nReasm - 1]) c.end = c.capEnd;
  }
  if (tree !== null) finishTree(tree, b, c, s);
  if (trace !== null && c.end > c.pos) addTrace(trace, TRACE_DATA, c.pos - c.base);
}

/** Appends a (layer, offset) pair; the count is kept in the trace's last slot. */
function addTrace(trace: Int32Array, layer: number, at: number): void {
  const n = trace[trace.length - 1];
  if (2 * n + 2 >= trace.length) return;
  trace[2 * n] = layer;
  trace[2 * n + 1] = at;
  trace[trace.length - 1] = n + 1;
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

/** A layer outside the switch: its registered decoder, or the end. */
function decodeOther(layer: number, b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const decode = layerDef(layer)?.decode;
  return decode === undefined ? L_END : decode(b, c, s);
}

function describeLayer(
  tree: TreeNode[], layer: number, b: Uint8Array, p: number, e: number, base: number, depth: number, l4Len: number,
  frag: boolean, parent: number,
): void {
  const def = layerDef(layer);
  if (def?.describe === undefined) return;
  const first = tree.length;
  const got = def.describe(b, p, e, base, { depth, l4Len, frag, parent });
  if (Array.isArray(got)) tree.push(...got);
  else tree.push(got);
  // The layer's node is named for the filter by its protocol (Wireshark's `ip`, `vxlan`).
  if (tree.length > first && tree[first].field === undefined && def.name !== '') tree[first].field = def.name;
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
