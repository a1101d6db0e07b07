import { describe, expect, it } from 'vitest';
import { ENC_GENEVE, ENC_VXLAN, N_TRUNCATED, P_UDP } from '../summary.ts';
import {
  IP4A, IP6A, eth, find, geneve, hasNote, innerFrame, ipv4, ipv6, run, tree, udp, v, vxlan, type Mode,
} from './testkit.ts';

const pay = [0x10, 0x20, 0x30, 0x40, 0x50];
// Ports no layer joins: the UDP layer is the highest (port dispatch has tests of its own).
const f4 = (mode: Mode, sport = 40000, dport = 7) => eth(0x0800, ipv4(IP4A, { proto: 17 }, udp(IP4A, sport, dport, pay, mode)));
const f6 = (mode: Mode) => eth(0x86dd, ipv6(IP6A, 17, udp(IP6A, 40000, 7, pay, mode)));

describe('udp', () => {
  it('every verdict over IPv4', () => {
    expect(v(run(f4('good')), 'udp')).toBe('good');
    expect(v(run(f4('bad')), 'udp')).toBe('bad');
    expect(v(run(f4('partial')), 'udp')).toBe('partial');
    expect(v(run(f4('partial-c')), 'udp')).toBe('partial');
    expect(v(run(f4('zero')), 'udp')).toBe('zero');
    const f = f4('good');
    expect(v(run(f, { caplen: f.length - 1, origlen: f.length }), 'udp')).toBe('unverified');
  });

  it('every verdict over IPv6 (0 is illegal there: zero)', () => {
    for (const m of ['good', 'bad', 'partial', 'zero'] as const) expect(v(run(f6(m)), 'udp')).toBe(m);
  });

  it('ports, protocol, tree', () => {
    const s = run(f4('good'));
    expect([s.sport, s.dport, s.topProto, s.innerProto]).toEqual([40000, 7, P_UDP, 17]);
    const t = tree(f4('bad'));
    expect(t[2].label).toBe('User Datagram Protocol, Src Port: 40000, Dst Port: 7');
    const ck = find(t, 'udp.checksum');
    expect(ck?.verdict).toBe('bad');
    expect(ck?.expected).toBe(find(tree(f4('good')), 'udp.checksum')?.value);
    expect(find(tree(f4('partial')), 'udp.checksum.status')?.verdict).toBe('partial');
  });

  it('header cut short: truncated and unverified', () => {
    const f = f4('good');
    const s = run(f, { caplen: 34 + 5, origlen: f.length });
    expect(v(s, 'udp')).toBe('unverified');
    expect(hasNote(s, N_TRUNCATED)).toBe(true);
  });

  it('dispatch: destination port first, then source port', () => {
    const vx = vxlan(100, innerFrame());
    expect(run(eth(0x0800, ipv4(IP4A, { proto: 17 }, udp(IP4A, 40000, 4789, vx)))).encap).toBe(ENC_VXLAN);
    expect(run(eth(0x0800, ipv4(IP4A, { proto: 17 }, udp(IP4A, 40000, 8472, vx)))).encap).toBe(ENC_VXLAN);
    expect(run(eth(0x0800, ipv4(IP4A, { proto: 17 }, udp(IP4A, 4789, 40000, vx)))).encap).toBe(ENC_VXLAN);
    const gn = geneve({ vni: 5 }, innerFrame());
    expect(run(eth(0x0800, ipv4(IP4A, { proto: 17 }, udp(IP4A, 4789, 6081, gn)))).encap).toBe(ENC_GENEVE);
    expect(run(f4('good', 4000, 4001)).encap).toBe(0);
  });
});
