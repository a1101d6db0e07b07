import { describe, expect, it } from 'vitest';
import { N_TRUNCATED } from '../summary.ts';
import { IP4A, cat, eth, findAll, hasNote, ipv4, run, tag, tree, udp, v } from './testkit.ts';

const ipPkt = ipv4(IP4A, { proto: 17 }, udp(IP4A, 5000, 53, [1, 2, 3]));

describe('vlan', () => {
  it('802.1Q single tag', () => {
    const f = eth(0x8100, cat(tag((5 << 13) | 100, 0x0800), ipPkt));
    const s = run(f);
    expect(v(s, 'ipv4')).toBe('good');
    expect(v(s, 'udp')).toBe('good');
    expect(s.outerSrcOff).toBe(30);
    const t = tree(f);
    expect(t[1].label).toBe('802.1Q Virtual LAN, PRI: 5, DEI: 0, ID: 100');
    expect(t[1].field).toBe('vlan');
  });

  it('QinQ with 0x88a8, 0x9100 and a third 0x8100 tag (any depth)', () => {
    for (const outer of [0x88a8, 0x9100, 0x8100]) {
      const f = eth(outer, cat(tag(10, 0x8100), tag(20, 0x8100), tag(30, 0x0800), ipPkt));
      const s = run(f);
      expect(v(s, 'udp')).toBe('good');
      expect(s.outerSrcOff).toBe(14 + 12 + 12);
      expect(findAll(tree(f), 'vlan.id').map((n) => n.value)).toEqual(['10', '20', '30']);
    }
    expect(tree(eth(0x88a8, cat(tag(7, 0x0800), ipPkt)))[1].label).toBe('IEEE 802.1ad, PRI: 0, DEI: 0, ID: 7');
  });

  it('a cut tag is truncated', () => {
    const f = eth(0x8100, [0, 5]);
    expect(hasNote(run(f), N_TRUNCATED)).toBe(true);
    expect(findAll(tree(f), 'vlan.id')).toHaveLength(1);
    expect(findAll(tree(f), 'vlan.etype')).toHaveLength(0);
  });
});
