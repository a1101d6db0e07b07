// TLS records (RFC 8446 section 5, RFC 5246) on Wireshark's default TLS ports: content type, version and the
// handshake messages, with the ClientHello and ServerHello read field by field (SNI, supported versions,
// ALPN, cipher suites). One TCP segment at a time: a segment that does not start at a record header is left
// to TCP (as Wireshark does for a connection it has not seen start; with its default TCP reassembly it also
// shows the middle of a record as TCP).

import type { Summary, TreeNode } from '../summary.ts';
import { L_END, type DecodeCtx } from './ctx.ts';
import { L_TLS } from './ids.ts';
import { registerLayer, type RowInput, type RowText } from './registry.ts';
import { Fields, bytesHex, hex, latin1, layerNode, textNode } from './tree.ts';

export function decodeTls(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos, end = c.end;
  if (c.frag !== 0 || !looksLikeRecord(b, p, end)) return L_END;
  s.topProto = L_TLS;
  c.pos = end;
  return L_END;
}

export const CT_CCS = 20, CT_ALERT = 21, CT_HANDSHAKE = 22, CT_APPDATA = 23, CT_HEARTBEAT = 24;
const HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2;
export const TLS_RECORD_HDR = 5;

const CONTENT_TYPES: Record<number, string> = {
  20: 'Change Cipher Spec', 21: 'Alert', 22: 'Handshake', 23: 'Application Data', 24: 'Heartbeat', 25: 'Connection ID',
};
const HANDSHAKE_TYPES: Record<number, string> = {
  0: 'Hello Request', 1: 'Client Hello', 2: 'Server Hello', 3: 'Hello Verify Request', 4: 'New Session Ticket',
  5: 'End of Early Data', 6: 'Hello Retry Request', 8: 'Encrypted Extensions', 11: 'Certificate', 12: 'Server Key Exchange',
  13: 'Certificate Request', 14: 'Server Hello Done', 15: 'Certificate Verify', 16: 'Client Key Exchange', 20: 'Finished',
  21: 'Client Certificate URL', 22: 'Certificate Status', 23: 'Supplemental Data', 24: 'Key Update', 25: 'Compressed Certificate',
  67: 'Encrypted Extensions',
};
const ALERT_LEVELS: Record<number, string> = { 1: 'Warning', 2: 'Fatal' };
const ALERT_DESCRIPTIONS: Record<number, string> = {
  0: 'Close Notify', 1: 'End of Early Data', 10: 'Unexpected Message', 20: 'Bad Record MAC', 21: 'Decryption Failed',
  22: 'Record Overflow', 30: 'Decompression Failure', 40: 'Handshake Failure', 41: 'No Certificate', 42: 'Bad Certificate',
  43: 'Unsupported Certificate', 44: 'Certificate Revoked', 45: 'Certificate Expired', 46: 'Certificate Unknown',
  47: 'Illegal Parameter', 48: 'Unknown CA', 49: 'Access Denied', 50: 'Decode Error', 51: 'Decrypt Error',
  60: 'Export Restriction', 70: 'Protocol Version', 71: 'Insufficient Security', 80: 'Internal Error',
  86: 'Inappropriate Fallback', 90: 'User Canceled', 100: 'No Renegotiation', 109: 'Missing Extension',
  110: 'Unsupported Extension', 111: 'Certificate Unobtainable', 112: 'Unrecognized Name',
  113: 'Bad Certificate Status Response', 114: 'Bad Certificate Hash Value', 115: 'Unknown PSK Identity',
  116: 'Certificate Required', 120: 'No application Protocol', 121: 'ECH Required',
};
/** Version names: the details' (`TLS 1.2`) and the Protocol column's (`TLSv1.2`). */
const VERSIONS: Record<number, readonly [string, string]> = {
  0x0002: ['SSL 2.0', 'SSLv2'], 0x0300: ['SSL 3.0', 'SSLv3'], 0x0301: ['TLS 1.0', 'TLSv1'], 0x0302: ['TLS 1.1', 'TLSv1.1'],
  0x0303: ['TLS 1.2', 'TLSv1.2'], 0x0304: ['TLS 1.3', 'TLSv1.3'], 0x0101: ['GMTLS', 'GMTLSv1'],
};
const EXTENSIONS: Record<number, string> = {
  0: 'server_name', 1: 'max_fragment_length', 5: 'status_request', 10: 'supported_groups', 11: 'ec_point_formats',
  13: 'signature_algorithms', 15: 'heartbeat', 16: 'application_layer_protocol_negotiation', 17: 'status_request_v2',
  18: 'signed_certificate_timestamp', 21: 'padding', 22: 'encrypt_then_mac', 23: 'extended_master_secret',
  27: 'compress_certificate', 28: 'record_size_limit', 34: 'delegated_credentials', 35: 'session_ticket', 41: 'pre_shared_key',
  42: 'early_data', 43: 'supported_versions', 44: 'cookie', 45: 'psk_key_exchange_modes', 47: 'certificate_authorities',
  49: 'post_handshake_auth', 50: 'signature_algorithms_cert', 51: 'key_share', 57: 'quic_transport_parameters',
  13172: 'next_protocol_negotiation', 17513: 'application_settings', 65281: 'renegotiation_info', 65486: 'encrypted_server_name',
};
const CIPHER_SUITES: Record<number, string> = {
  0x0004: 'TLS_RSA_WITH_RC4_128_MD5', 0x0005: 'TLS_RSA_WITH_RC4_128_SHA', 0x000a: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  0x0016: 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA', 0x002f: 'TLS_RSA_WITH_AES_128_CBC_SHA', 0x0033: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
  0x0035: 'TLS_RSA_WITH_AES_256_CBC_SHA', 0x0039: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', 0x003c: 'TLS_RSA_WITH_AES_128_CBC_SHA256',
  0x003d: 'TLS_RSA_WITH_AES_256_CBC_SHA256', 0x0067: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', 0x006b: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
  0x009c: 'TLS_RSA_WITH_AES_128_GCM_SHA256', 0x009d: 'TLS_RSA_WITH_AES_256_GCM_SHA384', 0x009e: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  0x009f: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV', 0x1301: 'TLS_AES_128_GCM_SHA256',
  0x1302: 'TLS_AES_256_GCM_SHA384', 0x1303: 'TLS_CHACHA20_POLY1305_SHA256', 0x1304: 'TLS_AES_128_CCM_SHA256',
  0x1305: 'TLS_AES_128_CCM_8_SHA256', 0x5600: 'TLS_FALLBACK_SCSV', 0xc009: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  0xc00a: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 0xc013: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  0xc014: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 0xc023: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  0xc024: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', 0xc027: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  0xc028: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 0xc02b: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  0xc02c: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 0xc02f: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  0xc030: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 0xcca8: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  0xcca9: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 0xccaa: 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
};
const GROUPS: Record<number, string> = {
  23: 'secp256r1', 24: 'secp384r1', 25: 'secp521r1', 29: 'x25519', 30: 'x448', 256: 'ffdhe2048', 257: 'ffdhe3072',
};
/** RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest. */
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

