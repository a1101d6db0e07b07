// DHCPv6 (RFC 8415) on UDP 546/547: message type, transaction id and options; relay messages (Relay-forw,
// Relay-reply) carry the relayed message in option 9, which is described (and summarised) in turn.

import { N_MALFORMED, N_TRUNCATED, type Summary, type TreeNode } from '../summary.ts';
import { L_END, type DecodeCtx } from './ctx.ts';
import { L_DHCPV6 } from './ids.ts';
import { registerLayer, type RowInput, type RowText } from './registry.ts';
import { Fields, bytesHex, hex, ipv6Str, latin1, layerNode, textNode } from './tree.ts';

const RELAY_FORW = 12, RELAY_REPLY = 13;
/** Relayed messages nested deeper than this are not described. */
const MAX_NESTING = 8;

export function decodeDhcpv6(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos, end = c.end;
  if (p >= end || c.frag !== 0) return L_END;
  s.topProto = L_DHCPV6;
  if (p + 4 > end) s.notes |= c.l4Len >= 4 ? N_TRUNCATED : N_MALFORMED;
  c.pos = end;
  return L_END;
}

const MESSAGE_TYPES: Record<number, string> = {
  1: 'Solicit', 2: 'Advertise', 3: 'Request', 4: 'Confirm', 5: 'Renew', 6: 'Rebind', 7: 'Reply', 8: 'Release', 9: 'Decline',
  10: 'Reconfigure', 11: 'Information-request', 12: 'Relay-forw', 13: 'Relay-reply', 14: 'Leasequery', 15: 'Leasequery-reply',
  16: 'Leasequery-done', 17: 'Leasequery-data', 18: 'Reconfigure-request', 19: 'Reconfigure-reply',
};

const OPTION_NAMES: Record<number, string> = {
  1: 'Client Identifier', 2: 'Server Identifier', 3: 'Identity Association for Non-temporary Address',
  4: 'Identity Association for Temporary Address', 5: 'IA Address', 6: 'Option Request', 7: 'Preference', 8: 'Elapsed time',
  9: 'Relay Message', 11: 'Authentication', 12: 'Server unicast', 13: 'Status code', 14: 'Rapid Commit', 15: 'User Class',
  16: 'Vendor Class', 17: 'Vendor-specific Information', 18: 'Interface-Id', 19: 'Reconfigure Message', 20: 'Reconfigure Accept',
  21: 'SIP Server Domain Name List', 22: 'SIP Servers IPv6 Address List', 23: 'DNS recursive name server', 24: 'Domain Search List',
  25: 'Identity Association for Prefix Delegation', 26: 'IA Prefix', 31: 'Simple Network Time Protocol Server',
  32: 'Lifetime', 37: 'Remote Identifier', 38: 'Subscriber Identifier', 39: 'Client Fully Qualified Domain Name',
  44: 'Leasequery Query', 45: 'Leasequery Client Data',
};

const DUID_TYPES: Record<number, string> = { 1: 'link-layer address plus time', 2: 'assigned by vendor based on Enterprise number', 3: 'link-layer address', 4: 'Universally Unique Identifier (UUID)' };

function typeName(t: number): string {
  return MESSAGE_TYPES[t] ?? `Unknown (${t})`;
}

interface Option {
  code: number;
  at: number;
  len: number;
}

function options(b: Uint8Array, q: number, end: number): Option[] {
  const out: Option[] = [];
  while (q + 4 <= end) {
    const len = (b[q + 2] << 8) | b[q + 3];
    out.push({ code: (b[q] << 8) | b[q + 1], at: q, len });
    q += 4 + len;
  }
  return out;
}

/** Where a message's options start: after the relay header or after type and transaction id. */
function optionsStart(b: Uint8Array, p: number): number {
  return b[p] === RELAY_FORW || b[p] === RELAY_REPLY ? p + 34 : p + 4;
}

export function describeDhcpv6(b: Uint8Array, p: number, end: number, base: number): TreeNode[] {
  if (p >= end) return [];
  const f = new Fields(b, base, end);
  describeMessage(f, b, p, end, 0);
  if (f.truncated) f.kids.push(textNode('[Malformed: the message is cut short]', end, 0, base));
  return [layerNode('DHCPv6', p, end - p, base, f.kids)];
}

