// DNS (RFC 1035) over UDP and TCP (RFC 7766: a two-byte length before the message), and the protocols that
// carry DNS messages under a name of their own in Wireshark: Multicast DNS (RFC 6762, UDP 5353) and LLMNR
// (RFC 4795, UDP 5355), each its own layer (`mdns`, `llmnr`) with the `dns.*` fields, as in Wireshark. The
// hot path only checks the header is there and names the layer; the details and the Info column parse the
// message (dns-message.ts).

import { N_MALFORMED, N_TRUNCATED, type Summary, type TreeNode } from '../summary.ts';
import { L_END, type DecodeCtx } from './ctx.ts';
import { DNS_HDR, parseDns, readName, type DnsMessage, type DnsName, type DnsRecord } from './dns-message.ts';
import { L_DNS, L_LLMNR, L_MDNS, L_TCP } from './ids.ts';
import { registerLayer, type FieldSpec, type RowInput, type RowText } from './registry.ts';
import { Fields, hex, ipv4Str, ipv6Str, latin1, layerNode, textNode } from './tree.ts';

export function decodeDns(b: Uint8Array, c: DecodeCtx, s: Summary, id: number): number {
  const p = c.pos, end = c.end;
  if (p >= end || c.frag !== 0) return L_END;
  s.topProto = id;
  // Over TCP a segment may hold part of a message only (no reassembly): nothing to flag.
  if (s.tcpFlags < 0 && p + DNS_HDR > end) s.notes |= c.l4Len >= DNS_HDR ? N_TRUNCATED : N_MALFORMED;
  c.pos = end;
  return L_END;
}

const F_RESPONSE = 0x8000;

const OPCODES: Record<number, string> = {
  0: 'Standard query', 1: 'Inverse query', 2: 'Server status request', 4: 'Zone change notification', 5: 'Dynamic update',
  6: 'DNS Stateful operations (DSO)',
};
const RCODES: Record<number, string> = {
  0: 'No error', 1: 'Format error', 2: 'Server failure', 3: 'No such name', 4: 'Not implemented', 5: 'Refused',
  6: 'Name exists', 7: 'RRset exists', 8: 'RRset does not exist', 9: 'Not authoritative', 10: 'Name out of zone',
  11: 'DSO-Type not implemented',
};
const CLASSES: Record<number, string> = { 1: 'IN', 2: 'CS', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };

