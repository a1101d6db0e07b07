// Super-frames: TSO/GSO transmit packets captured before the NIC cut them into segments, and GRO/LRO receive
// packets merged before capture, larger than the link carries. The decoders only mark them (N_SUPERFRAME: one
// compare where they already look at the lengths; Engine.isSuperframe adds the pcapng TSO flag); how they
// would leave the host is worked out here, from the frame's bytes, when its row or its details are shown:
//
//   N segments of M bytes, +K bytes of encapsulation each
//
// M: the MSS the receiving side announced in its SYN (less the TCP options this packet repeats in every
// segment) when the capture has that SYN, else what a 1,500-byte MTU leaves after the packet's own IP and
// TCP (or UDP) headers. K: everything each segment repeats from the outermost IP header on (the tunnel's
// outer headers, the inner IP and TCP headers), which the MTU of the link must also hold; a Jumbo Payload
// hop-by-hop header (BIG TCP) is not repeated. N: the payload over M, rounded up.

import { detail } from '../dissect.ts';
import { ETHERNET_MTU } from '../layers/tcp.ts';
import { JUMBO_MTU } from '../layers/ipv4.ts';
import { P_TCP, type TreeNode } from '../summary.ts';
import type { FrameIndex } from './frame-index.ts';
import { PF_TSO } from './frame-meta.ts';

export interface Superframe {
  /** Why it is one: each rule that holds, in words. */
  reasons: string[];
  /** Bytes to be cut: the TCP (or UDP) payload; the IP payload for anything else. */
  payload: number;
  /** Segments, and the payload bytes each carries (the last may carry less). */
  segments: number;
  segment: number;
  /** Header bytes each segment repeats from the outermost IP header on. */
  overhead: number;
  /** The MSS the segment size comes from and the frame of the SYN that announced it, or null (1,500-byte MTU). */
  mss: number | null;
  synFrame: number | null;
}

/** The Info column's mark before the row's bytes are read (fillSuperframeRows replaces it). */
export const SUPERFRAME_MARK = ' [super-frame]';

/** `super-frame: would leave as 45 segments of 1448 bytes, +52 bytes of encapsulation each` */
export function superframeText(sf: Superframe): string {
  return `super-frame: would leave as ${segmentsText(sf)}, +${sf.overhead} bytes of encapsulation each`;
}

/** The Info column's suffix: ` [super-frame: 45 segments of 1448 bytes]`. */
export function superframeSuffix(sf: Superframe): string {
  return ` [super-frame: ${segmentsText(sf)}]`;
}

function segmentsText(sf: Superframe): string {
  return `${sf.segments} ${sf.segments === 1 ? 'segment' : 'segments'} of ${sf.segment} bytes`;
}

const rd16 = (b: Uint8Array, p: number): number => (b[p] << 8) | b[p + 1];

/** Length of a Jumbo Payload hop-by-hop header right after the IPv6 header at p (what BIG TCP inserts), or 0. */
function jumboHeader(b: Uint8Array, p: number, end: number): number {
  if (p + 48 > end || b[p + 6] !== 0) return 0;
  const len = (b[p + 41] + 1) * 8;
  let o = p + 42;
  while (o < p + 40 + len && o < end && b[o] <= 1) o += b[o] === 0 ? 1 : 2 + b[o + 1];
  return o < end && o < p + 40 + len && b[o] === 0xc2 ? len : 0;
}

/** The MSS option of the TCP header at p (header length hl), or -1. */
function mssOption(b: Uint8Array, p: number, hl: number): number {
  for (let o = p + 20, stop = Math.min(p + hl, b.length); o < stop;) {
    const kind = b[o];
    if (kind === 0) break;
    if (kind === 1) { o++; continue; }
    const len = o + 1 < stop ? b[o + 1] : 0;
    if (len < 2 || o + len > stop) break;
    if (kind === 2 && len === 4) return rd16(b, o + 2);
    o += len;
  }
  return -1;
}

/** The MSS a SYN announces, from its bytes (its innermost TCP header), or -1. */
export function synMss(bytes: Uint8Array, caplen: number, origlen: number, linktype: number): number {
  const tcp = detail(bytes, 0, caplen, origlen, linktype).filter((n) => n.field === 'tcp').pop();
  if (tcp === undefined || tcp.start + 14 > bytes.length || (bytes[tcp.start + 13] & 0x02) === 0) return -1;
  return mssOption(bytes, tcp.start, (bytes[tcp.start + 12] >> 4) * 4);
}

