// Geneve (RFC 8926): version 0, options (length in 4-byte words), O/C flags, protocol type picks the payload.

import { ENC_GENEVE, ENC_NONE, N_MALFORMED, N_TRUNCATED, P_GENEVE, type Summary, type TreeNode } from '../summary.ts';
import { tenantIdText } from '../tenant-id.ts';
import { enterTunnel, etherNext, rd16, rd32, L_END, type DecodeCtx } from './ctx.ts';
import { ETHERTYPES, Fields, bytesHex, hex, layerNode, named, textNode } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_GENEVE } from './ids.ts';

export const GENEVE_HDR = 8;

export function decodeGeneve(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  if (p + GENEVE_HDR > c.end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  s.topProto = P_GENEVE;
  if (b[p] >> 6 !== 0) {
    s.notes |= N_MALFORMED;
    return L_END;
  }
  if (s.encap === ENC_NONE) {
    s.encap = ENC_GENEVE;
    s.vnid = rd32(b, p + 4) >>> 8;
  }
  const hl = GENEVE_HDR + (b[p] & 0x3f) * 4;
  if (p + hl > c.end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  // The protocol type is an EtherType (0x6558: Ethernet).
  const next = etherNext(rd16(b, p + 2));
  if (next === L_END || !enterTunnel(c, s)) return L_END;
  c.pos = p + hl;
  return next;
}

export function describeGeneve(b: Uint8Array, p: number, end: number, base: number): TreeNode {
  const f = new Fields(b, base, end);
  f.uint('geneve.version', p, 1, String, 3, 6);
  const optLen = f.uint('geneve.opt_len', p, 1, (v) => `${v * 4} bytes (${v})`, 0x3f, 0) * 4;
  f.uint('geneve.flags', p + 1, 1, (v) => hex(v, 2));
  f.flag('geneve.flags.oam', p + 1, 1, 0x80);
  f.flag('geneve.flags.critical', p + 1, 1, 0x40);
  const proto = f.uint('geneve.proto_type', p + 2, 2, named(ETHERTYPES, 4));
  const vni = f.uint('geneve.vni', p + 4, 3, tenantIdText);
  f.uint('geneve.reserved', p + 7, 1);
  if (optLen > 0 && f.has(p + GENEVE_HDR, 1)) f.kids.push(describeOptions(f, p + GENEVE_HDR, p + GENEVE_HDR + optLen));
  let label = 'Generic Network Virtualization Encapsulation';
  if (vni >= 0) label += `, VNI: ${tenantIdText(vni)}`;
  if (proto >= 0) label += `, Proto: ${ETHERTYPES[proto] ?? hex(proto, 4)}`;
  return layerNode(label, p, Math.min(GENEVE_HDR + Math.max(optLen, 0), end - p), base, f.kids);
}

function describeOptions(f: Fields, q: number, stop: number): TreeNode {
  const start = q;
  const kids: TreeNode[] = [];
  while (q + 4 <= stop && f.has(q, 4)) {
    const len = 4 + (f.b[q + 3] & 0x1f) * 4;
    const k: TreeNode[] = [];
    const cls = f.uint('geneve.option.class', q, 2, (v) => hex(v, 4), -1, 0, k);
    const type = f.uint('geneve.option.type', q + 2, 1, (v) => hex(v, 2), -1, 0, k);
    f.flag('geneve.option.type.critical', q + 2, 1, 0x80, k);
    f.uint('geneve.option.flags', q + 3, 1, String, 7, 5, k);
    f.uint('geneve.option.length', q + 3, 1, (v) => `${v * 4 + 4} bytes`, 0x1f, 0, k);
    if (q + len > stop) {
      kids.push(layerNode('Option (length runs past the options)', q, Math.min(stop, f.end) - q, f.base, k));
      break;
    }
    if (len > 4 && f.has(q + 4, len - 4)) f.add('geneve.option.unknown.data', q + 4, len - 4, bytesHex(f.b, q + 4, len - 4), k);
    kids.push(layerNode(`Option: class ${hex(cls, 4)}, type ${hex(type, 2)}`, q, Math.min(len, f.end - q), f.base, k));
    q += len;
  }
  if (q < stop && q + 4 > stop) kids.push(textNode('[Malformed options]', q, Math.min(stop, f.end) - q, f.base));
  return layerNode(`Geneve Options (${stop - start} bytes)`, start, Math.min(stop, f.end) - start, f.base, kids);
}

export const GENEVE = registerLayer({
  id: L_GENEVE,
  name: 'geneve',
  column: 'Geneve',
  kind: 'tunnel',
  decode: decodeGeneve,
  describe: (b, p, end, base) => describeGeneve(b, p, end, base),
  fields: [
    ['geneve', 'Generic Network Virtualization Encapsulation', 'protocol'],
    ['geneve.flags', 'Flags', 'uint'],
    ['geneve.flags.critical', 'Critical Options Present', 'bool'],
    ['geneve.flags.oam', 'Operations, Administration and Management Frame', 'bool'],
    ['geneve.opt_len', 'Options Length', 'uint'],
    ['geneve.option.class', 'Class', 'uint'],
    ['geneve.option.flags', 'Flags', 'uint'],
    ['geneve.option.length', 'Length', 'uint'],
    ['geneve.option.type', 'Type', 'uint'],
    ['geneve.option.type.critical', 'Critical Option', 'bool'],
    ['geneve.option.unknown.data', 'Unknown Option Data', 'bytes'],
    ['geneve.proto_type', 'Protocol Type', 'uint'],
    ['geneve.reserved', 'Reserved', 'uint'],
    ['geneve.version', 'Version', 'uint'],
    ['geneve.vni', 'Virtual Network Identifier (VNI)', 'uint'],
  ],
  joins: [{ table: 'udpport', values: [6081] }],
  tunnel: { encap: ENC_GENEVE, name: 'geneve', label: 'Geneve', idField: 'geneve.vni', idBits: 24 },
});
