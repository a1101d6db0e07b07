// `--jobs N` for the CLI: a ChunkPool of worker_threads. Each thread opens the file once and decodes
// the chunks it is given, one after another, reading its own byte ranges; terminate() stops every
// thread at once.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ChunkJob, ChunkPart } from '../decoders/parallel/chunk.ts';
import type { ChunkPool } from '../decoders/parallel/load.ts';
import type { DecodeReply } from './decode-worker.ts';

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

interface Thread {
  w: Worker;
  busy: boolean;
  settle: ((reply: DecodeReply | Error) => void) | null;
}

export function nodePool(path: string, size: number): NodePool {
  const threads = new Set<Thread>();
  const exits: Array<Promise<void>> = [];
  let terminated = false;
  let started = 0;
  const spawn = (): Thread => {
    const t: Thread = { w: new Worker(ENTRY, { workerData: { path } }), busy: false, settle: null };
    started++;
    threads.add(t);
    exits.push(new Promise<void>((done) => t.w.once('exit', () => done())));
    t.w.on('message', (m: DecodeReply) => t.settle?.(m));
    t.w.on('error', (err: unknown) => {
      // A thread that failed takes no more chunks (its exit follows).
      threads.delete(t);
      t.settle?.(err instanceof Error ? err : new Error(String(err)));
    });
    t.w.on('messageerror', (err: unknown) => t.settle?.(err instanceof Error ? err : new Error(String(err))));
    t.w.on('exit', (code) => {
      threads.delete(t);
      t.settle?.(new Error(`decode worker exited with code ${code}`));
    });
    return t;
  };
  return {
    size,
    run(job: ChunkJob): Promise<ChunkPart> {
      if (terminated) return Promise.reject(new Error('pool terminated'));
      const t = [...threads].find((x) => !x.busy) ?? (threads.size < size ? spawn() : null);
      if (t === null) return Promise.reject(new Error(`all ${size} decode workers are busy`));
      t.busy = true;
      return new Promise<ChunkPart>((resolve, reject) => {
        t.settle = (m) => {
          t.settle = null;
          t.busy = false;
          if (m instanceof Error) reject(m);
          else if (m.kind === 'part') resolve(m.part);
          else reject(new Error(m.message));
        };
        t.w.postMessage(job);
      });
    },
    terminate(): void {
      terminated = true;
      for (const t of threads) void t.w.terminate();
    },
    live: () => threads.size,
    started: () => started,
    idle: async () => {
      await Promise.all(exits);
    },
  };
}
