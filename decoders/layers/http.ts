// HTTP/1.x (RFC 9112) on Wireshark's default HTTP ports: the request or status line and the headers of one TCP
// segment. No stream is reassembled: a segment that does not start a message is left to TCP (Wireshark
// shows such a segment as TCP too, "TCP segment of a reassembled PDU", until the message is whole).

import type { Summary, TreeNode } from '../summary.ts';
import { L_END, type DecodeCtx } from './ctx.ts';
import { L_HTTP } from './ids.ts';
import { registerLayer, type RowInput, type RowText } from './registry.ts';
import { Fields, formatText, latin1, layerNode, textNode } from './tree.ts';

export function decodeHttp(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos, end = c.end;
  if (p >= end || c.frag !== 0 || !startsMessage(b, p, end)) return L_END;
  s.topProto = L_HTTP;
  c.pos = end;
  return L_END;
}

/** Request methods Wireshark recognises at the start of a segment (HTTP, WebDAV, SSDP, RPC over HTTP). */
const METHOD_LIST = [
  'GET', 'PUT', 'POST', 'HEAD', 'OPTIONS', 'DELETE', 'TRACE', 'CONNECT', 'PATCH', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY',
  'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT', 'CHECKOUT', 'CHECKIN', 'UNCHECKOUT', 'VERSION-CONTROL', 'MKWORKSPACE',
  'UPDATE', 'LABEL', 'MERGE', 'BASELINE-CONTROL', 'MKACTIVITY', 'ORDERPATCH', 'ACL', 'MKCALENDAR', 'BIND', 'UNBIND', 'REBIND',
  'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE', 'M-SEARCH', 'RPC_IN_DATA', 'RPC_OUT_DATA', 'POLL', 'BCOPY', 'BMOVE', 'BDELETE',
  'BPROPFIND', 'BPROPPATCH',
];
const METHODS = new Set(METHOD_LIST);
/** The methods as bytes, by length, for the hot path's test (no string is built per frame). */
const METHOD_BYTES: Uint8Array[][] = [];
for (const m of METHOD_LIST) (METHOD_BYTES[m.length] ??= []).push(Uint8Array.from(m, (ch) => ch.charCodeAt(0)));

/** Whether the bytes at `p` start a message: `HTTP/` (a status line) or a known method and a space. */
export function startsMessage(b: Uint8Array, p: number, end: number): boolean {
  if (p + 5 <= end && b[p] === 0x48 && b[p + 1] === 0x54 && b[p + 2] === 0x54 && b[p + 3] === 0x50 && b[p + 4] === 0x2f) return true;
  let sp = p;
  while (sp < end && sp - p < METHOD_BYTES.length && b[sp] !== 0x20) sp++;
  if (sp >= end || b[sp] !== 0x20) return false;
  const list = METHOD_BYTES[sp - p];
  if (list === undefined) return false;
  for (const m of list) {
    let k = 0;
    while (k < m.length && b[p + k] === m[k]) k++;
    if (k === m.length) return true;
  }
  return false;
}

/** Header names (lower case) with a field of their own; every header line is also http.request.line / response.line. */
const HEADER_FIELDS: Record<string, string> = {
  host: 'http.host', 'user-agent': 'http.user_agent', accept: 'http.accept', 'accept-language': 'http.accept_language',
  'accept-encoding': 'http.accept_encoding', connection: 'http.connection', cookie: 'http.cookie', 'set-cookie': 'http.set_cookie',
  referer: 'http.referer', 'content-type': 'http.content_type', 'content-length': 'http.content_length_header',
  'content-encoding': 'http.content_encoding', 'transfer-encoding': 'http.transfer_encoding', server: 'http.server',
  date: 'http.date', 'cache-control': 'http.cache_control', location: 'http.location', 'last-modified': 'http.last_modified',
  authorization: 'http.authorization', 'www-authenticate': 'http.www_authenticate', 'proxy-authorization': 'http.proxy_authorization',
  'proxy-authenticate': 'http.proxy_authenticate', upgrade: 'http.upgrade', 'x-forwarded-for': 'http.x_forwarded_for',
  'sec-websocket-key': 'http.sec_websocket_key', 'sec-websocket-accept': 'http.sec_websocket_accept',
  'sec-websocket-version': 'http.sec_websocket_version', 'sec-websocket-protocol': 'http.sec_websocket_protocol',
  'sec-websocket-extensions': 'http.sec_websocket_extensions',
};

