// IPv4 (RFC 791): header checksum, options, fragments, the pseudo-header for the transport.

import { pseudoIpv4, verdictPlain, verdictSkipped } from '../checksum.ts';
import {
  CK_IPV4, N_FRAGMENT, N_MALFORMED, N_SUPERFRAME, N_TRUNCATED, P_IPV4, V_UNVERIFIED, setCheck, type Summary, type TreeNode,
} from '../summary.ts';
import { fragmentTransport, ipProtoNext, noteFragment, rd16, reassembledLength, L_END, type DecodeCtx } from './ctx.ts';
import { Fields, IP_PROTOS, hex, ipv4Str, layerNode, named, textNode } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_IPV4 } from './ids.ts';

export const IPV4_MIN = 20;
/** The largest frame payload jumbo-frame links carry (9,216 bytes): an IP packet above it cannot have crossed one. */
export const JUMBO_MTU = 9216;

/** Summary bookkeeping shared by IPv4 and IPv6: the first IP layer is "outer", the latest is "inner". */
export function noteIpLayer(s: Summary, family: number, srcOff: number, dstOff: number, proto: number): void {
  if (s.outerFamily === 0) {
    s.outerFamily = family; s.outerSrcOff = srcOff; s.outerDstOff = dstOff; s.outerProto = proto;
  }
  s.innerFamily = family; s.innerSrcOff = srcOff; s.innerDstOff = dstOff; s.innerProto = proto;
  s.sport = -1; s.dport = -1; s.icmpType = -1; s.icmpCode = -1; s.tcpFlags = -1;
}

export function decodeIpv4(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  const end = c.end;
  if (p < end && (b[p] >> 4 !== 4 || (b[p] & 15) < 5)) {
    s.notes |= N_MALFORMED;
    return L_END;
  }
  if (p + IPV4_MIN > end) {
    s.notes |= N_TRUNCATED;
    setCheck(s, c.depth, CK_IPV4, verdictSkipped(V_UNVERIFIED, b, p + 10, end));
    return L_END;
  }
  const hl = (b[p] & 15) << 2;
  if (p + hl > end) {
    s.notes |= N_TRUNCATED;
    setCheck(s, c.depth, CK_IPV4, verdictSkipped(V_UNVERIFIED, b, p + 10, end));
    return L_END;
  }
  setCheck(s, c.depth, CK_IPV4, verdictPlain(b, p, hl, end, p + 10));
  s.topProto = P_IPV4;
  const proto = b[p + 9];
  noteIpLayer(s, 4, p + 12 - c.base, p + 16 - c.base, proto);
  let tot = rd16(b, p + 2);
  const fo = rd16(b, p + 6);
  let frag = (fo & 0x1fff) !== 0 ? 2 : (fo & 0x2000) !== 0 ? 1 : 0;
  let sent = tot;
  if (frag !== 0 && c.nReasm !== 0) {
    // The datagram this fragment completes was reassembled: its payload follows this header in the buffer.
    const whole = reassembledLength(c, p);
    if (whole >= 0) {
      frag = 0;
      tot = hl + whole;
      sent = 0;
    }
  }
  if (tot === 0) {
    // 0 is what TSO/GSO leaves for the NIC to fill in: the segment runs to the end of the frame.
    tot = end - p;
    if (tot > hl && frag === 0) s.notes |= N_SUPERFRAME;
  } else if (sent > JUMBO_MTU && frag === 0 && (p + sent <= end || c.short)) {
    s.notes |= N_SUPERFRAME;
  }
  if (tot < hl) {
    s.notes |= N_MALFORMED;
    return L_END;
  }
  const declared = tot;
  if (p + tot > end) {
    if (c.short) s.notes |= N_TRUNCATED;
    else if (!c.inFrag) {
      // The whole frame is here, so the length field is what is wrong: like Wireshark, use the bytes we have.
      s.notes |= N_MALFORMED;
      tot = end - p;
    }
  } else {
    c.end = p + tot;
  }
  c.ipLen = sent === 0 ? 0 : tot;
  c.frag = frag;
  if (frag !== 0) {
    s.notes |= N_FRAGMENT;
    c.inFrag = true;
    noteFragment(s, c, 4, p, p, p + 12, p + 16, p + hl, Math.min(p + tot, end) - p - hl, declared - hl,
      (fo & 0x1fff) * 8, (fo >> 13) & 1, rd16(b, p + 4), proto);
    if (c.cut) {
      c.pos = p + hl; // the fragment's payload shows as data
      return L_END;
    }
  }
  c.pos = p + hl;
  c.l4Len = tot - hl;
  c.ipFamily = 4;
  c.ipAddrSum = pseudoIpv4(b, p + 12, hl > IPV4_MIN ? finalDst(b, p, hl) : p + 16, 0, 0);
  if (frag === 2) {
    fragmentTransport(proto, c, s);
    return L_END;
  }
  return ipProtoNext(proto, c, s);
}

