// TCP (RFC 793/9293): ports, flags, checksum over pseudo-header + segment. Options are listed, not parsed.
// The payload goes to the layers that join the `tcpport` table (HTTP, TLS, DNS, ...), one segment at a time:
// no stream is reassembled.

import { verdictPseudo, verdictSkipped } from '../checksum.ts';
import {
  CK_TCP, N_MALFORMED, N_SUPERFRAME, N_TRUNCATED, P_TCP, V_PARTIAL, V_UNVERIFIED, setCheck, type Summary, type TreeNode,
} from '../summary.ts';
import { rd16, rd32, tcpPortNext, L_END, type DecodeCtx } from './ctx.ts';
import { Fields, bytesHex, hex, layerNode } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_TCP } from './ids.ts';
import { TCP_ANALYSIS_FIELDS } from '../analysis/tcp-analysis.ts';

export const TCP_MIN = 20;
/** The MTU of a standard Ethernet link: what a packet is cut to when nothing else says. */
export const ETHERNET_MTU = 1500;

export function decodeTcp(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  const end = c.end;
  if (p + TCP_MIN > end) {
    s.notes |= N_TRUNCATED;
    if (p + 4 <= end) {
      s.sport = rd16(b, p);
      s.dport = rd16(b, p + 2);
    }
    setCheck(s, c.depth, CK_TCP, verdictSkipped(V_UNVERIFIED, b, p + 16, end));
    return L_END;
  }
  s.sport = rd16(b, p);
  s.dport = rd16(b, p + 2);
  const flags = ((b[p + 12] & 0x0f) << 8) | b[p + 13];
  s.tcpFlags = flags;
  s.topProto = P_TCP;
  const hl = (b[p + 12] >> 4) * 4;
  // What TCP analysis reads (Wireshark's order): not in an unreassembled fragment; the segment length only
  // when the IP length holds the header, and before the header length is checked.
  if (c.frag === 0 && !c.inFrag) {
    s.tcpSegLen = c.l4Len >= hl ? c.l4Len - hl : -1;
    s.tcpSeq = rd32(b, p + 4);
    s.tcpAck = rd32(b, p + 8);
    s.tcpWin = rd16(b, p + 14);
    s.tcpHdrLen = hl;
    s.tcpHdrCut = p + hl > end;
    // The window scale option counts only on a SYN (RFC 7323 2.2), so only a SYN's options are read.
    s.tcpWscale = (flags & 0x02) !== 0 && hl > TCP_MIN ? windowScale(b, p + TCP_MIN, Math.min(p + hl, end)) : -1;
  }
  if (hl < TCP_MIN) {
    // Like Wireshark: a header length below the minimum stops the dissection before the checksum.
    s.notes |= N_MALFORMED;
    return L_END;
  }
  // A header longer than the segment is malformed, but the checksum still covers what the segment holds.
  if (hl > c.l4Len) s.notes |= N_MALFORMED;
  const v = c.frag !== 0
    ? verdictSkipped(V_UNVERIFIED, b, p + 16, end)
    : verdictPseudo(b, p, c.l4Len, end, c.ipAddrSum + 6 + c.l4Len, p + 16, false);
  setCheck(s, c.depth, CK_TCP, v);
  // Only the pseudo-header sum in a packet larger than an Ethernet MTU: TSO/GSO before the NIC, or GRO/LRO after.
  if (v === V_PARTIAL && c.ipLen > ETHERNET_MTU) s.notes |= N_SUPERFRAME;
  c.pos = p + hl < end ? p + hl : end;
  // No payload, or a fragment whose datagram is decoded whole elsewhere: nothing to dispatch.
  if (c.pos >= end || c.frag !== 0) return L_END;
  c.l4Len -= hl;
  // The layers' `tcpport` joins, the lower port first as in Wireshark: both directions of a connection pick
  // the same layer, and a server's well-known port wins over a client's port that happens to be registered.
  const lo = s.sport < s.dport ? s.sport : s.dport;
  const next = tcpPortNext(lo);
  return next !== L_END ? next : tcpPortNext(lo === s.sport ? s.dport : s.sport);
}

/** The shift of a window scale option (kind 3) among the options in [p, end), capped at 14 as Wireshark does; -1 without one. */
function windowScale(b: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const kind = b[p];
    if (kind === 0) return -1;
    if (kind === 1) { p++; continue; }
    if (p + 1 >= end) return -1;
    const len = b[p + 1];
    if (len < 2) return -1;
    if (kind === 3 && len === 3 && p + 2 < end) return b[p + 2] > 14 ? 14 : b[p + 2];
    p += len;
  }
  return -1;
}

const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];

export function tcpFlagsText(v: number): string {
  const on = FLAG_NAMES.filter((_, i) => (v >> i) & 1);
  return `${hex(v, 3)} (${on.length ? on.join(', ') : 'none'})`;
}

