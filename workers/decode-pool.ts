// The browser's ChunkPool: up to `size` Web Workers (started from the analyzer worker) kept by
// decoders/parallel/worker-pool.ts, each reading the chunks it is given from the File.
import type { ChunkPool } from '../decoders/parallel/load.ts';
import { workerPool, type DecodeReply } from '../decoders/parallel/worker-pool.ts';

/**
 * Decoders in total (the analyzer worker included): the cores, capped at 8, leaving one core to the page
 * from 3 cores up (on 2 cores both decode: the page's work during a load is small).
 */
export function browserJobs(): number {
  const n = typeof navigator !== 'undefined' && Number.isFinite(navigator.hardwareConcurrency) ? navigator.hardwareConcurrency : 1;
  return Math.max(1, Math.min(8, n >= 3 ? n - 1 : n));
}

/** Decode workers alive right now, across pools (for tests via the analyzer). */
let liveWorkers = 0;
export function liveDecodeWorkers(): number {
  return liveWorkers;
}

export function blobPool(file: Blob, size: number): ChunkPool {
  return workerPool(size, (reply, fail) => {
    const w = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'tunnelscope-decode' });
    liveWorkers++;
    w.onmessage = (ev: MessageEvent<DecodeReply>) => reply(ev.data);
    w.onerror = (ev) => fail(new Error(ev.message || 'decode worker failed'));
    w.onmessageerror = () => fail(new Error('a decode worker sent a part that could not be received'));
    w.postMessage({ kind: 'file', file });
    return {
      post: (job) => w.postMessage({ kind: 'job', job }),
      terminate: () => {
        w.terminate();
        liveWorkers--;
      },
    };
  });
}