/** Wireshark's type names: [short name (Info), description (details)]. */
const TYPES: Record<number, readonly [string, string]> = {
  0: ['Unused', 'Unused'], 1: ['A', 'Host Address'], 2: ['NS', 'authoritative Name Server'], 3: ['MD', 'Mail Destination'],
  4: ['MF', 'Mail Forwarder'], 5: ['CNAME', 'Canonical NAME for an alias'], 6: ['SOA', 'Start Of a zone of Authority'],
  7: ['MB', 'MailBox domain name'], 8: ['MG', 'Mail Group member'], 9: ['MR', 'Mail Rename domain'], 10: ['NULL', ''],
  11: ['WKS', 'Well Known Service'], 12: ['PTR', 'domain name PoinTeR'], 13: ['HINFO', 'host information'],
  14: ['MINFO', 'Mailbox or mail list information'], 15: ['MX', 'Mail eXchange'], 16: ['TXT', 'Text strings'],
  17: ['RP', 'Responsible Person'], 18: ['AFSDB', 'AFS Data Base location'], 19: ['X25', 'XX.25 PSDN address'],
  20: ['ISDN', 'ISDN address'], 21: ['RT', 'Route Through'], 22: ['NSAP', 'NSAP address'],
  23: ['NSAP-PTR', 'NSAP domain name pointer'], 24: ['SIG', 'security signature'], 25: ['KEY', 'security key'],
  26: ['PX', 'X.400 mail mapping information'], 27: ['GPOS', 'Geographical Position'], 28: ['AAAA', 'IPv6 Address'],
  29: ['LOC', 'Location Information'], 30: ['NXT', 'Next Domain'], 31: ['EID', 'Endpoint Identifier'],
  32: ['NIMLOC', 'Nimrod Locator'], 33: ['SRV', 'Server Selection'], 34: ['ATMA', 'ATM Address'],
  35: ['NAPTR', 'Naming Authority Pointer'], 36: ['KX', 'Key Exchanger'], 37: ['CERT', ''], 38: ['A6', 'OBSOLETE - use AAAA'],
  39: ['DNAME', ''], 40: ['SINK', ''], 41: ['OPT', ''], 42: ['APL', ''], 43: ['DS', 'Delegation Signer'],
  44: ['SSHFP', 'SSH Key Fingerprint'], 45: ['IPSECKEY', ''], 46: ['RRSIG', 'Resource Record Signature'],
  47: ['NSEC', 'Next Secure'], 48: ['DNSKEY', 'DNS Public Key'], 49: ['DHCID', ''], 50: ['NSEC3', ''], 51: ['NSEC3PARAM', ''],
  52: ['TLSA', ''], 55: ['HIP', 'Host Identity Protocol'], 57: ['RKEY', ''], 58: ['TALINK', 'Trust Anchor LINK'],
  59: ['CDS', 'Child DS'], 60: ['CDNSKEY', 'DNSKEY(s) the Child wants reflected in DS'], 61: ['OPENPGPKEY', 'OpenPGP Key'],
  62: ['CSYNC', 'Child-to-Parent Synchronization'], 63: ['ZONEMD', ''], 64: ['SVCB', 'General Purpose Service Endpoints'],
  65: ['HTTPS', 'HTTPS Specific Service Endpoints'], 99: ['SPF', ''], 100: ['UINFO', ''], 101: ['UID', ''], 102: ['GID', ''],
  103: ['UNSPEC', ''], 104: ['NID', 'NodeID'], 105: ['L32', 'Locator32'], 106: ['L64', 'Locator64'], 107: ['LP', 'Locator FQDN'],
  108: ['EUI48', ''], 109: ['EUI64', ''], 249: ['TKEY', 'Transaction Key'], 250: ['TSIG', 'Transaction Signature'],
  251: ['IXFR', 'incremental transfer'], 252: ['AXFR', 'transfer of an entire zone'], 253: ['MAILB', 'mailbox-related RRs'],
  254: ['MAILA', 'mail agent RRs'], 255: ['ANY', 'A request for all records the server/cache has available'], 256: ['URI', ''],
  257: ['CAA', 'Certification Authority Restriction'], 32768: ['TA', 'DNSSEC Trust Authorities'],
  32769: ['DLV', 'DNSSEC Lookaside Validation'], 65281: ['WINS', ''], 65282: ['WINS-R', ''], 65422: ['XPF', ''],
};

export function typeName(t: number): string {
  return TYPES[t]?.[0] ?? `Unknown (${t})`;
}

function typeText(t: number): string {
  const e = TYPES[t];
  if (e === undefined) return `Unknown (${t})`;
  if (t === 255) return `* (${e[1]}) (255)`;
  if (t === 10) return 'NULL RR (10)';
  return e[1] === '' ? `${e[0]} (${t})` : `${e[0]} (${e[1]}) (${t})`;
}

function classText(c: number): string {
  return `${CLASSES[c] ?? 'Unknown'} (${hex(c, 4)})`;
}

/** The DNS message of a layer at `p`: past the two-byte length over TCP. */
function messageStart(p: number, tcp: boolean): number {
  return tcp ? p + 2 : p;
}

/** What each kind of DNS-format layer is called. */
interface Flavour {
  proto: string;
  title: string;
  mdns: boolean;
}
const DNS_FLAVOUR: Flavour = { proto: 'dns', title: 'Domain Name System', mdns: false };
const MDNS_FLAVOUR: Flavour = { proto: 'mdns', title: 'Multicast Domain Name System', mdns: true };
const LLMNR_FLAVOUR: Flavour = { proto: 'llmnr', title: 'Link-local Multicast Name Resolution', mdns: false };

