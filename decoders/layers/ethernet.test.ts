import { describe, expect, it } from 'vitest';
import { N_TRUNCATED, P_ARP, P_ETH, P_LLC } from '../summary.ts';
import { IP4A, eth, find, hasNote, ipv4, run, tree, udp } from './testkit.ts';

describe('ethernet', () => {
  it('Ethernet II names the next layer by EtherType', () => {
    const s = run(eth(0x0800, ipv4(IP4A, { proto: 17 }, udp(IP4A, 1, 2, [0]))));
    expect(s.outerFamily).toBe(4);
    expect(s.outerSrcOff).toBe(26);
  });

  it('unknown EtherType stops at Ethernet; the rest is data', () => {
    const f = eth(0x88cc, [1, 2, 3, 4]);
    expect(run(f).topProto).toBe(P_ETH);
    const t = tree(f);
    expect(t[0].label).toBe('Ethernet II, Src: 02:00:00:00:00:01, Dst: 02:00:00:00:00:02');
    expect(find(t, 'eth.type')?.value).toBe('802.1 Link Layer Discovery Protocol (0x88cc)');
    expect(find(t, 'data.data')).toMatchObject({ start: 14, length: 4, value: '01020304' });
  });

  it('802.3 length field leads to LLC', () => {
    const f = eth(6, [0x42, 0x42, 0x03, 9, 9, 9, 0, 0]);
    expect(run(f).topProto).toBe(P_LLC);
    const t = tree(f);
    expect(t[0].label.startsWith('IEEE 802.3 Ethernet')).toBe(true);
    expect(find(t, 'llc.dsap')?.value).toBe('0x42');
    expect(find(t, 'eth.len')?.value).toBe('6');
  });

  it('ARP frames', () => {
    expect(run(eth(0x0806, new Array(28).fill(0))).topProto).toBe(P_ARP);
  });

  it('a frame shorter than the header is truncated, not an exception', () => {
    for (let n = 0; n < 14; n++) {
      const s = run(eth(0x0800, []).subarray(0, n));
      expect(hasNote(s, N_TRUNCATED)).toBe(true);
      expect(() => tree(eth(0x0800, []).subarray(0, n))).not.toThrow();
    }
  });
});
