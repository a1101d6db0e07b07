// NVGRE (RFC 7637): GRE with K=1 and protocol 0x6558; the key is VSID (24 bits) and FlowID (8 bits).

import {
  N_NVGRE_CSUM_BIT, N_NVGRE_INNER_VLAN, N_NVGRE_RESERVED_VSID, N_NVGRE_SEQ_BIT, type Summary, type TreeNode,
} from '../summary.ts';
import { tenantIdText } from '../tenant-id.ts';
import { isVlanTpid, rd16, rd32 } from './ctx.ts';
import { Fields, layerNode, textNode } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_NVGRE } from './ids.ts';
import { ENC_NVGRE } from '../summary.ts';

export function isNvgre(flags: number, proto: number): boolean {
  return (flags & 0x2007) === 0x2000 && proto === 0x6558;
}

/** VSIDs 0..0xFFF and 0xFFFFFF are reserved (RFC 7637 section 3.2). */
export function isReservedVsid(vsid: number): boolean {
  return vsid <= 0xfff || vsid === 0xffffff;
}

/** RFC 7637 conformance as note bits: C and S must be 0, VSID not reserved, no 802.1Q tag in the inner frame. */
export function nvgreNotes(b: Uint8Array, flags: number, key: number, inner: number, end: number): number {
  let n = 0;
  if ((flags & 0x8000) !== 0) n |= N_NVGRE_CSUM_BIT;
  if ((flags & 0x1000) !== 0) n |= N_NVGRE_SEQ_BIT;
  if (isReservedVsid(key >>> 8)) n |= N_NVGRE_RESERVED_VSID;
  if (inner + 14 <= end && isVlanTpid(rd16(b, inner + 12))) n |= N_NVGRE_INNER_VLAN;
  return n;
}

export function applyNvgre(s: Summary, outermost: boolean, key: number, notes: number): void {
  s.notes |= notes;
  if (outermost) {
    s.vnid = key >>> 8;
    s.flowId = key & 0xff;
  }
}

const NOTE_TEXT: [number, string][] = [
  [N_NVGRE_CSUM_BIT, 'C (checksum present) bit is set; RFC 7637 requires 0'],
  [N_NVGRE_SEQ_BIT, 'S (sequence number present) bit is set; RFC 7637 requires 0'],
  [N_NVGRE_RESERVED_VSID, 'VSID is reserved (0-0xFFF, 0xFFFFFF)'],
  [N_NVGRE_INNER_VLAN, 'Inner Ethernet frame carries an 802.1Q tag; RFC 7637 forbids it'],
];

/** The NVGRE view of the GRE key at `keyAt`; `inner` is where the inner Ethernet frame starts. */
export function describeNvgre(b: Uint8Array, flags: number, keyAt: number, inner: number, end: number, base: number): TreeNode {
  const f = new Fields(b, base, end);
  if (!f.has(keyAt, 4)) return layerNode('Network Virtualization using GRE (NVGRE)', keyAt, end - keyAt, base, f.kids);
  const key = rd32(b, keyAt);
  f.uint('nvgre.vsid', keyAt, 3, tenantIdText);
  f.uint('nvgre.flowid', keyAt + 3, 1);
  const notes = nvgreNotes(b, flags, key, inner, end);
  for (const [bit, text] of NOTE_TEXT) if (notes & bit) f.kids.push(textNode(`[Expert: ${text}]`, keyAt, 4, base));
  const node = layerNode(
    `Network Virtualization using GRE (NVGRE), VSID: ${tenantIdText(key >>> 8)}, FlowID: ${key & 0xff}`, keyAt, 4, base, f.kids,
  );
  node.field = 'nvgre';
  return node;
}

export const NVGRE = registerLayer({
  id: L_NVGRE,
  name: 'nvgre',
  column: 'NVGRE',
  kind: 'tunnel',
  fields: [
    ['nvgre', 'Network Virtualization using GRE', 'protocol'],
    ['nvgre.flowid', 'FlowID', 'uint'],
    ['nvgre.vsid', 'Virtual Subnet ID (VSID)', 'uint'],
  ],
  // Decoded by the GRE layer (a key and protocol 0x6558); registered for its fields, column and tenants.
  tunnel: { encap: ENC_NVGRE, name: 'nvgre', label: 'NVGRE', idField: 'nvgre.vsid', idBits: 24 },
});