/**
 * Where the final destination is: the last address of a loose/strict source route that is not yet complete
 * (RFC 791; RFC 1122 4.2.3.8 says the transport pseudo-header uses it), else the header's destination.
 */
export function finalDst(b: Uint8Array, p: number, hl: number): number {
  let dst = p + 16;
  for (let q = p + IPV4_MIN, stop = p + hl; q < stop;) {
    const t = b[q];
    if (t === 0) break;
    if (t === 1) { q++; continue; }
    if (q + 1 >= stop) break;
    const len = b[q + 1];
    if (len < 2 || q + len > stop) break;
    if ((t === 131 || t === 137) && len >= 7 && q + 2 < stop && b[q + 2] <= len) dst = q + 3 + (((len - 3) >> 2) - 1) * 4;
    q += len;
  }
  return dst;
}

const OPTS: Record<number, string> = {
  0: 'End of Options List (EOL)', 1: 'No-Operation (NOP)', 7: 'Record Route', 68: 'Time Stamp', 130: 'Security',
  131: 'Loose Source Route', 137: 'Strict Source Route', 148: 'Router Alert',
};

/** `quoted`: the header inside an ICMP error, shown but not verified. */
export function describeIpv4(b: Uint8Array, p: number, end: number, base: number, depth: number, quoted = false): TreeNode {
  const f = new Fields(b, base, end);
  f.uint('ip.version', p, 1, String, 0xf, 4);
  // Like Wireshark: a bogus version or header length ends the layer (its other fields mean nothing).
  if (f.has(p, 1) && b[p] >> 4 !== 4) return layerNode('Internet Protocol Version 4 [bogus version]', p, 1, f.base, f.kids);
  const hl = f.uint('ip.hdr_len', p, 1, (v) => `${v * 4} bytes (${v})`, 0xf, 0) * 4;
  if (hl >= 0 && hl < IPV4_MIN) return layerNode('Internet Protocol Version 4 [bogus header length]', p, 1, f.base, f.kids);
  f.uint('ip.dsfield', p + 1, 1, (v) => hex(v, 2));
  f.uint('ip.dsfield.dscp', p + 1, 1, String, 0x3f, 2);
  f.uint('ip.dsfield.ecn', p + 1, 1, String, 0x3, 0);
  const tot = f.uint('ip.len', p + 2, 2);
  if (!quoted && tot > 0 && tot < hl) return layerNode('Internet Protocol Version 4 [bogus total length]', p, Math.min(hl, end - p), f.base, f.kids);
  f.uint('ip.id', p + 4, 2, (v) => `${hex(v, 4)} (${v})`);
  f.uint('ip.flags', p + 6, 1, (v) => hex(v, 2), 0x7, 5);
  f.flag('ip.flags.rb', p + 6, 1, 0x80);
  f.flag('ip.flags.df', p + 6, 1, 0x40);
  f.flag('ip.flags.mf', p + 6, 1, 0x20);
  f.uint('ip.frag_offset', p + 6, 2, (v) => String(v * 8), 0x1fff, 0);
  f.uint('ip.ttl', p + 8, 1);
  f.uint('ip.proto', p + 9, 1, (v) => (IP_PROTOS[v] ? `${IP_PROTOS[v]} (${v})` : String(v)));
  f.checksum('ip', p + 10, depth, quoted ? null : CK_IPV4);
  f.ipv4('ip.src', p + 12);
  f.ipv4('ip.dst', p + 16);
  if (hl > IPV4_MIN && f.has(p + IPV4_MIN, hl - IPV4_MIN)) f.kids.push(describeOptions(f, p + IPV4_MIN, p + hl));
  if (!quoted && f.has(p + 6, 2) && (rd16(b, p + 6) & 0x3fff) !== 0) {
    f.kids.push(textNode('[Fragment: transport checksum cannot be verified]', p + 6, 2, base));
  }
  const label = f.has(p, 20)
    ? `Internet Protocol Version 4, Src: ${ipv4Str(b, p + 12)}, Dst: ${ipv4Str(b, p + 16)}`
    : 'Internet Protocol Version 4';
  return layerNode(label, p, Math.min(hl > 0 ? hl : IPV4_MIN, end - p), f.base, f.kids);
}

