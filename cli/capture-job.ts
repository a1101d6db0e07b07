// One capture of many (or of --parquet): read it once on this thread, keeping no frames, and give back its
// summary; with a Parquet folder, its tables are streamed there as it is read (decoders/tables/). Runs on
// the main thread or in a capture worker (cli/captures.ts).
import { Engine } from '../decoders/analysis/engine.ts';
import { summaryJson } from '../decoders/analysis/report.ts';
import type { CaptureSummaryJson } from '../decoders/analysis/types.ts';
import { NotACaptureError } from '../decoders/capture/types.ts';
import { CaptureTables } from '../decoders/tables/capture-tables.ts';
import { capturePartition } from '../decoders/tables/partition.ts';
import { FramesPipe, PipeFailed } from './frames-pipe.ts';
import { describeIoError } from './io-error.ts';
import { openNodeSource } from './node-source.ts';
import { ParquetDir } from './parquet-dir.ts';

export interface CaptureJob {
  path: string;
  name: string;
  /** --parquet DIR, or null. */
  parquet: string | null;
  /** Tests: rows per row group (default ROW_GROUP). */
  rowGroup?: number;
  /** Encode the frames table on another thread while this one decodes (one capture, cores to spare). */
  pipe?: boolean;
}

export type CaptureOutcome =
  | { name: string; summary: CaptureSummaryJson }
  /** The one-line reason it could not be read (or its tables not written). */
  | { name: string; error: string };

/** Reads a capture; onBytes gets the bytes read since its last call (compressed bytes for gzip). */
export async function runCapture(job: CaptureJob, onBytes?: (delta: number) => void): Promise<CaptureOutcome> {
  const dir = job.parquet !== null ? new ParquetDir(job.parquet, capturePartition(job.name)) : null;
  const tables = dir !== null ? new CaptureTables(job.name, dir, job.rowGroup) : null;
  const engine = new Engine({ retainFrames: false, onFrame: tables !== null ? (i, n) => tables.onFrame(i, n) : undefined });
  const pipe = job.pipe === true && dir !== null && job.parquet !== null
    ? new FramesPipe(engine, dir, job.parquet, capturePartition(job.name), job.name, job.rowGroup) : null;
  tables?.attach(engine, pipe ?? undefined);
  const fail = async (): Promise<void> => {
    await pipe?.abort().catch(() => undefined);
    dir?.abort();
  };
  let done = 0;
  try {
    const src = await openNodeSource(job.path);
    try {
      await engine.load(src, job.name, {
        onProgress: (p) => {
          const now = p.done && p.totalBytes >= 0 ? p.totalBytes : p.bytesRead;
          if (now > done) onBytes?.(now - done);
          done = Math.max(done, now);
        },
      });
    } finally {
      await src.close();
    }
    const r = engine.result;
    if (r && r.error && engine.frames === 0) {
      await fail();
      return { name: job.name, error: `${r.error.message} (at byte ${r.error.offset})` };
    }
    if (tables !== null && dir !== null) {
      await tables.finish();
      dir.commit();
    }
    return { name: job.name, summary: summaryJson(engine, job.name) };
  } catch (err) {
    const why = err instanceof PipeFailed && pipe !== null ? await pipe.reason() : null;
    await fail();
    return { name: job.name, error: why ?? (err instanceof NotACaptureError ? err.message : describeIoError(err, job.path)) };
  }
}