const isGrease = (v: number): boolean => (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);

function versionText(v: number): string {
  if (isGrease(v)) return `Reserved (GREASE) (${hex(v, 4)})`;
  return `${VERSIONS[v]?.[0] ?? 'Unknown'} (${hex(v, 4)})`;
}

function named(table: Record<number, string>, v: number, digits = 4): string {
  if (isGrease(v)) return `Reserved (GREASE) (${hex(v, digits)})`;
  return `${table[v] ?? 'Unknown'} (${hex(v, digits)})`;
}

const u16 = (b: Uint8Array, q: number): number => (b[q] << 8) | b[q + 1];
const u24 = (b: Uint8Array, q: number): number => (b[q] << 16) | (b[q + 1] << 8) | b[q + 2];

/** Wireshark's test for a record header where the version is not yet known: a content type and an SSLv3/TLS version. */
export function looksLikeRecord(b: Uint8Array, q: number, end: number): boolean {
  // Change Cipher Spec, Alert, Handshake, Application Data, Heartbeat (on the hot path: no table lookup).
  if (q + 3 > end || b[q] < CT_CCS || b[q] > CT_HEARTBEAT) return false;
  const v = u16(b, q + 1);
  return v === 0x0300 || v === 0x0301 || v === 0x0302 || v === 0x0303 || v === 0x0101;
}

