// HTTP/1.x: request and status lines, headers as Wireshark's http.* fields, the Info wording (with what the
// body's media dissector adds) and filters, against tshark 4.0 with TCP reassembly off (one segment at a time,
// as we decode) on generated segments.
import { describe, expect, it } from 'vitest';
import { ascii, overTcp } from '../../scripts/lib/app-payloads.ts';
import { framesCapture, ourMatches, ourRows, tsharkColumns, tsharkMatches, withFile } from '../../scripts/lib/tshark-rows.ts';
import { detail, dissect } from '../dissect.ts';
import { newSummary } from '../summary.ts';
import { L_HTTP, L_TCP } from './ids.ts';

// A client port per segment: tshark does not hand a segment it takes for a retransmission (same connection,
// same sequence number) to HTTP.
let port = 40000;
const req = (text: string, o = {}) => overTcp(++port, 80, ascii(text), o);
const res = (text: string, body: number[] = [], o = {}) => overTcp(80, ++port, [...ascii(text), ...body], o);
const GIF = [...ascii('GIF89a'), 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x21, 0xf9, 4, 1, 0, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3b];
const FRAMES: Array<[string, Uint8Array]> = [
  ['GET', req('GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\nCookie: a=b\r\nReferer: http://example.com/\r\n\r\n')],
  ['200 text/html', res('HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 11\r\n\r\n', ascii('hello world'))],
  ['body continues later', res('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n', ascii('first part of it'))],
  ['headers only', res('HTTP/1.1 200 OK\r\nContent-Type: text/css\r\nContent-Length: 807\r\n\r\n')],
  ['chunked, whole', res('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n', ascii('5\r\nhello\r\n0\r\n\r\n'))],
  ['JSON', req('POST /api/v1/items HTTP/1.1\r\nHost: api.example\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{"a":[1]}')],
  ['XML', res('HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 10\r\n\r\n', ascii('<a>b</a>\r\n'))],
  ['GIF', res('HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\nContent-Length: 43\r\n\r\n', GIF)],
  ['octet-stream', res('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 4\r\n\r\n', [1, 2, 3, 4])],
  ['form', req('POST /login HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nu=a&p=b')],
  ['404', res('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')],
  ['301', res('HTTP/1.0 301 Moved Permanently\r\nLocation: https://example.com/\r\n\r\n')],
  ['continuation', res('', ascii('...the middle of some body text, with no request or status line...'))],
  ['HEAD on 8080, absolute URI', overTcp(40001, 8080, ascii('HEAD http://proxy.example/x HTTP/1.0\r\nHost: proxy.example\r\n\r\n'))],
  ['OPTIONS in VXLAN', req('OPTIONS * HTTP/1.1\r\nHost: example.com\r\n\r\n', { tunnel: 'vxlan' })],
  ['DELETE in NVGRE over IPv6', req('DELETE /x/1 HTTP/1.1\r\nHost: example.com\r\n\r\n', { tunnel: 'nvgre', v6: true })],
  ['headers cut by the segment', req('GET /long HTTP/1.1\r\nHost: example.com\r\nAccept: text/h')],
  ['control byte in the URI', req('GET /a\x01b HTTP/1.1\r\nHost: example.com\r\n\r\n')],
];

describe('HTTP', () => {
  it('a segment on an HTTP port that starts a message is HTTP; one that does not, or an empty one, is TCP', () => {
    const s = newSummary();
    const top = (f: Uint8Array) => { dissect(f, 0, f.length, f.length, 1, s); return s.topProto; };
    expect(top(FRAMES[0][1])).toBe(L_HTTP);
    expect(top(FRAMES.find(([n]) => n === '301')?.[1] ?? new Uint8Array())).toBe(L_HTTP);
    expect(top(FRAMES.find(([n]) => n === 'continuation')?.[1] ?? new Uint8Array())).toBe(L_TCP);
    expect(top(overTcp(40000, 80, ascii('get / HTTP/1.1\r\n\r\n')))).toBe(L_TCP);
    expect(top(overTcp(40000, 80, ascii('GETX / HTTP/1.1\r\n\r\n')))).toBe(L_TCP);
    expect(top(overTcp(40000, 80, []))).toBe(L_TCP);
    // The payload it does not take stays in the details as data.
    const cont = FRAMES.find(([n]) => n === 'continuation')?.[1] ?? new Uint8Array();
    expect(detail(cont, 0, cont.length, cont.length, 1).map((n) => n.field)).toEqual(['eth', 'ip', 'tcp', 'data']);
    // The lower port decides: a client port that is an HTTP port does not make TLS on 443 HTTP.
    expect(top(overTcp(8080, 443, [0x16, 3, 1, 0, 1, 1]))).not.toBe(L_HTTP);
  });

  it('Protocol, Info and filters agree with tshark', async () => {
    const bytes = framesCapture(FRAMES.map(([, f]) => f));
    const rows = await ourRows(bytes);
    const got = rows.map((r) => `${FRAMES[r.n - 1][0]}: ${r.protocol} | ${r.info}`);
    expect(got.slice(0, 2)).toEqual(['GET: HTTP | GET /index.html?q=1 HTTP/1.1 ', '200 text/html: HTTP | HTTP/1.1 200 OK  (text/html)']);
    const filters = [
      'http', 'http.request', 'http.response', 'http.request.method == "POST"', 'http.request.uri contains "index"',
      'http.request.uri == "*"', 'http.request.version == "HTTP/1.0"', 'http.response.code == 404', 'http.response.code >= 300',
      'http.response.phrase == "Moved Permanently"', 'http.host == "example.com"', 'http.user_agent contains "curl"',
      'http.content_type contains "json"', 'http.content_length > 10', 'http.cookie', 'http.referer', 'http.server == "nginx"',
      'http.location', 'http.transfer_encoding', 'http.request.full_uri == "http://example.com/index.html?q=1"',
      'http.request.line contains "Accept"', 'http.response.line contains "Server"', 'http.file_data contains "hello"',
      'tcp.port == 8080 && http', 'vxlan && http.request', 'ipv6 && http',
    ];
    await withFile(bytes, async (path) => {
      const ts = tsharkColumns(path);
      // With TCP reassembly off, tshark stops at a body or header block the segment cuts, with an error
      // marker; we show the same line, as a segment is all we read.
      // A segment both leave to TCP: TCP's own Info is not this layer's.
      const want = rows.map((r) => {
        const t = (ts.get(r.n) ?? '').replace(/\[(BoundErrorUnreassembled|Unreassembled) Packet\]$/, '');
        return `${FRAMES[r.n - 1][0]}: ${t.startsWith('TCP | ') && r.protocol === 'TCP' ? `TCP | ${r.info}` : t}`;
      });
      expect(got).toEqual(want);
      for (const f of filters) {
        const theirs = [...tsharkMatches(path, f)];
        expect(theirs.length, f).toBeGreaterThan(0);
        expect([...(await ourMatches(bytes, f))], f).toEqual(theirs);
      }
    });
  }, 60_000);
});