/**
 * The SYN the other side of frame i's TCP flow sent before it (its MSS bounds what frame i's sender may put in a
 * segment): the frame number, or -1 when the capture has none. The flow's frames are scanned from its first;
 * what was found is kept per flow and direction.
 */
export function peerSynFrame(e: FrameIndex, i: number): number {
  const st = e.store;
  const f = st.flow[i];
  if (f < 0 || st.topProto[i] !== P_TCP) return -1;
  const want = st.dir[i] ^ 1;
  let memo = synMemo.get(e);
  if (memo === undefined) synMemo.set(e, (memo = new Map()));
  const key = f * 2 + want;
  let m = memo.get(key);
  const isSyn = (k: number): boolean => st.flow[k] === f && st.dir[k] === want && st.topProto[k] === P_TCP && (st.tcpFlags[k] & 0x02) !== 0;
  // A flow turned round by IP reassembly flips its directions: a remembered SYN is checked before it is used.
  if (m !== undefined && m.found >= 0 && !isSyn(m.found)) m = undefined;
  if (m === undefined) memo.set(key, (m = { found: -1, scanned: Math.max(0, e.flows.firstFrame[f] - 1) }));
  if (m.found >= 0) return m.found < i ? m.found + 1 : -1;
  for (let k = m.scanned; k < i; k++) {
    if (isSyn(k)) {
      m.found = k;
      return k + 1;
    }
  }
  m.scanned = Math.max(m.scanned, i);
  return -1;
}

const synMemo = new WeakMap<FrameIndex, Map<number, { found: number; scanned: number }>>();

/**
 * How super-frame i (store index) would leave: from its bytes (captured, from offset 0) and, when the capture
 * has it, the peer's SYN (peerSynFrame) with its bytes. Null when frame i is no super-frame or has no IP layer.
 */
export function superframeOf(e: FrameIndex, i: number, bytes: Uint8Array, syn: { n: number; bytes: Uint8Array } | null): Superframe | null {
  if (!e.isSuperframe(i)) return null;
  const st = e.store;
  const caplen = Math.min(st.caplen[i], bytes.length);
  const origlen = st.origlen[i];
  const layers = detail(bytes, 0, caplen, origlen, st.linktype[i]);
  const ips = layers.filter((n) => n.field === 'ip' || n.field === 'ipv6');
  if (ips.length === 0) return null;
  const outer = ips[0];
  const inner = ips[ips.length - 1];
  const next = layers[layers.indexOf(inner) + 1] as TreeNode | undefined;
  const l4 = next?.field === 'tcp' ? next : next?.field === 'udp' ? next : null;
  const l4Hdr = l4 === null ? 0 : l4.field === 'udp' ? 8 : l4.start + 13 <= caplen ? (bytes[l4.start + 12] >> 4) * 4 : l4.length;
  const payloadStart = (l4 !== null ? l4.start : inner.start + inner.length) + l4Hdr;
  // BIG TCP's jumbo header is not repeated in the segments.
  let jumbo = 0;
  for (const ip of ips) if (ip.field === 'ipv6') jumbo += jumboHeader(bytes, ip.start, caplen);
  const innerJumbo = inner.field === 'ipv6' ? jumboHeader(bytes, inner.start, caplen) : 0;
  const ipHdr = (l4 !== null ? l4.start : inner.start + inner.length) - inner.start - innerJumbo;
  // An IP length of 0 runs to the end of the frame as sent; otherwise the packet ends where its header says.
  const lenField = inner.field === 'ip' ? rd16(bytes, inner.start + 2) : rd16(bytes, inner.start + 4);
  const ipEnd = lenField === 0 ? origlen : Math.min(origlen, inner.start + (inner.field === 'ip' ? lenField : 40 + lenField));
  const payload = Math.max(0, ipEnd - payloadStart);
  let mss: number | null = null;
  if (syn !== null && l4?.field === 'tcp') {
    const loc = e.frameLocation(syn.n);
    const v = synMss(syn.bytes, Math.min(loc.caplen, syn.bytes.length), loc.origlen, loc.linktype);
    if (v > 0) mss = v;
  }
  const most = Math.max(1, mss !== null ? mss - (l4Hdr - 20) : ETHERNET_MTU - ipHdr - l4Hdr);
  return {
    reasons: reasons(e, i, bytes, caplen, origlen, ips, layers),
    payload,
    segments: Math.max(1, Math.ceil(payload / most)),
    // One segment carries what there is; more carry the most they can (the last the rest).
    segment: Math.min(most, payload),
    overhead: payloadStart - outer.start - jumbo,
    mss,
    synFrame: mss !== null && syn !== null ? syn.n : null,
  };
}