/** Messages other than a ClientHello fix the version of the connection in Wireshark. */
function authoritative(ct: number, hsType: number): boolean {
  return ct === CT_HANDSHAKE ? HANDSHAKE_TYPES[hsType] !== undefined && hsType !== HS_CLIENT_HELLO : CONTENT_TYPES[ct] !== undefined;
}

interface Hello {
  version: number;
  random: number;
  sessionId: [number, number];
  /** ClientHello: the suites; ServerHello: the one chosen. */
  suites: [number, number];
  compression: [number, number];
  extensions: Array<{ type: number; at: number; len: number }>;
  /** Offset and length of the extensions block, or -1. */
  extAt: number;
}

/** The fields of a Client/ServerHello body at [q, stop); parts cut off are left out. */
function parseHello(b: Uint8Array, q: number, stop: number, client: boolean): Hello | null {
  if (q + 35 > stop) return null;
  const h: Hello = { version: u16(b, q), random: q + 2, sessionId: [q + 34, b[q + 34]], suites: [0, 0], compression: [0, 0], extensions: [], extAt: -1 };
  let r = q + 35 + b[q + 34];
  if (client) {
    if (r + 2 > stop) return h;
    h.suites = [r + 2, u16(b, r)];
    r += 2 + u16(b, r);
    if (r + 1 > stop) return h;
    h.compression = [r + 1, b[r]];
    r += 1 + b[r];
  } else {
    if (r + 3 > stop) return h;
    h.suites = [r, 2];
    h.compression = [r + 2, 1];
    r += 3;
  }
  if (r + 2 > stop) return h;
  h.extAt = r;
  const extEnd = Math.min(stop, r + 2 + u16(b, r));
  r += 2;
  while (r + 4 <= extEnd) {
    const len = u16(b, r + 2);
    h.extensions.push({ type: u16(b, r), at: r, len });
    r += 4 + len;
  }
  return h;
}

/** The SNI host name of a ClientHello's server_name extension, or ''. */
function serverName(b: Uint8Array, h: Hello, stop: number): string {
  const e = h.extensions.find((x) => x.type === 0);
  if (e === undefined) return '';
  const q = e.at + 4;
  if (q + 5 > stop || b[q + 2] !== 0) return '';
  const len = u16(b, q + 3);
  return q + 5 + len <= stop ? latin1(b, q + 5, q + 5 + len) : '';
}

/** The version a ServerHello settles: its supported_versions extension (TLS 1.3), else its version field. */
function selectedVersion(b: Uint8Array, h: Hello, stop: number): number {
  const e = h.extensions.find((x) => x.type === 43);
  return e !== undefined && e.len === 2 && e.at + 6 <= stop ? u16(b, e.at + 4) : h.version;
}

function isHelloRetry(b: Uint8Array, h: Hello): boolean {
  return bytesHex(b, h.random, 32) === HRR_RANDOM;
}

/**
 * Protocol and Info of the segment at [p, end), as Wireshark writes them for the first segment it sees of a
 * connection, TCP reassembly off: records named and joined (`Server Hello, Certificate, Server Hello Done`),
 * the Protocol the version the records settle (`TLSv1.2`); `Continuation Data` where no record starts after
 * one; a record that continues past the segment ends the list. Two additions: a ClientHello names its SNI as
 * Wireshark 4.2 does (`Client Hello (SNI=example.com)`), and a handshake record that continues past the
 * segment still names the messages it starts with (a large ClientHello spans segments, its SNI in the first).
 */
