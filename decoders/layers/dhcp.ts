// DHCP (RFC 2131/2132) and BOOTP (RFC 951) on UDP 67/68 (and 4011, PXE): the fixed 236-byte header, the magic
// cookie and the options. Wireshark calls a message without option 53 BOOTP (Protocol column and Info).

import { N_MALFORMED, N_TRUNCATED, type Summary, type TreeNode } from '../summary.ts';
import { L_END, type DecodeCtx } from './ctx.ts';
import { L_DHCP } from './ids.ts';
import { registerLayer, type RowInput, type RowText } from './registry.ts';
import { Fields, bytesHex, hex, ipv4Str, latin1, layerNode, macStr, textNode } from './tree.ts';

/** The fixed part, up to the magic cookie. */
export const BOOTP_FIXED = 236;
const COOKIE = 0x63825363;

export function decodeDhcp(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos, end = c.end;
  if (p >= end || c.frag !== 0) return L_END;
  s.topProto = L_DHCP;
  if (p + BOOTP_FIXED > end) s.notes |= c.l4Len >= BOOTP_FIXED ? N_TRUNCATED : N_MALFORMED;
  c.pos = end;
  return L_END;
}

const MESSAGE_TYPES: Record<number, string> = {
  1: 'Discover', 2: 'Offer', 3: 'Request', 4: 'Decline', 5: 'ACK', 6: 'NAK', 7: 'Release', 8: 'Inform', 9: 'Force Renew',
  10: 'Lease query', 11: 'Lease Unassigned', 12: 'Lease Unknown', 13: 'Lease Active', 14: 'Bulk Lease Query',
  15: 'Lease Query Done', 16: 'Active LeaseQuery', 17: 'Lease Query Status', 18: 'TLS',
};

const OPTION_NAMES: Record<number, string> = {
  0: 'Padding', 1: 'Subnet Mask', 2: 'Time Offset', 3: 'Router', 4: 'Time Server', 5: 'Name Server', 6: 'Domain Name Server',
  7: 'Log Server', 9: 'LPR Server', 12: 'Host Name', 13: 'Boot File Size', 15: 'Domain Name', 17: 'Root Path',
  19: 'IP Forwarding', 23: 'Default IP Time-to-Live', 26: 'Interface MTU', 28: 'Broadcast Address',
  31: 'Perform Router Discover', 33: 'Static Route', 35: 'ARP Cache Timeout', 42: 'Network Time Protocol Servers',
  43: 'Vendor-Specific Information', 44: 'NetBIOS over TCP/IP Name Server', 46: 'NetBIOS over TCP/IP Node Type',
  47: 'NetBIOS over TCP/IP Scope', 50: 'Requested IP Address', 51: 'IP Address Lease Time', 52: 'Option Overload',
  53: 'DHCP Message Type', 54: 'DHCP Server Identifier', 55: 'Parameter Request List', 56: 'Message',
  57: 'Maximum DHCP Message Size', 58: 'Renewal Time Value', 59: 'Rebinding Time Value', 60: 'Vendor class identifier',
  61: 'Client identifier', 66: 'TFTP Server Name', 67: 'Bootfile name', 81: 'Client Fully Qualified Domain Name',
  82: 'Agent Information Option', 119: 'Domain Search', 121: 'Classless Static Route',
  249: 'Private/Classless Static Route (Microsoft)', 252: 'Private/Proxy autodiscovery', 255: 'End',
};

/** Options whose value is one field: [field, kind]. `ip4s`: a list of addresses. */
const OPTION_FIELDS: Record<number, readonly [string, 'ip4' | 'ip4s' | 'u32' | 'u16' | 'text']> = {
  1: ['dhcp.option.subnet_mask', 'ip4'], 3: ['dhcp.option.router', 'ip4s'], 6: ['dhcp.option.domain_name_server', 'ip4s'],
  12: ['dhcp.option.hostname', 'text'], 15: ['dhcp.option.domain_name', 'text'], 28: ['dhcp.option.broadcast_address', 'ip4'],
  50: ['dhcp.option.requested_ip_address', 'ip4'], 51: ['dhcp.option.ip_address_lease_time', 'u32'],
  54: ['dhcp.option.dhcp_server_id', 'ip4'], 56: ['dhcp.option.message', 'text'], 57: ['dhcp.option.dhcp_max_message_size', 'u16'],
  58: ['dhcp.option.renewal_time_value', 'u32'], 59: ['dhcp.option.rebinding_time_value', 'u32'],
  60: ['dhcp.option.vendor_class_id', 'text'],
};

