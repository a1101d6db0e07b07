// One chunk of a capture, decoded in a worker thread for `tunnelscope --jobs N` (see cli/jobs.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { decodeChunk, type ChunkJob } from '../decoders/parallel/chunk.ts';
import { partTransfer } from '../decoders/parallel/merge.ts';
import { openNodeSource } from './node-source.ts';

export interface DecodeWorkerData {
  path: string;
  job: ChunkJob;
}

const { path, job } = workerData as DecodeWorkerData;
const port = parentPort;
if (port === null) throw new Error('decode-worker.ts must run in a worker thread');
const src = await openNodeSource(path);
try {
  const part = await decodeChunk(src, job);
  port.postMessage({ kind: 'part', part }, partTransfer(part.data));
} catch (err) {
  port.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
} finally {
  await src.close();
}