export function describeDns(b: Uint8Array, p: number, end: number, base: number, tcp: boolean, fl: Flavour): TreeNode[] {
  if (p >= end) return [];
  const f = new Fields(b, base, end);
  const at = messageStart(p, tcp);
  if (tcp) f.uint('dns.length', p, 2);
  f.uint('dns.id', at, 2, (v) => hex(v, 4));
  const fv = at + 4 <= end ? (b[at + 2] << 8) | b[at + 3] : 0;
  const response = (fv & F_RESPONSE) !== 0;
  const opcode = (fv >> 11) & 0xf;
  const rcode = fv & 0xf;
  let summary = opcodeName(opcode) + (response ? ' response' : '');
  if (response) summary += `, ${RCODES[rcode] ?? `Unknown error (${rcode})`}`;
  const flags = f.add('dns.flags', at + 2, 2, `${hex(fv, 4)} ${summary}`);
  if (flags !== null) {
    flags.raw = fv;
    const k: TreeNode[] = (flags.children = []);
    f.says('dns.flags.response', at + 2, 2, F_RESPONSE, 'Message is a response', 'Message is a query', k);
    f.uint('dns.flags.opcode', at + 2, 2, (v) => `${opcodeName(v)} (${v})`, 0xf, 11, k);
    if (response) f.says('dns.flags.authoritative', at + 2, 2, 0x400, 'Server is an authority for domain', 'Server is not an authority for domain', k);
    f.says('dns.flags.truncated', at + 2, 2, 0x200, 'Message is truncated', 'Message is not truncated', k);
    f.says('dns.flags.recdesired', at + 2, 2, 0x100, 'Do query recursively', "Don't do query recursively", k);
    if (response) f.says('dns.flags.recavail', at + 2, 2, 0x80, 'Server can do recursive queries', "Server can't do recursive queries", k);
    f.says('dns.flags.z', at + 2, 2, 0x40, 'reserved - incorrect!', 'reserved (0)', k);
    if (response) f.says('dns.flags.authenticated', at + 2, 2, 0x20, 'Answer/authority portion was authenticated by the server', 'Answer/authority portion was not authenticated by the server', k);
    f.says('dns.flags.checkdisable', at + 2, 2, 0x10, 'Acceptable', 'Unacceptable', k);
    if (response) f.uint('dns.flags.rcode', at + 2, 2, (v) => `${RCODES[v] ?? 'Unknown'} (${v})`, 0xf, 0, k);
  }
  const m = parseDns(b, at, end);
  if (m === null) {
    f.kids.push(textNode('[Malformed: the DNS header is cut short]', at, end - at, base));
    return [layerNode(fl.title, p, end - p, base, f.kids)];
  }
  // RFC 2136: an update names its sections zone, prerequisite, update and additional.
  const update = opcode === 5;
  f.uint(update ? 'dns.count.zones' : 'dns.count.queries', at + 4, 2);
  f.uint(update ? 'dns.count.prerequisites' : 'dns.count.answers', at + 6, 2);
  f.uint(update ? 'dns.count.updates' : 'dns.count.auth_rr', at + 8, 2);
  f.uint('dns.count.add_rr', at + 10, 2);
  if (m.questions.length > 0) {
    const qs = m.questions.map((q) => {
      const k: TreeNode[] = [];
      f.text('dns.qry.name', q.at, q.name.next - q.at, q.name.text, k);
      k.push({ label: `[Name Length: ${q.name.text.length}]`, field: 'dns.qry.name.len', value: String(q.name.text.length), raw: q.name.text.length, start: q.at - base, length: q.name.next - q.at });
      k.push({ label: `[Label Count: ${q.name.labels}]`, field: 'dns.count.labels', value: String(q.name.labels), raw: q.name.labels, start: q.at - base, length: q.name.next - q.at });
      f.uint('dns.qry.type', q.name.next, 2, typeText, -1, 0, k);
      if (fl.mdns) {
        f.uint('dns.qry.class', q.name.next + 2, 2, classText, 0x7fff, 0, k);
        f.says('dns.qry.qu', q.name.next + 2, 2, 0x8000, 'True', 'False', k);
      } else {
        f.uint('dns.qry.class', q.name.next + 2, 2, classText, -1, 0, k);
      }
      let label = `${q.name.text}: type ${typeName(q.type)}, class ${CLASSES[q.cls & (fl.mdns ? 0x7fff : 0xffff)] ?? 'Unknown'}`;
      if (fl.mdns) label += (q.cls & 0x8000) !== 0 ? ', "QU" question' : ', "QM" question';
      return layerNode(label, q.at, q.next - q.at, base, k);
    });
    f.kids.push(layerNode(update ? 'Zone' : 'Queries', m.questions[0].at, qs.reduce((n, x) => n + x.length, 0), base, qs));
  }
  const titles = update ? ['Prerequisites', 'Updates', 'Additional records'] : ['Answers', 'Authoritative nameservers', 'Additional records'];
  for (let section = 0; section < 3; section++) {
    const rs = m.records.filter((r) => r.section === section);
    if (rs.length === 0) continue;
    const nodes = rs.map((r) => describeRecord(f, b, r, m, end, fl));
    f.kids.push(layerNode(titles[section], rs[0].at, Math.min(rs[rs.length - 1].next, end) - rs[0].at, base, nodes));
  }
  if (m.bad) f.kids.push(textNode('[Malformed: the message is cut short or a name does not parse]', end, 0, base));
  return [layerNode(`${fl.title} (${response ? 'response' : 'query'})`, p, end - p, base, f.kids)];
}