function reasons(e: FrameIndex, i: number, b: Uint8Array, caplen: number, origlen: number, ips: TreeNode[], layers: TreeNode[]): string[] {
  const out: string[] = [];
  const jumboText = `more than a ${JUMBO_MTU.toLocaleString('en-US')}-byte jumbo frame carries`;
  for (const ip of ips) {
    const p = ip.start;
    // In a tunnel, which of its IP headers.
    const which = ips.length === 1 ? '' : ip === ips[0] ? 'outer ' : 'inner ';
    if (ip.field === 'ip' && p + 4 <= caplen) {
      const tot = rd16(b, p + 2);
      if (tot === 0) out.push(`${which}IPv4 total length 0 on a ${origlen - p}-byte packet: left for the NIC to fill in (TSO/GSO)`);
      else if (tot > JUMBO_MTU) out.push(`an ${which}IPv4 packet of ${tot} bytes: ${jumboText}`);
    } else if (ip.field === 'ipv6' && p + 6 <= caplen) {
      const plen = rd16(b, p + 4);
      if (plen === 0) out.push(`${which}IPv6 payload length 0 with ${origlen - p - 40} bytes following${jumboHeader(b, p, caplen) > 0 ? ' and a Jumbo Payload option (BIG TCP)' : ''}`);
      else if (plen + 40 > JUMBO_MTU) out.push(`an ${which}IPv6 packet of ${plen + 40} bytes: ${jumboText}`);
    }
  }
  if ((e.extras.flags(i) & PF_TSO) !== 0) out.push('the capture marks it TCP segmentation offloaded (epb_flags bit 11)');
  const tcp = layers.filter((n) => n.field === 'tcp').pop();
  const partial = tcp?.children?.some((k) => k.field === 'tcp.checksum.status' && k.verdict === 'partial') === true;
  const inner = ips[ips.length - 1];
  const len = inner.field === 'ip' ? rd16(b, inner.start + 2) : rd16(b, inner.start + 4) + 40;
  if (partial && len > ETHERNET_MTU) {
    out.push(`presumed, as tcpdump does: a partial TCP checksum on a ${len}-byte IP packet, more than a ${ETHERNET_MTU.toLocaleString('en-US')}-byte MTU carries`);
  }
  return out;
}

/** Lines of the details' super-frame node: why, and where the segment size comes from. */
export function superframeNode(sf: Superframe): TreeNode {
  const why = sf.mss !== null
    ? `MSS ${sf.mss} announced in the SYN of frame ${sf.synFrame}${sf.segment !== sf.mss ? `, less ${sf.mss - sf.segment} bytes of TCP options each segment repeats` : ''}`
    : `no SYN from the receiving side in the capture: segments as a ${ETHERNET_MTU.toLocaleString('en-US')}-byte MTU leaves them`;
  const kids: TreeNode[] = [
    ...sf.reasons.map((r) => ({ label: r, start: 0, length: 0 })),
    { label: `${sf.payload} bytes to send; ${why}`, start: 0, length: 0 },
  ];
  if (sf.synFrame !== null) kids[kids.length - 1].frame = sf.synFrame;
  const label = `[${capitalise(superframeText(sf))}]`;
  // The line is its own value (a flag present only when true): the details show it as it is.
  return { label, field: 'frame.superframe', value: label, raw: 1, start: 0, length: 0, children: kids };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Where rows re-read frame bytes from (the capture, or its inflated copy for gzip input). */
export interface FrameBytes {
  read(offset: number, length: number): Promise<Uint8Array>;
}

interface InfoRow {
  n: number;
  info: string;
}

/** The Info of the super-frames among `rows`, from their bytes: ` [super-frame: 45 segments of 1448 bytes]`. */
export async function fillSuperframeRows(e: FrameIndex, rows: InfoRow[], frames: FrameBytes): Promise<void> {
  const read = (n: number): Promise<Uint8Array | null> => {
    const loc = e.frameLocation(n);
    return frames.read(loc.offset, loc.caplen).catch(() => null);
  };
  await Promise.all(rows.map(async (row) => {
    const i = row.n - 1;
    if (!row.info.includes(SUPERFRAME_MARK) || !e.isSuperframe(i)) return;
    const bytes = await read(row.n);
    if (bytes === null) return;
    const synN = peerSynFrame(e, i);
    const synBytes = synN > 0 ? await read(synN) : null;
    const sf = superframeOf(e, i, bytes, synN > 0 && synBytes !== null ? { n: synN, bytes: synBytes } : null);
    if (sf !== null) row.info = row.info.replace(SUPERFRAME_MARK, superframeSuffix(sf));
  }));
}
