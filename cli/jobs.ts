// `--jobs N` for the CLI: a ChunkPool of worker_threads (decoders/parallel/worker-pool.ts). Each thread
// opens the file once and decodes the chunks it is given, reading its own byte ranges.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ChunkPool } from '../decoders/parallel/load.ts';
import { workerPool } from '../decoders/parallel/worker-pool.ts';

const ENTRY = new URL('./decode-worker.mjs', import.meta.url);

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

export interface NodePool extends ChunkPool {
  /** Worker threads started and not yet exited. */
  live(): number;
  /** Threads started so far. */
  started(): number;
  /** Resolves once every thread started so far has exited. */
  idle(): Promise<void>;
}

export function nodePool(path: string, size: number): NodePool {
  // Threads are counted from start to their actual exit, so that tests can see none is left running.
  let live = 0;
  let started = 0;
  const exits: Array<Promise<void>> = [];
  const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));
  const pool = workerPool(size, (reply, fail) => {
    const w = new Worker(ENTRY, { workerData: { path } });
    started++;
    live++;
    exits.push(new Promise<void>((done) => w.once('exit', () => { live--; done(); })));
    w.on('message', reply);
    w.on('error', (err: unknown) => fail(asError(err)));
    w.on('messageerror', (err: unknown) => fail(asError(err)));
    w.on('exit', (code) => fail(new Error(`decode worker exited with code ${code}`)));
    return { post: (job) => w.postMessage(job), terminate: () => void w.terminate() };
  });
  return {
    ...pool,
    live: () => live,
    started: () => started,
    idle: async () => {
      await Promise.all(exits);
    },
  };
}
