import { describe, expect, it } from 'vitest';
import { N_TRUNCATED } from '../summary.ts';
import { IP4A, IP6A, cat, find, hasNote, ipv4, ipv6, run, tree, udp, v } from './testkit.ts';

const v4 = ipv4(IP4A, { proto: 17 }, udp(IP4A, 1, 2, [1]));
const v6 = ipv6(IP6A, 17, udp(IP6A, 1, 2, [1]));

describe('null/loopback (LINKTYPE 0 and 108)', () => {
  it('AF_INET in either byte order', () => {
    for (const hdr of [[2, 0, 0, 0], [0, 0, 0, 2]]) {
      const s = run(cat(hdr, v4), { linktype: 0 });
      expect(s.outerFamily).toBe(4);
      expect(v(s, 'udp')).toBe('good');
    }
    expect(run(cat([0, 0, 0, 2], v4), { linktype: 108 }).outerFamily).toBe(4);
  });

  it('AF_INET6 as 24, 28 and 30, in either byte order', () => {
    for (const af of [24, 28, 30]) {
      for (const hdr of [[af, 0, 0, 0], [0, 0, 0, af]]) {
        const s = run(cat(hdr, v6), { linktype: 0 });
        expect(s.outerFamily).toBe(6);
        expect(v(s, 'udp')).toBe('good');
      }
    }
    expect(find(tree(cat([30, 0, 0, 0], v6), { linktype: 0 }), 'null.family')?.value).toBe('IPv6 (30)');
  });

  it('an EtherType in the low two bytes (as Wireshark accepts)', () => {
    const f = cat([0x0f, 0, 0x08, 0], v4);
    expect(run(f, { linktype: 0 }).outerFamily).toBe(4);
    expect(find(tree(f, { linktype: 0 }), 'null.type')?.value).toBe('IPv4 (0x0800)');
  });

  it('unknown family stops; short header is truncated', () => {
    expect(run(cat([99, 0, 0, 0], v4), { linktype: 0 }).outerFamily).toBe(0);
    expect(hasNote(run(new Uint8Array(3), { linktype: 0 }), N_TRUNCATED)).toBe(true);
  });
});