function describeMessage(f: Fields, b: Uint8Array, p: number, end: number, depth: number): void {
  const t = f.uint('dhcpv6.msgtype', p, 1, (v) => `${typeName(v)} (${v})`);
  if (t === RELAY_FORW || t === RELAY_REPLY) {
    f.uint('dhcpv6.hopcount', p + 1, 1);
    f.ipv6('dhcpv6.linkaddr', p + 2);
    f.ipv6('dhcpv6.peeraddr', p + 18);
  } else if (t >= 0) {
    f.uint('dhcpv6.xid', p + 1, 3, (v) => hex(v, 6));
  }
  for (const o of options(b, optionsStart(b, p), end)) f.kids.push(describeOption(f, b, o, end, depth));
}

function describeOption(f: Fields, b: Uint8Array, o: Option, end: number, depth: number): TreeNode {
  const k: TreeNode[] = [];
  const sub = new Fields(b, f.base, Math.min(end, o.at + 4 + o.len));
  sub.uint('dhcpv6.option.type', o.at, 2, (v) => `${OPTION_NAMES[v] ?? 'Unknown'} (${v})`);
  sub.uint('dhcpv6.option.length', o.at + 2, 2);
  const v = o.at + 4, len = o.len;
  const whole = v + len <= end;
  if (whole) {
    if ((o.code === 1 || o.code === 2) && len >= 2) {
      sub.add('dhcpv6.duid.bytes', v, len, bytesHex(b, v, len, 64));
      sub.uint('dhcpv6.duid.type', v, 2, (d) => `${DUID_TYPES[d] ?? 'Unknown'} (${d})`);
    } else if ((o.code === 3 || o.code === 4 || o.code === 25) && len >= 4) {
      sub.add('dhcpv6.iaid', v, 4, hex(((b[v] << 24) | (b[v + 1] << 16) | (b[v + 2] << 8) | b[v + 3]) >>> 0, 8));
      if (o.code !== 4 && len >= 12) {
        sub.uint('dhcpv6.iaid.t1', v + 4, 4);
        sub.uint('dhcpv6.iaid.t2', v + 8, 4);
      }
      const inner = o.code === 4 ? v + 4 : v + 12;
      if (depth < MAX_NESTING) for (const x of options(b, inner, v + len)) sub.kids.push(describeOption(sub, b, x, end, depth + 1));
    } else if (o.code === 5 && len >= 24) {
      sub.ipv6('dhcpv6.iaaddr.ip', v);
      sub.uint('dhcpv6.iaaddr.pref_lifetime', v + 16, 4);
      sub.uint('dhcpv6.iaaddr.valid_lifetime', v + 20, 4);
    } else if (o.code === 6) {
      for (let q = v; q + 2 <= v + len; q += 2) sub.uint('dhcpv6.requested_option_code', q, 2, (c) => `${OPTION_NAMES[c] ?? 'Unknown'} (${c})`);
    } else if (o.code === 8 && len === 2) {
      sub.uint('dhcpv6.elapsed_time', v, 2, (c) => `${c * 10}ms`);
    } else if (o.code === 13 && len >= 2) {
      sub.uint('dhcpv6.status_code', v, 2);
      if (len > 2) sub.text('dhcpv6.status_msg', v + 2, len - 2, latin1(b, v + 2, v + len));
    } else if (o.code === 23) {
      for (let q = v; q + 16 <= v + len; q += 16) sub.ipv6('dhcpv6.dns_server', q);
    } else if (o.code === 18 && len > 0) {
      sub.add('dhcpv6.interface_id', v, len, bytesHex(b, v, len, 64));
    } else if (o.code === 9 && len > 0 && depth < MAX_NESTING) {
      const msg = new Fields(b, f.base, v + len);
      describeMessage(msg, b, v, v + len, depth + 1);
      sub.kids.push(layerNode('DHCPv6', v, len, f.base, msg.kids));
    }
  }
  k.push(...sub.kids);
  const node = layerNode(`${OPTION_NAMES[o.code] ?? `Unknown option (${o.code})`}`, o.at, Math.min(4 + len, end - o.at), f.base, k);
  return node;
}