function opcodeName(op: number): string {
  return OPCODES[op] ?? `Unknown operation (${op})`;
}

function describeRecord(f: Fields, b: Uint8Array, r: DnsRecord, m: DnsMessage, end: number, fl: Flavour): TreeNode {
  const base = f.base;
  const k: TreeNode[] = [];
  const t = r.name.next;
  f.text('dns.resp.name', r.at, t - r.at, r.name.text, k);
  f.uint('dns.resp.type', t, 2, typeText, -1, 0, k);
  let label = `${r.name.text}: type ${typeName(r.type)}`;
  if (r.type === 41) {
    // OPT (RFC 6891): the class is the UDP payload size, the TTL the extended RCODE, version and flags.
    f.uint('dns.rr.udp_payload_size', t + 2, 2, String, -1, 0, k);
    f.uint('dns.resp.ext_rcode', t + 4, 1, (v) => hex(v, 2), -1, 0, k);
    f.uint('dns.resp.edns0_version', t + 5, 1, String, -1, 0, k);
    const z = f.uint('dns.resp.z', t + 6, 2, (v) => hex(v, 4), -1, 0, k);
    if (z >= 0) f.says('dns.resp.z.do', t + 6, 2, 0x8000, 'Accepts DNSSEC security RRs', 'Cannot handle DNSSEC security RRs', k);
  } else {
    if (fl.mdns) {
      f.says('dns.resp.cache_flush', t + 2, 2, 0x8000, 'True', 'False', k);
      f.uint('dns.resp.class', t + 2, 2, classText, 0x7fff, 0, k);
    } else {
      f.uint('dns.resp.class', t + 2, 2, classText, -1, 0, k);
    }
    f.uint('dns.resp.ttl', t + 4, 4, String, -1, 0, k);
    label += `, class ${CLASSES[r.cls & (fl.mdns ? 0x7fff : 0xffff)] ?? 'Unknown'}`;
  }
  f.uint('dns.resp.len', t + 8, 2, String, -1, 0, k);
  const d = rdataText(b, r, m, end);
  if (d !== null) {
    label += `, ${d.label}`;
    for (const [name, at, len, value] of d.fields) {
      const n = f.text(name, at, len, value, k);
      if (n !== null && FIELD_TYPES.get(name) === 'uint') n.raw = Number(value);
    }
  }
  return layerNode(label, r.at, Math.min(r.next, end) - r.at, base, k);
}

interface Rdata {
  /** For the record's line in the tree: `addr 10.0.0.1`. */
  label: string;
  /** For the Info column (Wireshark writes the data of some types only). */
  info: string;
  fields: Array<[string, number, number, string]>;
}

