// A ChunkPool that decodes on the calling thread, one chunk after another: for tests (the merge and
// seam checks are exactly those of the worker pools) and for platforms without workers.

import type { ByteSource } from '../capture/types.ts';
import { decodeChunk } from './chunk.ts';
import type { ChunkPool } from './load.ts';

export function localPool(src: ByteSource, size = 1): ChunkPool {
  const abort = new AbortController();
  let queue: Promise<unknown> = Promise.resolve();
  return {
    size,
    run(job, onProgress) {
      const run = queue.then(() => {
        if (abort.signal.aborted) throw new Error('pool terminated');
        return decodeChunk(src, job, abort.signal, onProgress);
      });
      queue = run.catch(() => undefined);
      return run;
    },
    terminate() {
      abort.abort();
    },
  };
}
