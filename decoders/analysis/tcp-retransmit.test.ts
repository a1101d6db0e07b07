// What bad checksums cost: of the TCP segments with a bad checksum, how many were sent again (a later segment
// of the same flow and direction carrying their first byte) and the median delay, per tenant and per host, on
// the conversations of scripts/lib/tcp-scenarios.ts BAD_CHECKSUM_CONVS.

import { describe, expect, it } from 'vitest';
import { conversationPcapng } from '../../scripts/lib/tcp-conversation.ts';
import { BAD_CHECKSUM_CONVS as CONVS } from '../../scripts/lib/tcp-scenarios.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { Engine } from './engine.ts';
import { retransmittedByHost, retransmittedByTenant } from './retransmitted.ts';
import { summaryJson } from './report.ts';
import { subsetSummaryJson } from './subset.ts';
import { medianMs } from './tcp-retransmit.ts';

async function load(retainFrames = true): Promise<Engine> {
  const e = new Engine({ retainFrames });
  await e.load(new MemorySource(conversationPcapng(CONVS)), 'r.pcapng');
  return e;
}

describe('retransmitted bad segments', () => {
  it('per tenant: how many were sent again, and the median delay', async () => {
    const e = await load();
    const byTenant = retransmittedByTenant(e);
    const id = (key: string): number => e.tenants.idOfKey(key);
    expect(byTenant.get(id('vxlan:300'))).toEqual({ badSegments: 4, retransmitted: 3, medianDelayMs: 139 });
    expect(byTenant.get(id('nvgre:5001'))).toEqual({ badSegments: 2, retransmitted: 2, medianDelayMs: 525 });
    expect(byTenant.size).toBe(2);
    const stats = e.tenantStats();
    expect(stats.find((t) => t.key === 'vxlan:300')?.retransmitted).toEqual({ badSegments: 4, retransmitted: 3, medianDelayMs: 139 });
  });

  it('per host: the outer source of a tunnelled segment, the IP source of a plain one', async () => {
    const e = await load();
    expect(Object.fromEntries(retransmittedByHost(e))).toEqual({
      '192.168.10.11': { badSegments: 4, retransmitted: 3, medianDelayMs: 139 },
      '192.168.20.21': { badSegments: 2, retransmitted: 2, medianDelayMs: 525 },
      '10.7.0.1': { badSegments: 1, retransmitted: 0, medianDelayMs: null },
    });
    // The bad pure ACK (server side, 192.168.10.12) is no segment to send again.
    expect(retransmittedByHost(e).has('192.168.10.12')).toBe(false);
  });

  it('the CLI summary carries them in its tenants entries, without frames kept too', async () => {
    for (const retain of [true, false]) {
      const s = summaryJson(await load(retain), 'r.pcapng');
      expect(s.tenants.map((t) => Object.keys(t))).toEqual([
        ['encap', 'vnid', 'frames', 'bytes', 'flows', 'bad', 'partial', 'retransmitted'],
        ['encap', 'vnid', 'frames', 'bytes', 'flows', 'bad', 'partial', 'retransmitted'],
      ]);
      expect(s.tenants.map((t) => [t.encap, t.retransmitted])).toEqual([
        ['nvgre', { badSegments: 2, retransmitted: 2, medianDelayMs: 525 }],
        ['vxlan', { badSegments: 4, retransmitted: 3, medianDelayMs: 139 }],
      ]);
    }
  });

  it('with a display filter, counts the bad segments among the frames it selects', async () => {
    const e = await load();
    const run = e.filters.get('frame.number <= 8');
    const match = run.state.subarray(0, e.store.count);
    const s = subsetSummaryJson(e, 'r.pcapng', 'frame.number <= 8', match);
    // Frames 4 and 8 of tenant VXLAN 300 (their retransmissions are counted wherever they are).
    expect(s.tenants.find((t) => t.encap === 'vxlan')?.retransmitted).toEqual({ badSegments: 2, retransmitted: 2, medianDelayMs: 120 });
  });

  it('median: the middle one, or the mean of the two middle ones, to the microsecond', () => {
    expect(medianMs([])).toBeNull();
    expect(medianMs([3e6])).toBe(3);
    expect(medianMs([1e6, 9e6, 2e6])).toBe(2);
    expect(medianMs([1e6, 2e6, 4e6, 100e6])).toBe(3);
    expect(medianMs([1234567])).toBe(1.235);
  });
});
