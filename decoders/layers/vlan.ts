// One 802.1Q / 802.1ad tag (TPID 0x8100, 0x88a8, 0x9100, 0x9200 read by the previous layer). Stacked tags
// (QinQ, any depth) are simply consecutive vlan layers.

import { N_MALFORMED, N_TRUNCATED, type Summary, type TreeNode } from '../summary.ts';
import { etherNext, rd16, L_END, L_LLC, type DecodeCtx } from './ctx.ts';
import { ETHERTYPES, Fields, hex, layerNode, named } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_VLAN } from './ids.ts';
import { isVlanTpid } from './ctx.ts';

export const VLAN_HDR = 4;

export function decodeVlan(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  if (p + VLAN_HDR > c.end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  const t = rd16(b, p + 2);
  c.pos = p + VLAN_HDR;
  if (t <= 1500) {
    if (p + VLAN_HDR + t < c.end) c.end = p + VLAN_HDR + t;
    return L_LLC;
  }
  if (t < 0x0600) {
    s.notes |= N_MALFORMED;
    return L_END;
  }
  return etherNext(t);
}

/** `tpid` is the EtherType that announced this tag (it sits in the two bytes before p). */
export function describeVlan(b: Uint8Array, p: number, end: number, base: number, tpid: number): TreeNode {
  const f = new Fields(b, base, end);
  f.uint('vlan.priority', p, 2, String, 0x7, 13);
  f.flag('vlan.dei', p, 2, 0x1000);
  const id = f.uint('vlan.id', p, 2, String, 0xfff, 0);
  if (f.has(p + 2, 2)) {
    const t = rd16(b, p + 2);
    if (t <= 1500) f.uint('vlan.len', p + 2, 2);
    else f.uint('vlan.etype', p + 2, 2, named(ETHERTYPES, 4));
  }
  const name = tpid === 0x8100 ? '802.1Q Virtual LAN' : tpid === 0x88a8 ? 'IEEE 802.1ad' : `VLAN tag (TPID ${hex(tpid, 4)})`;
  const label = id < 0 ? name : `${name}, PRI: ${b[p] >> 5}, DEI: ${(b[p] >> 4) & 1}, ID: ${id}`;
  return layerNode(label, p, Math.min(VLAN_HDR, end - p), base, f.kids);
}

export const VLAN = registerLayer({
  id: L_VLAN,
  name: 'vlan',
  column: '802.1Q',
  kind: 'link',
  decode: decodeVlan,
  describe: (b, p, end, base) => {
    const tpid = p - 2 >= base ? rd16(b, p - 2) : 0x8100;
    return describeVlan(b, p, end, base, isVlanTpid(tpid) ? tpid : 0x8100);
  },
  fields: [
    ['vlan', '802.1Q Virtual LAN', 'protocol'],
    ['vlan.dei', 'DEI', 'bool'],
    ['vlan.etype', 'Type', 'uint'],
    ['vlan.id', 'ID', 'uint'],
    ['vlan.len', 'Length', 'uint'],
    ['vlan.priority', 'Priority', 'uint'],
  ],
  joins: [{ table: 'ethertype', values: [0x8100, 0x88a8, 0x9100, 0x9200] }],
});