export function tlsRow(b: Uint8Array, p: number, end: number): RowText {
  let session = -1;
  let column = '';
  let afterCcs = false;
  const parts: string[] = [];
  let q = p;
  while (q < end) {
    // Wireshark tests the record header only while the version is unknown (and for TLS 1.3, which it
    // handles as unknown here); a known older version goes straight to the record.
    if ((session === -1 || session === 0x0304) && !looksLikeRecord(b, q, end)) {
      parts.push('Continuation Data');
      break;
    }
    if (q + TLS_RECORD_HDR > end) break;
    const ct = b[q], version = u16(b, q + 1), len = u16(b, q + 3);
    if (CONTENT_TYPES[ct] === undefined || ct === 25) {
      parts.push('Ignored Unknown Record');
      break;
    }
    const body = q + TLS_RECORD_HDR, stop = Math.min(end, body + len);
    const whole = body + len <= end;
    const hs = ct !== CT_HANDSHAKE ? null
      : afterCcs ? { text: 'Encrypted Handshake Message', serverVersion: 0 } : handshakeSummary(b, body, stop, body + len);
    // A record that continues past the segment ends the list before it sets the column, unless it is a
    // handshake record whose messages can be named.
    if (!whole && (hs === null || hs.text === 'Encrypted Handshake Message')) break;
    if (session === -1) {
      column = VERSIONS[version]?.[1] ?? 'SSL';
      if (body < end && authoritative(ct, b[body]) && VERSIONS[version] !== undefined) session = version;
    } else {
      column = VERSIONS[session]?.[1] ?? 'SSL';
    }
    if (hs !== null) {
      parts.push(hs.text);
      // The ServerHello settles the version (supported_versions for TLS 1.3): the column says it at once.
      if (hs.serverVersion > 0) {
        session = hs.serverVersion;
        column = VERSIONS[session]?.[1] ?? column;
      }
    } else if (ct === CT_ALERT) {
      parts.push(len === 2
        ? `Alert (Level: ${ALERT_LEVELS[b[body]] ?? 'Unknown'}, Description: ${ALERT_DESCRIPTIONS[b[body + 1]] ?? 'Unknown'})`
        : 'Encrypted Alert');
    } else if (ct === CT_HEARTBEAT) {
      parts.push((b[body] === 1 || b[body] === 2) && len < 64 ? (b[body] === 1 ? 'Heartbeat Request' : 'Heartbeat Response') : 'Encrypted Heartbeat');
    } else {
      if (ct === CT_CCS) afterCcs = true;
      parts.push(CONTENT_TYPES[ct]);
    }
    q = body + len;
  }
  // No record listed: Wireshark knows no version and says SSL.
  return { protocol: column === '' ? 'SSL' : column, info: parts.join(', ') };
}

/**
 * The handshake messages of one record, by name. Messages that do not fill a whole record exactly (an
 * unknown type, a length past the record, bytes left over) are an encrypted one (a Finished after
 * ChangeCipherSpec starts with the zero nonce, which reads as two Hello Requests).
 */
function handshakeSummary(b: Uint8Array, q: number, stop: number, recordEnd: number): { text: string; serverVersion: number } {
  const names: string[] = [];
  let serverVersion = 0;
  for (; q + 4 <= stop;) {
    const t = b[q], len = u24(b, q + 1);
    if (HANDSHAKE_TYPES[t] === undefined || q + 4 + len > recordEnd) return { text: 'Encrypted Handshake Message', serverVersion: 0 };
    let name = HANDSHAKE_TYPES[t];
    const hstop = Math.min(stop, q + 4 + len);
    if (t === HS_CLIENT_HELLO) {
      const h = parseHello(b, q + 4, hstop, true);
      const sni = h === null ? '' : serverName(b, h, hstop);
      if (sni !== '') name += ` (SNI=${sni})`;
    } else if (t === HS_SERVER_HELLO) {
      const h = parseHello(b, q + 4, hstop, false);
      if (h !== null) {
        if (isHelloRetry(b, h)) name = 'Hello Retry Request';
        serverVersion = selectedVersion(b, h, hstop);
      }
    }
    names.push(name);
    q += 4 + len;
  }
  if (names.length === 0 || (stop === recordEnd && q !== recordEnd)) return { text: 'Encrypted Handshake Message', serverVersion: 0 };
  return { text: names.join(', '), serverVersion };
}

