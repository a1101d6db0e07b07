import { describe, expect, it } from 'vitest';
import { P_ICMPV6 } from '../summary.ts';
import { IP6A, cat, eth, find, findAll, icmpv6, ipv6, run, tree, udp, v, type Mode } from './testkit.ts';

const echo = (mode: Mode) => eth(0x86dd, ipv6(IP6A, 58, icmpv6(IP6A, 128, 0, [0, 7, 0, 1, 0xaa, 0xbb], mode)));

describe('icmpv6', () => {
  it('every verdict (pseudo-header with next header 58)', () => {
    for (const m of ['good', 'bad', 'partial', 'zero'] as const) expect(v(run(echo(m)), 'icmpv6')).toBe(m);
    const f = echo('good');
    expect(v(run(f, { caplen: f.length - 1, origlen: f.length }), 'icmpv6')).toBe('unverified');
    const s = run(f);
    expect([s.icmpType, s.icmpCode, s.topProto, s.innerProto]).toEqual([128, 0, P_ICMPV6, 58]);
    expect(find(tree(f), 'icmpv6.echo.identifier')?.value).toBe('7');
  });

  it('errors quote an IPv6 packet, not verified', () => {
    const quoted = ipv6(IP6A, 17, udp(IP6A, 9, 10, [1], 'bad'));
    const f = eth(0x86dd, ipv6(IP6A, 58, icmpv6(IP6A, 1, 4, cat([0, 0, 0, 0], quoted))));
    const s = run(f);
    expect(v(s, 'icmpv6')).toBe('good');
    expect(v(s, 'udp')).toBe('');
    const t = tree(f);
    expect(findAll(t, 'ipv6.src')).toHaveLength(2);
    expect(find(t, 'udp.checksum')).toBeUndefined();
  });
});
