import { describe, expect, it } from 'vitest';
import type { ChunkJob, ChunkPart } from './chunk.ts';
import { workerPool, type DecodeReply } from './worker-pool.ts';

const job = (start: number): ChunkJob => ({ start } as unknown as ChunkJob);
const part = (start: number): ChunkPart => ({ first: start } as unknown as ChunkPart);

describe('worker pool bookkeeping', () => {
  it('reuses idle workers, never starts more than its size, and a failed worker takes no more chunks', async () => {
    const ports: Array<{ reply: (m: DecodeReply) => void; fail: (e: Error) => void; jobs: number[]; ended: boolean }> = [];
    const pool = workerPool(2, (reply, fail) => {
      const p = { reply, fail, jobs: [] as number[], ended: false };
      ports.push(p);
      return { post: (j) => p.jobs.push(j.start), terminate: () => { p.ended = true; } };
    });
    const a = pool.run(job(1));
    const b = pool.run(job(2));
    await expect(pool.run(job(3))).rejects.toThrow('all 2 decode workers are busy');
    expect(ports.length).toBe(2);
    ports[0].reply({ kind: 'part', part: part(1) });
    await expect(a).resolves.toEqual(part(1));
    const c = pool.run(job(4));
    expect(ports.length).toBe(2);
    expect(ports[0].jobs).toEqual([1, 4]);
    ports[1].fail(new Error('gone'));
    await expect(b).rejects.toThrow('gone');
    expect(ports[1].ended).toBe(true);
    const d = pool.run(job(5)); // the failed worker is replaced, not reused
    expect(ports.length).toBe(3);
    ports[2].reply({ kind: 'error', message: 'bad chunk' });
    await expect(d).rejects.toThrow('bad chunk');
    pool.terminate();
    await expect(c).rejects.toThrow('cancelled');
    expect(ports.every((p) => p.ended)).toBe(true);
    await expect(pool.run(job(6))).rejects.toThrow('pool terminated');
  });

  it('a worker that cannot start is not kept', async () => {
    let n = 0;
    const pool = workerPool(1, (reply) => {
      if (n++ === 0) throw new ReferenceError('Worker is not defined');
      return { post: (j) => reply({ kind: 'part', part: part(j.start) }), terminate: () => undefined };
    });
    expect(() => pool.run(job(1))).toThrow('Worker is not defined');
    await expect(pool.run(job(2))).resolves.toEqual(part(2));
  });
});