interface Option {
  code: number;
  at: number;
  len: number;
}

/** The options after the cookie (code 0 and 255 have no length), up to End or the bytes' end. */
function options(b: Uint8Array, p: number, end: number): Option[] {
  const out: Option[] = [];
  let q = p + BOOTP_FIXED + 4;
  while (q < end) {
    const code = b[q];
    if (code === 0 || code === 255) {
      out.push({ code, at: q, len: 0 });
      q++;
      if (code === 255) break;
      continue;
    }
    if (q + 2 > end) break;
    const len = b[q + 1];
    out.push({ code, at: q, len });
    q += 2 + len;
  }
  return out;
}

function hasCookie(b: Uint8Array, p: number, end: number): boolean {
  const q = p + BOOTP_FIXED;
  return q + 4 <= end && ((b[q] << 24) | (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3]) >>> 0 === COOKIE;
}

/** The DHCP message type (option 53), or -1 (BOOTP, or not whole). */
function messageType(b: Uint8Array, p: number, end: number): number {
  if (!hasCookie(b, p, end)) return -1;
  for (const o of options(b, p, end)) if (o.code === 53 && o.len >= 1 && o.at + 3 <= end) return b[o.at + 2];
  return -1;
}

function typeName(t: number): string {
  return MESSAGE_TYPES[t] ?? `Unknown Message Type (${hex(t, 2)})`;
}

/**
 * `declared`: the message's length as UDP declares it. Wireshark reads the options once before it shows
 * anything: a capture that cuts them leaves no field (one that cuts the fixed part, the fields before the cut).
 */
export function describeDhcp(b: Uint8Array, p: number, end: number, base: number, declared: number): TreeNode[] {
  if (p >= end) return [];
  if (end - p < declared && end - p > BOOTP_FIXED + 4) {
    return [layerNode('Dynamic Host Configuration Protocol', p, end - p, base, [textNode('[Packet size limited during capture: DHCP/BOOTP truncated]', p, end - p, base)])];
  }
  const f = new Fields(b, base, end);
  const op = f.uint('dhcp.type', p, 1, (v) => `${v === 1 ? 'Boot Request' : v === 2 ? 'Boot Reply' : 'Unknown'} (${v})`);
  const htype = f.uint('dhcp.hw.type', p + 1, 1, (v) => `${v === 1 ? 'Ethernet' : v === 6 ? 'IEEE 802' : 'Unknown'} (${hex(v, 2)})`);
  const hlen = f.uint('dhcp.hw.len', p + 2, 1);
  f.uint('dhcp.hops', p + 3, 1);
  f.uint('dhcp.id', p + 4, 4, (v) => hex(v, 8));
  f.uint('dhcp.secs', p + 8, 2);
  const fl = f.uint('dhcp.flags', p + 10, 2, (v) => `${hex(v, 4)} (${(v & 0x8000) !== 0 ? 'Broadcast' : 'Unicast'})`);
  if (fl >= 0) f.says('dhcp.flags.bc', p + 10, 2, 0x8000, 'Broadcast', 'Unicast', f.kids[f.kids.length - 1].children = []);
  f.ipv4('dhcp.ip.client', p + 12);
  f.ipv4('dhcp.ip.your', p + 16);
  f.ipv4('dhcp.ip.server', p + 20);
  f.ipv4('dhcp.ip.relay', p + 24);
  if ((htype === 1 || htype === 6) && hlen === 6) {
    f.mac('dhcp.hw.mac_addr', p + 28);
    if (f.has(p + 34, 10)) f.add('dhcp.hw.addr_padding', p + 34, 10, bytesHex(b, p + 34, 10));
  } else if (hlen > 0 && hlen <= 16 && f.has(p + 28, hlen)) {
    f.add('dhcp.hw.addr', p + 28, hlen, bytesHex(b, p + 28, hlen));
  }
  for (const [field, at, len, none] of [['dhcp.server', p + 44, 64, 'Server host name not given'], ['dhcp.file', p + 108, 128, 'Boot file name not given']] as const) {
    if (!f.has(at, len)) break;
    let z = at;
    while (z < at + len && b[z] !== 0) z++;
    if (z === at) f.kids.push(textNode(none, at, len, base));
    else f.text(field, at, len, latin1(b, at, z));
  }
  const cookie = hasCookie(b, p, end);
  if (cookie) f.add('dhcp.cookie', p + BOOTP_FIXED, 4, 'DHCP');
  let title = 'Dynamic Host Configuration Protocol';
  if (cookie) {
    for (const o of options(b, p, end)) f.kids.push(describeOption(f, b, o, end));
    const t = messageType(b, p, end);
    title += t >= 0 ? ` (${MESSAGE_TYPES[t] ?? 'Unknown'})` : op === 1 ? ' (Request)' : op === 2 ? ' (Reply)' : '';
  } else if (op >= 0) {
    title = 'Bootstrap Protocol' + (op === 1 ? ' (Request)' : op === 2 ? ' (Reply)' : '');
  }
  if (f.truncated) f.kids.push(textNode('[Malformed: the message is cut short]', end, 0, base));
  return [layerNode(title, p, end - p, base, f.kids)];
}

