import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../decoders/capture/memory-source.ts';
import { Engine } from '../decoders/analysis/engine.ts';
import { FRAGMENTS_SAMPLE, generateFragmentsSample } from './gen-fragments-sample.ts';

const ROOT = resolve(import.meta.dirname, '..');

describe('gen-fragments-sample', () => {
  it('is deterministic and the committed fixture is up to date', () => {
    const a = generateFragmentsSample();
    expect(Buffer.from(a).equals(Buffer.from(generateFragmentsSample()))).toBe(true);
    expect(readFileSync(resolve(ROOT, FRAGMENTS_SAMPLE)).equals(Buffer.from(a))).toBe(true);
  });

  it('holds an underlay-fragmented NVGRE packet and a tenant-fragmented VXLAN packet, both reassembled', async () => {
    const e = new Engine();
    await e.load(new MemorySource(generateFragmentsSample(), 4096), 'fragments.pcapng');
    expect(e.frames).toBe(5);
    expect(e.fragments.records.map((r) => [r.depth, r.fragments.map((f) => f.n), r.completedIn, r.total])).toEqual([
      [0, [1, 2, 3], 3, 2062],
      [1, [4, 5], 5, 2408],
    ]);
    expect(e.tenantStats().map((t) => [t.key, t.frames])).toEqual([['nvgre:5001', 3], ['vxlan:300', 2]]);
  });
});
