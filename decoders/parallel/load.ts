// Parallel load: the calling thread decodes chunk 0 straight into the Engine (so the first rows appear
// at once) while a pool of workers decodes chunks 1..N-1; their parts are merged in frame order. At
// every seam the previous reader must have stopped exactly at the packet where the next chunk began;
// otherwise that chunk is redone here, serially. A chunk that meets interfaces or sections of its own
// (multi-section pcapng, an IDB mid-file) ends the parallel part: the rest is read by one reader.
// Anything the planner does not accept (gzip, small files, one job) is Engine.load unchanged.

import type { Engine, LoadOptions, LoadOutcome } from '../analysis/engine.ts';
import { drive } from '../capture/stream.ts';
import type { ByteSource, CaptureResult, CaptureWarning, FrameRecord } from '../capture/types.ts';
import { newReader, structuralChange, type ChunkJob, type ChunkPart } from './chunk.ts';
import { mergePart, mergeWarnings, shiftWarnings } from './merge.ts';
import { planChunks, type PlanOptions } from './plan.ts';

export interface ChunkPool {
  /** Decodes one chunk in a worker of its own. */
  run(job: ChunkJob, onProgress?: (bytesRead: number) => void): Promise<ChunkPart>;
  /** Stops every worker at once; runs still pending reject. */
  terminate(): void;
}

export interface ParallelLoadOptions extends LoadOptions {
  /** Decoders in total, this thread included; below 2 the load is serial. */
  jobs: number;
  /** Creates the worker pool (only called when the capture is split). */
  pool: () => ChunkPool;
  plan?: PlanOptions;
  /** Tests and the bench: how the load went. */
  onPlan?: (info: ParallelInfo) => void;
}

export interface ParallelInfo {
  chunks: number;
  /** Chunks decoded by workers and merged as they were. */
  merged: number;
  /** Chunks redone on this thread because a seam did not match. */
  redone: number;
  /** Whether the load ended serially because a chunk defined interfaces/sections of its own. */
  fellBack: boolean;
}

export async function loadParallel(engine: Engine, src: ByteSource, name: string, opts: ParallelLoadOptions): Promise<LoadOutcome> {
  if (opts.jobs < 2 || engine.hasFrameHook || engine.frames > 0) return engine.load(src, name, opts);
  const plan = await planChunks(src, opts.jobs, opts.plan);
  if (plan === null) return engine.load(src, name, opts);
  engine.name = name;
  engine.size = src.size;
  const { starts, size } = plan;
  const n = starts.length;
  const info: ParallelInfo = { chunks: n, merged: 0, redone: 0, fellBack: false };
  const signal = opts.signal;
  const pool = opts.pool();
  const onAbort = (): void => pool.terminate();
  signal?.addEventListener('abort', onAbort);

  let doneBytes = 0;
  // Size the store once from the first window's frames per byte (+5%), so that it is not doubled
  // (and copied) on the way: doubling can hold three times the index at its peak.
  let sized = !engine.retainsFrames;
  const progress = (bytesRead: number): void => {
    if (!sized && engine.frames >= 1000 && bytesRead > 0) {
      sized = true;
      engine.store.reserve(Math.ceil((engine.frames * size * 1.05) / bytesRead), true);
    }
    engine.version++;
    opts.onProgress?.({ bytesRead: Math.min(size, bytesRead), totalBytes: size, frames: engine.frames, done: false });
  };
  const parts: Array<Promise<ChunkPart> | null> = [null];
  for (let k = 1; k < n; k++) {
    const job: ChunkJob = {
      format: plan.format, preamble: plan.preamble, interfaces: plan.interfaces,
      start: starts[k], stopAt: k + 1 < n ? starts[k + 1] : -1, size, retain: engine.retainsFrames,
    };
    const p = pool.run(job);
    p.catch(() => undefined);
    parts.push(p);
  }

  // The serial reader: reads the file head itself, then any stretch the workers could not vouch for.
  let stopAt = n > 1 ? starts[1] : -1;
  let stopped = -1;
  const reader = newReader(plan.format, (rec: FrameRecord) => {
    if (stopAt >= 0 && rec.recordOffset >= stopAt) {
      stopped = rec.recordOffset;
      return false;
    }
    rec.n = engine.frames + 1;
    engine.add(rec);
    return true;
  });
  const warnings: CaptureWarning[] = [];
  let readerWarnings = 0;
  let error: CaptureWarning | null = null;
  let cancelled = false;
  let bytesRead = 0;
  const serial = async (from: number, until: number): Promise<void> => {
    stopAt = until;
    stopped = -1;
    reader.stop = false;
    reader.cancelled = false;
    reader.frames = engine.frames;
    const base = doneBytes;
    bytesRead = await drive(src.chunks(from), size, reader, { signal, onProgress: (b) => progress(base + b - from) }, from);
    doneBytes = base + (stopped >= 0 ? stopped : bytesRead) - from;
    warnings.push(...reader.warnings.slice(readerWarnings));
    readerWarnings = reader.warnings.length;
    if (reader.error !== null) error = reader.error;
    if (reader.cancelled && stopped < 0) cancelled = true;
    if (stopped >= 0 && structuralChange(reader, plan.interfaces)) {
      // Interfaces or a section of its own: only this reader has seen them; it reads the rest.
      info.fellBack = true;
      pool.terminate();
      await serial(stopped, -1);
    }
  };

  try {
    await serial(0, stopAt);
    let expect = stopped;
    for (let k = 1; k < n && expect >= 0 && error === null && !cancelled; k++) {
      let part: ChunkPart | null = null;
      try {
        part = await parts[k];
      } catch {
        if (signal?.aborted) {
          cancelled = true;
          break;
        }
        part = null; // a worker that failed is redone here
      }
      if (signal?.aborted) {
        cancelled = true;
        break;
      }
      if (part !== null && part.structural && part.first === expect) {
        info.fellBack = true;
        pool.terminate();
        await serial(expect, -1);
        break;
      }
      if (part !== null && !part.cancelled && part.first === expect) {
        const frameBase = engine.frames;
        mergePart(engine, part.data);
        warnings.push(...shiftWarnings(part.warnings, frameBase));
        bytesRead = part.bytesRead;
        if (part.error !== null) error = part.error.frame > 0 ? { ...part.error, frame: part.error.frame + frameBase } : part.error;
        doneBytes += (part.stop >= 0 ? part.stop : part.bytesRead) - expect;
        expect = part.stop;
        info.merged++;
        progress(doneBytes);
        continue;
      }
      info.redone++;
      await serial(expect, k + 1 < n ? starts[k + 1] : -1);
      expect = stopped;
      if (info.fellBack) break;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    pool.terminate();
  }
  if (signal?.aborted) cancelled = true;
  const result: CaptureResult = {
    format: plan.format,
    gzip: false,
    frames: engine.frames,
    bytesRead,
    interfaces: reader.interfaces,
    warnings: mergeWarnings(warnings),
    error,
    cancelled,
  };
  engine.result = result;
  engine.version++;
  opts.onPlan?.(info);
  opts.onProgress?.({ bytesRead: result.bytesRead, totalBytes: size, frames: result.frames, done: true });
  return { name, size, result };
}
