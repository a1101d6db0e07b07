// ICMPv6 (RFC 4443): checksum over the IPv6 pseudo-header (next header 58) + message. Error messages quote
// the offending packet; shown in the tree, not verified.

import { verdictPseudo, verdictSkipped } from '../checksum.ts';
import { CK_ICMPV6, N_MTU_SIGNAL, N_TRUNCATED, P_ICMPV6, V_UNVERIFIED, setCheck, type Summary, type TreeNode } from '../summary.ts';
import { L_END, rd32, type DecodeCtx } from './ctx.ts';
import { quotedPorts } from './icmp.ts';
import { describeIpv6 } from './ipv6.ts';
import { Fields, layerNode, textNode } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_ICMPV6 } from './ids.ts';

export const ICMPV6_MIN = 4;

export function decodeIcmpv6(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  const end = c.end;
  if (p + ICMPV6_MIN > end) {
    s.notes |= N_TRUNCATED;
    setCheck(s, c.depth, CK_ICMPV6, verdictSkipped(V_UNVERIFIED, b, p + 2, end));
    return L_END;
  }
  s.icmpType = b[p];
  s.icmpCode = b[p + 1];
  s.topProto = P_ICMPV6;
  // Packet too big on the underlay (RFC 4443 3.2: the MTU in bytes 4-7).
  if (s.icmpType === 2 && c.depth === 0) {
    s.notes |= N_MTU_SIGNAL;
    s.icmpMtu = p + 8 <= end ? rd32(b, p + 4) : -1;
  }
  const v = c.frag !== 0
    ? verdictSkipped(V_UNVERIFIED, b, p + 2, end)
    : verdictPseudo(b, p, c.l4Len, end, c.ipAddrSum + 58 + c.l4Len, p + 2, false);
  setCheck(s, c.depth, CK_ICMPV6, v);
  c.pos = end;
  return L_END;
}

const TYPES: Record<number, string> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem',
  128: 'Echo (ping) request', 129: 'Echo (ping) reply', 130: 'Multicast Listener Query', 131: 'Multicast Listener Report',
  132: 'Multicast Listener Done', 133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement', 137: 'Redirect', 143: 'Multicast Listener Report Message v2',
};

export function describeIcmpv6(b: Uint8Array, p: number, end: number, base: number, depth: number): TreeNode {
  const f = new Fields(b, base, end);
  // Like Wireshark: a message shorter than the 4-byte header shows no fields.
  if (!f.has(p, ICMPV6_MIN)) return layerNode('Internet Control Message Protocol v6', p, end - p, base, f.kids);
  const type = f.uint('icmpv6.type', p, 1, (v) => (TYPES[v] ? `${TYPES[v]} (${v})` : String(v)));
  f.uint('icmpv6.code', p + 1, 1);
  f.checksum('icmpv6', p + 2, depth, CK_ICMPV6);
  if (type === 128 || type === 129) {
    f.uint('icmpv6.echo.identifier', p + 4, 2);
    f.uint('icmpv6.echo.sequence_number', p + 6, 2);
  } else if (type === 2) {
    f.uint('icmpv6.mtu', p + 4, 4);
  } else if (type === 4) {
    f.uint('icmpv6.pointer', p + 4, 4);
  } else if (type === 135 || type === 136) {
    f.ipv6(type === 135 ? 'icmpv6.nd.ns.target_address' : 'icmpv6.nd.na.target_address', p + 8);
  }
  if (type >= 1 && type <= 4) {
    const q = p + 8;
    if (q + 40 <= end && b[q] >> 4 === 6) {
      const ip = describeIpv6(b, q, end, base, true);
      ip.label = ip.label.replace('Internet Protocol Version 6', 'Internet Protocol Version 6 (quoted)');
      ip.field = 'ipv6';
      f.kids.push(ip);
      quotedPorts(f, b[q + 6], q + 40, f.kids);
      f.kids.push(textNode('[Quoted packet: checksums not verified]', q, 40, base));
    }
  }
  const label = type >= 0 ? `Internet Control Message Protocol v6, Type: ${TYPES[type] ?? type}` : 'Internet Control Message Protocol v6';
  return layerNode(label, p, end - p, base, f.kids);
}

export const ICMPV6 = registerLayer({
  id: L_ICMPV6,
  name: 'icmpv6',
  column: 'ICMPv6',
  kind: 'transport',
  decode: decodeIcmpv6,
  describe: (b, p, end, base, info) => describeIcmpv6(b, p, end, base, info.depth),
  fields: [
    ['icmpv6', 'Internet Control Message Protocol v6', 'protocol'],
    ['icmpv6.checksum', 'Checksum', 'uint'],
    ['icmpv6.checksum.status', 'Checksum Status', 'verdict'],
    ['icmpv6.code', 'Code', 'uint'],
    ['icmpv6.echo.identifier', 'Identifier', 'uint'],
    ['icmpv6.echo.sequence_number', 'Sequence', 'uint'],
    ['icmpv6.mtu', 'MTU', 'uint'],
    ['icmpv6.nd.na.target_address', 'Target Address', 'ipv6'],
    ['icmpv6.nd.ns.target_address', 'Target Address', 'ipv6'],
    ['icmpv6.pointer', 'Pointer', 'uint'],
    ['icmpv6.type', 'Type', 'uint'],
  ],
  joins: [{ table: 'ipproto', values: [58] }],
});
