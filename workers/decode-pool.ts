// The browser's ChunkPool: up to `size` Web Workers (started from the analyzer worker), each reading
// the chunks it is given from the File by slices, one after another. terminate() ends every one of
// them at once.
import type { ChunkJob, ChunkPart } from '../decoders/parallel/chunk.ts';
import type { ChunkPool } from '../decoders/parallel/load.ts';
import type { DecodeReply } from './decode.worker.ts';

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

interface Entry {
  w: Worker;
  busy: boolean;
  settle: ((reply: DecodeReply | Error) => void) | null;
}

export function blobPool(file: Blob, size: number): ChunkPool {
  const entries = new Set<Entry>();
  let terminated = false;
  const end = (e: Entry, why: Error): void => {
    if (!entries.delete(e)) return;
    e.w.terminate();
    liveWorkers--;
    e.settle?.(why);
  };
  const spawn = (): Entry => {
    const w = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'tunnelscope-decode' });
    const e: Entry = { w, busy: false, settle: null };
    entries.add(e);
    liveWorkers++;
    w.onmessage = (ev: MessageEvent<DecodeReply>) => e.settle?.(ev.data);
    w.onerror = (ev) => end(e, new Error(ev.message || 'decode worker failed'));
    w.onmessageerror = () => end(e, new Error('a decode worker sent a part that could not be received'));
    w.postMessage({ kind: 'file', file });
    return e;
  };
  return {
    size,
    run(job: ChunkJob): Promise<ChunkPart> {
      if (terminated) return Promise.reject(new Error('pool terminated'));
      const e = [...entries].find((x) => !x.busy) ?? (entries.size < size ? spawn() : null);
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
        e.w.postMessage({ kind: 'job', job });
      });
    },
    terminate(): void {
      terminated = true;
      for (const e of [...entries]) end(e, new Error('cancelled'));
    },
  };
}
