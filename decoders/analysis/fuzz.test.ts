// Thousands of captures mutated from real ones (bit flips, truncations, length fields overwritten),
// with a fixed seed: each must end with a result or a clean NotACaptureError, and every query the UI
// makes afterwards (rows, detail of every frame, reports) must answer without throwing.
import { mulberry32 } from '../../scripts/lib/rng.ts';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listSharedCaptures } from '../../scripts/lib/shared-captures.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { NotACaptureError } from '../capture/types.ts';
import { Engine } from './engine.ts';

const EXTREMES = [0, 1, 3, 7, 12, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffc, 0x0a0d0d0a];

function mutate(orig: Uint8Array, rnd: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(rnd() * n);
  const kind = pick(5);
  if (kind === 0) {
    // Truncate anywhere, header included.
    return orig.slice(0, pick(orig.length + 1));
  }
  const b = orig.slice();
  if (kind === 1) {
    const flips = 1 + pick(8);
    for (let i = 0; i < flips; i++) b[pick(b.length)] ^= 1 << pick(8);
  } else if (kind === 2 || kind === 3) {
    // Overwrite a 32-bit word (block/record length fields are 4-aligned in both formats) with an extreme.
    const n = kind === 2 ? 1 : 1 + pick(4);
    for (let i = 0; i < n; i++) {
      const at = pick(Math.max(1, b.length >> 2)) << 2;
      const v = EXTREMES[pick(EXTREMES.length)];
      for (let k = 0; k < 4 && at + k < b.length; k++) b[at + k] = (v >>> (8 * (rnd() < 0.5 ? k : 3 - k))) & 0xff;
    }
  } else {
    // Splice: repeat a slice somewhere else (misaligned records, duplicated headers).
    const from = pick(b.length), len = pick(Math.min(512, b.length - from) + 1), to = pick(b.length);
    const out = new Uint8Array(b.length + len);
    out.set(b.subarray(0, to));
    out.set(b.subarray(from, from + len), to);
    out.set(b.subarray(to), to + len);
    return out;
  }
  return b;
}

async function exercise(bytes: Uint8Array, chunk: number): Promise<'ok' | 'not-a-capture'> {
  const e = new Engine();
  const src = new MemorySource(bytes, chunk);
  try {
    await e.load(src, 'fuzz');
  } catch (err) {
    if (err instanceof NotACaptureError) return 'not-a-capture';
    throw err;
  }
  // A record needs at least 16 bytes of header, so more frames than that would be invented data.
  expect(e.frames).toBeLessThanOrEqual(Math.floor(bytes.length / 16) + 1);
  const view = { tenant: null, sort: { column: 'src' as const, desc: true }, filter: '' };
  e.rows(0, 50, view);
  e.status(view);
  e.tenantStats();
  e.flowStats(null);
  e.offload();
  e.timeSeries(50, 5);
  for (let n = 1; n <= Math.min(e.frames, 20); n++) {
    const loc = e.frameLocation(n);
    const frame = await src.read(loc.offset, loc.caplen);
    const tree = e.detail(n, frame);
    expect(tree.length).toBeGreaterThan(0);
  }
  return 'ok';
}

describe('fuzz: mutated real captures', () => {
  const seeds = listSharedCaptures().filter((c) => c.size > 24 && c.size < 150_000);
  // A fixed, spread-out selection keeps the run short on two cores while covering both formats.
  const chosen = seeds.filter((_, i) => i % Math.max(1, Math.floor(seeds.length / 40)) === 0).slice(0, 40);

  it('has seed captures to mutate', () => {
    expect(chosen.length).toBeGreaterThanOrEqual(20);
  });

  it('every mutation ends in a result or a clean error', async () => {
    const rnd = mulberry32(0x7e55e1);
    const counts = { ok: 0, 'not-a-capture': 0 };
    for (const seed of chosen) {
      const orig = new Uint8Array(readFileSync(seed.path));
      for (let k = 0; k < 80; k++) {
        const m = mutate(orig, rnd);
        const chunk = [64, 4096, 1 << 20][k % 3];
        try {
          counts[await exercise(m, chunk)]++;
        } catch (err) {
          throw new Error(`${seed.rel} mutation ${k} (${m.length} bytes): ${(err as Error).stack}`);
        }
      }
    }
    expect(counts.ok + counts['not-a-capture']).toBe(chosen.length * 80);
    // Most mutations keep the magic, so most must still produce a (partial) analysis.
    expect(counts.ok).toBeGreaterThan(counts['not-a-capture']);
  });
});
