// `--jobs N` for the CLI: a ChunkPool of worker_threads, one thread per chunk, each reading its own
// byte range of the file. terminate() stops every thread at once.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ChunkJob, ChunkPart } from '../decoders/parallel/chunk.ts';
import type { ChunkPool } from '../decoders/parallel/load.ts';

const ENTRY = new URL('./decode-worker.mjs', import.meta.url);

/** Bytes the main thread decodes ahead while worker threads start (tsx takes ~0.3 s to load them). */
export const WORKER_HEAD_START = 160 * 2 ** 20;

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

export interface NodePool extends ChunkPool {
  /** Worker threads started and not yet exited. */
  live(): number;
  /** Resolves once every thread started so far has exited. */
  idle(): Promise<void>;
}

export function nodePool(path: string): NodePool {
  const workers = new Set<Worker>();
  const exits = new Set<Promise<void>>();
  let terminated = false;
  return {
    run(job: ChunkJob): Promise<ChunkPart> {
      if (terminated) return Promise.reject(new Error('pool terminated'));
      return new Promise<ChunkPart>((resolve, reject) => {
        const w = new Worker(ENTRY, { workerData: { path, job } });
        workers.add(w);
        exits.add(new Promise<void>((done) => w.once('exit', () => done())));
        let settled = false;
        w.on('message', (m: { kind: 'part'; part: ChunkPart } | { kind: 'error'; message: string }) => {
          settled = true;
          if (m.kind === 'part') resolve(m.part);
          else reject(new Error(m.message));
          void w.terminate();
        });
        w.on('error', (err) => {
          settled = true;
          reject(err);
        });
        w.on('exit', (code) => {
          workers.delete(w);
          if (!settled) reject(new Error(`decode worker exited with code ${code}`));
        });
      });
    },
    terminate(): void {
      terminated = true;
      for (const w of workers) void w.terminate();
    },
    live: () => workers.size,
    idle: async () => {
      await Promise.all(exits);
    },
  };
}
