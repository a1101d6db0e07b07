// Many captures at once: each is read whole by one thread (cli/capture-job.ts), up to `jobs` of them at a
// time in capture workers, so that memory is a capture's tables (and a row group per open partition with
// --parquet) per worker, whatever the captures' sizes. jobs 1 reads them one after the other on this
// thread. Outcomes come back in the order of the captures.
import { Worker } from 'node:worker_threads';
import { runCapture, type CaptureJob, type CaptureOutcome } from './capture-job.ts';
import type { CaptureReply, CaptureRequest } from './capture-worker.ts';

const ENTRY = new URL('./capture-worker.mjs', import.meta.url);

export interface CapturesOptions {
  jobs: number;
  /** Bytes read since the last call, over all captures. */
  onBytes?: (delta: number) => void;
  /** A capture finished (in completion order). */
  onDone?: (k: number, outcome: CaptureOutcome) => void;
}

export async function runCaptures(list: readonly CaptureJob[], opts: CapturesOptions): Promise<CaptureOutcome[]> {
  const out: CaptureOutcome[] = new Array(list.length);
  const finish = (k: number, o: CaptureOutcome): void => {
    out[k] = o;
    opts.onDone?.(k, o);
  };
  const threads = Math.min(Math.max(1, Math.floor(opts.jobs)), list.length);
  if (threads <= 1) {
    for (let k = 0; k < list.length; k++) finish(k, await runCapture(list[k], opts.onBytes));
    return out;
  }
  let next = 0;
  const worker = (): Promise<void> => new Promise((done) => {
    const w = new Worker(ENTRY);
    let current = -1;
    const feed = (): void => {
      if (next >= list.length) {
        current = -1;
        void w.terminate().then(() => done());
        return;
      }
      current = next++;
      w.postMessage({ id: current, job: list[current] } satisfies CaptureRequest);
    };
    w.on('message', (m: CaptureReply) => {
      if (m.kind === 'bytes') opts.onBytes?.(m.bytes);
      else {
        finish(m.id, m.outcome);
        feed();
      }
    });
    // A worker that dies takes only its capture with it: the rest go to the workers still running.
    w.on('error', (err: Error) => {
      if (current >= 0) finish(current, { name: list[current].name, error: err.message });
      current = -1;
      done();
    });
    w.on('exit', () => {
      if (current >= 0) finish(current, { name: list[current].name, error: 'the capture worker stopped' });
      done();
    });
    feed();
  });
  await Promise.all(Array.from({ length: threads }, worker));
  // Captures no worker took (every worker died first) are read here.
  for (let k = 0; k < list.length; k++) if (out[k] === undefined) finish(k, await runCapture(list[k], opts.onBytes));
  return out;
}
