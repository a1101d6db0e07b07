import { describe, expect, it } from 'vitest';
import { ENC_GENEVE, N_MALFORMED, N_TRUNCATED } from '../summary.ts';
import { IP4A, IP4B, IP6A, eth, find, findAll, geneve, hasNote, innerFrame, ipv4, ipv6, run, tcp, tree, udp, v } from './testkit.ts';

const frame = (payload: Uint8Array) => eth(0x0800, ipv4(IP4A, { proto: 17 }, udp(IP4A, 49152, 6081, payload)));
const OPTS = [0x01, 0x02, 0x80, 0x01, 0xde, 0xad, 0xbe, 0xef, 0xff, 0xff, 0x03, 0x00];

describe('geneve', () => {
  it('VNI, options skipped, Ethernet payload', () => {
    const s = run(frame(geneve({ vni: 0x123456, options: OPTS }, innerFrame())));
    expect([s.encap, s.vnid, s.depth]).toEqual([ENC_GENEVE, 0x123456, 1]);
    expect(v(s, 'udp')).toBe('good');
    expect(v(s, 'inner.tcp')).toBe('good');
  });

  it('IPv4 and IPv6 payloads by protocol type', () => {
    const s4 = run(frame(geneve({ vni: 1, proto: 0x0800 }, ipv4(IP4B, { proto: 17 }, udp(IP4B, 1, 2, [1])))));
    expect(v(s4, 'inner.udp')).toBe('good');
    const s6 = run(frame(geneve({ vni: 1, proto: 0x86dd }, ipv6(IP6A, 6, tcp(IP6A, {}, [1], 'bad')))));
    expect(v(s6, 'inner.tcp')).toBe('bad');
    expect(s6.innerFamily).toBe(6);
  });

  it('tree: flags and each option', () => {
    const t = tree(frame(geneve({ vni: 0xd431, options: OPTS, oam: true, critical: true }, innerFrame())));
    const g = t.find((n) => n.field === 'geneve');
    expect(g?.label).toBe('Generic Network Virtualization Encapsulation, VNI: 54321 (0x00d431), Proto: Transparent Ethernet bridging');
    expect(g?.length).toBe(8 + 12);
    expect(find(t, 'geneve.flags.oam')?.value).toBe('Set');
    expect(find(t, 'geneve.flags.critical')?.value).toBe('Set');
    expect(find(t, 'geneve.opt_len')?.value).toBe('12 bytes (3)');
    expect(findAll(t, 'geneve.option.class').map((n) => n.value)).toEqual(['0x0102', '0xffff']);
    expect(findAll(t, 'geneve.option.type.critical').map((n) => n.value)).toEqual(['Set', 'Not set']);
    expect(find(t, 'geneve.option.unknown.data')?.value).toBe('deadbeef');
  });

  it('unknown version is malformed; cut options are truncated', () => {
    expect(hasNote(run(frame(geneve({ vni: 1, ver: 1 }, innerFrame()))), N_MALFORMED)).toBe(true);
    const f = frame(geneve({ vni: 1, options: OPTS }, innerFrame()));
    const s = run(f, { caplen: 42 + 10, origlen: f.length });
    expect(hasNote(s, N_TRUNCATED)).toBe(true);
    expect(s.vnid).toBe(1);
  });
});