export function describeTls(b: Uint8Array, p: number, end: number, base: number): TreeNode[] {
  if (!looksLikeRecord(b, p, end)) return [];
  const kids: TreeNode[] = [];
  // What the records before tell of the next (as tlsRow): a ChangeCipherSpec makes later handshake records
  // encrypted; a TLS 1.3 ServerHello makes the type of later records their opaque type.
  const state = { afterCcs: false, tls13: false };
  let q = p;
  while (q < end) {
    if (!looksLikeRecord(b, q, end) || q + TLS_RECORD_HDR > end) {
      kids.push(textNode(`Continuation Data (${end - q} bytes)`, q, end - q, base));
      break;
    }
    const ct = b[q], len = u16(b, q + 3);
    // Wireshark (TCP reassembly off) stops at a record the segment cuts; a handshake record's messages we name.
    if (q + TLS_RECORD_HDR + len > end && ct !== CT_HANDSHAKE) {
      kids.push(textNode(`[Record continues past this segment: ${q + TLS_RECORD_HDR + len - end} of its ${len} bytes are not here]`, q, end - q, base));
      break;
    }
    kids.push(describeRecord(b, q, end, base, state));
    q += TLS_RECORD_HDR + len;
  }
  return [layerNode('Transport Layer Security', p, end - p, base, kids)];
}

function describeRecord(b: Uint8Array, q: number, end: number, base: number, state: { afterCcs: boolean; tls13: boolean }): TreeNode {
  const ct = b[q], version = u16(b, q + 1), len = u16(b, q + 3);
  const body = q + TLS_RECORD_HDR, stop = Math.min(end, body + len);
  const f = new Fields(b, base, stop);
  if (state.tls13 && ct === CT_APPDATA) f.uint('tls.record.opaque_type', q, 1, (v) => `${CONTENT_TYPES[v]} (${v})`);
  else f.uint('tls.record.content_type', q, 1, (v) => `${CONTENT_TYPES[v]} (${v})`);
  f.uint('tls.record.version', q + 1, 2, versionText);
  f.uint('tls.record.length', q + 3, 2);
  let what = CONTENT_TYPES[ct];
  if (ct === CT_HANDSHAKE) {
    const hs = state.afterCcs ? { text: 'Encrypted Handshake Message', serverVersion: 0 } : handshakeSummary(b, body, stop, body + len);
    if (hs.text === 'Encrypted Handshake Message') {
      f.add('tls.handshake', body, stop - body, 'Encrypted Handshake Message');
    } else {
      for (let r = body; r + 4 <= stop;) {
        const t = b[r], hl = u24(b, r + 1);
        if (HANDSHAKE_TYPES[t] === undefined) break;
        f.kids.push(describeHandshake(b, r, Math.min(stop, r + 4 + hl), base));
        r += 4 + hl;
      }
    }
    if (hs.serverVersion === 0x0304) state.tls13 = true;
    what = `Handshake Protocol: ${hs.text.replace(/ \(SNI=[^)]*\)/, '')}`;
  } else if (ct === CT_ALERT) {
    if (len === 2 && body + 2 <= end) {
      const k: TreeNode[] = [];
      f.uint('tls.alert_message.level', body, 1, (v) => `${ALERT_LEVELS[v] ?? 'Unknown'} (${v})`, -1, 0, k);
      f.uint('tls.alert_message.desc', body + 1, 1, (v) => `${ALERT_DESCRIPTIONS[v] ?? 'Unknown'} (${v})`, -1, 0, k);
      f.kids.push(layerNode('Alert Message', body, 2, base, k));
      what = 'Alert (Level: ' + (ALERT_LEVELS[b[body]] ?? 'Unknown') + ', Description: ' + (ALERT_DESCRIPTIONS[b[body + 1]] ?? 'Unknown') + ')';
    } else {
      f.add('tls.alert_message', body, stop - body, 'Encrypted Alert');
      what = 'Encrypted Alert';
    }
  } else if (ct === CT_APPDATA && stop > body) {
    f.add('tls.app_data', body, stop - body, bytesHex(b, body, stop - body));
    what = 'Application Data Protocol: Application Data';
  } else if (ct === CT_CCS) {
    state.afterCcs = true;
    if (stop > body) f.add('tls.change_cipher_spec', body, stop - body, 'Change Cipher Spec Message');
    what = 'Change Cipher Spec Protocol: Change Cipher Spec';
  }
  const name = VERSIONS[version]?.[1] ?? 'SSL';
  const node = layerNode(`${name} Record Layer: ${what}`, q, stop - q, base, f.kids);
  node.field = 'tls.record';
  node.value = `${name} Record Layer: ${what}`;
  if (stop < body + len) node.children?.push(textNode(`[Record cut short: ${body + len - stop} of its ${len} bytes are not in this segment]`, stop, 0, base));
  return node;
}