/**
 * Wireshark's Info: `Solicit XID: 0xaabbcc CID: 0001000125… ` (trailing space and all); a relay message
 * `Relay-forw L: 2001:db8::1 ` followed by the relayed message's.
 */
export function dhcpv6Info(b: Uint8Array, p: number, end: number, depth = 0): string | null {
  if (p >= end) return null;
  const t = b[p];
  let s = `${typeName(t)} `;
  if (t === RELAY_FORW || t === RELAY_REPLY) {
    if (p + 34 > end) return s;
    s += `L: ${ipv6Str(b, p + 2)} `;
    for (const o of options(b, p + 34, end)) {
      if (o.code === 9 && o.at + 4 + o.len <= end && depth < MAX_NESTING) s += dhcpv6Info(b, o.at + 4, o.at + 4 + o.len, depth + 1) ?? '';
    }
    return s;
  }
  if (p + 4 > end) return s;
  s += `XID: ${hex(((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0, 6)} `;
  return s + optionsInfo(b, p + 4, end, 0);
}

/** What Wireshark adds to Info from the options, in their order: the client DUID, the addresses of an IA. */
function optionsInfo(b: Uint8Array, q: number, end: number, depth: number): string {
  let s = '';
  for (const o of options(b, q, end)) {
    const v = o.at + 4, stop = v + o.len;
    if (stop > end) break;
    if (o.code === 1) s += `CID: ${bytesHex(b, v, o.len, o.len)} `;
    else if (o.code === 5 && o.len >= 16) s += `IAA: ${ipv6Str(b, v)} `;
    else if ((o.code === 3 || o.code === 4) && depth < MAX_NESTING) s += optionsInfo(b, o.code === 3 ? v + 12 : v + 4, stop, depth + 1);
  }
  return s;
}

export const DHCPV6 = registerLayer({
  id: L_DHCPV6,
  name: 'dhcpv6',
  column: 'DHCPv6',
  kind: 'app',
  decode: decodeDhcpv6,
  describe: (b, p, end, base, info) => (info.frag ? [] : describeDhcpv6(b, p, end, base)),
  row: (x: RowInput): RowText | null => {
    const info = dhcpv6Info(x.b, x.start, x.end);
    return info === null ? null : { info };
  },
  fields: [
    ['dhcpv6', 'DHCPv6', 'protocol'],
    ['dhcpv6.msgtype', 'Message type', 'uint'],
    ['dhcpv6.xid', 'Transaction ID', 'uint'],
    ['dhcpv6.hopcount', 'Hopcount', 'uint'],
    ['dhcpv6.linkaddr', 'Link address', 'ipv6'],
    ['dhcpv6.peeraddr', 'Peer address', 'ipv6'],
    ['dhcpv6.option.type', 'Option', 'uint'],
    ['dhcpv6.option.length', 'Length', 'uint'],
    ['dhcpv6.duid.bytes', 'DUID', 'bytes'],
    ['dhcpv6.duid.type', 'DUID Type', 'uint'],
    ['dhcpv6.iaid', 'IAID', 'string'],
    ['dhcpv6.iaid.t1', 'T1', 'uint'],
    ['dhcpv6.iaid.t2', 'T2', 'uint'],
    ['dhcpv6.iaaddr.ip', 'IPv6 address', 'ipv6'],
    ['dhcpv6.iaaddr.pref_lifetime', 'Preferred lifetime', 'uint'],
    ['dhcpv6.iaaddr.valid_lifetime', 'Valid lifetime', 'uint'],
    ['dhcpv6.requested_option_code', 'Requested Option code', 'uint'],
    ['dhcpv6.elapsed_time', 'Elapsed time', 'uint'],
    ['dhcpv6.status_code', 'Status Code', 'uint'],
    ['dhcpv6.status_msg', 'Status Message', 'string'],
    ['dhcpv6.dns_server', 'DNS server address', 'ipv6'],
    ['dhcpv6.interface_id', 'Interface-ID', 'bytes'],
  ],
  joins: [{ table: 'udpport', values: [546, 547] }],
});
