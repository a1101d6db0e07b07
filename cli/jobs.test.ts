// `--jobs`: worker threads give the same output as one thread, and cancelling stops every thread.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../decoders/analysis/engine.ts';
import { loadParallel, type ParallelInfo } from '../decoders/parallel/load.ts';
import { generateBench } from '../scripts/gen-bench.ts';
import { nodePool, type NodePool } from './jobs.ts';
import { openNodeSource } from './node-source.ts';

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, 'tunnelscope.mjs');
let dir = '';
let file = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tunnelscope-jobs-'));
  file = join(dir, 'nvgre-40m.pcapng');
  generateBench({ out: file, params: { sizeMb: 40, seed: 7, tenants: 8 } });
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<string> {
  const r = await run(process.execPath, [CLI, ...args], { maxBuffer: 1 << 28 });
  return r.stdout;
}

describe('--jobs', () => {
  it('rejects a bad value', async () => {
    await expect(cli(file, '--jobs', '0')).rejects.toMatchObject({ code: 2 });
    await expect(cli(file, '--jobs=x')).rejects.toMatchObject({ code: 2 });
  });

  it('summary and --frames are the same with 1 and with 2 threads', async () => {
    const [one, two, three] = await Promise.all([cli(file, '--jobs', '1'), cli(file, '--jobs', '2'), cli(file, '--jobs=3')]);
    expect(JSON.parse(one).frames).toBeGreaterThan(50_000);
    expect(two).toBe(one);
    expect(three).toBe(one);
    const [f1, f2] = await Promise.all([cli(file, '--frames', '--jobs', '1'), cli(file, '--frames', '--jobs', '2')]);
    expect(f2).toBe(f1);
  }, 120_000);

  it('worker threads decode chunks that merge into the single-thread engine', async () => {
    const src = await openNodeSource(file);
    try {
      const serial = new Engine();
      await serial.load(src, 'x');
      const par = new Engine();
      let info: ParallelInfo | null = null;
      let pool: NodePool | null = null;
      await loadParallel(par, src, 'x', {
        jobs: 3, plan: { minChunk: 2 << 20, maxChunk: 2 << 20 }, pool: (n) => (pool = nodePool(file, n)), onPlan: (i) => { info = i; },
      });
      expect(info).toMatchObject({ redone: 0, fellBack: false });
      const i = info as ParallelInfo | null;
      expect(i?.chunks).toBeGreaterThan(10);
      expect((i?.direct ?? 0) + (i?.merged ?? 0)).toBe(i?.chunks);
      expect(i?.byWorkers).toBeGreaterThan(0);
      expect((pool as NodePool | null)?.started()).toBe(2); // threads are reused from chunk to chunk
      const all = { tenant: null, sort: null, filter: '' };
      expect(par.frames).toBe(serial.frames);
      expect(par.rows(0, par.frames, all)).toEqual(serial.rows(0, serial.frames, all));
      expect(par.tenantStats()).toEqual(serial.tenantStats());
      expect(par.flowStats(null)).toEqual(serial.flowStats(null));
      expect(par.checks()).toEqual(serial.checks());
      expect(par.flagged).toEqual(serial.flagged);
      await (pool as NodePool | null)?.idle();
      expect((pool as NodePool | null)?.live()).toBe(0);
    } finally {
      await src.close();
    }
  }, 120_000);

  it('cancelling stops every worker thread', async () => {
    const src = await openNodeSource(file);
    try {
      const e = new Engine();
      const abort = new AbortController();
      let pool: NodePool | null = null;
      let started = 0;
      const out = await loadParallel(e, src, 'x', {
        jobs: 4, plan: { minChunk: 4 << 20 }, signal: abort.signal,
        pool: (n) => {
          const p = nodePool(file, n);
          pool = p;
          return {
            size: p.size,
            run: (job) => { started++; return p.run(job); },
            terminate: () => p.terminate(),
          };
        },
        onProgress: (p) => { if (!p.done && p.frames > 0) abort.abort(); },
      });
      expect(started).toBe(3);
      expect(out.result.cancelled).toBe(true);
      expect(e.frames).toBeLessThan(60_000);
      const p = pool as NodePool | null;
      expect(p).not.toBeNull();
      await p?.idle();
      expect(p?.live()).toBe(0);
    } finally {
      await src.close();
    }
  }, 120_000);
});
