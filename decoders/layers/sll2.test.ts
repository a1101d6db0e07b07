import { describe, expect, it } from 'vitest';
import { N_TRUNCATED } from '../summary.ts';
import { IP6A, cat, find, hasNote, ipv6, run, tree, u16, u32, udp, v } from './testkit.ts';

function sll2Header(proto: number, ifindex: number): number[] {
  return [...u16(proto), 0, 0, ...u32(ifindex), ...u16(1), 4, 6, 2, 0, 0, 0, 0, 9, 0, 0];
}

describe('sll2 (LINKTYPE 276)', () => {
  it('decodes protocol, interface index and the IPv6 payload', () => {
    const f = cat(sll2Header(0x86dd, 3), ipv6(IP6A, 17, udp(IP6A, 1, 2, [1, 2])));
    const s = run(f, { linktype: 276 });
    expect(s.outerFamily).toBe(6);
    expect(s.outerSrcOff).toBe(20 + 8);
    expect(v(s, 'udp')).toBe('good');
    const t = tree(f, { linktype: 276 });
    expect(t[0].label).toBe('Linux cooked capture v2');
    expect(find(t, 'sll.ifindex')?.value).toBe('3');
    expect(find(t, 'sll.pkttype')?.value).toBe('Sent by us (4)');
  });

  it('truncated header', () => {
    expect(hasNote(run(new Uint8Array(19), { linktype: 276 }), N_TRUNCATED)).toBe(true);
  });
});
