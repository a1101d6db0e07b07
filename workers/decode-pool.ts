// The browser's ChunkPool: one Web Worker per chunk (started from the analyzer worker), each reading
// its slice of the File. terminate() ends every one of them at once.
import type { ChunkJob, ChunkPart } from '../decoders/parallel/chunk.ts';
import type { ChunkPool } from '../decoders/parallel/load.ts';

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

export function blobPool(file: Blob): ChunkPool {
  const workers = new Set<{ w: Worker; fail: (e: Error) => void }>();
  let terminated = false;
  const end = (entry: { w: Worker; fail: (e: Error) => void }): void => {
    if (!workers.delete(entry)) return;
    entry.w.terminate();
    liveWorkers--;
  };
  return {
    run(job: ChunkJob): Promise<ChunkPart> {
      if (terminated) return Promise.reject(new Error('pool terminated'));
      return new Promise<ChunkPart>((resolve, reject) => {
        const w = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'tunnelscope-decode' });
        const entry = { w, fail: reject };
        workers.add(entry);
        liveWorkers++;
        w.onmessage = (ev: MessageEvent<{ kind: 'part'; part: ChunkPart } | { kind: 'error'; message: string }>) => {
          const m = ev.data;
          end(entry);
          if (m.kind === 'part') resolve(m.part);
          else reject(new Error(m.message));
        };
        w.onerror = (ev) => {
          end(entry);
          reject(new Error(ev.message || 'decode worker failed'));
        };
        w.postMessage({ file, job });
      });
    },
    terminate(): void {
      terminated = true;
      for (const entry of [...workers]) {
        end(entry);
        entry.fail(new Error('cancelled'));
      }
    },
  };
}
