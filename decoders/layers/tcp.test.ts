import { describe, expect, it } from 'vitest';
import { QR, ascii, dnsMessage, dnsOverTcp, overTcp } from '../../scripts/lib/app-payloads.ts';
import { dissect } from '../dissect.ts';
import { N_MALFORMED, N_TRUNCATED, P_TCP, newSummary } from '../summary.ts';
import { L_DNS, L_HTTP, L_TLS } from './ids.ts';
import { IP4A, IP6A, eth, find, hasNote, ipv4, ipv6, run, tcp, tree, v, type Mode } from './testkit.ts';

const pay = [1, 2, 3, 4, 5, 6, 7];
// Ports no layer joins: TCP is the highest layer (port dispatch has tests of its own).
const f4 = (mode: Mode) => eth(0x0800, ipv4(IP4A, { proto: 6 }, tcp(IP4A, { sport: 44300, dport: 5555, flags: 0x12, options: [2, 4, 5, 0xb4] }, pay, mode)));

describe('tcp', () => {
  it('every verdict over IPv4 and IPv6', () => {
    for (const m of ['good', 'bad', 'partial', 'zero'] as const) expect(v(run(f4(m)), 'tcp')).toBe(m);
    expect(v(run(f4('partial-c')), 'tcp')).toBe('partial');
    for (const m of ['good', 'bad', 'partial', 'zero'] as const) {
      expect(v(run(eth(0x86dd, ipv6(IP6A, 6, tcp(IP6A, {}, pay, m)))), 'tcp')).toBe(m);
    }
    const f = f4('good');
    expect(v(run(f, { caplen: f.length - 3, origlen: f.length }), 'tcp')).toBe('unverified');
  });

  it('ports, flags, tree', () => {
    const s = run(f4('good'));
    expect([s.sport, s.dport, s.tcpFlags, s.topProto]).toEqual([44300, 5555, 0x12, P_TCP]);
    const t = tree(f4('good'));
    expect(t[2].label).toBe('Transmission Control Protocol, Src Port: 44300, Dst Port: 5555, Seq: 1000, Ack: 0, Len: 7');
    expect(find(t, 'tcp.flags')?.value).toBe('0x012 (SYN, ACK)');
    expect(find(t, 'tcp.hdr_len')?.value).toBe('24 bytes (6)');
    expect(find(t, 'tcp.options')?.value).toBe('020405b4');
    expect(find(t, 'tcp.checksum.status')?.check).toBe('tcp');
  });

  it('header length below 20 stops before the checksum, as Wireshark', () => {
    const f = f4('good');
    f[34 + 12] = 0x40;
    const s = run(f);
    expect(hasNote(s, N_MALFORMED)).toBe(true);
    expect(v(s, 'tcp')).toBe('');
  });

  it('cut header', () => {
    const f = f4('good');
    const s = run(f, { caplen: 34 + 10, origlen: f.length });
    expect(hasNote(s, N_TRUNCATED)).toBe(true);
    expect(v(s, 'tcp')).toBe('unverified');
    expect(s.dport).toBe(5555);
  });
});

describe('tcp port dispatch (the layers\' tcpport joins)', () => {
  const top = (f: Uint8Array, caplen = f.length) => {
    const s = newSummary();
    dissect(f, 0, caplen, f.length, 1, s);
    return s.topProto;
  };
  const get = ascii('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
  const status = ascii('HTTP/1.1 200 OK\r\n\r\n');
  const record = [0x16, 0x03, 0x01, 0x00, 0x04, 0x0e, 0x00, 0x00, 0x00];

  it('the destination port, else the source port, names the payload\'s layer', () => {
    expect(top(overTcp(50000, 80, get))).toBe(L_HTTP);
    expect(top(overTcp(8080, 50000, status))).toBe(L_HTTP);
    expect(top(overTcp(50000, 443, record))).toBe(L_TLS);
    expect(top(overTcp(53, 50000, dnsOverTcp(dnsMessage({ id: 1, flags: QR, qd: [{ name: 'a.example', type: 1 }] }))))).toBe(L_DNS);
  });

  it('the lower port first, as Wireshark: both directions of a connection pick the same layer', () => {
    expect(top(overTcp(443, 8080, record))).toBe(L_TLS);
    expect(top(overTcp(8080, 443, record))).toBe(L_TLS);
    expect(top(overTcp(80, 8883, get))).toBe(L_HTTP);
  });

  it('a segment without payload, or in an IP fragment decoded whole elsewhere, dispatches nothing', () => {
    expect(top(overTcp(50000, 80, []))).toBe(P_TCP);
    const f = overTcp(50000, 80, get);
    // The first fragment of a datagram: the More Fragments bit set (offset 0).
    f[14 + 6] |= 0x20;
    f[14 + 10] = 0; f[14 + 11] = 0;
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += (f[14 + i] << 8) | f[14 + i + 1];
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    f[14 + 10] = ~sum >> 8 & 0xff; f[14 + 11] = ~sum & 0xff;
    expect(top(f)).toBe(P_TCP);
  });
});