interface Line {
  /** [at, end) the text, next the start of the next line (past CRLF or LF); end === next when cut off. */
  at: number;
  end: number;
  next: number;
}

function nextLine(b: Uint8Array, q: number, stop: number): Line {
  let e = q;
  while (e < stop && b[e] !== 0x0a) e++;
  if (e === stop) return { at: q, end: stop, next: stop };
  const textEnd = e > q && b[e - 1] === 0x0d ? e - 1 : e;
  return { at: q, end: textEnd, next: e + 1 };
}

export interface HttpMessage {
  kind: 'request' | 'response';
  first: Line;
  /** Request: method, URI, version; response: version, code, phrase (as text). */
  parts: [string, string, string];
  headers: Array<{ line: Line; name: string; value: string; valueAt: number }>;
  /** Where the body starts (past the blank line), or -1 when the headers do not end in this segment. */
  body: number;
}

/** The message starting at `p`, or null when the bytes do not start with a request or status line. */
export function parseHttp(b: Uint8Array, p: number, end: number): HttpMessage | null {
  if (!startsMessage(b, p, end)) return null;
  const first = nextLine(b, p, end);
  const text = latin1(b, first.at, first.end);
  let kind: HttpMessage['kind'];
  let parts: [string, string, string];
  if (text.startsWith('HTTP/')) {
    kind = 'response';
    const m = /^(\S+)(?: (\d{3})(?: (.*))?)?/.exec(text);
    parts = [m?.[1] ?? text, m?.[2] ?? '', m?.[3] ?? ''];
  } else {
    const sp = text.indexOf(' ');
    const method = text.slice(0, sp);
    if (!METHODS.has(method)) return null;
    kind = 'request';
    const rest = sp < 0 ? '' : text.slice(sp + 1);
    const vsp = rest.lastIndexOf(' ');
    parts = vsp >= 0 && /^HTTP\//.test(rest.slice(vsp + 1)) ? [method, rest.slice(0, vsp), rest.slice(vsp + 1)] : [method, rest, ''];
  }
  const headers: HttpMessage['headers'] = [];
  let q = first.next, body = -1;
  while (q < end) {
    const line = nextLine(b, q, end);
    if (line.end === line.at && line.next > line.at) {
      body = line.next;
      break;
    }
    const t = latin1(b, line.at, line.end);
    const colon = t.indexOf(':');
    const name = colon >= 0 ? t.slice(0, colon) : t;
    let v = colon >= 0 ? colon + 1 : t.length;
    while (v < t.length && (t[v] === ' ' || t[v] === '\t')) v++;
    headers.push({ line, name, value: t.slice(v), valueAt: line.at + v });
    if (line.next === line.end) break;
    q = line.next;
  }
  return { kind, first, parts, headers, body };
}

const CRLF_SHOWN = (b: Uint8Array, l: Line): string => latin1(b, l.at, l.end) + (l.next > l.end ? (l.next - l.end === 2 ? '\\r\\n' : '\\n') : '');

