// NetBIOS Name Service (RFC 1002, UDP 137): DNS message layout with NetBIOS names (16 bytes in RFC 1001's
// first-level encoding, 32 letters A..P) and fields of its own (`nbns.*`), as in Wireshark.

import { N_MALFORMED, N_TRUNCATED, type Summary, type TreeNode } from '../summary.ts';
import { L_END, type DecodeCtx } from './ctx.ts';
import { DNS_HDR, parseDns, readName, type DnsMessage, type DnsRecord } from './dns-message.ts';
import { L_NBNS } from './ids.ts';
import { registerLayer, type RowInput, type RowText } from './registry.ts';
import { Fields, hex, ipv4Str, layerNode, textNode } from './tree.ts';

export function decodeNbns(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos, end = c.end;
  if (p >= end || c.frag !== 0) return L_END;
  s.topProto = L_NBNS;
  if (p + DNS_HDR > end) s.notes |= c.l4Len >= DNS_HDR ? N_TRUNCATED : N_MALFORMED;
  c.pos = end;
  return L_END;
}

const OPCODES: Record<number, string> = {
  0: 'Name query', 5: 'Registration', 6: 'Release', 7: 'Wait for acknowledgment', 8: 'Refresh', 9: 'Refresh (alternate opcode)',
  15: 'Multi-homed registration',
};
const RCODES: Record<number, string> = {
  0: 'No error', 1: 'Request was invalidly formatted', 2: 'Server failure', 3: 'Requested name does not exist',
  4: 'Request is not implemented', 5: 'Request was refused', 6: 'Name is owned by another node', 7: 'Name is in conflict',
};
const TYPES: Record<number, string> = { 32: 'NB', 33: 'NBSTAT' };
const CLASSES: Record<number, string> = { 1: 'IN', 2: 'CS', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };

/** What a name's 16th byte says (Wireshark adds it to a record's name). */
const NAME_TYPES: Record<number, string> = {
  0x00: 'Workstation/Redirector', 0x03: 'Messenger service/Main name', 0x1b: 'Domain Master Browser',
  0x1c: 'Domain Controllers', 0x1d: 'Local Master Browser', 0x1e: 'Browser Election Service', 0x20: 'Server service',
};

function opcodeName(op: number): string {
  return OPCODES[op] ?? `Unknown operation (${op})`;
}

function typeName(t: number): string {
  return TYPES[t] ?? 'Unknown';
}

/**
 * A NetBIOS name as Wireshark shows it: the 15 characters (unprintable ones as `<xx>`, trailing spaces
 * dropped), the type byte as `<xx>`, then the scope (`WORKGROUP<1b>`).
 */
export function netbiosName(b: Uint8Array, p: number, msg: number, end: number): { text: string; next: number; bad: boolean; suffix: number } {
  const full = readName(b, p, msg, end);
  if (full.bad && full.text === '') return { text: '<Malformed name>', next: full.next, bad: true, suffix: -1 };
  // The first label (following a pointer if the name starts with one) holds the encoded name.
  let q = p;
  for (let hops = 0; q < end && (b[q] & 0xc0) === 0xc0 && q + 1 < end && hops < 64; hops++) q = msg + (((b[q] & 0x3f) << 8) | b[q + 1]);
  if (q >= end) return { text: '<Malformed name>', next: full.next, bad: true, suffix: -1 };
  const len = b[q];
  const scope = full.text.indexOf('.') >= 0 ? full.text.slice(full.text.indexOf('.')) : '';
  if (len !== 32 || q + 1 + len > end) return { text: `Illegal NetBIOS name (${len} bytes long)${scope}`, next: full.next, bad: full.bad, suffix: -1 };
  const bytes: number[] = [];
  for (let i = 0; i < 32; i += 2) {
    const hi = b[q + 1 + i], lo = b[q + 2 + i];
    if (hi < 0x41 || hi > 0x5a) return { text: `Illegal NetBIOS name (1st character not between A and Z in first-level encoding)${scope}`, next: full.next, bad: full.bad, suffix: -1 };
    if (lo < 0x41 || lo > 0x5a) return { text: `Illegal NetBIOS name (2nd character not between A and Z in first-level encoding)${scope}`, next: full.next, bad: full.bad, suffix: -1 };
    bytes.push((((hi - 0x41) << 4) | (lo - 0x41)) & 0xff);
  }
  let n = 15;
  while (n > 0 && bytes[n - 1] === 0x20) n--;
  let text = '';
  for (let i = 0; i < n; i++) text += bytes[i] >= 0x20 && bytes[i] < 0x7f ? String.fromCharCode(bytes[i]) : `<${hex2(bytes[i])}>`;
  return { text: `${text}<${hex2(bytes[15])}>${scope}`, next: full.next, bad: full.bad, suffix: bytes[15] };
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0');
}