function describeOption(f: Fields, b: Uint8Array, o: Option, end: number): TreeNode {
  const base = f.base;
  const k: TreeNode[] = [];
  const name = OPTION_NAMES[o.code] ?? 'Unknown';
  if (o.code === 0) {
    f.uint('dhcp.option.padding', o.at, 1, String, -1, 0, k);
    return { ...layerNode(`Option: (0) Padding`, o.at, 1, base, k), field: 'dhcp.option.type', value: '0', raw: 0 };
  }
  if (o.code === 255) {
    f.uint('dhcp.option.end', o.at, 1, String, -1, 0, k);
    return { ...layerNode('Option: (255) End', o.at, 1, base, k), field: 'dhcp.option.type', value: '255', raw: 255 };
  }
  f.uint('dhcp.option.length', o.at + 1, 1, String, -1, 0, k);
  const v = o.at + 2;
  let label = `Option: (${o.code}) ${name}`;
  if (v + o.len > end) return { ...layerNode(label, o.at, end - o.at, base, k), field: 'dhcp.option.type', value: String(o.code), raw: o.code };
  const spec = OPTION_FIELDS[o.code];
  if (o.code === 53 && o.len >= 1) {
    f.uint('dhcp.option.dhcp', v, 1, (t) => `${MESSAGE_TYPES[t] ?? 'Unknown'} (${t})`, -1, 0, k);
    label += ` (${MESSAGE_TYPES[b[v]] ?? 'Unknown'})`;
  } else if (o.code === 55) {
    for (let q = v; q < v + o.len; q++) f.uint('dhcp.option.request_list_item', q, 1, (t) => `(${t}) ${OPTION_NAMES[t] ?? 'Unknown'}`, -1, 0, k);
  } else if (o.code === 61 && o.len === 7 && b[v] === 1) {
    f.uint('dhcp.hw.type', v, 1, (t) => `Ethernet (${hex(t, 2)})`, -1, 0, k);
    f.mac('dhcp.hw.mac_addr', v + 1, k);
  } else if (spec !== undefined) {
    const [field, kind] = spec;
    if (kind === 'ip4' && o.len === 4) {
      f.ipv4(field, v, k);
      label += ` (${ipv4Str(b, v)})`;
    } else if (kind === 'ip4s') {
      for (let q = v; q + 4 <= v + o.len; q += 4) f.ipv4(field, q, k);
    } else if (kind === 'u32' && o.len === 4) {
      f.uint(field, v, 4, (t) => `${t}`, -1, 0, k);
    } else if (kind === 'u16' && o.len === 2) {
      f.uint(field, v, 2, String, -1, 0, k);
    } else if (kind === 'text') {
      let z = v + o.len;
      while (z > v && b[z - 1] === 0) z--;
      f.text(field, v, o.len, latin1(b, v, z), k);
    } else if (o.len > 0) {
      f.add('dhcp.option.value', v, o.len, bytesHex(b, v, o.len, 64), k);
    }
  } else if (o.len > 0) {
    f.add('dhcp.option.value', v, o.len, bytesHex(b, v, o.len, 64), k);
  }
  return { ...layerNode(label, o.at, 2 + o.len, base, k), field: 'dhcp.option.type', value: String(o.code), raw: o.code };
}

/**
 * Wireshark's Protocol and Info: `DHCP Discover - Transaction ID 0x3d1d`, or BOOTP's `Boot Request from …`.
 * `cut`: the frame was captured short inside the message; Wireshark reads the options only from a whole one.
 */
