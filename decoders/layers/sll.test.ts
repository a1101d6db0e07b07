import { describe, expect, it } from 'vitest';
import { N_TRUNCATED, P_SLL } from '../summary.ts';
import { IP4A, cat, find, hasNote, ipv4, run, tree, u16, udp, v } from './testkit.ts';

const pkt = ipv4(IP4A, { proto: 17 }, udp(IP4A, 1, 2, [7]));

export function sllHeader(hatype: number, proto: number): number[] {
  return [...u16(0), ...u16(hatype), ...u16(6), 2, 0, 0, 0, 0, 1, 0, 0, ...u16(proto)];
}

describe('sll (LINKTYPE 113)', () => {
  it('decodes the protocol as an EtherType', () => {
    const f = cat(sllHeader(1, 0x0800), pkt);
    const s = run(f, { linktype: 113 });
    expect(v(s, 'ipv4')).toBe('good');
    expect(s.outerSrcOff).toBe(16 + 12);
    const t = tree(f, { linktype: 113 });
    expect(t[0].label).toBe('Linux cooked capture v1');
    expect(find(t, 'sll.etype')?.value).toBe('IPv4 (0x0800)');
    expect(find(t, 'sll.src.other')?.value).toBe('020000000001');
  });

  it('ARPHRD_IPGRE carries a GRE protocol type', () => {
    const f = cat(sllHeader(778, 0x0800), pkt);
    expect(v(run(f, { linktype: 113 }), 'udp')).toBe('good');
    expect(find(tree(f, { linktype: 113 }), 'sll.gretype')).toBeDefined();
  });

  it('truncated header', () => {
    const s = run(new Uint8Array(10), { linktype: 113 });
    expect(hasNote(s, N_TRUNCATED)).toBe(true);
    expect(s.topProto).not.toBe(P_SLL);
  });
});