/** The RDATA of the types Wireshark summarises, or null (the record still shows its header). */
function rdataText(b: Uint8Array, r: DnsRecord, m: DnsMessage, end: number): Rdata | null {
  const p = r.rdata, len = r.rdlen;
  // An update's delete records carry no data (RFC 2136 2.5.2).
  if (len === 0 || p + len > end) return null;
  const name = (q: number): DnsName => readName(b, q, m.at, p + len > end ? end : Math.max(end, p + len));
  const u16 = (q: number): number => (b[q] << 8) | b[q + 1];
  const u32 = (q: number): number => ((b[q] << 24) | (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3]) >>> 0;
  switch (r.type) {
    case 1: {
      if (len !== 4) return null;
      const a = ipv4Str(b, p);
      return { label: `addr ${a}`, info: a, fields: [['dns.a', p, 4, a]] };
    }
    case 28: {
      if (len !== 16) return null;
      const a = ipv6Str(b, p);
      return { label: `addr ${a}`, info: a, fields: [['dns.aaaa', p, 16, a]] };
    }
    case 2: case 5: case 12: case 39: {
      const n = name(p);
      const field = r.type === 2 ? 'dns.ns' : r.type === 5 ? 'dns.cname' : r.type === 12 ? 'dns.ptr.domain_name' : 'dns.dname';
      const word = r.type === 2 ? 'ns ' : r.type === 5 ? 'cname ' : r.type === 39 ? 'dname ' : '';
      return { label: word + n.text, info: n.text, fields: [[field, p, len, n.text]] };
    }
    case 6: {
      const mn = name(p);
      const rn = name(mn.next);
      const q = rn.next;
      const fields: Rdata['fields'] = [['dns.soa.mname', p, mn.next - p, mn.text], ['dns.soa.rname', mn.next, rn.next - mn.next, rn.text]];
      if (q + 20 <= p + len) {
        const names = ['serial_number', 'refresh_interval', 'retry_interval', 'expire_limit', 'minimum_ttl'];
        names.forEach((n, i) => fields.push([`dns.soa.${n}`, q + 4 * i, 4, String(u32(q + 4 * i))]));
      }
      return { label: `mname ${mn.text}`, info: mn.text, fields };
    }
    case 15: {
      if (len < 3) return null;
      const pref = u16(p);
      const n = name(p + 2);
      return {
        label: `preference ${pref}, mx ${n.text}`, info: `${pref} ${n.text}`,
        fields: [['dns.mx.preference', p, 2, String(pref)], ['dns.mx.mail_exchange', p + 2, len - 2, n.text]],
      };
    }
    case 33: {
      if (len < 7) return null;
      const [prio, weight, port] = [u16(p), u16(p + 2), u16(p + 4)];
      const n = name(p + 6);
      return {
        label: `priority ${prio}, weight ${weight}, port ${port}, target ${n.text}`, info: `${prio} ${weight} ${port} ${n.text}`,
        fields: [['dns.srv.priority', p, 2, String(prio)], ['dns.srv.weight', p + 2, 2, String(weight)], ['dns.srv.port', p + 4, 2, String(port)], ['dns.srv.target', p + 6, len - 6, n.text]],
      };
    }
    case 47: {
      const n = name(p);
      return { label: `next domain name ${n.text}`, info: n.text, fields: [['dns.nsec.next_domain_name', p, n.next - p, n.text]] };
    }
    case 16: {
      const fields: Rdata['fields'] = [];
      for (let q = p; q < p + len;) {
        const l = b[q];
        if (q + 1 + l > p + len) break;
        fields.push(['dns.txt.length', q, 1, String(l)], ['dns.txt', q + 1, l, latin1(b, q + 1, q + 1 + l)]);
        q += 1 + l;
      }
      return { label: fields.length > 1 ? fields[1][3] : '', info: '', fields };
    }
    default:
      return null;
  }
}

