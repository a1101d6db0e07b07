// Literal values of display filters, parsed against the type of the field they are compared with, and
// the comparisons between field values and literals.
//
// Runtime value of a field occurrence, by value type (VType):
//   num   number      uint, bool (0/1), float and abstime (seconds), verdict (V_* code)
//   ipv4  number      the address as an unsigned 32-bit integer
//   ipv6  Uint8Array  16 bytes
//   bytes Uint8Array  ether (6 bytes), bytes, protocol (its bytes to the end of the frame), slices
//   str   string

import type { FieldType } from '../fields.ts';
import { CHECK_KIND_NAMES, CHECK_NAMES, V_BAD, V_GOOD, V_PARTIAL, V_UNVERIFIED, V_ZERO } from '../summary.ts';

export type VType = 'num' | 'ipv4' | 'ipv6' | 'bytes' | 'str';
export type Value = number | Uint8Array | string;

export type Lit =
  /** `set`: the values that compare equal (verdict names and Wireshark's numeric statuses map to several). */
  | { vt: 'num'; n: number; set: number[] | null }
  | { vt: 'ipv4'; addr: number; mask: number }
  | { vt: 'ipv6'; addr: Uint8Array; prefix: number }
  | { vt: 'bytes'; b: Uint8Array }
  | { vt: 'str'; s: string };

export function vtypeOf(t: FieldType): VType {
  switch (t) {
    case 'ipv4': return 'ipv4';
    case 'ipv6': return 'ipv6';
    case 'ether': case 'bytes': case 'protocol': return 'bytes';
    case 'string': case 'check': return 'str';
    default: return 'num';
  }
}

export const TYPE_TEXT: Record<FieldType, string> = {
  uint: 'an unsigned integer', int: 'an integer', ipv4: 'an IPv4 address', ipv6: 'an IPv6 address', ether: 'a MAC address',
  bool: 'a boolean (1/0, true/false)', string: 'a string', bytes: 'a byte string', verdict: 'a checksum status',
  protocol: 'a protocol', float: 'a number of seconds', abstime: 'a time', check: 'a check name',
};

export const VERDICT_LITERALS: Record<string, number[]> = {
  good: [V_GOOD], bad: [V_BAD], partial: [V_PARTIAL], zero: [V_ZERO], unverified: [V_UNVERIFIED],
};
/**
 * Wireshark's numeric checksum statuses (proto_checksum_enum_e). Wireshark 4.0 has no "partial" or "zero":
 * it calls a pseudo-header-only sum Bad, a 0 UDP-over-IPv4 checksum "Not present" (3) and other zeros Bad.
 */
export const WS_STATUS: Record<number, number[]> = {
  0: [V_BAD, V_PARTIAL, V_ZERO], 1: [V_GOOD], 2: [V_UNVERIFIED], 3: [V_ZERO], 4: [V_ZERO],
};

/** Unsigned integer literal: decimal, 0x hex, 0b binary, 0-prefixed octal (as Wireshark). NaN if not one. */
export function parseInteger(text: string): number {
  let m: RegExpExecArray | null;
  if ((m = /^0[xX]([0-9a-fA-F]+)$/.exec(text))) return parseInt(m[1], 16);
  if ((m = /^0[bB]([01]+)$/.exec(text))) return parseInt(m[1], 2);
  if (/^0[0-7]+$/.test(text)) return parseInt(text, 8);
  if (/^[0-9]+$/.test(text)) return Number(text);
  return NaN;
}

export function parseIpv4(text: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return NaN;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return NaN;
    v = v * 256 + o;
  }
  return v;
}

/** 16 bytes, or null. Accepts `::`, an embedded dotted quad and a zone-less address. */
export function parseIpv6(text: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (Number.isNaN(v4)) return null;
        out.push(Math.floor(v4 / 65536), v4 & 0xffff);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (head === null || tail === null) return null;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
  const all = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => { out[i * 2] = g >> 8; out[i * 2 + 1] = g & 0xff; });
  return out;
}

