// What bad checksums cost: of the TCP segments with a bad checksum, how many were sent again (a later segment
// of the same flow and direction carrying their first byte) and the median delay, per tenant and per host, on
// the conversations of scripts/lib/tcp-scenarios.ts BAD_CHECKSUM_CONVS.

import { describe, expect, it } from 'vitest';
import { conversationPackets, conversationPcapng } from '../../scripts/lib/tcp-conversation.ts';
import { writePcapng } from '../capture/pcapng-writer.ts';
import { loadParallel } from '../parallel/load.ts';
import { localPool } from '../parallel/local-pool.ts';
import { BAD_CHECKSUM_CONVS as CONVS } from '../../scripts/lib/tcp-scenarios.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { Engine } from './engine.ts';
import { retransmittedByHost, retransmittedByTenant } from './retransmitted.ts';
import { summaryJson } from './report.ts';
import { subsetSummaryJson } from './subset.ts';
import { BadSegments, medianMs } from './tcp-retransmit.ts';

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

  it('per host in the Hosts report and the CLI summary: figures, and the diagnosis says what they cost', async () => {
    for (const retain of [true, false]) {
      const e = await load(retain);
      const s = summaryJson(e, 'r.pcapng');
      const byHost = Object.fromEntries(s.hosts.map((h) => [h.address, h.retransmitted]));
      expect(byHost).toEqual({
        '192.168.10.11': { badSegments: 4, retransmitted: 3, medianDelayMs: 139 },
        '192.168.20.21': { badSegments: 2, retransmitted: 2, medianDelayMs: 525 },
        '10.7.0.1': { badSegments: 1, retransmitted: 0, medianDelayMs: null },
        '192.168.10.12': { badSegments: 0, retransmitted: 0, medianDelayMs: null },
        '192.168.20.22': { badSegments: 0, retransmitted: 0, medianDelayMs: null },
        '10.7.0.2': { badSegments: 0, retransmitted: 0, medianDelayMs: null },
      });
      const h = e.hostStats().find((x) => x.address === '192.168.10.11');
      const cost = h?.diagnosis.find((d) => d.kind === 'retransmitted');
      expect(cost?.text).toBe('of its 4 TCP segments with a bad checksum, 3 were retransmitted (the receiver dropped them), adding 139 ms in the median');
      // Named frames: the bad segments themselves, each one a frame of this host with a bad TCP checksum.
      expect(cost?.frames.length).toBe(4);
      // It follows the finding about the bad checksums it explains.
      expect(h?.diagnosis.map((d) => d.kind).indexOf('retransmitted')).toBe(1);
      expect(e.hostStats().find((x) => x.address === '10.7.0.1')?.diagnosis.find((d) => d.kind === 'retransmitted')?.text)
        .toBe('none of its 1 TCP segment with a bad checksum was sent again in this capture');
      expect(e.hostStats().find((x) => x.address === '192.168.10.12')?.diagnosis.some((d) => d.kind === 'retransmitted')).toBe(false);
    }
  });

  it('per host under a display filter: only the bad segments it selects', async () => {
    const e = await load();
    const run = e.filters.get('frame.number <= 8');
    const match = run.state.subarray(0, e.store.count);
    const s = subsetSummaryJson(e, 'r.pcapng', 'frame.number <= 8', match);
    expect(s.hosts.find((h) => h.address === '192.168.10.11')?.retransmitted).toEqual({ badSegments: 2, retransmitted: 2, medianDelayMs: 120 });
  });

  it('per host and direction where the capture says it (epb_flags), serial and in parallel', async () => {
    const undirected = await load();
    const badFrames = undirected.hostStats().find((x) => x.address === '192.168.10.11')?.diagnosis.find((d) => d.kind === 'retransmitted')?.frames ?? [];
    expect(badFrames.length).toBe(4);
    // Odd frames inbound, even ones outbound: the host splits in two, each with the bad segments of its frames.
    const packets = conversationPackets(CONVS).map((p, k) => ({ ...p, flags: (k + 1) % 2 === 1 ? 1 : 2 }));
    const bytes = writePcapng([{ linktype: 1, snaplen: 65535, name: 'eth0' }], packets);
    const want = (dir: 'in' | 'out'): number => badFrames.filter((n) => (n % 2 === 1) === (dir === 'in')).length;
    expect(want('in') > 0 && want('out') > 0).toBe(true);
    const serial = new Engine({ retainFrames: false });
    await serial.load(new MemorySource(bytes), 'd.pcapng');
    const parallel = new Engine({ retainFrames: false });
    const src = new MemorySource(bytes);
    let chunks = 0;
    await loadParallel(parallel, src, 'd.pcapng', { jobs: 3, plan: { minChunk: 1024, maxChunk: 2048 }, pool: () => localPool(src), onPlan: (i) => { chunks = i.chunks; } });
    expect(chunks).toBeGreaterThan(1);
    for (const e of [serial, parallel]) {
      const hs = e.hostStats().filter((x) => x.address === '192.168.10.11');
      expect(hs.map((x) => [x.direction, x.retransmitted.badSegments]).sort()).toEqual([['in', want('in')], ['out', want('out')]]);
    }
  });

  it('pendingIn: whether a flow has a bad segment waiting in either direction, until it is acknowledged or resent', () => {
    const b = new BadSegments();
    expect(b.pendingIn(3)).toBe(false);
    // Flow 3, direction 1: a bad segment of 100 bytes at 1000 (frame 10).
    b.segment(3, 1, 10, 0, 0, 1000, 100, 0, false, true, 7);
    expect([b.pendingIn(2), b.pendingIn(3), b.pendingIn(4)]).toEqual([false, true, false]);
    // The other direction acknowledges past it: nothing waits.
    b.segment(3, 0, 11, 0, 0, 5000, 0, 1100, true, false, 8);
    expect(b.pendingIn(3)).toBe(false);
    // A bad segment in direction 0, then its retransmission.
    b.segment(3, 0, 12, 0, 0, 5000, 10, 0, false, true, 8);
    expect(b.pendingIn(3)).toBe(true);
    b.segment(3, 0, 13, 0, 500, 5000, 10, 0, false, false, 8);
    expect(b.pendingIn(3)).toBe(false);
    expect(b.waiting).toBe(0);
  });

  it('median: the middle one, or the mean of the two middle ones, to the microsecond', () => {
    expect(medianMs([])).toBeNull();
    expect(medianMs([3e6])).toBe(3);
    expect(medianMs([1e6, 9e6, 2e6])).toBe(2);
    expect(medianMs([1e6, 2e6, 4e6, 100e6])).toBe(3);
    expect(medianMs([1234567])).toBe(1.235);
  });
});