/** The Info column of a DNS-format message: Wireshark's `Standard query response 0x1a2b A example.com A 10.0.0.1`. */
/** `cut`: the capture cut the message short (a truncated frame says so already: it is not malformed). */
export function dnsInfo(b: Uint8Array, at: number, end: number, mdns: boolean, cut = false): RowText | null {
  const m = parseDns(b, at, end);
  if (m === null) {
    // Id and flags but not the counts: Wireshark names the message, then finds it malformed.
    if (at + 4 > end) return null;
    const flags = (b[at + 2] << 8) | b[at + 3];
    return { info: `${opcodeName((flags >> 11) & 0xf)}${(flags & F_RESPONSE) !== 0 ? ' response' : ''} ${hex((b[at] << 8) | b[at + 1], 4)}`, malformed: !cut };
  }
  const response = (m.flags & F_RESPONSE) !== 0;
  const rcode = m.flags & 0xf;
  let s = `${opcodeName((m.flags >> 11) & 0xf)}${response ? ' response' : ''} ${hex(m.id, 4)}`;
  if (response && rcode !== 0) s += ` ${RCODES[rcode] ?? `Unknown error (${rcode})`}`;
  for (const q of m.questions) {
    s += ` ${typeName(q.type)} ${q.name.text}`;
    if (mdns) s += (q.cls & 0x8000) !== 0 ? ', "QU" question' : ', "QM" question';
  }
  for (const r of m.records) {
    s += ` ${typeName(r.type)}`;
    // mDNS (RFC 6762 10.2): the class's top bit asks caches to flush the name's other records.
    if (mdns && r.type !== 41 && (r.cls & 0x8000) !== 0) s += ', cache flush';
    const d = rdataText(b, r, m, end);
    if (d !== null && d.info !== '') s += ` ${d.info}`;
  }
  return m.bad && !cut ? { info: s, malformed: true } : { info: s };
}

function dnsRow(x: RowInput, fl: Flavour): RowText | null {
  const tcp = previousLayer(x.tree, fl.proto) === 'tcp';
  return dnsInfo(x.b, messageStart(x.start, tcp), x.end, fl.mdns, x.caplen < x.origlen && x.end >= x.caplen);
}

/** The protocol of the layer before the last `proto` node of the tree. */
export function previousLayer(tree: readonly TreeNode[], proto: string): string | undefined {
  for (let i = tree.length - 1; i > 0; i--) if (tree[i].field === proto) return tree[i - 1].field;
  return undefined;
}

