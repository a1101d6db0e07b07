// A capture worker (cli/captures.ts): reads the captures it is sent, one at a time, and posts back the
// bytes it has read (for the progress bar) and each capture's outcome.
import { parentPort } from 'node:worker_threads';
import { runCapture, type CaptureJob } from './capture-job.ts';

export type CaptureRequest = { id: number; job: CaptureJob };
export type CaptureReply =
  | { id: number; kind: 'bytes'; bytes: number }
  | { id: number; kind: 'done'; outcome: Awaited<ReturnType<typeof runCapture>> };

const port = parentPort;
if (port === null) throw new Error('capture-worker.ts must run in a worker thread');
port.on('message', ({ id, job }: CaptureRequest) => {
  // Progress in pieces of at least 8 MiB: a message per chunk read would cost more than it tells.
  let pending = 0;
  const onBytes = (n: number): void => {
    pending += n;
    if (pending < 8 << 20) return;
    port.postMessage({ id, kind: 'bytes', bytes: pending } satisfies CaptureReply);
    pending = 0;
  };
  void runCapture(job, onBytes).catch((err: unknown) => ({ name: job.name, error: err instanceof Error ? err.message : String(err) })).then((outcome) => {
    if (pending > 0) port.postMessage({ id, kind: 'bytes', bytes: pending } satisfies CaptureReply);
    port.postMessage({ id, kind: 'done', outcome } satisfies CaptureReply);
  });
});