export function describeHttp(b: Uint8Array, p: number, end: number, base: number): TreeNode[] {
  if (p >= end) return [];
  const f = new Fields(b, base, end);
  const m = parseHttp(b, p, end);
  if (m === null) return [];
  const req = m.kind === 'request';
  const k: TreeNode[] = [];
  const [a, c, d] = m.parts;
  const fl = m.first;
  if (req) {
    f.text('http.request.method', fl.at, a.length, a, k);
    if (c !== '') f.text('http.request.uri', fl.at + a.length + 1, c.length, c, k);
    if (d !== '') f.text('http.request.version', fl.end - d.length, d.length, d, k);
  } else {
    f.text('http.response.version', fl.at, a.length, a, k);
    if (c !== '') {
      const n = f.text('http.response.code', fl.at + a.length + 1, 3, c, k);
      if (n !== null) n.raw = Number(c);
      f.text('http.response.phrase', fl.end - d.length, d.length, d, k);
    }
  }
  f.kids.push({ label: CRLF_SHOWN(b, fl), start: fl.at - base, length: fl.next - fl.at, children: k });
  const lineField = req ? 'http.request.line' : 'http.response.line';
  let host = '';
  for (const h of m.headers) {
    const lower = h.name.toLowerCase();
    const field = HEADER_FIELDS[lower];
    const shown = CRLF_SHOWN(b, h.line);
    const len = h.line.next - h.line.at;
    const node: TreeNode = { label: shown, field: field ?? lineField, value: field !== undefined ? h.value : shown, start: h.line.at - base, length: len };
    // Every header line is also the request/response line field (hidden in Wireshark's tree).
    node.children = field !== undefined ? [{ label: `[${shown}]`, field: lineField, value: shown, start: h.line.at - base, length: len }] : [];
    if (lower === 'content-length' && /^\d+$/.test(h.value.trim())) {
      const n = Number(h.value.trim());
      node.children.push({ label: `Content length: ${n}`, field: 'http.content_length', value: String(n), raw: n, start: h.valueAt - base, length: h.line.end - h.valueAt });
    }
    if (lower === 'host') host = h.value.trim();
    f.kids.push(node);
  }
  if (m.body > 0) f.kids.push(textNode('\\r\\n', m.body - 2, 2, base));
  if (req) {
    if (host !== '' && c !== '') f.kids.push({ label: `[Full request URI: ${fullUri(host, c)}]`, field: 'http.request.full_uri', value: fullUri(host, c), start: fl.at - base, length: 0 });
    f.kids.push({ label: '[Request: True]', field: 'http.request', value: 'True', raw: 1, start: fl.at - base, length: 0 });
  } else {
    f.kids.push({ label: '[Response: True]', field: 'http.response', value: 'True', raw: 1, start: fl.at - base, length: 0 });
  }
  if (m.body > 0 && m.body < end) {
    f.kids.push({ label: `File Data: ${end - m.body} bytes`, field: 'http.file_data', value: latin1(b, m.body, end), start: m.body - base, length: end - m.body });
  }
  return [layerNode('Hypertext Transfer Protocol', p, end - p, base, f.kids)];
}

function fullUri(host: string, uri: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? uri : `http://${host}${uri}`;
}

/** Media types Wireshark's XML dissector takes (the Protocol column then reads HTTP/XML). */
const XML_TYPES = new Set([
  'text/xml', 'application/xml', 'application/soap+xml', 'application/xhtml+xml', 'application/atom+xml',
  'application/rss+xml', 'application/rdf+xml', 'image/svg+xml', 'application/mathml+xml', 'application/xslt+xml',
]);

/**
 * Whether Wireshark (TCP reassembly off) hands the body to its media dissector: a Content-Length body as far
 * as it goes, a chunked one only when its last chunk is here (else it stops at the missing chunk).
 */
function bodyDissected(b: Uint8Array, m: HttpMessage, end: number): boolean {
  const te = m.headers.find((x) => x.name.toLowerCase() === 'transfer-encoding')?.value;
  if (te !== undefined && te.toLowerCase().includes('chunked')) return latin1(b, Math.max(m.body, end - 5), end) === '0\r\n\r\n';
  return true;
}

/**
 * Wireshark's Protocol and Info for the segment at `p`: the first line and a space (`GET /x HTTP/1.1 `,
 * `HTTP/1.1 200 OK `), then what the body's dissector adds when the body starts in the segment
 * (` (text/html)`, `HTTP/XML`, `HTTP/JSON`, ` (GIF89a)`).
 */
