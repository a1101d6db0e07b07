// Rows completed from their bytes (LayerDef.row): the Protocol and Info of DNS, HTTP, TLS... rows as the app
// shows them, in tunnels too, with the frame's notes; the index's columns when the bytes are gone.
import { describe, expect, it } from 'vitest';
import { QR, RD, ascii, clientHello, dnsMessage, overTcp, overUdp, rdA, tlsRecord } from '../../scripts/lib/app-payloads.ts';
import { fragmentFrame } from '../../scripts/lib/fragment.ts';
import { framesCapture, ourMatches, ourRows, tsharkColumns, tsharkMatches, withFile } from '../../scripts/lib/tshark-rows.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { Engine } from './engine.ts';
import { fillLayerRows } from './layer-rows.ts';

const ALL = { tenant: null, sort: null, filter: '' };
const query = dnsMessage({ id: 0x1a2b, flags: RD, qd: [{ name: 'api.example', type: 1 }] });
const FRAMES = [
  overUdp(50000, 53, query, { tunnel: 'vxlan' }),
  overTcp(50001, 80, ascii('GET /x HTTP/1.1\r\nHost: a\r\n\r\n')),
  overTcp(50002, 443, tlsRecord(22, 0x0301, clientHello({ sni: 'api.example' }))),
  overUdp(50003, 9999, [1, 2, 3]),
  // A DNS header cut short by its sender: malformed (the UDP length says so too).
  overUdp(50004, 53, [0x12, 0x34, 0x01, 0x00]),
];

async function rows(read?: (o: number, l: number) => Promise<Uint8Array>) {
  const bytes = framesCapture([...FRAMES, { data: FRAMES[0].subarray(0, FRAMES[0].length - 20), origlen: FRAMES[0].length }]);
  const e = new Engine();
  const src = new MemorySource(bytes);
  await e.load(src, 'x.pcapng');
  const r = e.rows(0, e.frames, ALL).rows;
  await fillLayerRows(e, r, read === undefined ? src : { read });
  return r;
}

describe('rows completed from their bytes', () => {
  it('say what the application layer says, inside a tunnel too', async () => {
    const r = await rows();
    expect(r.map((x) => `${x.protocol} | ${x.info}`)).toEqual([
      'DNS | Standard query 0x1a2b A api.example',
      'HTTP | GET /x HTTP/1.1 ',
      'TLSv1 | Client Hello (SNI=api.example)',
      'UDP | 50003 → 9999',
      'DNS | Standard query 0x1234 [malformed]',
      'DNS | Standard query 0x1a2b [truncated]',
    ]);
    expect(r[0]).toMatchObject({ src: '10.0.0.5', dst: '10.0.0.6', tenant: 'VXLAN 300 (0x00012c)', outerSrc: '192.168.10.1' });
  });

  it('keep the index\'s columns (the layer and its transport\'s ports) when the bytes cannot be read', async () => {
    const r = await rows(() => Promise.reject(new Error('gone')));
    expect(r.slice(0, 3).map((x) => `${x.protocol} | ${x.info}`)).toEqual([
      'DNS | 50000 → 53', 'HTTP | 50001 → 80 [PSH, ACK]', 'TLS | 50002 → 443 [PSH, ACK]',
    ]);
  });
});

describe('a message in a fragmented datagram', () => {
  it('is read from the datagram in the frame that completed it, as Wireshark shows it in the last fragment', async () => {
    const big = dnsMessage({
      id: 0x7e57, flags: QR | RD, qd: [{ name: 'many.example', type: 1 }],
      an: Array.from({ length: 60 }, (_, k) => ({ name: [0xc0, 12], type: 1, rdata: rdA(`10.0.${k >> 8}.${k & 255}`) })),
    });
    // The underlay fragments the encapsulated packet (outer IPv4 at offset 14).
    const frames = fragmentFrame(overUdp(53, 50000, big, { tunnel: 'vxlan' }), 14, 600);
    expect(frames.length).toBeGreaterThan(1);
    const bytes = framesCapture(frames);
    const e = new Engine();
    const src = new MemorySource(bytes);
    await e.load(src, 'frag.pcapng');
    const r = e.rows(0, e.frames, ALL).rows;
    await fillLayerRows(e, r, src);
    const last = r[r.length - 1];
    expect(`${last.protocol} | ${last.info}`).toMatch(/^DNS \| Standard query response 0x7e57 A many\.example A 10\.0\.0\.0 A 10\.0\.0\.1 .* A 10\.0\.0\.59$/);
    expect(r[0].info).toMatch(/\[Reassembled in #\d+\]$/);
  });
});

describe('a retransmitted or out-of-order segment', () => {
  it('is TCP data, not the application\'s message, as tshark says (its protocol, the http filter, the details)', async () => {
    const get = overTcp(50001, 80, ascii('GET /x HTTP/1.1\r\nHost: a\r\n\r\n'));
    const dns = overUdp(50000, 53, query);
    const bytes = framesCapture([get, dns, get]);
    const r = await ourRows(bytes);
    const theirs = withFile(bytes, (p) => ({ cols: tsharkColumns(p), http: tsharkMatches(p, 'http'), retx: tsharkMatches(p, 'tcp.analysis.retransmission') }));
    expect(theirs.retx).toEqual(new Set([3]));
    expect(r.map((x) => x.protocol)).toEqual([1, 2, 3].map((n) => theirs.cols.get(n)?.split(' | ')[0]));
    expect(r[2].protocol).toBe('TCP');
    expect(r[2].info.startsWith('[TCP Retransmission] 50001 → 80 [PSH, ACK]')).toBe(true);
    expect(await ourMatches(bytes, 'http')).toEqual(theirs.http);
    const e = new Engine();
    await e.load(new MemorySource(bytes), 'x.pcapng');
    const names = (n: number) => e.detailOf(n, bytes.subarray(e.frameLocation(n).offset, e.frameLocation(n).offset + e.frameLocation(n).caplen)).tree.map((t) => t.field);
    expect(names(1)).toContain('http');
    expect(names(3)).not.toContain('http');
    expect(names(3)).toContain('tcp');
  });
});
