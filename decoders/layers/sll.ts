// Linux cooked capture v1 (LINKTYPE_LINUX_SLL 113): a 16-byte pseudo link header.

import { N_TRUNCATED, P_SLL, type Summary, type TreeNode } from '../summary.ts';
import { etherNext, rd16, L_END, L_ETH, L_LLC, type DecodeCtx } from './ctx.ts';
import { ETHERTYPES, Fields, bytesHex, layerNode, named } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_SLL } from './ids.ts';

export const SLL_HDR = 16;
const ARPHRD_IPGRE = 778;
const ARPHRD_NETLINK = 824;

export const PKTTYPES: Record<number, string> = {
  0: 'Unicast to us', 1: 'Broadcast', 2: 'Multicast', 3: 'Unicast to another host', 4: 'Sent by us',
};

/** Protocol field meaning shared by SLL and SLL2: an EtherType, a GRE protocol type, or a Linux pseudo type. */
export function sllNext(hatype: number, proto: number): number {
  if (hatype === ARPHRD_NETLINK) return L_END;
  if (hatype === ARPHRD_IPGRE) return proto === 0x6558 ? L_ETH : etherNext(proto);
  if (proto === 0x0004) return L_LLC; // ETH_P_802_2
  return proto > 1500 ? etherNext(proto) : L_END;
}

export function sllProtoField(hatype: number, proto: number): string {
  if (hatype === ARPHRD_IPGRE) return 'sll.gretype';
  return proto > 1500 ? 'sll.etype' : 'sll.ltype';
}

export function decodeSll(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  if (p + SLL_HDR > c.end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  s.topProto = P_SLL;
  c.pos = p + SLL_HDR;
  return sllNext(rd16(b, p + 2), rd16(b, p + 14));
}

export function describeSll(b: Uint8Array, p: number, end: number, base: number): TreeNode {
  const f = new Fields(b, base, end);
  f.uint('sll.pkttype', p, 2, named(PKTTYPES, 0));
  const hatype = f.uint('sll.hatype', p + 2, 2);
  const halen = f.uint('sll.halen', p + 4, 2);
  if (f.has(p + 6, 8)) f.add('sll.src.other', p + 6, 8, bytesHex(b, p + 6, Math.min(8, Math.max(halen, 0))));
  if (f.has(p + 14, 2)) {
    const proto = rd16(b, p + 14);
    f.uint(sllProtoField(hatype, proto), p + 14, 2, named(ETHERTYPES, 4));
  }
  return layerNode('Linux cooked capture v1', p, Math.min(SLL_HDR, end - p), base, f.kids);
}

export const SLL = registerLayer({
  id: L_SLL,
  name: 'sll',
  column: 'SLL',
  kind: 'link',
  decode: decodeSll,
  describe: (b, p, end, base) => describeSll(b, p, end, base),
  fields: [
    ['sll', 'Linux cooked-mode capture', 'protocol'],
    ['sll.etype', 'Protocol', 'uint'],
    ['sll.gretype', 'Protocol', 'uint'],
    ['sll.halen', 'Link-layer address length', 'uint'],
    ['sll.hatype', 'Link-layer address type', 'uint'],
    ['sll.ifindex', 'Interface index', 'uint'],
    ['sll.ltype', 'Protocol', 'uint'],
    ['sll.pkttype', 'Packet type', 'uint'],
    ['sll.src.other', 'Source', 'bytes'],
    ['sll.unused', 'Unused', 'bytes'],
  ],
  joins: [{ table: 'linktype', values: [113] }],
});
