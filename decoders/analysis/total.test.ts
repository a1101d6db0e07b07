// The total of several captures' summaries (README "Many captures").
import { describe, expect, it } from 'vitest';
import { totalSummary } from './total.ts';
import type { CaptureSummaryJson, MtuFinding } from './types.ts';

const rx = (badSegments = 0, retransmitted = 0, medianDelayMs: number | null = null) => ({ badSegments, retransmitted, medianDelayMs });
const checks = (good: number, bad: number) => ({ 'inner.tcp': { good, bad, partial: 0, zero: 1, unverified: 0, noChecksum: 1 } });
const finding = (host: string, fragmented: number): MtuFinding => ({
  host, encap: 'nvgre', fragmented, incomplete: 0, tenantFragmented: 0, largestInner: 1500, overhead: 42, needed: 1542, underlayMtu: 1500,
  icmp: { count: 0, mtus: [] }, advice: 'a', frames: { fragmented: 2 * fragmented, incomplete: 0, tenantFragmented: 0, icmp: 0 },
});

function summary(file: string, over: Partial<CaptureSummaryJson>): CaptureSummaryJson {
  return {
    file, format: 'pcapng', frames: 0, bytes: 0, firstTime: null, lastTime: null, tenants: [], checks: {}, flagged: [], warnings: [],
    fragments: { frames: 0, datagrams: 0, incomplete: 0 }, mtu: [], hosts: [], ...over,
  };
}

describe('totalSummary', () => {
  it('adds counts, merges tenants by encap and id and checks by name, spans the times', () => {
    const a = summary('a', {
      frames: 10, bytes: 1000, firstTime: '2026-01-01T00:00:01.000000000Z', lastTime: '2026-01-01T00:00:09.000000000Z',
      tenants: [{ encap: 'nvgre', vnid: 5001, frames: 6, bytes: 600, flows: 2, bad: 1, partial: 0, retransmitted: rx(2, 1, 40) }, { encap: 'gre', vnid: null, frames: 1, bytes: 10, flows: 1, bad: 0, partial: 0, retransmitted: rx() }],
      checks: checks(5, 1), flagged: [3], warnings: [{ offset: 0, frame: 0, message: 'w' }], fragments: { frames: 2, datagrams: 1, incomplete: 0 },
      mtu: [finding('192.168.0.1', 1)],
    });
    const b = summary('b', {
      format: 'pcap', frames: 5, bytes: 500, firstTime: '2025-12-31T23:59:59.999999999Z', lastTime: '2026-01-01T00:00:02.000000000Z',
      tenants: [{ encap: 'vxlan', vnid: 7, frames: 2, bytes: 200, flows: 1, bad: 0, partial: 1, retransmitted: rx(1, 1, 7) }, { encap: 'nvgre', vnid: 5001, frames: 3, bytes: 300, flows: 1, bad: 0, partial: 2, retransmitted: rx(3, 2, 10) }],
      checks: { ...checks(4, 2), ipv4: { good: 5, bad: 0, partial: 0, zero: 0, unverified: 0, noChecksum: 0 } }, flagged: [1, 4],
      fragments: { frames: 3, datagrams: 2, incomplete: 1 }, mtu: [finding('192.168.0.1', 3)],
    });
    expect(totalSummary([a, b])).toEqual({
      captures: 2, format: 'mixed', frames: 15, bytes: 1500, firstTime: '2025-12-31T23:59:59.999999999Z', lastTime: '2026-01-01T00:00:09.000000000Z',
      tenants: [
        { encap: 'gre', vnid: null, frames: 1, bytes: 10, flows: 1, bad: 0, partial: 0, retransmitted: rx() },
        { encap: 'nvgre', vnid: 5001, frames: 9, bytes: 900, flows: 3, bad: 1, partial: 2, retransmitted: rx(5, 3, null) },
        { encap: 'vxlan', vnid: 7, frames: 2, bytes: 200, flows: 1, bad: 0, partial: 1, retransmitted: rx(1, 1, 7) },
      ],
      checks: { 'inner.tcp': { good: 9, bad: 3, partial: 0, zero: 2, unverified: 0, noChecksum: 2 }, ipv4: { good: 5, bad: 0, partial: 0, zero: 0, unverified: 0, noChecksum: 0 } },
      flagged: 3, warnings: 1, fragments: { frames: 5, datagrams: 3, incomplete: 1 },
      mtu: [{ file: 'b', ...finding('192.168.0.1', 3) }, { file: 'a', ...finding('192.168.0.1', 1) }],
    });
    expect(a.tenants[0].frames).toBe(6); // the inputs are left as they were
    expect(a.tenants[0].retransmitted).toEqual(rx(2, 1, 40));
  });

  it('a median retransmission delay is kept where only one capture has retransmissions', () => {
    const t = (x: ReturnType<typeof rx>, y: ReturnType<typeof rx>) => totalSummary([
      summary('a', { tenants: [{ encap: 'vxlan', vnid: 1, frames: 1, bytes: 1, flows: 1, bad: 1, partial: 0, retransmitted: x }] }),
      summary('b', { tenants: [{ encap: 'vxlan', vnid: 1, frames: 1, bytes: 1, flows: 1, bad: 1, partial: 0, retransmitted: y }] }),
    ]).tenants[0].retransmitted;
    expect(t(rx(2, 0, null), rx(1, 1, 12.5))).toEqual(rx(3, 1, 12.5));
    expect(t(rx(4, 2, 3), rx(1, 0, null))).toEqual(rx(5, 2, 3));
    expect(t(rx(1, 1, 3), rx(1, 1, 5))).toEqual(rx(2, 2, null));
  });

  it('one format is kept, none is null; a filter and the frames before it are summed', () => {
    expect(totalSummary([summary('a', {}), summary('b', {})]).format).toBe('pcapng');
    expect(totalSummary([]).format).toBeNull();
    const t = totalSummary([{ ...summary('a', { frames: 2 }), filter: 'tcp', totalFrames: 10 }, { ...summary('b', { frames: 1 }), filter: 'tcp', totalFrames: 4 }]);
    expect(t).toMatchObject({ filter: 'tcp', totalFrames: 14, frames: 3 });
  });
});
