// Detail-tree helpers (on demand only: allocation is fine here). Field labels come from the registry so the
// tree, the filter and the columns agree on names.

import { lastCheck, expectedFrom } from '../checksum.ts';
import { FIELD_MAP } from './registry.ts';
import { CHECK_KINDS, MAX_DEPTH, VERDICT_NAMES, checkName, type TreeNode, type VerdictName } from '../summary.ts';

export function hex(v: number, digits: number): string {
  return '0x' + v.toString(16).padStart(digits, '0');
}

export function macStr(b: Uint8Array, p: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + b[p + i].toString(16).padStart(2, '0');
  return s;
}

export function ipv4Str(b: Uint8Array, p: number): string {
  return `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}`;
}

/** RFC 5952 text: lower case, longest run (>1) of zero groups as "::". */
export function ipv6Str(b: Uint8Array, p: number): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[p + i] << 8) | b[p + i + 1]);
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const part = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (best < 0) return part(g);
  return part(g.slice(0, best)) + '::' + part(g.slice(best + bestLen));
}

/** Bytes as text, one character per byte (Latin-1), as Wireshark shows ASCII protocol text. */
export function latin1(b: Uint8Array, p: number, end: number): string {
  let s = '';
  for (let i = p; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}

/**
 * Bytes as Wireshark 4.0 shows protocol text (its format_text): printable ASCII as is, the C escapes
 * `\a \b \f \n \r \t \v`, other controls as three octal digits (`\000`), UTF-8 sequences as their
 * characters and any other byte as U+FFFD.
 */
const C_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

export function formatText(b: Uint8Array, p: number, end: number): string {
  let s = '';
  for (let i = p; i < end;) {
    const c = b[i];
    if (c < 0x80) {
      if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
      else s += C_ESCAPES[c] ?? '\\' + c.toString(8).padStart(3, '0');
      i++;
      continue;
    }
    const n = c >= 0xf0 && c < 0xf5 ? 3 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : -1;
    let cp = n === 3 ? c & 0x07 : n === 2 ? c & 0x0f : c & 0x1f;
    let ok = n > 0 && i + n < end;
    for (let k = 1; ok && k <= n; k++) {
      if (i + k >= end || (b[i + k] & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (b[i + k] & 0x3f);
    }
    if (ok && ((n === 2 && cp < 0x800) || (n === 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp < 0xe000))) ok = false;
    if (ok) {
      s += String.fromCodePoint(cp);
      i += n + 1;
    } else {
      s += '\ufffd';
      i++;
    }
  }
  return s;
}

export function bytesHex(b: Uint8Array, p: number, len: number, max = 32): string {
  let s = '';
  const n = Math.min(len, max);
  for (let i = 0; i < n; i++) s += b[p + i].toString(16).padStart(2, '0');
  return len > max ? s + '…' : s;
}

export function layerNode(label: string, start: number, length: number, base: number, children: TreeNode[]): TreeNode {
  return { label, start: start - base, length: Math.max(0, length), children };
}

export function textNode(label: string, start: number, length: number, base: number): TreeNode {
  return { label, start: start - base, length: Math.max(0, length) };
}

/**
 * Collects the field nodes of one layer. A field whose bytes were not captured is left out and marks the
 * layer truncated, so a short frame gives a partial tree instead of garbage values.
 */
export class Fields {
  readonly kids: TreeNode[] = [];
  truncated = false;
  constructor(readonly b: Uint8Array, readonly base: number, readonly end: number) {}

  has(p: number, len: number): boolean {
    if (p + len <= this.end) return true;
    this.truncated = true;
    return false;
  }

  add(name: string, p: number, len: number, value: string, into: TreeNode[] = this.kids): TreeNode | null {
    if (!this.has(p, len)) return null;
    const label = FIELD_MAP.get(name)?.label ?? name;
    const n: TreeNode = { label: `${label}: ${value}`, field: name, value, start: p - this.base, length: len };
    into.push(n);
    return n;
  }

  /** Unsigned field of 1..4 bytes, optionally masked/shifted; `fmt` renders the number. */
  uint(name: string, p: number, len: number, fmt: (v: number) => string = String, mask = -1, shift = 0, into?: TreeNode[]): number {
    if (!this.has(p, len)) return -1;
    let v = 0;
    for (let i = 0; i < len; i++) v = v * 256 + this.b[p + i];
    if (mask !== -1) v = Math.floor(v / 2 ** shift) & mask;
    const n = this.add(name, p, len, fmt(v), into);
    if (n !== null) n.raw = v;
    return v;
  }

  flag(name: string, p: number, len: number, bit: number, into?: TreeNode[]): void {
    if (!this.has(p, len)) return;
    let v = 0;
    for (let i = 0; i < len; i++) v = v * 256 + this.b[p + i];
    const n = this.add(name, p, len, (v & bit) !== 0 ? 'Set' : 'Not set', into);
    if (n !== null) n.raw = (v & bit) !== 0 ? 1 : 0;
  }

  /** A flag shown by what it means (Wireshark's true/false strings): `Response: Message is a response`. */
  says(name: string, p: number, len: number, bit: number, set: string, unset: string, into?: TreeNode[]): number {
    if (!this.has(p, len)) return -1;
    let v = 0;
    for (let i = 0; i < len; i++) v = v * 256 + this.b[p + i];
    const on = (v & bit) !== 0 ? 1 : 0;
    const n = this.add(name, p, len, on ? set : unset, into);
    if (n !== null) n.raw = on;
    return on;
  }

  /** A text field (`http.host`): `value` as shown, bytes [p, p + len). */
  text(name: string, p: number, len: number, value: string, into?: TreeNode[]): TreeNode | null {
    return this.add(name, p, len, value, into);
  }

  ipv4(name: string, p: number, into?: TreeNode[]): void {
    if (this.has(p, 4)) this.add(name, p, 4, ipv4Str(this.b, p), into);
  }

  ipv6(name: string, p: number, into?: TreeNode[]): void {
    if (this.has(p, 16)) this.add(name, p, 16, ipv6Str(this.b, p), into);
  }

  mac(name: string, p: number, into?: TreeNode[]): void {
    if (this.has(p, 6)) this.add(name, p, 6, macStr(this.b, p), into);
  }

  /**
   * `<proto>.checksum` and `<proto>.checksum.status` from the verdict the decode just recorded (lastCheck).
   * `kind` < 0: a checksum the Summary does not track (IGMP); `kind` null: not verified (ICMP-quoted header).
   */
  checksum(proto: string, p: number, depth: number, kind: number | null, zeroToFfff = false): void {
    if (!this.has(p, 2)) return;
    const field = (this.b[p] << 8) | this.b[p + 1];
    const n = this.add(`${proto}.checksum`, p, 2, hex(field, 4));
    if (n === null || kind === null || lastCheck.verdict === 0) return;
    const verdict = VERDICT_NAMES[lastCheck.verdict] as VerdictName;
    const check = kind >= 0 ? checkName(Math.min(depth, MAX_DEPTH - 1) * CHECK_KINDS + kind) : undefined;
    n.verdict = verdict;
    if (check !== undefined) n.check = check;
    if (lastCheck.sum >= 0 && verdict !== 'good') {
      let e = expectedFrom(lastCheck.sum, field);
      if (zeroToFfff && e === 0) e = 0xffff; // RFC 768: a computed 0 is sent as all ones
      n.expected = hex(e, 4);
      n.label += ` [incorrect, should be ${n.expected}]`;
    } else if (verdict === 'good') {
      n.label += ' [correct]';
    }
    const st = this.add(`${proto}.checksum.status`, p, 2, STATUS_TEXT[verdict]);
    if (st !== null) {
      st.verdict = verdict;
      if (check !== undefined) st.check = check;
    }
  }
}

const STATUS_TEXT: Record<VerdictName, string> = {
  good: 'Good',
  bad: 'Bad',
  partial: 'Partial (pseudo-header sum only: taken before checksum offload)',
  zero: 'Zero',
  unverified: 'Unverified',
};

export function named(table: Record<number, string>, digits: number): (v: number) => string {
  const num = (v: number) => (digits === 0 ? String(v) : hex(v, digits));
  return (v) => (table[v] !== undefined ? `${table[v]} (${num(v)})` : num(v));
}

export const ETHERTYPES: Record<number, string> = {
  0x0800: 'IPv4', 0x0806: 'ARP', 0x8035: 'RARP', 0x86dd: 'IPv6', 0x8100: '802.1Q Virtual LAN', 0x88a8: '802.1ad Provider Bridge',
  0x9100: 'QinQ (0x9100)', 0x9200: 'QinQ (0x9200)', 0x6558: 'Transparent Ethernet bridging', 0x880b: 'PPP',
  0x8847: 'MPLS label switched packet', 0x88be: 'ERSPAN', 0x22eb: 'ERSPAN III', 0x88cc: '802.1 Link Layer Discovery Protocol',
  0x8863: 'PPPoE Discovery', 0x8864: 'PPPoE Session',
};

export const IP_PROTOS: Record<number, string> = {
  0: 'IPv6 Hop-by-Hop Option', 1: 'ICMP', 2: 'IGMP', 4: 'IPIP', 6: 'TCP', 17: 'UDP', 41: 'IPv6', 43: 'IPv6 Routing',
  44: 'IPv6 Fragment', 47: 'GRE', 50: 'ESP', 51: 'AH', 58: 'ICMPv6', 59: 'IPv6 No Next Header', 60: 'IPv6 Destination Options',
  89: 'OSPF', 103: 'PIM', 112: 'VRRP', 132: 'SCTP',
};
