// Chart buckets as frame time ranges: run against the engine, each bucket's filter selects exactly the
// frames the time series counted in it.
import { describe, expect, it } from 'vitest';
import { buildFrame, eth, ipv4, payload, udp } from '../../../scripts/lib/packet-builder.ts';
import { Engine } from '../../../decoders/analysis/engine.ts';
import { MemorySource } from '../../../decoders/capture/memory-source.ts';
import { writePcapng } from '../../../decoders/capture/pcapng-writer.ts';
import { bucketRange, isoToNs, rangeFilter } from './bucket-range.ts';

const T0 = 1764000000;

describe('bucketRange', () => {
  it('gives each bucket\'s exact bounds, the last one open-ended, and a filter for its frames', async () => {
    // Frames at 0.3 s steps from T0 + 1 ns, one without a fraction: buckets of 0.5 s.
    const times = [1, 300_000_001, 600_000_001, 900_000_001, 1_200_000_001, 1_500_000_001, 1_800_000_001, 2_000_000_000];
    const data = buildFrame([eth({ src: '00:00:00:00:00:01', dst: '00:00:00:00:00:02' }), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), udp({ sport: 1, dport: 2 }), payload(4)]).data;
    const bytes = writePcapng([{ linktype: 1, snaplen: 65535 }], times.map((ns) => ({ tsSec: T0 + Math.floor(ns / 1e9), tsNsec: ns % 1e9, data, origlen: data.length })));
    const e = new Engine();
    await e.load(new MemorySource(bytes), 't.pcapng');
    const ts = e.timeSeries(4, 1);
    expect(ts.bucketSec).toBe(0.5);
    expect(ts.buckets).toHaveLength(4);
    expect(bucketRange(ts, 0)).toEqual({ index: 0, from: '2025-11-24T16:00:00.000000001Z', to: '2025-11-24T16:00:00.500000001Z', startSec: 0, endSec: 0.5 });
    expect(bucketRange(ts, 3)?.to).toBeNull();
    let total = 0;
    for (let b = 0; b < ts.buckets.length; b++) {
      const r = bucketRange(ts, b)!;
      const frames = e.rows(0, 100, { tenant: null, sort: null, filter: rangeFilter(r) }).rows.map((x) => x.n);
      const counted = Object.values(ts.buckets[b].bytes).reduce((a, v) => a + v, 0) / data.length;
      expect(frames.length, `bucket ${b}`).toBe(counted);
      total += frames.length;
    }
    expect(total).toBe(times.length);
    expect(bucketRange(ts, 4)).toBeNull();
    expect(bucketRange(ts, -1)).toBeNull();
    expect(bucketRange({ ...ts, startTime: null }, 0)).toBeNull();
  });

  it('reads ISO times to the nanosecond', () => {
    expect(isoToNs('1970-01-01T00:00:01.5Z')).toBe(1_500_000_000n);
    expect(isoToNs('2025-11-24T16:00:00Z')).toBe(BigInt(T0) * 1_000_000_000n);
    expect(isoToNs('yesterday')).toBeNull();
  });
});
