// ARP (RFC 826). Only Ethernet/IPv4 addresses get typed fields; other sizes are shown as bytes.

import { N_TRUNCATED, P_ARP, type Summary, type TreeNode } from '../summary.ts';
import { rd16, L_END, type DecodeCtx } from './ctx.ts';
import { ETHERTYPES, Fields, bytesHex, ipv4Str, layerNode, named } from './tree.ts';
import { registerLayer } from './registry.ts';
import { arpRow } from './arp-row.ts';
import { L_ARP } from './ids.ts';

export const ARP_FIXED = 8;

export function decodeArp(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  if (p + ARP_FIXED > c.end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  s.topProto = P_ARP;
  const len = ARP_FIXED + 2 * (b[p + 4] + b[p + 5]);
  if (p + len > c.end) s.notes |= N_TRUNCATED;
  else c.pos = p + len;
  return L_END;
}

const OPCODES: Record<number, string> = { 1: 'request', 2: 'reply', 3: 'reverse request', 4: 'reverse reply' };

export function describeArp(b: Uint8Array, p: number, end: number, base: number): TreeNode {
  const f = new Fields(b, base, end);
  f.uint('arp.hw.type', p, 2, (v) => (v === 1 ? 'Ethernet (1)' : String(v)));
  f.uint('arp.proto.type', p + 2, 2, named(ETHERTYPES, 4));
  const hl = f.uint('arp.hw.size', p + 4, 1);
  const pl = f.uint('arp.proto.size', p + 5, 1);
  const op = f.uint('arp.opcode', p + 6, 2, (v) => (OPCODES[v] ? `${OPCODES[v]} (${v})` : String(v)));
  let label = 'Address Resolution Protocol';
  if (op > 0) label += ` (${OPCODES[op] ?? op})`;
  if (hl < 0 || pl < 0) return layerNode(label, p, end - p, base, f.kids);
  let q = p + ARP_FIXED;
  for (const side of ['src', 'dst']) {
    if (hl === 6) f.mac(`arp.${side}.hw_mac`, q);
    else if (f.has(q, hl)) f.add(`arp.${side}.hw`, q, hl, bytesHex(b, q, hl));
    q += hl;
    if (pl === 4) f.ipv4(`arp.${side}.proto_ipv4`, q);
    else if (f.has(q, pl)) f.add(`arp.${side}.proto`, q, pl, bytesHex(b, q, pl));
    q += pl;
  }
  if (op === 1 && hl === 6 && pl === 4 && p + 28 <= end) label = `Address Resolution Protocol (request), Who has ${ipv4Str(b, q - 4)}?`;
  return layerNode(label, p, Math.min(q, end) - p, base, f.kids);
}

export const ARP = registerLayer({
  id: L_ARP,
  name: 'arp',
  column: 'ARP',
  kind: 'other',
  decode: decodeArp,
  describe: (b, p, end, base) => describeArp(b, p, end, base),
  row: arpRow,
  fields: [
    ['arp', 'Address Resolution Protocol', 'protocol'],
    ['arp.dst.hw', 'Target hardware address', 'bytes'],
    ['arp.dst.hw_mac', 'Target MAC address', 'ether'],
    ['arp.dst.proto', 'Target protocol address', 'bytes'],
    ['arp.dst.proto_ipv4', 'Target IP address', 'ipv4'],
    ['arp.hw.size', 'Hardware size', 'uint'],
    ['arp.hw.type', 'Hardware type', 'uint'],
    ['arp.opcode', 'Opcode', 'uint'],
    ['arp.proto.size', 'Protocol size', 'uint'],
    ['arp.proto.type', 'Protocol type', 'uint'],
    ['arp.src.hw', 'Sender hardware address', 'bytes'],
    ['arp.src.hw_mac', 'Sender MAC address', 'ether'],
    ['arp.src.proto', 'Sender protocol address', 'bytes'],
    ['arp.src.proto_ipv4', 'Sender IP address', 'ipv4'],
  ],
  // 0x8035: RARP has ARP's layout (opcodes 3 and 4).
  joins: [{ table: 'ethertype', values: [0x0806, 0x8035] }],
});