export function httpRow(b: Uint8Array, p: number, end: number): RowText | null {
  const m = parseHttp(b, p, end);
  if (m === null) return null;
  let info = `${formatText(b, m.first.at, m.first.end)} `;
  let protocol = 'HTTP';
  const ct = m.headers.find((h) => h.name.toLowerCase() === 'content-type');
  if (ct !== undefined && m.body > 0 && m.body < end && bodyDissected(b, m, end)) {
    const semi = ct.value.indexOf(';');
    const raw = formatText(b, ct.valueAt, semi >= 0 ? ct.valueAt + semi : ct.line.end);
    const type = raw.trim().toLowerCase();
    // OCSP names itself in both columns.
    if (type === 'application/ocsp-request' || type === 'application/ocsp-response') {
      return { protocol: 'OCSP', info: type === 'application/ocsp-request' ? 'Request' : 'Response' };
    }
    if (XML_TYPES.has(type)) protocol = 'HTTP/XML';
    else if (type === 'application/json') {
      protocol = 'HTTP/JSON';
      info += `, JavaScript Object Notation (${type})`;
    } else if (type === 'image/gif' && m.body + 6 <= end && latin1(b, m.body, m.body + 4) === 'GIF8') info += ` (${latin1(b, m.body, m.body + 6)})`;
    else if (type === 'image/jpeg') info += ' (JPEG JFIF image)';
    else if (type === 'image/png') info += ' (PNG)';
    // Octet streams go to Wireshark's data dissector, multipart bodies to its MIME dissector: neither adds one.
    else if (!type.startsWith('multipart/') && type !== 'application/octet-stream') info += ` (${type})`;
  }
  return { protocol, info };
}

export const HTTP = registerLayer({
  id: L_HTTP,
  name: 'http',
  column: 'HTTP',
  kind: 'app',
  decode: decodeHttp,
  describe: (b, p, end, base, info) => (info.frag ? [] : describeHttp(b, p, end, base)),
  row: (x: RowInput) => httpRow(x.b, x.start, x.end),
  fields: [
    ['http', 'Hypertext Transfer Protocol', 'protocol'],
    ['http.request', 'Request', 'bool'],
    ['http.response', 'Response', 'bool'],
    ['http.request.method', 'Request Method', 'string'],
    ['http.request.uri', 'Request URI', 'string'],
    ['http.request.version', 'Request Version', 'string'],
    ['http.request.full_uri', 'Full request URI', 'string'],
    ['http.request.line', 'Request line', 'string'],
    ['http.response.version', 'Response Version', 'string'],
    ['http.response.code', 'Status Code', 'uint'],
    ['http.response.phrase', 'Response Phrase', 'string'],
    ['http.response.line', 'Response line', 'string'],
    ['http.host', 'Host', 'string'],
    ['http.user_agent', 'User-Agent', 'string'],
    ['http.accept', 'Accept', 'string'],
    ['http.accept_language', 'Accept-Language', 'string'],
    ['http.accept_encoding', 'Accept Encoding', 'string'],
    ['http.connection', 'Connection', 'string'],
    ['http.cookie', 'Cookie', 'string'],
    ['http.set_cookie', 'Set-Cookie', 'string'],
    ['http.referer', 'Referer', 'string'],
    ['http.content_type', 'Content-Type', 'string'],
    ['http.content_length_header', 'Content-Length', 'string'],
    ['http.content_length', 'Content length', 'uint'],
    ['http.content_encoding', 'Content-Encoding', 'string'],
    ['http.transfer_encoding', 'Transfer-Encoding', 'string'],
    ['http.server', 'Server', 'string'],
    ['http.date', 'Date', 'string'],
    ['http.cache_control', 'Cache-Control', 'string'],
    ['http.location', 'Location', 'string'],
    ['http.last_modified', 'Last-Modified', 'string'],
    ['http.authorization', 'Authorization', 'string'],
    ['http.www_authenticate', 'WWW-Authenticate', 'string'],
    ['http.proxy_authorization', 'Proxy-Authorization', 'string'],
    ['http.proxy_authenticate', 'Proxy-Authenticate', 'string'],
    ['http.upgrade', 'Upgrade', 'string'],
    ['http.x_forwarded_for', 'X-Forwarded-For', 'string'],
    ['http.sec_websocket_key', 'Sec-WebSocket-Key', 'string'],
    ['http.sec_websocket_accept', 'Sec-WebSocket-Accept', 'string'],
    ['http.sec_websocket_version', 'Sec-WebSocket-Version', 'string'],
    ['http.sec_websocket_protocol', 'Sec-WebSocket-Protocol', 'string'],
    ['http.sec_websocket_extensions', 'Sec-WebSocket-Extensions', 'string'],
    ['http.file_data', 'File Data', 'string'],
  ],
  // tshark 4.0's default HTTP TCP ports (its http.tcp.port preference).
  joins: [{ table: 'tcpport', values: [80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371] }],
});