export function dhcpRow(b: Uint8Array, p: number, end: number, cut: boolean): RowText | null {
  if (p + 8 > end) return null;
  const xid = ((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]) >>> 0;
  const t = cut ? -1 : messageType(b, p, end);
  if (t >= 0) return { protocol: 'DHCP', info: `DHCP ${typeName(t).padEnd(8)} - Transaction ID 0x${xid.toString(16)}` };
  const op = b[p];
  if (op === 1) {
    const htype = b[p + 1], hlen = b[p + 2];
    if (p + 28 + hlen > end || hlen > 16) return { protocol: 'BOOTP', info: 'Boot Request' };
    const addr = (htype === 1 || htype === 6) && hlen === 6 ? macStr(b, p + 28) : hwText(b, p + 28, hlen);
    return { protocol: 'BOOTP', info: (htype === 1 || htype === 6) && hlen === 6 ? `Boot Request from ${addr} (${addr})` : `Boot Request from ${addr}` };
  }
  return { protocol: 'BOOTP', info: op === 2 ? 'Boot Reply' : `Unknown BOOTP message type (${op})` };
}

function hwText(b: Uint8Array, p: number, len: number): string {
  if (len === 0) return '<No address>';
  let s = '';
  for (let i = 0; i < len; i++) s += (i ? ':' : '') + b[p + i].toString(16).padStart(2, '0');
  return s;
}

export const DHCP = registerLayer({
  id: L_DHCP,
  name: 'dhcp',
  column: 'DHCP',
  kind: 'app',
  decode: decodeDhcp,
  describe: (b, p, end, base, info) => (info.frag ? [] : describeDhcp(b, p, end, base, info.l4Len)),
  row: (x: RowInput) => dhcpRow(x.b, x.start, x.end, x.caplen < x.origlen && x.end >= x.caplen),
  fields: [
    ['dhcp', 'Dynamic Host Configuration Protocol', 'protocol'],
    ['dhcp.type', 'Message type', 'uint'],
    ['dhcp.hw.type', 'Hardware type', 'uint'],
    ['dhcp.hw.len', 'Hardware address length', 'uint'],
    ['dhcp.hops', 'Hops', 'uint'],
    ['dhcp.id', 'Transaction ID', 'uint'],
    ['dhcp.secs', 'Seconds elapsed', 'uint'],
    ['dhcp.flags', 'Bootp flags', 'uint'],
    ['dhcp.flags.bc', 'Broadcast flag', 'bool'],
    ['dhcp.ip.client', 'Client IP address', 'ipv4'],
    ['dhcp.ip.your', 'Your (client) IP address', 'ipv4'],
    ['dhcp.ip.server', 'Next server IP address', 'ipv4'],
    ['dhcp.ip.relay', 'Relay agent IP address', 'ipv4'],
    ['dhcp.hw.mac_addr', 'Client MAC address', 'ether'],
    ['dhcp.hw.addr', 'Client hardware address', 'bytes'],
    ['dhcp.hw.addr_padding', 'Client hardware address padding', 'bytes'],
    ['dhcp.server', 'Server host name', 'string'],
    ['dhcp.file', 'Boot file name', 'string'],
    ['dhcp.cookie', 'Magic cookie', 'ipv4'],
    ['dhcp.option.type', 'Option', 'uint'],
    ['dhcp.option.length', 'Length', 'uint'],
    ['dhcp.option.value', 'Value', 'bytes'],
    ['dhcp.option.padding', 'Padding', 'bytes'],
    ['dhcp.option.end', 'Option End', 'uint'],
    ['dhcp.option.dhcp', 'DHCP', 'uint'],
    ['dhcp.option.subnet_mask', 'Subnet Mask', 'ipv4'],
    ['dhcp.option.router', 'Router', 'ipv4'],
    ['dhcp.option.domain_name_server', 'Domain Name Server', 'ipv4'],
    ['dhcp.option.hostname', 'Host Name', 'string'],
    ['dhcp.option.domain_name', 'Domain Name', 'string'],
    ['dhcp.option.broadcast_address', 'Broadcast Address', 'ipv4'],
    ['dhcp.option.requested_ip_address', 'Requested IP Address', 'ipv4'],
    ['dhcp.option.ip_address_lease_time', 'IP Address Lease Time', 'uint'],
    ['dhcp.option.dhcp_server_id', 'DHCP Server Identifier', 'ipv4'],
    ['dhcp.option.request_list_item', 'Parameter Request List Item', 'uint'],
    ['dhcp.option.message', 'Message', 'string'],
    ['dhcp.option.dhcp_max_message_size', 'Maximum DHCP Message Size', 'uint'],
    ['dhcp.option.renewal_time_value', 'Renewal Time Value', 'uint'],
    ['dhcp.option.rebinding_time_value', 'Rebinding Time Value', 'uint'],
    ['dhcp.option.vendor_class_id', 'Vendor class identifier', 'string'],
  ],
  joins: [{ table: 'udpport', values: [67, 68, 4011] }],
});
