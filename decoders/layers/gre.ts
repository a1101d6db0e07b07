// GRE (RFC 2784/2890: C, K, S; RFC 1701 R is recognised and not followed) and enhanced GRE version 1
// (PPTP, RFC 2637: recognised, payload not decoded). Key + 0x6558 is NVGRE (nvgre.ts).

import { verdictPlain, verdictSkipped } from '../checksum.ts';
import {
  CK_GRE, ENC_GRE, ENC_NONE, ENC_NVGRE, N_MALFORMED, N_TRUNCATED, P_GRE, P_NVGRE, V_UNVERIFIED, setCheck,
  type Summary, type TreeNode,
} from '../summary.ts';
import { enterTunnel, etherNext, rd16, rd32, L_END, type DecodeCtx } from './ctx.ts';
import { applyNvgre, describeNvgre, isNvgre, nvgreNotes } from './nvgre.ts';
import { ETHERTYPES, Fields, hex, layerNode, named, textNode } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_GRE } from './ids.ts';

const F_C = 0x8000, F_R = 0x4000, F_K = 0x2000, F_S = 0x1000, F_A = 0x0080;

/** The layer a GRE protocol type names: the EtherType table (0x6558, Transparent Ethernet Bridging, is Ethernet). */
export function greNext(proto: number): number {
  return etherNext(proto);
}

/** Header length for the flags word, or -1 when we cannot walk it (routing present, unknown version). */
export function greHeaderLen(flags: number): number {
  const ver = flags & 7;
  if (ver === 0) {
    if ((flags & F_R) !== 0) return -1;
    return 4 + ((flags & F_C) !== 0 ? 4 : 0) + ((flags & F_K) !== 0 ? 4 : 0) + ((flags & F_S) !== 0 ? 4 : 0);
  }
  if (ver === 1) return 8 + ((flags & F_S) !== 0 ? 4 : 0) + ((flags & F_A) !== 0 ? 4 : 0);
  return -1;
}