function describeHandshake(b: Uint8Array, q: number, stop: number, base: number): TreeNode {
  const f = new Fields(b, base, stop);
  const t = f.uint('tls.handshake.type', q, 1, (v) => `${HANDSHAKE_TYPES[v] ?? 'Unknown'} (${v})`);
  f.uint('tls.handshake.length', q + 1, 3);
  let label = `Handshake Protocol: ${HANDSHAKE_TYPES[t] ?? 'Unknown'}`;
  if (t === HS_CLIENT_HELLO || t === HS_SERVER_HELLO) {
    const client = t === HS_CLIENT_HELLO;
    const h = parseHello(b, q + 4, stop, client);
    if (h !== null) {
      if (!client && isHelloRetry(b, h)) label = 'Handshake Protocol: Hello Retry Request';
      describeHello(f, b, h, client, stop);
    }
  }
  return { ...layerNode(label, q, stop - q, base, f.kids), field: 'tls.handshake', value: label };
}

function describeHello(f: Fields, b: Uint8Array, h: Hello, client: boolean, stop: number): void {
  const q = h.random - 2;
  f.uint('tls.handshake.version', q, 2, versionText);
  if (f.has(h.random, 32)) f.add('tls.handshake.random', h.random, 32, bytesHex(b, h.random, 32, 32));
  const [sid, sidLen] = h.sessionId;
  f.uint('tls.handshake.session_id_length', sid, 1);
  if (sidLen > 0 && f.has(sid + 1, sidLen)) f.add('tls.handshake.session_id', sid + 1, sidLen, bytesHex(b, sid + 1, sidLen, 32));
  if (client) {
    const [at, len] = h.suites;
    if (at > 0) {
      f.uint('tls.handshake.cipher_suites_length', at - 2, 2);
      const k: TreeNode[] = [];
      for (let r = at; r + 2 <= at + len && r + 2 <= stop; r += 2) f.uint('tls.handshake.ciphersuite', r, 2, (v) => named(CIPHER_SUITES, v), -1, 0, k);
      f.kids.push(layerNode(`Cipher Suites (${k.length} suite${k.length === 1 ? '' : 's'})`, at, Math.min(len, stop - at), f.base, k));
    }
    const [cat, clen] = h.compression;
    if (cat > 0) {
      f.uint('tls.handshake.comp_methods_length', cat - 1, 1);
      for (let r = cat; r < cat + clen && r < stop; r++) f.uint('tls.handshake.comp_method', r, 1, (v) => (v === 0 ? 'null (0)' : String(v)));
    }
  } else if (h.suites[0] > 0) {
    f.uint('tls.handshake.ciphersuite', h.suites[0], 2, (v) => named(CIPHER_SUITES, v));
    f.uint('tls.handshake.comp_method', h.compression[0], 1, (v) => (v === 0 ? 'null (0)' : String(v)));
  }
  if (h.extAt < 0) return;
  f.uint('tls.handshake.extensions_length', h.extAt, 2);
  for (const e of h.extensions) f.kids.push(describeExtension(f, b, e, client, stop));
}

