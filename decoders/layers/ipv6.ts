// IPv6 (RFC 8200) with extension headers: hop-by-hop 0, routing 43, fragment 44, destination options 60,
// AH 51 (skipped). The transport pseudo-header uses the final destination when a routing header names one.

import { pseudoIpv6 } from '../checksum.ts';
import { N_FRAGMENT, N_MALFORMED, N_SUPERFRAME, N_TRUNCATED, P_IPV6, type Summary, type TreeNode } from '../summary.ts';
import { fragmentTransport, ipProtoNext, noteFragment, rd16, rd32, reassembledLength, L_END, type DecodeCtx } from './ctx.ts';
import { JUMBO_MTU, noteIpLayer } from './ipv4.ts';
import { Fields, IP_PROTOS, hex, ipv6Str, layerNode, textNode } from './tree.ts';
import { registerLayer } from './registry.ts';
import { L_IPV6, L_IP_PAYLOAD } from './ids.ts';

export const IPV6_HDR = 40;

function isExt(nh: number): boolean {
  return nh === 0 || nh === 60 || nh === 43 || nh === 51;
}

function extLen(b: Uint8Array, q: number, nh: number): number {
  return nh === 51 ? (b[q + 1] + 2) * 4 : (b[q + 1] + 1) * 8;
}

/**
 * Final destination named by a routing header with segments left (RFC 8200 8.1): the last address of type 0
 * and type 2 (Mobile IPv6 home address), Segment List[0] of an SRH (type 4). -1 when the header names none.
 */
function routingFinalDst(b: Uint8Array, q: number, len: number): number {
  if (b[q + 3] === 0) return -1;
  const type = b[q + 2];
  if (type === 0 || type === 2) {
    const n = b[q + 1] >> 1;
    return n > 0 ? q + 8 + (n - 1) * 16 : -1;
  }
  if (type === 4 && len >= 24) return q + 8;
  return -1;
}

/** Mobile IPv6 Home Address option (RFC 6275 6.3) in a destination options header: it is the pseudo-header source. */
function homeAddress(b: Uint8Array, q: number, len: number): number {
  const stop = q + len;
  for (let o = q + 2; o < stop;) {
    const t = b[o];
    if (t === 0) { o++; continue; }
    if (o + 1 >= stop) break;
    const l = b[o + 1];
    if (t === 0xc9 && l === 16 && o + 18 <= stop) return o + 2;
    o += 2 + l;
  }
  return -1;
}

