import { describe, expect, it } from 'vitest';
import { N_TRUNCATED, P_MPLS } from '../summary.ts';
import { IP4A, cat, eth, findAll, gre, hasNote, ipv4, run, tree, u32, udp, v } from './testkit.ts';

const label = (l: number, bottom: boolean, ttl = 64) => u32(((l << 12) | (bottom ? 0x100 : 0) | ttl) >>> 0);
const pkt = ipv4(IP4A, { proto: 17 }, udp(IP4A, 1, 2, [1]));

describe('mpls', () => {
  it('label stack to bottom, then IP by nibble', () => {
    const f = eth(0x8847, cat(label(100, false), label(200, true), pkt));
    const s = run(f);
    expect(v(s, 'udp')).toBe('good');
    expect(s.outerSrcOff).toBe(14 + 8 + 12);
    expect(findAll(tree(f), 'mpls.label').map((n) => n.value)).toEqual(['100', '200']);
  });

  it('non-IP payload stops with P_MPLS; cut stack is truncated', () => {
    expect(run(eth(0x8847, cat(label(3, true), [0, 0, 0, 0]))).topProto).toBe(P_MPLS);
    expect(hasNote(run(eth(0x8847, label(3, false))), N_TRUNCATED)).toBe(true);
  });

  it('MPLS in GRE is a tunnel', () => {
    const s = run(eth(0x0800, ipv4(IP4A, { proto: 47 }, gre({ proto: 0x8847 }, cat(label(5, true), pkt)))));
    expect(v(s, 'inner.udp')).toBe('good');
  });
});
