// A decode worker: one chunk of a File (read by Blob slices), decoded and packed for the analyzer
// worker to merge (decoders/parallel). Started and terminated by workers/decode-pool.ts.
import { BlobSource } from '../decoders/capture/blob-source.ts';
import { decodeChunk, type ChunkJob } from '../decoders/parallel/chunk.ts';
import { partTransfer } from '../decoders/parallel/merge.ts';

export interface DecodeRequest {
  file: Blob;
  job: ChunkJob;
}

interface WorkerScope {
  onmessage: ((ev: MessageEvent<DecodeRequest>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = (ev) => {
  const { file, job } = ev.data;
  decodeChunk(new BlobSource(file), job).then(
    (part) => scope.postMessage({ kind: 'part', part }, partTransfer(part.data)),
    (err: unknown) => scope.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) }, []),
  );
};
