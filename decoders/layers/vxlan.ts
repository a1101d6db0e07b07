// VXLAN (RFC 7348): I flag + 24-bit VNI, payload Ethernet. VXLAN-GPE (UDP 4790): next protocol byte picks
// IPv4, IPv6 or Ethernet.

import { ENC_NONE, ENC_VXLAN, N_MALFORMED, N_TRUNCATED, P_VXLAN, type Summary, type TreeNode } from '../summary.ts';
import { tenantIdText } from '../tenant-id.ts';
import { enterTunnel, rd32, L_END, L_ETH, L_IPV4, L_IPV6, type DecodeCtx } from './ctx.ts';
import { Fields, hex, layerNode } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_VXLAN, L_VXLAN_GPE } from './ids.ts';

export const VXLAN_HDR = 8;
const F_I = 0x08, F_P = 0x04;

function gpeNext(np: number): number {
  return np === 1 ? L_IPV4 : np === 2 ? L_IPV6 : np === 3 ? L_ETH : L_END;
}

export function decodeVxlan(b: Uint8Array, c: DecodeCtx, s: Summary, gpe: boolean): number {
  const p = c.pos;
  if (p + VXLAN_HDR > c.end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  s.topProto = P_VXLAN;
  const flags = b[p];
  if (s.encap === ENC_NONE) {
    s.encap = ENC_VXLAN;
    // RFC 7348: the VNI is valid only with the I flag.
    s.vnid = (flags & F_I) !== 0 ? rd32(b, p + 4) >>> 8 : -1;
  }
  if ((flags & F_I) === 0) s.notes |= N_MALFORMED;
  const next = gpe && (flags & F_P) !== 0 ? gpeNext(b[p + 3]) : L_ETH;
  if (next === L_END || !enterTunnel(c, s)) return L_END;
  c.pos = p + VXLAN_HDR;
  return next;
}

const GPE_PROTOS: Record<number, string> = { 1: 'IPv4', 2: 'IPv6', 3: 'Ethernet', 4: 'NSH', 5: 'MPLS' };

export function describeVxlan(b: Uint8Array, p: number, end: number, base: number, gpe: boolean): TreeNode {
  const f = new Fields(b, base, end);
  if (gpe) {
    f.uint('vxlan.flags', p, 2, (v) => hex(v, 4));
    f.uint('vxlan.ver', p, 1, String, 3, 4);
    f.uint('vxlan.i_bit', p, 1, String, 1, 3);
    f.uint('vxlan.p_bit', p, 1, String, 1, 2);
    f.uint('vxlan.o_bit', p, 1, String, 1, 0);
    f.uint('vxlan.next_proto', p + 3, 1, (v) => (GPE_PROTOS[v] ? `${GPE_PROTOS[v]} (${v})` : String(v)));
  } else {
    f.uint('vxlan.flags', p, 2, (v) => hex(v, 4));
    f.flag('vxlan.flag_g', p, 2, 0x8000);
    f.flag('vxlan.flag_i', p, 2, 0x0800);
    f.flag('vxlan.flag_d', p, 2, 0x0040);
    f.flag('vxlan.flag_a', p, 2, 0x0008);
    f.uint('vxlan.gbp', p + 2, 2);
  }
  const vni = f.uint('vxlan.vni', p + 4, 3, tenantIdText);
  f.uint('vxlan.reserved8', p + 7, 1);
  const name = gpe ? 'Virtual eXtensible Local Area Network (GPE)' : 'Virtual eXtensible Local Area Network';
  return layerNode(vni >= 0 ? `${name}, VNI: ${tenantIdText(vni)}` : name, p, Math.min(VXLAN_HDR, end - p), base, f.kids);
}

export const VXLAN = registerLayer({
  id: L_VXLAN,
  name: 'vxlan',
  column: 'VXLAN',
  kind: 'tunnel',
  decode: (b, c, s) => decodeVxlan(b, c, s, false),
  describe: (b, p, end, base) => describeVxlan(b, p, end, base, false),
  fields: [
    ['vxlan', 'Virtual eXtensible Local Area Network', 'protocol'],
    ['vxlan.flag_a', 'Policy Applied', 'bool'],
    ['vxlan.flag_d', "Don't Learn", 'bool'],
    ['vxlan.flag_g', 'GBP Extension', 'bool'],
    ['vxlan.flag_i', 'VXLAN Network ID (VNI)', 'bool'],
    ['vxlan.flags', 'Flags', 'uint'],
    ['vxlan.gbp', 'Group Policy ID', 'uint'],
    ['vxlan.i_bit', 'Instance', 'uint'],
    ['vxlan.next_proto', 'Next Protocol', 'uint'],
    ['vxlan.o_bit', 'OAM bit', 'uint'],
    ['vxlan.p_bit', 'Next Protocol Bit', 'uint'],
    ['vxlan.reserved8', 'Reserved', 'uint'],
    ['vxlan.ver', 'Version', 'uint'],
    ['vxlan.vni', 'VXLAN Network Identifier (VNI)', 'uint'],
  ],
  // 8472: the Linux kernel's port before RFC 7348 assigned 4789.
  joins: [{ table: 'udpport', values: [4789, 8472] }],
  tunnel: { encap: ENC_VXLAN, name: 'vxlan', label: 'VXLAN', idField: 'vxlan.vni', idBits: 24 },
});

export const VXLAN_GPE = registerLayer({
  id: L_VXLAN_GPE,
  name: 'vxlan',
  column: 'VXLAN',
  kind: 'tunnel',
  decode: (b, c, s) => decodeVxlan(b, c, s, true),
  describe: (b, p, end, base) => describeVxlan(b, p, end, base, true),
  joins: [{ table: 'udpport', values: [4790] }],
});
