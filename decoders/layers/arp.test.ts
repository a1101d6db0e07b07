import { describe, expect, it } from 'vitest';
import { N_TRUNCATED, P_ARP } from '../summary.ts';
import { MAC1, cat, eth, find, hasNote, run, tree, u16 } from './testkit.ts';

const arp = cat(u16(1), u16(0x0800), [6, 4], u16(1), MAC1, [10, 0, 0, 1], [0, 0, 0, 0, 0, 0], [10, 0, 0, 9]);

describe('arp', () => {
  it('request: fields and label', () => {
    const f = eth(0x0806, arp);
    expect(run(f).topProto).toBe(P_ARP);
    const t = tree(f);
    expect(t[1].label).toBe('Address Resolution Protocol (request), Who has 10.0.0.9?');
    expect(find(t, 'arp.src.hw_mac')?.value).toBe('02:00:00:00:00:01');
    expect(find(t, 'arp.dst.proto_ipv4')).toMatchObject({ value: '10.0.0.9', start: 38, length: 4 });
    expect(find(t, 'arp.opcode')?.value).toBe('request (1)');
  });

  it('cut short', () => {
    for (let n = 14; n < 14 + 28; n++) {
      const f = eth(0x0806, arp).subarray(0, n);
      expect(hasNote(run(f), N_TRUNCATED)).toBe(true);
      expect(() => tree(f)).not.toThrow();
    }
  });
});
