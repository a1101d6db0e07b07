import { describe, expect, it } from 'vitest';
import { P_IGMP } from '../summary.ts';
import { IP4A, eth, find, icmp, ipv4, run, tree } from './testkit.ts';

// IGMP's checksum has the same shape as ICMP's (whole message, no pseudo-header).
const report = (mode: 'good' | 'bad') => eth(0x0800, ipv4(IP4A, { proto: 2 }, icmp(0x16, 0, [224, 0, 0, 251], mode)));

describe('igmp', () => {
  it('names the protocol; the tree verifies the checksum (no Summary slot)', () => {
    expect(run(report('good')).topProto).toBe(P_IGMP);
    expect(run(report('good')).checkMask).toBe(1); // the IPv4 header only
    const t = tree(report('bad'));
    expect(find(t, 'igmp.checksum')?.verdict).toBe('bad');
    expect(find(t, 'igmp.checksum')?.check).toBeUndefined();
    expect(find(tree(report('good')), 'igmp.checksum.status')?.value).toBe('Good');
    expect(find(t, 'igmp.maddr')?.value).toBe('224.0.0.251');
  });
});
