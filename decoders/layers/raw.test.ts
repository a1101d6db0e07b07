import { describe, expect, it } from 'vitest';
import { N_MALFORMED, N_UNKNOWN_LINKTYPE } from '../summary.ts';
import { IP4A, IP6A, hasNote, ipv4, ipv6, run, udp, v } from './testkit.ts';

const v4 = ipv4(IP4A, { proto: 17 }, udp(IP4A, 1, 2, [1]));
const v6 = ipv6(IP6A, 17, udp(IP6A, 1, 2, [1]));

describe('raw IP link types', () => {
  it('101 picks the version by nibble', () => {
    expect(run(v4, { linktype: 101 }).outerFamily).toBe(4);
    expect(run(v6, { linktype: 101 }).outerFamily).toBe(6);
    expect(run(v4, { linktype: 101 }).outerSrcOff).toBe(12);
    expect(hasNote(run(new Uint8Array([0x50, 0, 0, 0]), { linktype: 101 }), N_MALFORMED)).toBe(true);
  });

  it('228 is IPv4, 229 is IPv6', () => {
    expect(v(run(v4, { linktype: 228 }), 'udp')).toBe('good');
    expect(v(run(v6, { linktype: 229 }), 'udp')).toBe('good');
    // Forced IPv6 on IPv4 bytes: a version mismatch, not a crash.
    expect(hasNote(run(v4, { linktype: 229 }), N_MALFORMED)).toBe(true);
  });

  it('an unknown link type is a note', () => {
    expect(hasNote(run(v4, { linktype: 147 }), N_UNKNOWN_LINKTYPE)).toBe(true);
  });
});