export function describeTcp(b: Uint8Array, p: number, end: number, base: number, depth: number, l4Len: number): TreeNode {
  const f = new Fields(b, base, end);
  const sp = f.uint('tcp.srcport', p, 2);
  const dp = f.uint('tcp.dstport', p + 2, 2);
  f.uint('tcp.seq', p + 4, 4);
  f.uint('tcp.ack', p + 8, 4);
  const hl = f.uint('tcp.hdr_len', p + 12, 1, (v) => `${v * 4} bytes (${v})`, 0xf, 4) * 4;
  const flags = f.uint('tcp.flags', p + 12, 2, tcpFlagsText, 0xfff, 0);
  if (flags >= 0) {
    const names = ['fin', 'syn', 'reset', 'push', 'ack', 'urg', 'ece', 'cwr', 'ae'];
    for (let i = names.length - 1; i >= 0; i--) f.flag(`tcp.flags.${names[i]}`, p + 12, 2, 1 << i);
  }
  f.uint('tcp.window_size_value', p + 14, 2);
  f.checksum('tcp', p + 16, depth, CK_TCP);
  f.uint('tcp.urgent_pointer', p + 18, 2);
  if (hl > TCP_MIN && f.has(p + TCP_MIN, hl - TCP_MIN)) {
    f.add('tcp.options', p + TCP_MIN, hl - TCP_MIN, bytesHex(b, p + TCP_MIN, hl - TCP_MIN, 40));
  }
  const segLen = hl >= TCP_MIN ? l4Len - hl : -1;
  if (segLen >= 0 && f.has(p + 12, 1)) f.kids.push({ label: `TCP Segment Len: ${segLen}`, field: 'tcp.len', value: String(segLen), raw: segLen, start: p + 12 - base, length: 1 });
  let label = 'Transmission Control Protocol';
  if (dp >= 0) label += `, Src Port: ${sp}, Dst Port: ${dp}`;
  if (p + 12 <= end) label += `, Seq: ${rd32(b, p + 4)}`;
  if (p + 16 <= end && (b[p + 13] & 0x10) !== 0) label += `, Ack: ${rd32(b, p + 8)}`;
  if (segLen >= 0) label += `, Len: ${segLen}`;
  return layerNode(label, p, Math.min(hl >= TCP_MIN ? hl : TCP_MIN, end - p), base, f.kids);
}

export const TCP = registerLayer({
  id: L_TCP,
  name: 'tcp',
  column: 'TCP',
  kind: 'transport',
  decode: decodeTcp,
  describe: (b, p, end, base, info) => describeTcp(b, p, end, base, info.depth, info.l4Len),
  fields: [
    ['tcp', 'Transmission Control Protocol', 'protocol'],
    ['tcp.ack', 'Acknowledgment Number', 'uint'],
    ['tcp.checksum', 'Checksum', 'uint'],
    ['tcp.checksum.status', 'Checksum Status', 'verdict'],
    ['tcp.dstport', 'Destination Port', 'uint'],
    ['tcp.flags', 'Flags', 'uint'],
    ['tcp.flags.ack', 'Acknowledgment', 'bool'],
    ['tcp.flags.ae', 'Accurate ECN', 'bool'],
    ['tcp.flags.cwr', 'Congestion Window Reduced', 'bool'],
    ['tcp.flags.ece', 'ECN-Echo', 'bool'],
    ['tcp.flags.fin', 'Fin', 'bool'],
    ['tcp.flags.push', 'Push', 'bool'],
    ['tcp.flags.reset', 'Reset', 'bool'],
    ['tcp.flags.syn', 'Syn', 'bool'],
    ['tcp.flags.urg', 'Urgent', 'bool'],
    ['tcp.hdr_len', 'Header Length', 'uint'],
    ['tcp.len', 'TCP Segment Len', 'uint'],
    ['tcp.options', 'TCP Options', 'bytes'],
    ['tcp.seq', 'Sequence Number', 'uint'],
    ['tcp.srcport', 'Source Port', 'uint'],
    ['tcp.urgent_pointer', 'Urgent Pointer', 'uint'],
    ['tcp.window_size_value', 'Window', 'uint'],
    ['tcp.port', 'Source or Destination Port', 'uint'],
    // From the engine's conversations and sequence analysis (decoders/analysis/streams.ts, tcp-analysis.ts), not the bytes.
    ['tcp.stream', 'Stream index', 'uint'],
    ['tcp.seq_raw', 'Sequence Number (raw)', 'uint'],
    ['tcp.ack_raw', 'Acknowledgment number (raw)', 'uint'],
    ['tcp.nxtseq', 'Next Sequence Number', 'uint'],
    ['tcp.window_size', 'Calculated window size', 'uint'],
    ['tcp.window_size_scalefactor', 'Window size scaling factor', 'int'],
    ...TCP_ANALYSIS_FIELDS,
  ],
  joins: [{ table: 'ipproto', values: [6] }],
});