/** `aa:bb:cc`, `aa-bb-cc`, `aabb.ccdd`, `aabbcc`, `a` (one byte). Null when not a byte string. */
export function parseBytes(text: string): Uint8Array | null {
  let hex: string;
  if (/^[0-9a-fA-F]{1,2}([:\-.][0-9a-fA-F]{1,2})*$/.test(text) && /[:\-.]/.test(text)) {
    hex = text.split(/[:\-.]/).map((p) => p.padStart(2, '0')).join('');
  } else if (/^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4})+$/.test(text)) {
    hex = text.replace(/\./g, '');
  } else if (/^(0[xX])?[0-9a-fA-F]+$/.test(text)) {
    hex = text.replace(/^0[xX]/, '');
    if (hex.length === 1) hex = '0' + hex;
    if (hex.length % 2 !== 0) return null;
  } else {
    return null;
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function parseMac(text: string): Uint8Array | null {
  const b = parseBytes(text);
  return b !== null && b.length === 6 ? b : null;
}

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** ISO 8601 (`2025-11-24T16:00:00.5Z`, `2025-11-24 16:00:00`; UTC unless a zone is given) -> epoch seconds. */
export function parseTime(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return NaN;
  const zone = m[4] === undefined || m[4] === 'Z' ? 'Z' : m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4];
  const base = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${zone}`);
  if (Number.isNaN(base)) return NaN;
  return base / 1000 + (m[3] ? Number(`0${m[3]}`) : 0);
}

/**
 * Parses literal `text` (an unquoted word, or a string/char constant) for a field of type `type`.
 * Returns the literal, or an error message.
 */
export function parseLiteral(type: FieldType, text: string, quoted: 'word' | 'string' | 'char'): Lit | string {
  const not = (what: string) => `'${text}' is not ${what}`;
  if (quoted === 'char') {
    const code = text.charCodeAt(0);
    if (type === 'bytes' || type === 'ether' || type === 'protocol') return { vt: 'bytes', b: Uint8Array.of(code & 0xff) };
    if (type === 'string') return { vt: 'str', s: text };
    if (type === 'uint' || type === 'float') return { vt: 'num', n: code, set: null };
    return `a character constant cannot be compared with ${TYPE_TEXT[type]}`;
  }
  switch (type) {
    case 'uint': {
      const n = quoted === 'word' ? parseInteger(text) : NaN;
      if (Number.isNaN(n)) return /^-\d/.test(text) ? `${not('an unsigned integer')}: the field has no negative values` : not('an unsigned integer');
      return { vt: 'num', n, set: null };
    }
    case 'int': {
      const neg = quoted === 'word' && text.startsWith('-');
      const n = quoted === 'word' ? parseInteger(neg ? text.slice(1) : text) : NaN;
      if (Number.isNaN(n)) return not('an integer');
      return { vt: 'num', n: neg ? -n : n, set: null };
    }
    case 'bool': {
      const low = text.toLowerCase();
      if (low === 'true') return { vt: 'num', n: 1, set: null };
      if (low === 'false') return { vt: 'num', n: 0, set: null };
      const n = parseInteger(text);
      if (Number.isNaN(n)) return `${not('a boolean')}: use 1 or 0, true or false`;
      return { vt: 'num', n: n !== 0 ? 1 : 0, set: null };
    }
    case 'float': {
      const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : parseInteger(text);
      if (Number.isNaN(n)) return not('a number of seconds');
      return { vt: 'num', n, set: null };
    }
    case 'abstime': {
      const n = parseTime(text);
      if (Number.isNaN(n)) return `${not('a time')}: use ISO 8601, as in "2025-11-24T16:00:00Z"`;
      return { vt: 'num', n, set: null };
    }
    case 'verdict': {
      const set = VERDICT_LITERALS[text.toLowerCase()];
      if (set) return { vt: 'num', n: set[0], set };
      const n = parseInteger(text);
      if (!Number.isNaN(n) && WS_STATUS[n]) return { vt: 'num', n: WS_STATUS[n][0], set: WS_STATUS[n] };
      return `${not('a checksum status')}: use good, bad, partial, zero or unverified (or Wireshark's 0-4)`;
    }
    case 'ipv4': {
      const [addr, bits, extra] = text.split('/');
      const a = parseIpv4(addr);
      if (Number.isNaN(a) || extra !== undefined) return `${not('an IPv4 address')}${/[a-z]/i.test(text) ? ' (host names are not resolved)' : ''}`;
      const n = bits === undefined ? 32 : /^\d+$/.test(bits) ? Number(bits) : NaN;
      if (!(n >= 0 && n <= 32)) return `'/${bits}' is not a prefix length for IPv4 (0-32)`;
      const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
      return { vt: 'ipv4', addr: (a & mask) >>> 0, mask };
    }
    case 'ipv6': {
      const [addr, bits, extra] = text.split('/');
      const a = parseIpv6(addr);
      if (a === null || extra !== undefined) return not('an IPv6 address');
      const n = bits === undefined ? 128 : /^\d+$/.test(bits) ? Number(bits) : NaN;
      if (!(n >= 0 && n <= 128)) return `'/${bits}' is not a prefix length for IPv6 (0-128)`;
      return { vt: 'ipv6', addr: a, prefix: n };
    }
    case 'ether': {
      const b = quoted === 'string' ? null : parseMac(text);
      if (b === null) return `${not('a MAC address')}: write it as 00:11:22:33:44:55`;
      return { vt: 'bytes', b };
    }
    case 'bytes': case 'protocol': {
      if (quoted === 'string') return { vt: 'bytes', b: utf8(text) };
      const b = parseBytes(text);
      if (b === null) return `${not('a byte string')}: write bytes as aa:bb:cc, or text in double quotes`;
      return { vt: 'bytes', b };
    }
    case 'string':
      return { vt: 'str', s: text };
    case 'check':
      if (!CHECK_NAMES.includes(text)) {
        return `${not('a check name')}: use ${CHECK_KIND_NAMES.join(', ')}, with inner. or inner.inner. before it for a tunnel's inner layers (as in "inner.tcp")`;
      }
      return { vt: 'str', s: text };
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function bytesCompare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export function bytesContain(hay: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  const first = needle[0];
  const last = hay.length - needle.length;
  outer: for (let i = hay.indexOf(first); i >= 0 && i <= last; i = hay.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function prefixMatch(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const full = bits >> 3;
  for (let i = 0; i < full; i++) if (a[i] !== b[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const m = (0xff << (8 - rest)) & 0xff;
  return (a[full] & m) === (b[full] & m);
}

/** Value == literal (CIDR: within the network; verdicts: in the literal's set). */
export function equalsLit(v: Value, lit: Lit): boolean {
  switch (lit.vt) {
    case 'num': return lit.set !== null ? lit.set.includes(v as number) : v === lit.n;
    case 'ipv4': return (((v as number) & lit.mask) >>> 0) === lit.addr;
    case 'ipv6': return prefixMatch(v as Uint8Array, lit.addr, lit.prefix);
    case 'bytes': return bytesEqual(v as Uint8Array, lit.b);
    case 'str': return v === lit.s;
  }
}

/** Sign of value - literal, for < > <= >=. */
export function compareLit(v: Value, lit: Lit): number {
  switch (lit.vt) {
    case 'num': { const d = (v as number) - lit.n; return d < 0 ? -1 : d > 0 ? 1 : 0; }
    case 'ipv4': { const d = (v as number) - lit.addr; return d < 0 ? -1 : d > 0 ? 1 : 0; }
    case 'ipv6': return Math.sign(bytesCompare(v as Uint8Array, lit.addr));
    case 'bytes': return Math.sign(bytesCompare(v as Uint8Array, lit.b));
    case 'str': { const s = v as string; return s < lit.s ? -1 : s > lit.s ? 1 : 0; }
  }
}

/** Two field values of the same value type. */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number') { const d = a - (b as number); return d < 0 ? -1 : d > 0 ? 1 : 0; }
  if (typeof a === 'string') { const s = b as string; return a < s ? -1 : a > s ? 1 : 0; }
  return Math.sign(bytesCompare(a, b as Uint8Array));
}

export function ipv4Bytes(v: number): Uint8Array {
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}
