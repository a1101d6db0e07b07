// IP Authentication Header (RFC 4302) after IPv4: skipped to reach the transport it protects. (After IPv6 it
// is walked with the other extension headers.) Length is in 4-byte words, minus 2.

import { N_TRUNCATED, type Summary, type TreeNode } from '../summary.ts';
import { ipProtoNext, L_END, type DecodeCtx } from './ctx.ts';
import { Fields, IP_PROTOS, hex, layerNode } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_AH } from './ids.ts';

export function decodeAh(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  if (p + 12 > c.end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  const len = (b[p + 1] + 2) * 4;
  if (p + len > c.end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  const nh = b[p];
  s.innerProto = nh;
  c.pos = p + len;
  c.l4Len -= len;
  return ipProtoNext(nh, c, s);
}

export function describeAh(b: Uint8Array, p: number, end: number, base: number): TreeNode {
  const f = new Fields(b, base, end);
  f.uint('ah.next_header', p, 1, (v) => (IP_PROTOS[v] ? `${IP_PROTOS[v]} (${v})` : String(v)));
  const len = f.uint('ah.length', p + 1, 1);
  f.uint('ah.spi', p + 4, 4, (v) => hex(v, 8));
  f.uint('ah.sequence', p + 8, 4);
  return layerNode('Authentication Header', p, Math.min(len >= 0 ? (len + 2) * 4 : 12, end - p), base, f.kids);
}

export const AH = registerLayer({
  id: L_AH,
  name: 'ah',
  column: 'AH',
  kind: 'other',
  decode: decodeAh,
  describe: (b, p, end, base) => describeAh(b, p, end, base),
  fields: [
    ['ah', 'Authentication Header', 'protocol'],
    ['ah.sequence', 'AH Sequence', 'uint'],
    ['ah.length', 'Length', 'uint'],
    ['ah.next_header', 'Next header', 'uint'],
    ['ah.spi', 'AH SPI', 'uint'],
  ],
  joins: [{ table: 'ipproto', values: [51] }],
});
