// The bookkeeping every worker ChunkPool shares: up to `size` long-lived workers, each decoding the
// chunks it is given one after another; a worker that fails takes no more chunks and its chunk is
// rejected (the loader redoes it serially); terminate() ends them all at once. The platform part
// (worker_threads in the CLI, Web Workers in the browser) is a port made by `spawn`.
import type { ChunkJob, ChunkPart } from './chunk.ts';
import type { ChunkPool } from './load.ts';

export type DecodeReply = { kind: 'part'; part: ChunkPart } | { kind: 'error'; message: string };

export interface WorkerPort {
  post(job: ChunkJob): void;
  /** Ends the worker; called once per worker. */
  terminate(): void;
}

/** Starts a worker; it calls `reply` with each reply and `fail` when the worker can no longer answer. */
export type Spawn = (reply: (m: DecodeReply) => void, fail: (why: Error) => void) => WorkerPort;

interface Entry {
  port: WorkerPort | null;
  busy: boolean;
  settle: ((reply: DecodeReply | Error) => void) | null;
}

export function workerPool(size: number, spawn: Spawn): ChunkPool {
  const entries = new Set<Entry>();
  let terminated = false;
  const end = (e: Entry, why: Error): void => {
    if (!entries.delete(e)) return;
    e.port?.terminate();
    e.settle?.(why);
  };
  const start = (): Entry => {
    const e: Entry = { port: null, busy: false, settle: null };
    entries.add(e);
    try {
      e.port = spawn((m) => e.settle?.(m), (why) => end(e, why));
    } catch (err) {
      entries.delete(e); // a worker that could not start is not kept (the loader redoes its chunk)
      throw err;
    }
    return e;
  };
  return {
    size,
    run(job: ChunkJob): Promise<ChunkPart> {
      if (terminated) return Promise.reject(new Error('pool terminated'));
      const e = [...entries].find((x) => !x.busy) ?? (entries.size < size ? start() : null);
      if (e === null) return Promise.reject(new Error(`all ${size} decode workers are busy`));
      e.busy = true;
      return new Promise<ChunkPart>((resolve, reject) => {
        e.settle = (m) => {
          e.settle = null;
          e.busy = false;
          if (m instanceof Error) reject(m);
          else if (m.kind === 'part') resolve(m.part);
          else reject(new Error(m.message));
        };
        e.port?.post(job);
      });
    },
    terminate(): void {
      terminated = true;
      for (const e of [...entries]) end(e, new Error('cancelled'));
    },
  };
}