function describeOptions(f: Fields, q: number, stop: number): TreeNode {
  const kids: TreeNode[] = [];
  const start = q;
  while (q < stop) {
    const t = f.b[q];
    const len = t === 0 || t === 1 ? 1 : q + 1 < stop ? f.b[q + 1] : 0;
    if (len < 1 || (len < 2 && t > 1) || q + len > stop) {
      kids.push(textNode('[Malformed option]', q, stop - q, f.base));
      break;
    }
    const ok: TreeNode[] = [];
    f.uint('ip.opt.type', q, 1, named(OPTS, 2), -1, 0, ok);
    if (len > 1) f.uint('ip.opt.len', q + 1, 1, String, -1, 0, ok);
    kids.push(layerNode(OPTS[t] ?? `Option ${t}`, q, len, f.base, ok));
    if (t === 0) break;
    q += len;
  }
  return layerNode(`Options: (${stop - start} bytes)`, start, stop - start, f.base, kids);
}

export const IPV4 = registerLayer({
  id: L_IPV4,
  name: 'ip',
  column: 'IPv4',
  kind: 'ip',
  decode: decodeIpv4,
  describe: (b, p, end, base, info) => describeIpv4(b, p, end, base, info.depth),
  fields: [
    ['ip', 'Internet Protocol Version 4', 'protocol'],
    ['ip.checksum', 'Header Checksum', 'uint'],
    ['ip.checksum.status', 'Header checksum status', 'verdict'],
    ['ip.dsfield', 'Differentiated Services Field', 'uint'],
    ['ip.dsfield.dscp', 'Differentiated Services Codepoint', 'uint'],
    ['ip.dsfield.ecn', 'Explicit Congestion Notification', 'uint'],
    ['ip.dst', 'Destination Address', 'ipv4'],
    ['ip.flags', 'Flags', 'uint'],
    ['ip.flags.df', "Don't fragment", 'bool'],
    ['ip.flags.mf', 'More fragments', 'bool'],
    ['ip.flags.rb', 'Reserved bit', 'bool'],
    ['ip.frag_offset', 'Fragment Offset', 'uint'],
    ['ip.hdr_len', 'Header Length', 'uint'],
    ['ip.id', 'Identification', 'uint'],
    ['ip.len', 'Total Length', 'uint'],
    ['ip.opt.len', 'Length', 'uint'],
    ['ip.opt.type', 'Type', 'uint'],
    ['ip.proto', 'Protocol', 'uint'],
    ['ip.src', 'Source Address', 'ipv4'],
    ['ip.ttl', 'Time to Live', 'uint'],
    ['ip.version', 'Version', 'uint'],
    ['ip.addr', 'Source or Destination Address', 'ipv4'],
  ],
  // IP protocol 4 is IP-in-IP: a tunnel.
  joins: [{ table: 'ethertype', values: [0x0800] }, { table: 'ipproto', values: [4], tunnel: true }, { table: 'linktype', values: [228] }],
});
