// DNS message parsing (RFC 1035 section 4) for the details tree and the Info column: names with compression
// pointers, questions and resource records. Not on the hot path (it allocates). NBNS (nbns.ts) shares the
// layout and the name encoding.

import { formatText } from './tree.ts';

/** A name read from a message: its text as Wireshark shows it and where it ends in place. */
export interface DnsName {
  text: string;
  /** Offset just past the name where it stands (a pointer ends the name in place). */
  next: number;
  labels: number;
  /** The name could not be read whole (cut short, a pointer loop, an unknown label type). */
  bad: boolean;
}

/** Wireshark's limit on a name's text. */
const MAX_NAME = 255;

/**
 * The name at `p` of the message starting at `msg` (pointers are offsets from it), bytes up to `end`. Label
 * characters are shown as Wireshark 4.0 shows text (formatText). An extended label (RFC 6891 type 0x40) ends
 * the name, as in Wireshark, which then names it `<Unknown extended label>`.
 */
export function readName(b: Uint8Array, p: number, msg: number, end: number): DnsName {
  let text = '';
  let labels = 0, q = p, next = -1, bad = false;
  // Wireshark's loop test: a name that reads more bytes than the message holds has followed a pointer loop.
  let read = 0;
  for (;;) {
    if (q >= end) { bad = true; break; }
    const l = b[q];
    if (l === 0) {
      if (next < 0) next = q + 1;
      break;
    }
    const kind = l & 0xc0;
    if (kind === 0xc0) {
      if (q + 2 > end) { bad = true; break; }
      if (next < 0) next = q + 2;
      const to = msg + (((l & 0x3f) << 8) | b[q + 1]);
      if (to >= end) { bad = true; break; }
      read += 2;
      if (read > end - msg) return { text: text.length > MAX_NAME ? '<Name too long>' : '<Name contains a pointer that loops>', next, labels, bad: false };
      q = to;
      continue;
    }
    // An extended label (0x41, RFC 2673's bit-string label, aside: Wireshark finds it malformed) ends the
    // name, which Wireshark then calls `<Unknown extended label>`; as a name's first byte it is malformed.
    if (kind === 0x40 && l !== 0x41 && q !== p) {
      if (next < 0) next = q + 1;
      return { text: '<Unknown extended label>', next, labels, bad: false };
    }
    if (kind !== 0) { bad = true; break; }
    if (q + 1 + l > end) { bad = true; break; }
    if (text !== '') text += '.';
    text += formatText(b, q + 1, q + 1 + l);
    labels++;
    read += 1 + l;
    if (read > end - msg) return { text: text.length > MAX_NAME ? '<Name too long>' : '<Name contains a pointer that loops>', next: next < 0 ? q + 1 + l : next, labels, bad: false };
    q += 1 + l;
  }
  if (next < 0) next = end;
  if (text === '' && !bad) text = '<Root>';
  else if (text.length > MAX_NAME) text = '<Name too long>';
  return { text, next, labels, bad };
}

export interface DnsQuestion {
  at: number;
  name: DnsName;
  type: number;
  cls: number;
  /** Offset just past it. */
  next: number;
}

export interface DnsRecord {
  at: number;
  name: DnsName;
  type: number;
  cls: number;
  ttl: number;
  /** RDATA: [rdata, rdata + rdlen); rdlen as declared (may run past the message). */
  rdata: number;
  rdlen: number;
  next: number;
  /** 0 answer, 1 authority, 2 additional. */
  section: number;
}

export interface DnsMessage {
  /** Start of the message (after a TCP length prefix). */
  at: number;
  id: number;
  flags: number;
  counts: [number, number, number, number];
  questions: DnsQuestion[];
  records: DnsRecord[];
  /** A part was cut off or does not parse: what was read is kept. */
  bad: boolean;
}

export const DNS_HDR = 12;

/**
 * The RDATA checks Wireshark makes that end its reading of a message: OPT's options must fill it exactly,
 * LOC version 0 is 16 bytes.
 */
function rdataWellFormed(b: Uint8Array, type: number, p: number, len: number): boolean {
  if (type === 41) {
    let q = p;
    while (q + 4 <= p + len) q += 4 + ((b[q + 2] << 8) | b[q + 3]);
    return q === p + len;
  }
  if (type === 29) return len === 16 || b[p] !== 0;
  return true;
}

/** Parses the message at `p` (bytes to `end`), or null when its header is not there. */
export function parseDns(b: Uint8Array, p: number, end: number): DnsMessage | null {
  if (p + DNS_HDR > end) return null;
  const rd16 = (q: number): number => (b[q] << 8) | b[q + 1];
  const m: DnsMessage = {
    at: p, id: rd16(p), flags: rd16(p + 2),
    counts: [rd16(p + 4), rd16(p + 6), rd16(p + 8), rd16(p + 10)],
    questions: [], records: [], bad: false,
  };
  let q = p + DNS_HDR;
  for (let i = 0; i < m.counts[0]; i++) {
    const name = readName(b, q, p, end);
    if (name.bad || name.next + 4 > end) { m.bad = true; return m; }
    const at = q;
    q = name.next + 4;
    m.questions.push({ at, name, type: rd16(name.next), cls: rd16(name.next + 2), next: q });
  }
  for (let section = 0; section < 3; section++) {
    for (let i = 0; i < m.counts[section + 1]; i++) {
      const name = readName(b, q, p, end);
      if (name.bad || name.next + 10 > end) { m.bad = true; return m; }
      const at = q;
      const t = name.next;
      const rdlen = rd16(t + 8);
      const ttl = ((b[t + 4] << 24) | (b[t + 5] << 16) | (b[t + 6] << 8) | b[t + 7]) >>> 0;
      q = t + 10 + rdlen;
      const type = rd16(t);
      m.records.push({ at, name, type, cls: rd16(t + 2), ttl, rdata: t + 10, rdlen, next: q, section });
      if (q > end || !rdataWellFormed(b, type, t + 10, rdlen)) { m.bad = true; return m; }
    }
  }
  return m;
}