function describeExtension(f: Fields, b: Uint8Array, e: { type: number; at: number; len: number }, client: boolean, stop: number): TreeNode {
  const sub = new Fields(b, f.base, Math.min(stop, e.at + 4 + e.len));
  const k = sub.kids;
  sub.uint('tls.handshake.extension.type', e.at, 2, (t) => `${isGrease(t) ? 'Reserved (GREASE)' : EXTENSIONS[t] ?? 'Unknown'} (${t})`);
  sub.uint('tls.handshake.extension.len', e.at + 2, 2);
  const v = e.at + 4, vend = Math.min(stop, v + e.len);
  let label = `Extension: ${isGrease(e.type) ? 'Reserved (GREASE)' : EXTENSIONS[e.type] ?? 'Unknown type ' + e.type} (len=${e.len})`;
  if (e.type === 0 && v + 5 <= vend) {
    sub.uint('tls.handshake.extensions_server_name_list_len', v, 2);
    sub.uint('tls.handshake.extensions_server_name_type', v + 2, 1, (t) => (t === 0 ? 'host_name (0)' : String(t)));
    const n = sub.uint('tls.handshake.extensions_server_name_len', v + 3, 2);
    if (n >= 0 && sub.has(v + 5, n)) {
      const name = latin1(b, v + 5, v + 5 + n);
      sub.text('tls.handshake.extensions_server_name', v + 5, n, name);
      label += ` name=${name}`;
    }
  } else if (e.type === 43) {
    if (client && v < vend) {
      sub.uint('tls.handshake.extensions.supported_versions_len', v, 1);
      for (let r = v + 1; r + 2 <= vend; r += 2) sub.uint('tls.handshake.extensions.supported_version', r, 2, versionText);
    } else if (!client && v + 2 <= vend) {
      sub.uint('tls.handshake.extensions.supported_version', v, 2, versionText);
    }
  } else if (e.type === 16 && v + 2 <= vend) {
    sub.uint('tls.handshake.extensions_alpn_len', v, 2);
    for (let r = v + 2; r < vend;) {
      const n = b[r];
      if (r + 1 + n > vend) break;
      sub.uint('tls.handshake.extensions_alpn_str_len', r, 1);
      sub.text('tls.handshake.extensions_alpn_str', r + 1, n, latin1(b, r + 1, r + 1 + n));
      r += 1 + n;
    }
  } else if (e.type === 10 && v + 2 <= vend) {
    sub.uint('tls.handshake.extensions_supported_groups_length', v, 2);
    for (let r = v + 2; r + 2 <= vend; r += 2) sub.uint('tls.handshake.extensions_supported_group', r, 2, (g) => named(GROUPS, g));
  } else if (e.type === 51 && client && v + 2 <= vend) {
    sub.uint('tls.handshake.extensions_key_share_client_length', v, 2);
    for (let r = v + 2; r + 4 <= vend;) {
      sub.uint('tls.handshake.extensions_key_share_group', r, 2, (g) => named(GROUPS, g));
      r += 4 + u16(b, r + 2);
    }
  } else if (e.len > 0 && v < vend) {
    sub.add('tls.handshake.extension.data', v, vend - v, bytesHex(b, v, vend - v));
  }
  return layerNode(label, e.at, Math.min(stop, e.at + 4 + e.len) - e.at, f.base, k);
}

