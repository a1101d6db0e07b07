// UDP (RFC 768) and the tunnel dispatch by port: VXLAN 4789/8472, VXLAN-GPE 4790, Geneve 6081,
// GRE-in-UDP 4754 (RFC 8086). The destination port decides; the source port only when it names nothing.

import { verdictPseudo, verdictSkipped } from '../checksum.ts';
import { CK_UDP, N_MALFORMED, N_TRUNCATED, P_UDP, V_UNVERIFIED, setCheck, type Summary, type TreeNode } from '../summary.ts';
import { rd16, L_END, L_GENEVE, L_GRE, L_VXLAN, L_VXLAN_GPE, type DecodeCtx } from './ctx.ts';
import { Fields, layerNode } from './tree.ts';

export const UDP_HDR = 8;

export function udpPortNext(port: number): number {
  switch (port) {
    case 4789: case 8472: return L_VXLAN;
    case 4790: return L_VXLAN_GPE;
    case 6081: return L_GENEVE;
    case 4754: return L_GRE;
    default: return L_END;
  }
}

export function decodeUdp(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  const end = c.end;
  if (p + UDP_HDR > end) {
    s.notes |= N_TRUNCATED;
    setCheck(s, c.depth, CK_UDP, verdictSkipped(V_UNVERIFIED, b, p + 6, end));
    return L_END;
  }
  const sport = rd16(b, p);
  const dport = rd16(b, p + 2);
  s.sport = sport;
  s.dport = dport;
  s.topProto = P_UDP;
  let len = rd16(b, p + 4);
  // 0 in a jumbogram (RFC 2675) means "see the IP payload length".
  if (len === 0 && c.l4Len > 0xffff) len = c.l4Len;
  let v: number;
  if (rd16(b, p + 6) === 0) v = verdictPseudo(b, p, len, end, 0, p + 6, true); // "no checksum" whatever else is wrong
  else if (c.frag !== 0) v = verdictSkipped(V_UNVERIFIED, b, p + 6, end);
  else if (len < UDP_HDR || len > c.l4Len) {
    s.notes |= N_MALFORMED;
    v = verdictSkipped(V_UNVERIFIED, b, p + 6, end);
  } else v = verdictPseudo(b, p, len, end, c.ipAddrSum + 17 + len, p + 6, true);
  setCheck(s, c.depth, CK_UDP, v);
  if (len < UDP_HDR) return L_END;
  if (p + len < end) c.end = p + len;
  c.pos = p + UDP_HDR;
  c.l4Len = len - UDP_HDR;
  let next = udpPortNext(dport);
  if (next === L_END) next = udpPortNext(sport);
  if (next !== L_END && c.depth === 0) s.tunPorts = (sport << 16) | dport;
  return next;
}

export function describeUdp(b: Uint8Array, p: number, end: number, base: number, depth: number): TreeNode {
  const f = new Fields(b, base, end);
  const sp = f.uint('udp.srcport', p, 2);
  const dp = f.uint('udp.dstport', p + 2, 2);
  f.uint('udp.length', p + 4, 2);
  f.checksum('udp', p + 6, depth, CK_UDP, true);
  const label = dp >= 0 ? `User Datagram Protocol, Src Port: ${sp}, Dst Port: ${dp}` : 'User Datagram Protocol';
  return layerNode(label, p, Math.min(UDP_HDR, end - p), base, f.kids);
}
