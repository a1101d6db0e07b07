// ICMP (RFC 792): checksum over the whole message. Error messages quote the offending IP header; the tree
// shows it, but its checksums are not verified (they describe another packet, often already rewritten).

import { verdictPlain, verdictSkipped } from '../checksum.ts';
import { CK_ICMP, N_MTU_SIGNAL, N_TRUNCATED, P_ICMP, V_UNVERIFIED, setCheck, type Summary, type TreeNode } from '../summary.ts';
import { L_END, rd16, type DecodeCtx } from './ctx.ts';
import { describeIpv4 } from './ipv4.ts';
import { Fields, layerNode, textNode } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_ICMP } from './ids.ts';

export const ICMP_MIN = 4;

export function decodeIcmp(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  const end = c.end;
  if (p + ICMP_MIN > end) {
    s.notes |= N_TRUNCATED;
    setCheck(s, c.depth, CK_ICMP, verdictSkipped(V_UNVERIFIED, b, p + 2, end));
    return L_END;
  }
  s.icmpType = b[p];
  s.icmpCode = b[p + 1];
  s.topProto = P_ICMP;
  // Fragmentation needed on the underlay (RFC 1191: next-hop MTU in bytes 6-7; 0 from older routers).
  if (s.icmpType === 3 && s.icmpCode === 4 && c.depth === 0) {
    s.notes |= N_MTU_SIGNAL;
    s.icmpMtu = p + 8 <= end ? rd16(b, p + 6) : -1;
  }
  const v = c.frag !== 0 ? verdictSkipped(V_UNVERIFIED, b, p + 2, end) : verdictPlain(b, p, c.l4Len, end, p + 2);
  setCheck(s, c.depth, CK_ICMP, v);
  c.pos = end;
  return L_END;
}

const TYPES: Record<number, string> = {
  0: 'Echo (ping) reply', 3: 'Destination unreachable', 4: 'Source quench', 5: 'Redirect', 8: 'Echo (ping) request',
  9: 'Router advertisement', 10: 'Router solicitation', 11: 'Time-to-live exceeded', 12: 'Parameter problem',
  13: 'Timestamp request', 14: 'Timestamp reply',
};

export function isIcmpError(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

/** Ports of a quoted TCP/UDP header (the first 8 bytes are all an ICMP error must carry). */
export function quotedPorts(f: Fields, proto: number, q: number, kids: TreeNode[]): void {
  const pfx = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : '';
  if (pfx === '' || !f.has(q, 4)) return;
  const k: TreeNode[] = [];
  const sp = f.uint(`${pfx}.srcport`, q, 2, String, -1, 0, k);
  const dp = f.uint(`${pfx}.dstport`, q + 2, 2, String, -1, 0, k);
  if (q + 8 <= f.end) {
    if (pfx === 'udp') f.uint('udp.length', q + 4, 2, String, -1, 0, k);
    else f.uint('tcp.seq', q + 4, 4, String, -1, 0, k);
  }
  const name = pfx === 'tcp' ? 'Transmission Control Protocol' : 'User Datagram Protocol';
  const node = layerNode(`${name} (quoted), Src Port: ${sp}, Dst Port: ${dp}`, q, Math.min(8, f.end - q), f.base, k);
  node.field = pfx; // a protocol instance for filters, as in Wireshark (`tcp` matches an ICMP error quoting TCP)
  kids.push(node);
}

export function describeIcmp(b: Uint8Array, p: number, end: number, base: number, depth: number): TreeNode {
  const f = new Fields(b, base, end);
  // Like Wireshark: a message shorter than the 4-byte header shows no fields.
  if (!f.has(p, ICMP_MIN)) return layerNode('Internet Control Message Protocol', p, end - p, base, f.kids);
  const type = f.uint('icmp.type', p, 1, (v) => (TYPES[v] ? `${v} (${TYPES[v]})` : String(v)));
  f.uint('icmp.code', p + 1, 1);
  f.checksum('icmp', p + 2, depth, CK_ICMP);
  if (type === 0 || type === 8 || type === 13 || type === 14) {
    f.uint('icmp.ident', p + 4, 2);
    f.uint('icmp.seq', p + 6, 2);
  } else if (isIcmpError(type)) {
    if (type === 3 && b[p + 1] === 4) f.uint('icmp.mtu', p + 6, 2);
    else if (type === 5) f.ipv4('icmp.redir_gw', p + 4);
    const q = p + 8;
    if (q + 20 <= end && b[q] >> 4 === 4) {
      const ip = describeIpv4(b, q, end, base, depth, true);
      ip.label = ip.label.replace('Internet Protocol Version 4', 'Internet Protocol Version 4 (quoted)');
      ip.field = 'ip';
      const hl = (b[q] & 15) * 4;
      const kids = [ip];
      quotedPorts(f, b[q + 9], q + hl, kids);
      f.kids.push(...kids);
      f.kids.push(textNode('[Quoted packet: checksums not verified]', q, Math.min(20, end - q), base));
    }
  }
  const label = type >= 0 ? `Internet Control Message Protocol, Type: ${type}${TYPES[type] ? ` (${TYPES[type]})` : ''}` : 'Internet Control Message Protocol';
  return layerNode(label, p, end - p, base, f.kids);
}

export const ICMP = registerLayer({
  id: L_ICMP,
  name: 'icmp',
  column: 'ICMP',
  kind: 'transport',
  decode: decodeIcmp,
  describe: (b, p, end, base, info) => describeIcmp(b, p, end, base, info.depth),
  fields: [
    ['icmp', 'Internet Control Message Protocol', 'protocol'],
    ['icmp.checksum', 'Checksum', 'uint'],
    ['icmp.checksum.status', 'Checksum Status', 'verdict'],
    ['icmp.code', 'Code', 'uint'],
    ['icmp.ident', 'Identifier (BE)', 'uint'],
    ['icmp.mtu', 'MTU of next hop', 'uint'],
    ['icmp.redir_gw', 'Gateway Address', 'ipv4'],
    ['icmp.seq', 'Sequence Number (BE)', 'uint'],
    ['icmp.type', 'Type', 'uint'],
  ],
  joins: [{ table: 'ipproto', values: [1] }],
});
