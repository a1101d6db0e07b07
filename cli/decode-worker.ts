// A worker thread for `tunnelscope --jobs N` (see cli/jobs.ts): opens the capture once, then decodes
// each chunk it is sent and posts the packed part back.
import { parentPort, workerData } from 'node:worker_threads';
import { decodeChunk, type ChunkJob } from '../decoders/parallel/chunk.ts';
import { partTransfer } from '../decoders/parallel/merge.ts';
import type { DecodeReply } from '../decoders/parallel/worker-pool.ts';
import { openNodeSource } from './node-source.ts';

const { path } = workerData as { path: string };
const port = parentPort;
if (port === null) throw new Error('decode-worker.ts must run in a worker thread');
const src = openNodeSource(path);
src.catch(() => undefined);
port.on('message', (job: ChunkJob) => {
  src.then((s) => decodeChunk(s, job)).then(
    (part) => port.postMessage({ kind: 'part', part } satisfies DecodeReply, partTransfer(part.data)),
    (err: unknown) => port.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) } satisfies DecodeReply),
  );
});
