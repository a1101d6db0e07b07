// Ethernet II / IEEE 802.3 with 802.2 LLC. VLAN tags (any depth) are vlan.ts layers named by the EtherType.

import { N_MALFORMED, N_TRUNCATED, P_ETH, P_LLC, type Summary, type TreeNode } from '../summary.ts';
import { etherNext, rd16, L_END, L_LLC, type DecodeCtx } from './ctx.ts';
import { ETHERTYPES, Fields, layerNode, macStr, named } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_ETH } from './ids.ts';

export const ETH_HDR = 14;

export function decodeEthernet(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  if (p + ETH_HDR > c.end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  s.topProto = P_ETH;
  const t = rd16(b, p + 12);
  c.pos = p + ETH_HDR;
  if (t <= 1500) {
    // 802.3 length: the payload ends there; anything after is padding.
    if (p + ETH_HDR + t < c.end) c.end = p + ETH_HDR + t;
    return L_LLC;
  }
  if (t < 0x0600) {
    s.notes |= N_MALFORMED;
    return L_END;
  }
  return etherNext(t);
}

export function describeEthernet(b: Uint8Array, p: number, end: number, base: number): TreeNode {
  const f = new Fields(b, base, end);
  f.mac('eth.dst', p);
  f.mac('eth.src', p + 6);
  let label = 'Ethernet II';
  if (f.has(p, ETH_HDR)) {
    const t = rd16(b, p + 12);
    if (t <= 1500) {
      label = 'IEEE 802.3 Ethernet';
      f.uint('eth.len', p + 12, 2);
    } else {
      f.uint('eth.type', p + 12, 2, named(ETHERTYPES, 4));
    }
    label += `, Src: ${macStr(b, p + 6)}, Dst: ${macStr(b, p)}`;
  }
  return layerNode(label, p, Math.min(ETH_HDR, end - p), base, f.kids);
}

export function decodeLlc(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  if (c.pos + 3 > c.end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  s.topProto = P_LLC;
  c.pos += (b[c.pos + 2] & 3) !== 3 && c.pos + 4 <= c.end ? 4 : 3;
  return L_END;
}

export function describeLlc(b: Uint8Array, p: number, end: number, base: number): TreeNode {
  const f = new Fields(b, base, end);
  const hx = (v: number) => '0x' + v.toString(16).padStart(2, '0');
  f.uint('llc.dsap', p, 1, hx);
  f.uint('llc.ssap', p + 1, 1, hx);
  // U frames have a 1-byte control field; I and S frames (low bits not 11) have two.
  const ctlLen = p + 2 < end && (b[p + 2] & 3) !== 3 ? 2 : 1;
  f.uint('llc.control', p + 2, ctlLen, (v) => '0x' + v.toString(16).padStart(ctlLen * 2, '0'));
  return layerNode('Logical-Link Control', p, Math.min(2 + ctlLen, end - p), base, f.kids);
}

export const ETHERNET = registerLayer({
  id: L_ETH,
  name: 'eth',
  column: 'Ethernet',
  kind: 'link',
  decode: decodeEthernet,
  describe: (b, p, end, base) => describeEthernet(b, p, end, base),
  fields: [
    ['eth', 'Ethernet', 'protocol'],
    ['eth.dst', 'Destination', 'ether'],
    ['eth.len', 'Length', 'uint'],
    ['eth.src', 'Source', 'ether'],
    ['eth.type', 'Type', 'uint'],
    ['eth.addr', 'Address', 'ether'],
  ],
  // 0x6558 (Transparent Ethernet Bridging): Ethernet inside GRE, Geneve or another Ethernet header.
  joins: [{ table: 'linktype', values: [1] }, { table: 'ethertype', values: [0x6558] }],
});

export const LLC = registerLayer({
  id: L_LLC,
  name: 'llc',
  column: 'LLC',
  kind: 'link',
  decode: decodeLlc,
  describe: (b, p, end, base) => describeLlc(b, p, end, base),
  fields: [
    ['llc', 'Logical-Link Control', 'protocol'],
    ['llc.control', 'Control', 'uint'],
    ['llc.dsap', 'DSAP', 'uint'],
    ['llc.ssap', 'SSAP', 'uint'],
  ],
});
