// Parallel load. The capture is cut into many chunks (decoders/parallel/plan.ts); every decoder, the
// calling thread and each pool worker, takes the lowest chunk nobody has taken yet. The calling thread
// decodes straight into the Engine while the chunk it takes is the next one in frame order (so the first
// rows appear at once and no copy is made); otherwise it decodes that chunk into a part like a worker.
// Parts are merged in frame order as soon as the ones before them are in. At every seam the previous
// reader must have stopped exactly at the record where the next chunk began; otherwise that chunk is
// redone here, serially. Nobody takes a chunk more than WINDOW chunks past the merged ones, which
// bounds the parts held in memory. A chunk that meets interfaces or sections of its own (multi-section
// pcapng, an IDB mid-file) ends the parallel part: the rest is read by one reader. Anything the planner
// does not accept (gzip, small files, one job) is Engine.load unchanged.

import type { Engine, LoadOptions, LoadOutcome } from '../analysis/engine.ts';
import { drive } from '../capture/stream.ts';
import type { ByteSource, CaptureResult, CaptureWarning, FrameRecord } from '../capture/types.ts';
import { decodeChunk, newReader, structuralChange, type ChunkJob, type ChunkPart } from './chunk.ts';
import { mergePart, mergeWarnings, shiftWarnings } from './merge.ts';
import { planChunks, type PlanOptions } from './plan.ts';

export interface ChunkPool {
  /** Workers this pool runs at once; the loader never has more jobs than this in flight. */
  readonly size: number;
  /** Decodes one chunk on a free worker. */
  run(job: ChunkJob, onProgress?: (bytesRead: number) => void): Promise<ChunkPart>;
  /** Stops every worker at once; runs still pending reject. */
  terminate(): void;
}

export interface ParallelLoadOptions extends LoadOptions {
  /** Decoders in total, this thread included; below 2 the load is serial. */
  jobs: number;
  /** Creates the worker pool (only called when the capture is split); it runs up to jobs - 1 chunks at once. */
  pool: (workers: number) => ChunkPool;
  plan?: PlanOptions;
  /** Tests and the bench: how the load went. */
  onPlan?: (info: ParallelInfo) => void;
}

export interface ParallelInfo {
  chunks: number;
  /** Chunks decoded into the Engine directly by this thread. */
  direct: number;
  /** Chunks decoded apart (by workers, or by this thread ahead of the frame order) and merged as they were. */
  merged: number;
  /** Of those merged, the ones decoded by pool workers. */
  byWorkers: number;
  /** Chunks redone on this thread because a seam did not match. */
  redone: number;
  /** Whether the load ended serially because a chunk defined interfaces/sections of its own. */
  fellBack: boolean;
}

/**
 * How far past the next chunk to merge a chunk may be taken, per decoder (window + 1 parts held at
 * most). A part that keeps frames holds 64 bytes per frame (~3 MB for 32 MiB of capture) until merged,
 * so fewer then.
 */
const WINDOW_PER_DECODER = 2;
const WINDOW_PER_DECODER_RETAINING = 1;
/**
 * Without frames kept, parts taken from the end wait for the front reader until near the end of the
 * load. Each holds its chunk's address, tenant and flow tables (72 bytes a flow), so past this many
 * per worker the workers take chunks in frame order like the app does.
 */
const BACK_PARTS_PER_WORKER = 8;

type Slot =
  | { kind: 'free' }
  | { kind: 'direct' }
  /** Merged: the part itself is dropped so that it can be collected. */
  | { kind: 'merged' }
  | { kind: 'part'; part: ChunkPart | null; done: boolean; worker: boolean; wait: Promise<void> };

