// BSD loopback (LINKTYPE_NULL 0: AF in the capturing host's byte order; LINKTYPE_LOOP 108: network order).

import { N_TRUNCATED, type Summary, type TreeNode } from '../summary.ts';
import { etherNext, rd16, L_END, L_IPV4, L_IPV6, type DecodeCtx } from './ctx.ts';
import { ETHERTYPES, Fields, layerNode, named } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_NULL } from './ids.ts';

export const NULL_HDR = 4;

/** AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS). */
function afNext(af: number): number {
  if (af === 2) return L_IPV4;
  if (af === 24 || af === 28 || af === 30) return L_IPV6;
  return L_END;
}

function afAt(b: Uint8Array, p: number): number {
  const le = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  if (afNext(le) !== L_END) return le;
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}

/** Some systems put an EtherType in the last two bytes instead of an AF value (Wireshark's null.type). */
function etherTypeAt(b: Uint8Array, p: number): number {
  const t = rd16(b, p + 2);
  return afNext(afAt(b, p)) === L_END && t > 1500 && etherNext(t) !== L_END ? t : -1;
}

export function decodeNull(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  if (p + NULL_HDR > c.end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  c.pos = p + NULL_HDR;
  const t = etherTypeAt(b, p);
  return t >= 0 ? etherNext(t) : afNext(afAt(b, p));
}

const AF_NAMES: Record<number, string> = { 2: 'IP', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6' };

export function describeNull(b: Uint8Array, p: number, end: number, base: number): TreeNode {
  const f = new Fields(b, base, end);
  const t = f.has(p, NULL_HDR) ? etherTypeAt(b, p) : -1;
  if (t >= 0) f.uint('null.type', p + 2, 2, named(ETHERTYPES, 4));
  else if (f.has(p, NULL_HDR)) {
    const af = afAt(b, p);
    f.add('null.family', p, 4, AF_NAMES[af] !== undefined ? `${AF_NAMES[af]} (${af})` : String(af));
  }
  return layerNode('Null/Loopback', p, Math.min(NULL_HDR, end - p), base, f.kids);
}

export const NULL = registerLayer({
  id: L_NULL,
  name: 'null',
  column: 'Null',
  kind: 'link',
  decode: decodeNull,
  describe: (b, p, end, base) => describeNull(b, p, end, base),
  fields: [
    ['null', 'Null/Loopback', 'protocol'],
    ['null.type', 'Type', 'uint'],
    ['null.family', 'Family', 'uint'],
  ],
  joins: [{ table: 'linktype', values: [0, 108] }],
});
