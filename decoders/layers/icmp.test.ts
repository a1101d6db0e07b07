import { describe, expect, it } from 'vitest';
import { CHECK_NAMES, P_ICMP } from '../summary.ts';
import { IP4A, IP4B, cat, eth, find, findAll, icmp, ipv4, run, tree, udp, v, type Mode } from './testkit.ts';

const echo = (mode: Mode) => eth(0x0800, ipv4(IP4A, { proto: 1 }, icmp(8, 0, [0, 1, 0, 2, 9, 9, 9], mode)));

describe('icmp', () => {
  it('every verdict', () => {
    for (const m of ['good', 'bad', 'zero'] as const) expect(v(run(echo(m)), 'icmp')).toBe(m);
    const f = echo('good');
    expect(v(run(f, { caplen: f.length - 1, origlen: f.length }), 'icmp')).toBe('unverified');
    const s = run(echo('good'));
    expect([s.icmpType, s.icmpCode, s.topProto]).toEqual([8, 0, P_ICMP]);
  });

  it('an error quotes a header that is shown but not verified', () => {
    // The quoted datagram has a broken IP checksum and UDP checksum: neither may count.
    const quoted = ipv4(IP4B, { proto: 17, csum: 'bad' }, udp(IP4B, 1111, 53, [1, 2, 3, 4], 'bad')).subarray(0, 28);
    const f = eth(0x0800, ipv4(IP4A, { proto: 1 }, icmp(3, 3, cat([0, 0, 0, 0], quoted))));
    const s = run(f);
    expect(v(s, 'icmp')).toBe('good');
    expect(v(s, 'ipv4')).toBe('good');
    const present = CHECK_NAMES.filter((_, i) => s.checks[i] !== 0);
    expect(present).toEqual(['ipv4', 'icmp']);
    const t = tree(f);
    const ipChecks = findAll(t, 'ip.checksum');
    expect(ipChecks).toHaveLength(2);
    expect(ipChecks[1].verdict).toBeUndefined();
    expect(find(t, 'udp.srcport')?.value).toBe('1111');
    expect(t[2].children?.some((n) => n.label.startsWith('Internet Protocol Version 4 (quoted), Src: 192.168.1.1'))).toBe(true);
  });
});