export async function loadParallel(engine: Engine, src: ByteSource, name: string, opts: ParallelLoadOptions): Promise<LoadOutcome> {
  if (opts.jobs < 2 || engine.hasFrameHook || engine.frames > 0) return engine.load(src, name, opts);
  const plan = await planChunks(src, opts.jobs, opts.plan);
  if (plan === null) return engine.load(src, name, opts);
  engine.name = name;
  engine.size = src.size;
  const { starts, size } = plan;
  const n = starts.length;
  const info: ParallelInfo = { chunks: n, direct: 0, merged: 0, byWorkers: 0, redone: 0, fellBack: false };
  const signal = opts.signal;
  const workers = Math.max(1, Math.floor(opts.jobs) - 1);
  const pool = opts.pool(workers);
  const capacity = Math.min(workers, pool.size);
  const window = (engine.retainsFrames ? WINDOW_PER_DECODER_RETAINING : WINDOW_PER_DECODER) * (capacity + 1);
  const onAbort = (): void => pool.terminate();
  signal?.addEventListener('abort', onAbort);

  const jobOf = (k: number): ChunkJob => ({
    format: plan.format, preamble: plan.preamble, interfaces: plan.interfaces, hint: plan.hint,
    start: starts[k], exact: k === 0 || plan.exact, stopAt: k + 1 < n ? starts[k + 1] : -1, size, retain: engine.retainsFrames,
  });
  const slots: Slot[] = Array.from({ length: n }, () => ({ kind: 'free' }));
  /** Chunks nobody has taken: nextFree..lastFree. */
  let nextFree = 0;
  let lastFree = n - 1;
  // Without frames kept, a part is a few tables: workers take chunks from the end and this thread reads
  // on from the front, straight into the Engine, until it meets them (no copies, no restarts, one
  // wait at most). Parts that keep frames are 64 bytes a frame, so they are taken in frame order
  // and merged as they come, within the window.
  const fromBack = !engine.retainsFrames;
  let backTaken = 0;
  /** Next chunk to merge (or being decoded directly). */
  let mergeAt = 0;
  let inflight = 0;
  let stopDispatch = false;
  /** Wakes the merge loop when a part arrives. */
  let wake: (() => void) | null = null;
  const poke = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const takePart = (k: number, worker: boolean, run: () => Promise<ChunkPart>): void => {
    const slot: Slot = { kind: 'part', part: null, done: false, worker, wait: Promise.resolve() };
    slots[k] = slot;
    // A pool that throws instead of rejecting (a Worker that cannot be created) costs a serial redo, not the load.
    slot.wait = Promise.resolve().then(run).then(
      (p) => { slot.part = p; },
      () => { slot.part = null; }, // a chunk that failed is redone here
    ).finally(() => {
      slot.done = true;
      if (worker) inflight--;
      dispatch();
      poke();
    });
  };
  const dispatch = (): void => {
    while (!stopDispatch && inflight < capacity && nextFree <= lastFree && !signal?.aborted) {
      const back = fromBack && backTaken < BACK_PARTS_PER_WORKER * capacity;
      if (!back && nextFree - mergeAt > window) break;
      if (back) backTaken++;
      const k = back ? lastFree-- : nextFree++;
      inflight++;
      takePart(k, true, () => pool.run(jobOf(k)));
    }
  };

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

  // The direct reader: reads the file head itself, then every chunk it reaches before anyone else has
  // taken it (its stop moves on while the next chunk is still free), and any stretch to be redone.
  let stopAt = -1;
  let stopped = -1;
  let directChunk = -1;
  const reader = newReader(plan.format, (rec: FrameRecord) => {
    while (stopAt >= 0 && rec.recordOffset >= stopAt) {
      // Carry on into the next chunk if it is still free: no seam, no restart.
      const k = directChunk + 1;
      if (directChunk >= 0 && k === nextFree && k <= lastFree && !stopDispatch) {
        slots[k] = { kind: 'direct' };
        nextFree++;
        info.direct++;
        directChunk = k;
        mergeAt = k;
        stopAt = k + 1 < n ? starts[k + 1] : -1;
        dispatch();
        continue;
      }
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
  /** Reads [from, first record at or past `until`) into the Engine; `chunk` >= 0 lets it run on into free chunks. */
  const serial = async (from: number, until: number, chunk: number): Promise<void> => {
    stopAt = until;
    stopped = -1;
    directChunk = chunk;
    reader.stop = false;
    reader.cancelled = false;
    reader.frames = engine.frames;
    const base = doneBytes;
    bytesRead = await drive(src.chunks(from), size, reader, { signal, onProgress: (b) => progress(base + b - from) }, from);
    directChunk = -1;
    doneBytes = base + (stopped >= 0 ? stopped : bytesRead) - from;
    // The record it stopped at is the next chunk's first: its warnings are that chunk's to report.
    for (const w of reader.warnings.slice(readerWarnings)) if (stopped < 0 || w.offset < stopped) warnings.push(w);
    readerWarnings = reader.warnings.length;
    if (reader.error !== null) error = reader.error;
    if (reader.cancelled && stopped < 0) cancelled = true;
    if (stopped >= 0 && structuralChange(reader, plan.interfaces)) {
      // Interfaces or a section of its own: only this reader has seen them; it reads the rest.
      fallBack();
      await serial(stopped, -1, -1);
    }
  };
  const fallBack = (): void => {
    info.fellBack = true;
    stopDispatch = true;
    pool.terminate();
  };

  try {
    // Chunk 0 is this thread's; the workers start on chunks 1.. meanwhile.
    slots[0] = { kind: 'direct' };
    nextFree = 1;
    info.direct++;
    dispatch();
    await serial(0, n > 1 ? starts[1] : -1, 0);
    let expect = stopped;
    mergeAt++;
    while (mergeAt < n && expect >= 0 && error === null && !cancelled && !info.fellBack) {
      if (signal?.aborted) {
        cancelled = true;
        break;
      }
      const k = mergeAt;
      const slot = slots[k];
      if (slot.kind === 'free') {
        // Next in frame order and nobody has it: straight into the Engine (and on into free chunks).
        slots[k] = { kind: 'direct' };
        nextFree = k + 1;
        info.direct++;
        dispatch();
        await serial(expect, k + 1 < n ? starts[k + 1] : -1, k);
        expect = stopped;
        mergeAt++;
        continue;
      }
      if (slot.kind === 'part' && !slot.done) {
        // Its worker is still at it: decode a later free chunk into a part meanwhile, if the window allows.
        if (!stopDispatch && nextFree <= lastFree && nextFree - mergeAt <= window) {
          const j = nextFree++;
          takePart(j, false, () => decodeChunk(src, jobOf(j), signal));
          await (slots[j] as { wait: Promise<void> }).wait;
        } else {
          await new Promise<void>((resolve) => {
            wake = resolve;
            void slot.wait.then(poke);
          });
        }
        continue;
      }
      if (slot.kind !== 'part') throw new Error(`chunk ${k} was decoded out of order`);
      const part = slot.part;
      slots[k] = { kind: 'merged' };
      if (signal?.aborted) {
        cancelled = true;
        break;
      }
      if (part !== null && part.structural && part.first === expect) {
        fallBack();
        await serial(expect, -1, -1);
        break;
      }
      if (part !== null && !part.cancelled && part.first === expect) {
        const frameBase = engine.frames;
        if (engine.retainsFrames) {
          // Past the first estimate: grow to a new estimate from everything read so far (+3%), not to the
          // exact need, or every later merge would copy the whole index once more.
          const need = engine.store.count + part.data.frames;
          const read = doneBytes + (part.stop >= 0 ? part.stop : part.bytesRead) - expect;
          if (need > engine.store.capacity && read > 0) engine.store.reserve(Math.max(need, Math.ceil((need * size * 1.03) / read)), true);
        }
        mergePart(engine, part.data);
        warnings.push(...shiftWarnings(part.warnings, frameBase));
        bytesRead = part.bytesRead;
        if (part.error !== null) error = part.error.frame > 0 ? { ...part.error, frame: part.error.frame + frameBase } : part.error;
        doneBytes += (part.stop >= 0 ? part.stop : part.bytesRead) - expect;
        expect = part.stop;
        info.merged++;
        if (slot.worker) info.byWorkers++;
        mergeAt++;
        progress(doneBytes);
        dispatch();
        continue;
      }
      info.redone++;
      await serial(expect, k + 1 < n ? starts[k + 1] : -1, -1);
      expect = stopped;
      mergeAt++;
      dispatch();
    }
  } finally {
    stopDispatch = true;
    signal?.removeEventListener('abort', onAbort);
    pool.terminate();
  }
  if (signal?.aborted) cancelled = true;
  engine.finishFragments();
  warnings.push(...engine.fragmentWarnings());
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
