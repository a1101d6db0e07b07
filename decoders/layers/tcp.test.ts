import { describe, expect, it } from 'vitest';
import { N_MALFORMED, N_TRUNCATED, P_TCP } from '../summary.ts';
import { IP4A, IP6A, eth, find, hasNote, ipv4, ipv6, run, tcp, tree, v, type Mode } from './testkit.ts';

const pay = [1, 2, 3, 4, 5, 6, 7];
const f4 = (mode: Mode) => eth(0x0800, ipv4(IP4A, { proto: 6 }, tcp(IP4A, { sport: 443, dport: 5555, flags: 0x12, options: [2, 4, 5, 0xb4] }, pay, mode)));

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
    expect([s.sport, s.dport, s.tcpFlags, s.topProto]).toEqual([443, 5555, 0x12, P_TCP]);
    const t = tree(f4('good'));
    expect(t[2].label).toBe('Transmission Control Protocol, Src Port: 443, Dst Port: 5555, Seq: 1000, Ack: 0, Len: 7');
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
