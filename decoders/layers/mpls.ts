// MPLS label stack (RFC 3032): labels up to the bottom-of-stack bit; the payload is guessed from its first
// nibble as Wireshark does (4 IPv4, 6 IPv6), anything else (pseudowire, control word) stops.

import { N_TRUNCATED, P_MPLS, type Summary, type TreeNode } from '../summary.ts';
import { L_END, L_IPV4, L_IPV6, type DecodeCtx } from './ctx.ts';
import { Fields, layerNode } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_MPLS } from './ids.ts';

export function decodeMpls(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  let p = c.pos;
  s.topProto = P_MPLS;
  for (;;) {
    if (p + 4 > c.end) {
      s.notes |= N_TRUNCATED;
      return L_END;
    }
    const bottom = (b[p + 2] & 1) !== 0;
    p += 4;
    if (bottom) break;
  }
  c.pos = p;
  if (p >= c.end) return L_END;
  const v = b[p] >> 4;
  return v === 4 ? L_IPV4 : v === 6 ? L_IPV6 : L_END;
}

export function describeMpls(b: Uint8Array, p: number, end: number, base: number): TreeNode {
  const f = new Fields(b, base, end);
  let q = p;
  let labels = '';
  while (f.has(q, 4)) {
    const k: TreeNode[] = [];
    const label = f.uint('mpls.label', q, 3, String, 0xfffff, 4, k);
    f.uint('mpls.exp', q + 2, 1, String, 7, 1, k);
    f.uint('mpls.bottom', q + 2, 1, String, 1, 0, k);
    f.uint('mpls.ttl', q + 3, 1, String, -1, 0, k);
    labels += (labels ? ', ' : '') + label;
    f.kids.push(layerNode(`MPLS Label: ${label}`, q, 4, base, k));
    const bottom = (b[q + 2] & 1) !== 0;
    q += 4;
    if (bottom) break;
  }
  return layerNode(`MultiProtocol Label Switching Header, Label: ${labels}`, p, q - p, base, f.kids);
}

export const MPLS = registerLayer({
  id: L_MPLS,
  name: 'mpls',
  column: 'MPLS',
  kind: 'other',
  decode: decodeMpls,
  describe: (b, p, end, base) => describeMpls(b, p, end, base),
  fields: [
    ['mpls', 'MultiProtocol Label Switching Header', 'protocol'],
    ['mpls.label', 'MPLS Label', 'uint'],
    ['mpls.exp', 'MPLS Experimental Bits', 'uint'],
    ['mpls.bottom', 'MPLS Bottom Of Label Stack', 'uint'],
    ['mpls.ttl', 'MPLS TTL', 'uint'],
  ],
  // 6635: MPLS over UDP (RFC 7510): the label stack is a tunnel header, so UDP goes one tunnel deeper.
  joins: [{ table: 'ethertype', values: [0x8847, 0x8848] }, { table: 'udpport', values: [6635], tunnel: true }],
});
