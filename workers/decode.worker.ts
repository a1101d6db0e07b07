// A decode worker: chunks of a File (read by Blob slices), each decoded and packed for the analyzer
// worker to merge (decoders/parallel). Started, fed and terminated by workers/decode-pool.ts.
import { BlobSource } from '../decoders/capture/blob-source.ts';
import { decodeChunk, type ChunkJob } from '../decoders/parallel/chunk.ts';
import { partTransfer } from '../decoders/parallel/merge.ts';
import type { DecodeReply } from '../decoders/parallel/worker-pool.ts';

export type DecodeRequest = { kind: 'file'; file: Blob } | { kind: 'job'; job: ChunkJob };

interface WorkerScope {
  onmessage: ((ev: MessageEvent<DecodeRequest>) => void) | null;
  postMessage(message: DecodeReply, transfer: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;
let source: BlobSource | null = null;
scope.onmessage = (ev) => {
  const m = ev.data;
  if (m.kind === 'file') {
    source = new BlobSource(m.file);
    return;
  }
  if (source === null) {
    scope.postMessage({ kind: 'error', message: 'decode worker was given a job before its file' }, []);
    return;
  }
  decodeChunk(source, m.job).then(
    (part) => scope.postMessage({ kind: 'part', part }, partTransfer(part.data)),
    (err: unknown) => scope.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) }, []),
  );
};