export const TLS = registerLayer({
  id: L_TLS,
  name: 'tls',
  column: 'TLS',
  kind: 'app',
  decode: decodeTls,
  describe: (b, p, end, base, info) => (info.frag ? [] : describeTls(b, p, end, base)),
  row: (x: RowInput) => tlsRow(x.b, x.start, x.end),
  fields: [
    ['tls', 'Transport Layer Security', 'protocol'],
    ['tls.record', 'Record Layer', 'string'],
    ['tls.record.content_type', 'Content Type', 'uint'],
    ['tls.record.opaque_type', 'Opaque Type', 'uint'],
    ['tls.record.version', 'Version', 'uint'],
    ['tls.record.length', 'Length', 'uint'],
    ['tls.handshake', 'Handshake Protocol', 'string'],
    ['tls.handshake.type', 'Handshake Type', 'uint'],
    ['tls.handshake.length', 'Length', 'uint'],
    ['tls.handshake.version', 'Version', 'uint'],
    ['tls.handshake.random', 'Random', 'bytes'],
    ['tls.handshake.session_id_length', 'Session ID Length', 'uint'],
    ['tls.handshake.session_id', 'Session ID', 'bytes'],
    ['tls.handshake.cipher_suites_length', 'Cipher Suites Length', 'uint'],
    ['tls.handshake.ciphersuite', 'Cipher Suite', 'uint'],
    ['tls.handshake.comp_methods_length', 'Compression Methods Length', 'uint'],
    ['tls.handshake.comp_method', 'Compression Method', 'uint'],
    ['tls.handshake.extensions_length', 'Extensions Length', 'uint'],
    ['tls.handshake.extension.type', 'Type', 'uint'],
    ['tls.handshake.extension.len', 'Length', 'uint'],
    ['tls.handshake.extension.data', 'Data', 'bytes'],
    ['tls.handshake.extensions_server_name_list_len', 'Server Name list length', 'uint'],
    ['tls.handshake.extensions_server_name_type', 'Server Name Type', 'uint'],
    ['tls.handshake.extensions_server_name_len', 'Server Name length', 'uint'],
    ['tls.handshake.extensions_server_name', 'Server Name', 'string'],
    ['tls.handshake.extensions.supported_versions_len', 'Supported Versions length', 'uint'],
    ['tls.handshake.extensions.supported_version', 'Supported Version', 'uint'],
    ['tls.handshake.extensions_alpn_len', 'ALPN Extension Length', 'uint'],
    ['tls.handshake.extensions_alpn_str_len', 'ALPN string length', 'uint'],
    ['tls.handshake.extensions_alpn_str', 'ALPN Next Protocol', 'string'],
    ['tls.handshake.extensions_supported_groups_length', 'Supported Groups List Length', 'uint'],
    ['tls.handshake.extensions_supported_group', 'Supported Group', 'uint'],
    ['tls.handshake.extensions_key_share_client_length', 'Client Key Share Length', 'uint'],
    ['tls.handshake.extensions_key_share_group', 'Group', 'uint'],
    ['tls.alert_message', 'Alert Message', 'string'],
    ['tls.alert_message.level', 'Level', 'uint'],
    ['tls.alert_message.desc', 'Description', 'uint'],
    ['tls.change_cipher_spec', 'Change Cipher Spec Message', 'string'],
    ['tls.app_data', 'Encrypted Application Data', 'bytes'],
  ],
  // tshark 4.0's default TLS TCP ports (HTTPS, SMTPS, LDAPS, DNS over TLS, IMAPS, POP3S, SIPS, MQTT over TLS, ...).
  joins: [{
    table: 'tcpport',
    values: [324, 443, 465, 636, 802, 853, 993, 995, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3496, 5061, 5671, 5684, 5868, 8883, 11207, 19999, 27017],
  }],
});