const FIELDS: readonly FieldSpec[] = [
  ['dns', 'Domain Name System', 'protocol'],
  ['dns.length', 'Length', 'uint'],
  ['dns.id', 'Transaction ID', 'uint'],
  ['dns.flags', 'Flags', 'uint'],
  ['dns.flags.response', 'Response', 'bool'],
  ['dns.flags.opcode', 'Opcode', 'uint'],
  ['dns.flags.authoritative', 'Authoritative', 'bool'],
  ['dns.flags.truncated', 'Truncated', 'bool'],
  ['dns.flags.recdesired', 'Recursion desired', 'bool'],
  ['dns.flags.recavail', 'Recursion available', 'bool'],
  ['dns.flags.z', 'Z', 'bool'],
  ['dns.flags.authenticated', 'Answer authenticated', 'bool'],
  ['dns.flags.checkdisable', 'Non-authenticated data', 'bool'],
  ['dns.flags.rcode', 'Reply code', 'uint'],
  ['dns.count.queries', 'Questions', 'uint'],
  ['dns.count.answers', 'Answer RRs', 'uint'],
  ['dns.count.auth_rr', 'Authority RRs', 'uint'],
  ['dns.count.add_rr', 'Additional RRs', 'uint'],
  ['dns.count.zones', 'Zones', 'uint'],
  ['dns.count.prerequisites', 'Prerequisites', 'uint'],
  ['dns.count.updates', 'Updates', 'uint'],
  ['dns.qry.name', 'Name', 'string'],
  ['dns.qry.name.len', 'Name Length', 'uint'],
  ['dns.count.labels', 'Label Count', 'uint'],
  ['dns.qry.type', 'Type', 'uint'],
  ['dns.qry.class', 'Class', 'uint'],
  ['dns.qry.qu', '"QU" question', 'bool'],
  ['dns.resp.name', 'Name', 'string'],
  ['dns.resp.type', 'Type', 'uint'],
  ['dns.resp.class', 'Class', 'uint'],
  ['dns.resp.cache_flush', 'Cache flush', 'bool'],
  ['dns.resp.ttl', 'Time to live', 'uint'],
  ['dns.resp.len', 'Data length', 'uint'],
  ['dns.a', 'Address', 'ipv4'],
  ['dns.aaaa', 'AAAA Address', 'ipv6'],
  ['dns.cname', 'CNAME', 'string'],
  ['dns.ns', 'Name Server', 'string'],
  ['dns.ptr.domain_name', 'Domain Name', 'string'],
  ['dns.dname', 'Dname', 'string'],
  ['dns.soa.mname', 'Primary name server', 'string'],
  ['dns.soa.rname', "Responsible authority's mailbox", 'string'],
  ['dns.soa.serial_number', 'Serial Number', 'uint'],
  ['dns.soa.refresh_interval', 'Refresh Interval', 'uint'],
  ['dns.soa.retry_interval', 'Retry Interval', 'uint'],
  ['dns.soa.expire_limit', 'Expire limit', 'uint'],
  ['dns.soa.minimum_ttl', 'Minimum TTL', 'uint'],
  ['dns.mx.preference', 'Preference', 'uint'],
  ['dns.mx.mail_exchange', 'Mail Exchange', 'string'],
  ['dns.srv.priority', 'Priority', 'uint'],
  ['dns.srv.weight', 'Weight', 'uint'],
  ['dns.srv.port', 'Port', 'uint'],
  ['dns.srv.target', 'Target', 'string'],
  ['dns.nsec.next_domain_name', 'Next Domain Name', 'string'],
  ['dns.txt.length', 'TXT Length', 'uint'],
  ['dns.txt', 'TXT', 'string'],
  ['dns.rr.udp_payload_size', 'UDP payload size', 'uint'],
  ['dns.resp.ext_rcode', 'Higher bits in extended RCODE', 'uint'],
  ['dns.resp.edns0_version', 'EDNS0 version', 'uint'],
  ['dns.resp.z', 'Z', 'uint'],
  ['dns.resp.z.do', 'DO bit', 'bool'],
];
const FIELD_TYPES = new Map(FIELDS.map(([n, , t]) => [n, t]));

export const DNS = registerLayer({
  id: L_DNS,
  name: 'dns',
  column: 'DNS',
  kind: 'app',
  decode: (b, c, s) => decodeDns(b, c, s, L_DNS),
  describe: (b, p, end, base, info) => (info.frag ? [] : describeDns(b, p, end, base, info.parent === L_TCP, DNS_FLAVOUR)),
  row: (x) => dnsRow(x, DNS_FLAVOUR),
  fields: FIELDS,
  // TCP 5353 is DNS, not mDNS, in Wireshark's tables.
  joins: [{ table: 'udpport', values: [53] }, { table: 'tcpport', values: [53, 5353] }],
});

export const MDNS = registerLayer({
  id: L_MDNS,
  name: 'mdns',
  column: 'MDNS',
  kind: 'app',
  decode: (b, c, s) => decodeDns(b, c, s, L_MDNS),
  describe: (b, p, end, base, info) => (info.frag ? [] : describeDns(b, p, end, base, false, MDNS_FLAVOUR)),
  row: (x) => dnsRow(x, MDNS_FLAVOUR),
  fields: [['mdns', 'Multicast Domain Name System', 'protocol']],
  joins: [{ table: 'udpport', values: [5353] }],
});

export const LLMNR = registerLayer({
  id: L_LLMNR,
  name: 'llmnr',
  column: 'LLMNR',
  kind: 'app',
  decode: (b, c, s) => decodeDns(b, c, s, L_LLMNR),
  describe: (b, p, end, base, info) => (info.frag ? [] : describeDns(b, p, end, base, false, LLMNR_FLAVOUR)),
  row: (x) => dnsRow(x, LLMNR_FLAVOUR),
  fields: [['llmnr', 'Link-local Multicast Name Resolution', 'protocol']],
  joins: [{ table: 'udpport', values: [5355] }],
});