export function describeNbns(b: Uint8Array, p: number, end: number, base: number): TreeNode[] {
  if (p >= end) return [];
  const f = new Fields(b, base, end);
  const m = parseDns(b, p, end);
  const title = 'NetBIOS Name Service';
  if (m === null) {
    f.kids.push(textNode('[Malformed: the NBNS header is cut short]', p, end - p, base));
    return [layerNode(title, p, end - p, base, f.kids)];
  }
  const response = (m.flags & 0x8000) !== 0;
  const opcode = (m.flags >> 11) & 0xf;
  const rcode = m.flags & 0xf;
  f.uint('nbns.id', p, 2, (v) => hex(v, 4));
  let summary = opcodeName(opcode) + (response ? ' response' : '');
  if (response) summary += `, ${RCODES[rcode] ?? 'Unknown error'}`;
  const flags = f.add('nbns.flags', p + 2, 2, `${hex(m.flags, 4)}, ${summary}`);
  if (flags !== null) {
    flags.raw = m.flags;
    const k: TreeNode[] = (flags.children = []);
    f.says('nbns.flags.response', p + 2, 2, 0x8000, 'Message is a response', 'Message is a query', k);
    f.uint('nbns.flags.opcode', p + 2, 2, (v) => `${opcodeName(v)} (${v})`, 0xf, 11, k);
    if (response) f.says('nbns.flags.authoritative', p + 2, 2, 0x400, 'Server is an authority for domain', 'Server is not an authority for domain', k);
    f.says('nbns.flags.truncated', p + 2, 2, 0x200, 'Message is truncated', 'Message is not truncated', k);
    f.says('nbns.flags.recdesired', p + 2, 2, 0x100, 'Do query recursively', "Don't do query recursively", k);
    if (response) f.says('nbns.flags.recavail', p + 2, 2, 0x80, 'Server can do recursive queries', "Server can't do recursive queries", k);
    f.says('nbns.flags.broadcast', p + 2, 2, 0x10, 'Broadcast packet', 'Not a broadcast packet', k);
    if (response) f.uint('nbns.flags.rcode', p + 2, 2, (v) => `${RCODES[v] ?? 'Unknown'} (${v})`, 0xf, 0, k);
  }
  f.uint('nbns.count.queries', p + 4, 2);
  f.uint('nbns.count.answers', p + 6, 2);
  f.uint('nbns.count.auth_rr', p + 8, 2);
  f.uint('nbns.count.add_rr', p + 10, 2);
  if (m.questions.length > 0) {
    const qs = m.questions.map((q) => {
      const k: TreeNode[] = [];
      const name = netbiosName(b, q.at, p, end);
      f.text('nbns.name', q.at, q.name.next - q.at, name.text, k);
      f.uint('nbns.type', q.name.next, 2, (v) => `${typeName(v)} (${v})`, -1, 0, k);
      f.uint('nbns.class', q.name.next + 2, 2, (v) => `${CLASSES[v] ?? 'Unknown'} (${hex(v, 4)})`, -1, 0, k);
      return layerNode(`${name.text}: type ${typeName(q.type)}, class ${CLASSES[q.cls] ?? 'Unknown'}`, q.at, q.next - q.at, base, k);
    });
    f.kids.push(layerNode('Queries', m.questions[0].at, qs.reduce((n, x) => n + x.length, 0), base, qs));
  }
  const titles = ['Answers', 'Authoritative nameservers', 'Additional records'];
  for (let section = 0; section < 3; section++) {
    const rs = m.records.filter((r) => r.section === section);
    if (rs.length === 0) continue;
    const nodes = rs.map((r) => describeRecord(f, b, r, m, end));
    f.kids.push(layerNode(titles[section], rs[0].at, Math.min(rs[rs.length - 1].next, end) - rs[0].at, base, nodes));
  }
  if (m.bad) f.kids.push(textNode('[Malformed: the message is cut short or a name does not parse]', end, 0, base));
  return [layerNode(title, p, end - p, base, f.kids)];
}