export function decodeIpv6(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  const end = c.end;
  if (p < end && b[p] >> 4 !== 6) {
    s.notes |= N_MALFORMED;
    return L_END;
  }
  if (p + IPV6_HDR > end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  s.topProto = P_IPV6;
  noteIpLayer(s, 6, p + 8 - c.base, p + 24 - c.base, b[p + 6]);
  const plen = rd16(b, p + 4);
  // 0: a jumbogram or a TSO/GSO segment captured before the NIC split it; use what is there.
  let ipEnd = p + IPV6_HDR + (plen === 0 ? end - p - IPV6_HDR : plen);
  if (plen === 0 ? end - p > IPV6_HDR : plen > JUMBO_MTU - IPV6_HDR && (ipEnd <= end || c.short)) s.notes |= N_SUPERFRAME;
  if (ipEnd > end) {
    if (c.short) s.notes |= N_TRUNCATED;
    else if (!c.inFrag) {
      // The whole frame is here, so the length field is what is wrong: like Wireshark, use the bytes we have.
      s.notes |= N_MALFORMED;
      ipEnd = end;
    }
  } else {
    c.end = ipEnd;
  }
  let lim = c.end;
  let nh = b[p + 6];
  let q = p + IPV6_HDR;
  let src = p + 8;
  let dst = p + 24;
  let frag = 0;
  let reassembled = false;
  while (isExt(nh) || nh === 44) {
    const len = nh === 44 ? 8 : q + 2 <= lim ? extLen(b, q, nh) : 8;
    if (q + len > lim) {
      s.notes |= ipEnd > end ? N_TRUNCATED : N_MALFORMED;
      return L_END;
    }
    if (nh === 0) {
      // A Jumbo Payload option (RFC 2675), first after any padding: BIG TCP's marker on a GSO packet.
      let o = q + 2;
      while (o < q + len && b[o] <= 1) o += b[o] === 0 ? 1 : 2 + b[o + 1];
      if (o < q + len && b[o] === 0xc2) s.notes |= N_SUPERFRAME;
    } else if (nh === 43) {
      const d = routingFinalDst(b, q, len);
      if (d >= 0) dst = d;
    } else if (nh === 60) {
      const h = homeAddress(b, q, len);
      if (h >= 0) src = h;
    } else if (nh === 44) {
      const fo = rd16(b, q + 2);
      frag = (fo & 0xfff8) !== 0 ? 2 : (fo & 1) !== 0 ? 1 : 0;
      const whole = frag !== 0 && c.nReasm !== 0 ? reassembledLength(c, q) : -1;
      if (whole >= 0) {
        // Reassembled (decoders/analysis/fragments.ts): the whole fragmentable part follows this header.
        reassembled = true;
        frag = 0;
        ipEnd = q + 8 + whole;
        c.end = lim = ipEnd;
      } else if (frag !== 0) {
        const declared = ipEnd - q - 8;
        noteFragment(s, c, 6, p, q, p + 8, p + 24, q + 8, Math.min(ipEnd, end) - q - 8, declared, fo & 0xfff8, fo & 1,
          rd32(b, q + 4), b[q]);
        if (c.cut) {
          s.notes |= N_FRAGMENT;
          s.innerProto = b[q];
          c.frag = frag;
          c.inFrag = true;
          c.pos = q + 8; // the fragment's payload shows as data
          return L_END;
        }
      }
    }
    nh = b[q];
    q += len;
    if (frag === 2) break;
  }
  s.innerProto = nh;
  c.frag = frag;
  if (frag !== 0) {
    s.notes |= N_FRAGMENT;
    c.inFrag = true;
  }
  c.pos = q;
  c.l4Len = ipEnd - q;
  c.ipLen = reassembled ? 0 : ipEnd - p;
  c.ipFamily = 6;
  c.ipAddrSum = pseudoIpv6(b, src, dst, 0, 0);
  if (frag === 2) {
    fragmentTransport(nh, c, s);
    return L_END;
  }
  return ipProtoNext(nh, c, s);
}

const EXT_NAMES: Record<number, [string, string]> = {
  0: ['IPv6 Hop-by-Hop Option', 'ipv6.hopopts'],
  60: ['Destination Options for IPv6', 'ipv6.dstopts'],
  43: ['Routing Header for IPv6', 'ipv6.routing'],
  51: ['Authentication Header', 'ah'],
};

const protoName = (v: number) => (IP_PROTOS[v] ? `${IP_PROTOS[v]} (${v})` : String(v));

export function describeIpv6(b: Uint8Array, p: number, end: number, base: number, quoted = false): TreeNode {
  const f = new Fields(b, base, end);
  f.uint('ipv6.version', p, 1, String, 0xf, 4);
  if (f.has(p, 1) && b[p] >> 4 !== 6) return layerNode('Internet Protocol Version 6 [bogus version]', p, 1, base, f.kids);
  f.uint('ipv6.tclass', p, 4, (v) => hex(v, 2), 0xff, 20);
  f.uint('ipv6.tclass.dscp', p, 4, String, 0x3f, 22);
  f.uint('ipv6.tclass.ecn', p, 4, String, 0x3, 20);
  f.uint('ipv6.flow', p + 1, 3, (v) => hex(v, 5), 0xfffff, 0);
  f.uint('ipv6.plen', p + 4, 2);
  f.uint('ipv6.nxt', p + 6, 1, protoName);
  f.uint('ipv6.hlim', p + 7, 1);
  f.ipv6('ipv6.src', p + 8);
  f.ipv6('ipv6.dst', p + 24);
  if (!f.has(p, IPV6_HDR)) return layerNode('Internet Protocol Version 6', p, end - p, base, f.kids);
  const label = `Internet Protocol Version 6, Src: ${ipv6Str(b, p + 8)}, Dst: ${ipv6Str(b, p + 24)}`;
  let nh = b[p + 6];
  let q = p + IPV6_HDR;
  // A quoted header (ICMPv6 error) is cut short on purpose: stop at the fixed header.
  while (!quoted && (isExt(nh) || nh === 44) && f.has(q, 8)) {
    const len = nh === 44 ? 8 : extLen(b, q, nh);
    const k: TreeNode[] = [];
    let name: string;
    if (nh === 44) {
      name = 'Fragment Header for IPv6';
      f.uint('ipv6.fraghdr.nxt', q, 1, protoName, -1, 0, k);
      f.uint('ipv6.fraghdr.offset', q + 2, 2, String, 0x1fff, 3, k);
      f.flag('ipv6.fraghdr.more', q + 2, 2, 1, k);
      f.uint('ipv6.fraghdr.ident', q + 4, 4, (v) => hex(v, 8), -1, 0, k);
    } else {
      const [n, prefix] = EXT_NAMES[nh];
      name = n;
      f.uint(nh === 51 ? 'ah.next_header' : `${prefix}.nxt`, q, 1, protoName, -1, 0, k);
      f.uint(nh === 51 ? 'ah.length' : `${prefix}.len`, q + 1, 1, String, -1, 0, k);
      if (nh === 43) describeRouting(f, q, len, k);
      if (nh === 51) f.uint('ah.spi', q + 4, 4, (v) => hex(v, 8), -1, 0, k);
    }
    const ext = layerNode(name, q, Math.min(len, end - q), base, k);
    ext.field = nh === 44 ? 'ipv6.fraghdr' : nh === 51 ? 'ah' : EXT_NAMES[nh][1];
    f.kids.push(ext);
    if (nh === 44 && (rd16(b, q + 2) & 0xfff8) !== 0) break;
    nh = b[q];
    q += len;
  }
  return layerNode(label, p, Math.min(q, end) - p, base, f.kids);
}

function describeRouting(f: Fields, q: number, len: number, k: TreeNode[]): void {
  const b = f.b;
  const type = f.uint('ipv6.routing.type', q + 2, 1, String, -1, 0, k);
  f.uint('ipv6.routing.segleft', q + 3, 1, String, -1, 0, k);
  const name = type === 2 ? 'ipv6.routing.mipv6.home_address' : type === 4 ? 'ipv6.routing.srh.addr' : 'ipv6.routing.src.addr';
  if ((type === 0 || type === 2 || type === 4) && f.has(q, 8)) {
    const n = type === 4 ? b[q + 4] + 1 : b[q + 1] >> 1;
    for (let i = 0, a = q + 8; i < n && a + 16 <= q + len; i++, a += 16) f.ipv6(name, a, k);
  }
  if (f.has(q, len)) {
    const d = routingFinalDst(b, q, len);
    if (d >= 0) k.push(textNode(`[Final destination (used in the transport pseudo-header): ${ipv6Str(b, d)}]`, d, 16, f.base));
  }
}

export const IPV6 = registerLayer({
  id: L_IPV6,
  name: 'ipv6',
  column: 'IPv6',
  kind: 'ip',
  decode: decodeIpv6,
  describe: (b, p, end, base) => describeIpv6(b, p, end, base),
  fields: [
    ['ipv6', 'Internet Protocol Version 6', 'protocol'],
    ['ipv6.hopopts', 'IPv6 Hop-by-Hop Option', 'protocol'],
    ['ipv6.dstopts', 'Destination Options for IPv6', 'protocol'],
    ['ipv6.routing', 'Routing Header for IPv6', 'protocol'],
    ['ipv6.fraghdr', 'Fragment Header for IPv6', 'protocol'],
    ['ipv6.dst', 'Destination Address', 'ipv6'],
    ['ipv6.dstopts.len', 'Length', 'uint'],
    ['ipv6.dstopts.nxt', 'Next Header', 'uint'],
    ['ipv6.flow', 'Flow Label', 'uint'],
    ['ipv6.fraghdr.ident', 'Identification', 'uint'],
    ['ipv6.fraghdr.more', 'More Fragments', 'bool'],
    ['ipv6.fraghdr.nxt', 'Next header', 'uint'],
    ['ipv6.fraghdr.offset', 'Offset', 'uint'],
    ['ipv6.hlim', 'Hop Limit', 'uint'],
    ['ipv6.hopopts.len', 'Length', 'uint'],
    ['ipv6.hopopts.nxt', 'Next Header', 'uint'],
    ['ipv6.nxt', 'Next Header', 'uint'],
    ['ipv6.plen', 'Payload Length', 'uint'],
    ['ipv6.routing.len', 'Length', 'uint'],
    ['ipv6.routing.mipv6.home_address', 'Home Address', 'ipv6'],
    ['ipv6.routing.nxt', 'Next Header', 'uint'],
    ['ipv6.routing.segleft', 'Segments Left', 'uint'],
    ['ipv6.routing.src.addr', 'Address', 'ipv6'],
    ['ipv6.routing.srh.addr', 'Address', 'ipv6'],
    ['ipv6.routing.type', 'Type', 'uint'],
    ['ipv6.src', 'Source Address', 'ipv6'],
    ['ipv6.tclass', 'Traffic Class', 'uint'],
    ['ipv6.tclass.dscp', 'Differentiated Services Codepoint', 'uint'],
    ['ipv6.tclass.ecn', 'Explicit Congestion Notification', 'uint'],
    ['ipv6.version', 'Version', 'uint'],
    ['ipv6.addr', 'Source or Destination Address', 'ipv6'],
  ],
  joins: [{ table: 'ethertype', values: [0x86dd] }, { table: 'ipproto', values: [41], tunnel: true }, { table: 'linktype', values: [229] }],
});

export const IP_PAYLOAD = registerLayer({
  id: L_IP_PAYLOAD,
  name: '',
  column: 'IP',
  kind: 'ip',
});
