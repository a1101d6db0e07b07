// UDP (RFC 768), and the dispatch by port to the layers that join the `udpport` table (VXLAN, VXLAN-GPE,
// Geneve, GRE-in-UDP, MPLS over UDP, ...).

import { verdictPseudo, verdictSkipped } from '../checksum.ts';
import { CK_UDP, N_MALFORMED, N_TRUNCATED, P_UDP, V_UNVERIFIED, setCheck, type Summary, type TreeNode } from '../summary.ts';
import { dispatchTunnel, rd16, udpPortNext, L_END, type DecodeCtx } from './ctx.ts';
import { Fields, layerNode } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_UDP } from './ids.ts';

export const UDP_HDR = 8;

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
  // The layers' `udpport` joins: the destination port decides, the source port when it names nothing.
  let next = udpPortNext(dport);
  if (next === L_END) next = udpPortNext(sport);
  if (next === L_END) return L_END;
  if (c.depth === 0) s.tunPorts = (sport << 16) | dport;
  return dispatchTunnel(next, c, s);
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

export const UDP = registerLayer({
  id: L_UDP,
  name: 'udp',
  column: 'UDP',
  kind: 'transport',
  decode: decodeUdp,
  describe: (b, p, end, base, info) => describeUdp(b, p, end, base, info.depth),
  fields: [
    ['udp', 'User Datagram Protocol', 'protocol'],
    ['udp.checksum', 'Checksum', 'uint'],
    ['udp.checksum.status', 'Checksum Status', 'verdict'],
    ['udp.dstport', 'Destination Port', 'uint'],
    ['udp.length', 'Length', 'uint'],
    ['udp.srcport', 'Source Port', 'uint'],
    ['udp.port', 'Source or Destination Port', 'uint'],
    // From the engine's conversations (decoders/analysis/streams.ts), not the bytes.
    ['udp.stream', 'Stream index', 'uint'],
  ],
  joins: [{ table: 'ipproto', values: [17] }],
});