function describeRecord(f: Fields, b: Uint8Array, r: DnsRecord, m: DnsMessage, end: number): TreeNode {
  const k: TreeNode[] = [];
  const t = r.name.next;
  const name = netbiosName(b, r.at, m.at, end);
  const kind = NAME_TYPES[name.suffix];
  f.text('nbns.name', r.at, t - r.at, name.suffix >= 0 ? `${name.text} (${kind ?? 'Unknown'})` : name.text, k);
  f.uint('nbns.type', t, 2, (v) => `${typeName(v)} (${v})`, -1, 0, k);
  f.uint('nbns.class', t + 2, 2, (v) => `${CLASSES[v] ?? 'Unknown'} (${hex(v, 4)})`, -1, 0, k);
  f.uint('nbns.ttl', t + 4, 4, String, -1, 0, k);
  f.uint('nbns.data_length', t + 8, 2, String, -1, 0, k);
  let label = `${name.text}: type ${typeName(r.type)}, class ${CLASSES[r.cls] ?? 'Unknown'}`;
  if (r.type === 32) {
    for (let q = r.rdata; q + 6 <= r.rdata + r.rdlen && q + 6 <= end; q += 6) {
      f.uint('nbns.nb_flags', q, 2, (v) => hex(v, 4), -1, 0, k);
      f.says('nbns.nb_flags.group', q, 2, 0x8000, 'Group name', 'Unique name', k);
      f.ipv4('nbns.addr', q + 2, k);
      label += `, addr ${ipv4Str(b, q + 2)}`;
    }
  }
  return layerNode(label, r.at, Math.min(r.next, end) - r.at, f.base, k);
}

/** Wireshark's Info: `Name query NB WPAD<00>`, `Name query response NB 10.0.0.1`. */
export function nbnsInfo(b: Uint8Array, p: number, end: number): RowText | null {
  const m = parseDns(b, p, end);
  if (m === null) return null;
  const response = (m.flags & 0x8000) !== 0;
  let s = opcodeName((m.flags >> 11) & 0xf) + (response ? ' response' : '');
  for (const q of m.questions) s += ` ${typeName(q.type)} ${netbiosName(b, q.at, p, end).text}`;
  // Answers only: authority and additional records are not summarised.
  for (const r of m.records) {
    if (r.section !== 0) continue;
    s += ` ${typeName(r.type)}`;
    if (r.type === 32 && r.rdlen >= 6 && r.rdata + 6 <= end) s += ` ${ipv4Str(b, r.rdata + 2)}`;
  }
  return m.bad ? { info: s, malformed: true } : { info: s };
}

export const NBNS = registerLayer({
  id: L_NBNS,
  name: 'nbns',
  column: 'NBNS',
  kind: 'app',
  decode: decodeNbns,
  describe: (b, p, end, base, info) => (info.frag ? [] : describeNbns(b, p, end, base)),
  row: (x: RowInput): RowText | null => nbnsInfo(x.b, x.start, x.end),
  fields: [
    ['nbns', 'NetBIOS Name Service', 'protocol'],
    ['nbns.id', 'Transaction ID', 'uint'],
    ['nbns.flags', 'Flags', 'uint'],
    ['nbns.flags.response', 'Response', 'bool'],
    ['nbns.flags.opcode', 'Opcode', 'uint'],
    ['nbns.flags.authoritative', 'Authoritative', 'bool'],
    ['nbns.flags.truncated', 'Truncated', 'bool'],
    ['nbns.flags.recdesired', 'Recursion desired', 'bool'],
    ['nbns.flags.recavail', 'Recursion available', 'bool'],
    ['nbns.flags.broadcast', 'Broadcast', 'bool'],
    ['nbns.flags.rcode', 'Reply code', 'uint'],
    ['nbns.count.queries', 'Questions', 'uint'],
    ['nbns.count.answers', 'Answer RRs', 'uint'],
    ['nbns.count.auth_rr', 'Authority RRs', 'uint'],
    ['nbns.count.add_rr', 'Additional RRs', 'uint'],
    ['nbns.name', 'Name', 'string'],
    ['nbns.type', 'Type', 'uint'],
    ['nbns.class', 'Class', 'uint'],
    ['nbns.ttl', 'Time to live', 'uint'],
    ['nbns.data_length', 'Data length', 'uint'],
    ['nbns.nb_flags', 'Name flags', 'uint'],
    ['nbns.nb_flags.group', 'Name type', 'bool'],
    ['nbns.addr', 'Addr', 'ipv4'],
  ],
  joins: [{ table: 'udpport', values: [137] }],
});
