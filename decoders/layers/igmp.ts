// IGMP (RFC 1112/2236/3376). Its checksum (whole message, no pseudo-header) has no Summary slot, so the
// hot path only names the protocol and the tree verifies it.

import { verdictPlain, verdictSkipped } from '../checksum.ts';
import { N_TRUNCATED, P_IGMP, V_UNVERIFIED, type Summary, type TreeNode } from '../summary.ts';
import { L_END, type DecodeCtx } from './ctx.ts';
import { Fields, hex, layerNode } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_IGMP } from './ids.ts';

export function decodeIgmp(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  if (c.pos + 8 > c.end) s.notes |= N_TRUNCATED;
  else s.topProto = P_IGMP;
  c.pos = c.pos + c.l4Len < c.end ? c.pos + c.l4Len : c.end;
  return L_END;
}

const TYPES: Record<number, string> = {
  0x11: 'Membership Query', 0x12: 'Membership Report (v1)', 0x16: 'Membership Report (v2)', 0x17: 'Leave Group',
  0x22: 'Membership Report (v3)',
};

export function describeIgmp(b: Uint8Array, p: number, end: number, base: number, l4Len: number, frag: boolean): TreeNode {
  const f = new Fields(b, base, end);
  const type = f.uint('igmp.type', p, 1, (v) => (TYPES[v] ? `${TYPES[v]} (${hex(v, 2)})` : hex(v, 2)));
  f.uint('igmp.max_resp', p + 1, 1);
  if (frag) verdictSkipped(V_UNVERIFIED, b, p + 2, end);
  else verdictPlain(b, p, l4Len, end, p + 2);
  f.checksum('igmp', p + 2, 0, -1);
  if (type === 0x22) f.uint('igmp.num_grp_recs', p + 6, 2);
  else f.ipv4('igmp.maddr', p + 4);
  const label = type >= 0 ? `Internet Group Management Protocol, ${TYPES[type] ?? hex(type, 2)}` : 'Internet Group Management Protocol';
  return layerNode(label, p, Math.min(l4Len, end - p), base, f.kids);
}

export const IGMP = registerLayer({
  id: L_IGMP,
  name: 'igmp',
  column: 'IGMP',
  kind: 'transport',
  decode: decodeIgmp,
  describe: (b, p, end, base, info) => describeIgmp(b, p, end, base, info.l4Len, info.frag),
  fields: [
    ['igmp', 'Internet Group Management Protocol', 'protocol'],
    ['igmp.checksum', 'Checksum', 'uint'],
    ['igmp.checksum.status', 'Checksum Status', 'verdict'],
    ['igmp.maddr', 'Multicast Address', 'ipv4'],
    ['igmp.max_resp', 'Max Resp Time', 'uint'],
    ['igmp.num_grp_recs', 'Num Group Records', 'uint'],
    ['igmp.type', 'Type', 'uint'],
  ],
  joins: [{ table: 'ipproto', values: [2] }],
});