export function decodeGre(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  const end = c.end;
  if (p + 4 > end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  s.topProto = P_GRE;
  const outermost = s.encap === ENC_NONE;
  if (outermost) s.encap = ENC_GRE;
  const flags = rd16(b, p);
  const proto = rd16(b, p + 2);
  const ver = flags & 7;
  if (ver === 0 && (flags & F_C) !== 0) {
    // RFC 2784: the checksum covers the GRE header and the payload.
    const v = c.frag !== 0 ? verdictSkipped(V_UNVERIFIED, b, p + 4, end) : verdictPlain(b, p, c.l4Len, end, p + 4);
    setCheck(s, c.depth, CK_GRE, v);
  }
  const hl = greHeaderLen(flags);
  if (hl < 0) {
    if (ver > 1) s.notes |= N_MALFORMED;
    return L_END;
  }
  if (p + hl > end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  if (ver === 1) return L_END;
  if (isNvgre(flags, proto)) {
    const key = rd32(b, p + ((flags & F_C) !== 0 ? 8 : 4));
    s.topProto = P_NVGRE;
    if (outermost) s.encap = ENC_NVGRE;
    applyNvgre(s, outermost, key, nvgreNotes(b, flags, key, p + hl, end));
  }
  const next = greNext(proto);
  if (next === L_END || !enterTunnel(c, s)) return L_END;
  c.pos = p + hl;
  return next;
}

const GRE_PROTOS: Record<number, string> = { ...ETHERTYPES, 0x880b: 'PPP', 0x88be: 'ERSPAN', 0x22eb: 'ERSPAN III', 0x883e: 'WCCP' };

/** The GRE layer node, plus the NVGRE node when the header is NVGRE. */
export function describeGre(b: Uint8Array, p: number, end: number, base: number, depth: number): TreeNode[] {
  const f = new Fields(b, base, end);
  if (!f.has(p, 4)) return [layerNode('Generic Routing Encapsulation', p, end - p, base, f.kids)];
  const flags = rd16(b, p);
  const proto = rd16(b, p + 2);
  const ver = flags & 7;
  f.uint('gre.flags_and_version', p, 2, (v) => hex(v, 4));
  f.flag('gre.flags.checksum', p, 2, F_C);
  f.flag('gre.flags.routing', p, 2, F_R);
  f.flag('gre.flags.key', p, 2, F_K);
  f.flag('gre.flags.sequence_number', p, 2, F_S);
  f.flag('gre.flags.strict_source_route', p, 2, 0x0800);
  f.uint('gre.flags.recursion_control', p, 2, String, 7, 8);
  if (ver === 1) f.flag('gre.flags.ack', p, 2, F_A);
  f.uint('gre.flags.version', p, 2, String, 7, 0);
  f.uint('gre.proto', p + 2, 2, named(GRE_PROTOS, 4));
  let q = p + 4;
  if (ver === 0 && (flags & (F_C | F_R)) !== 0) {
    if ((flags & F_C) !== 0) f.checksum('gre', q, depth, CK_GRE);
    else f.uint('gre.checksum', q, 2, (v) => hex(v, 4));
    f.uint('gre.offset', q + 2, 2);
    q += 4;
  }
  let keyAt = -1;
  if ((flags & F_K) !== 0) {
    if (ver === 1) {
      f.uint('gre.key.payload_length', q, 2);
      f.uint('gre.key.call_id', q + 2, 2);
    } else {
      keyAt = q;
      f.uint('gre.key', q, 4, (v) => hex(v, 8));
    }
    q += 4;
  }
  if ((flags & F_S) !== 0) {
    f.uint('gre.sequence_number', q, 4);
    q += 4;
  }
  if (ver === 1 && (flags & F_A) !== 0) {
    f.uint('gre.ack_number', q, 4);
    q += 4;
  }
  const pname = GRE_PROTOS[proto] ?? hex(proto, 4);
  let label = `Generic Routing Encapsulation (${pname})`;
  if (ver === 1) label += ' [Enhanced GRE (PPTP): payload not decoded]';
  else if ((flags & F_R) !== 0) f.kids.push(textNode('[Routing present (RFC 1701): payload not decoded]', p, 2, base));
  else if (greNext(proto) === L_END) f.kids.push(textNode(`[Payload ${pname}: not decoded]`, p + 2, 2, base));
  const nodes = [layerNode(label, p, Math.min(q, end) - p, base, f.kids)];
  if (ver === 0 && keyAt >= 0 && isNvgre(flags, proto)) nodes.push(describeNvgre(b, flags, keyAt, q, end, base));
  return nodes;
}

export const GRE = registerLayer({
  id: L_GRE,
  name: 'gre',
  column: 'GRE',
  kind: 'tunnel',
  decode: decodeGre,
  describe: (b, p, end, base, info) => describeGre(b, p, end, base, info.depth),
  fields: [
    ['gre', 'Generic Routing Encapsulation', 'protocol'],
    ['gre.ack_number', 'Acknowledgment Number', 'uint'],
    ['gre.checksum', 'Checksum', 'uint'],
    ['gre.checksum.status', 'Checksum Status', 'verdict'],
    ['gre.flags.ack', 'Acknowledgment', 'bool'],
    ['gre.flags.checksum', 'Checksum Bit', 'bool'],
    ['gre.flags.key', 'Key Bit', 'bool'],
    ['gre.flags.recursion_control', 'Recursion control', 'uint'],
    ['gre.flags.routing', 'Routing Bit', 'bool'],
    ['gre.flags.sequence_number', 'Sequence Number Bit', 'bool'],
    ['gre.flags.strict_source_route', 'Strict Source Route Bit', 'bool'],
    ['gre.flags.version', 'Version', 'uint'],
    ['gre.flags_and_version', 'Flags and Version', 'uint'],
    ['gre.key', 'Key', 'uint'],
    ['gre.key.call_id', 'Call ID', 'uint'],
    ['gre.key.payload_length', 'Payload Length', 'uint'],
    ['gre.offset', 'Offset', 'uint'],
    ['gre.proto', 'Protocol Type', 'uint'],
    ['gre.sequence_number', 'Sequence Number', 'uint'],
  ],
  // 4754: GRE-in-UDP (RFC 8086).
  joins: [{ table: 'ipproto', values: [47] }, { table: 'udpport', values: [4754] }],
  tunnel: { encap: ENC_GRE, name: 'gre', label: 'GRE' },
});
