// Linux cooked capture v2 (LINKTYPE_LINUX_SLL2 276): 20 bytes, protocol first, with the interface index.

import { N_TRUNCATED, P_SLL, type Summary, type TreeNode } from '../summary.ts';
import { rd16, L_END, type DecodeCtx } from './ctx.ts';
import { PKTTYPES, sllNext, sllProtoField } from './sll.ts';
import { ETHERTYPES, Fields, bytesHex, layerNode, named } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_SLL2 } from './ids.ts';

export const SLL2_HDR = 20;

export function decodeSll2(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  if (p + SLL2_HDR > c.end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  s.topProto = P_SLL;
  c.pos = p + SLL2_HDR;
  return sllNext(rd16(b, p + 8), rd16(b, p));
}

export function describeSll2(b: Uint8Array, p: number, end: number, base: number): TreeNode {
  const f = new Fields(b, base, end);
  if (f.has(p, 2) && f.has(p + 8, 2)) {
    f.uint(sllProtoField(rd16(b, p + 8), rd16(b, p)), p, 2, named(ETHERTYPES, 4));
  }
  f.uint('sll.unused', p + 2, 2);
  f.uint('sll.ifindex', p + 4, 4);
  f.uint('sll.hatype', p + 8, 2);
  f.uint('sll.pkttype', p + 10, 1, named(PKTTYPES, 0));
  const halen = f.uint('sll.halen', p + 11, 1);
  if (f.has(p + 12, 8)) f.add('sll.src.other', p + 12, 8, bytesHex(b, p + 12, Math.min(8, Math.max(halen, 0))));
  return layerNode('Linux cooked capture v2', p, Math.min(SLL2_HDR, end - p), base, f.kids);
}

export const SLL2 = registerLayer({
  id: L_SLL2,
  name: 'sll',
  column: 'SLL',
  kind: 'link',
  decode: decodeSll2,
  describe: (b, p, end, base) => describeSll2(b, p, end, base),
  joins: [{ table: 'linktype', values: [276] }],
});
