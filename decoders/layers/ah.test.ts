import { describe, expect, it } from 'vitest';
import { N_TRUNCATED } from '../summary.ts';
import { IP4A, cat, eth, find, hasNote, ipv4, run, tree, u32, udp, v } from './testkit.ts';

// AH over IPv4: next header, length (4-byte words - 2), reserved, SPI, sequence, 12 bytes of ICV.
const ah = [17, 4, 0, 0, ...u32(0xc0ffee), ...u32(3), ...new Array(12).fill(0x5a)];

describe('ah (IPv4)', () => {
  it('is skipped; the transport still verifies (its length excludes AH)', () => {
    const seg = udp(IP4A, 10, 20, [1, 2, 3]);
    const f = eth(0x0800, ipv4(IP4A, { proto: 51 }, cat(ah, seg)));
    const s = run(f);
    expect(v(s, 'udp')).toBe('good');
    expect(s.innerProto).toBe(17);
    expect(s.sport).toBe(10);
    const t = tree(f);
    expect(find(t, 'ah')?.label).toBe('Authentication Header');
    expect(find(t, 'ah.spi')?.value).toBe('0x00c0ffee');
  });

  it('cut AH', () => {
    const f = eth(0x0800, ipv4(IP4A, { proto: 51 }, ah.slice(0, 10)));
    expect(hasNote(run(f), N_TRUNCATED)).toBe(true);
  });
});
