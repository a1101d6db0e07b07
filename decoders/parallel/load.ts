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
//
// The steps: plan (plan.ts), hand out chunks (schedule.ts), read directly (direct.ts), then ParallelLoad
// takes the chunks in frame order (merge a part, or redo it serially) and finishes the result.

import type { Engine, LoadOptions, LoadOutcome } from '../analysis/engine.ts';
import type { ByteSource, CaptureResult, CaptureWarning } from '../capture/types.ts';
import type { InterfaceStatistics } from '../capture/isb.ts';
import { decodeChunk, type ChunkJob, type ChunkPart } from './chunk.ts';
import { DirectReader } from './direct.ts';
import { mergePart, mergeWarnings, shiftWarnings } from './merge.ts';
import { planChunks, type ChunkPlan, type PlanOptions } from './plan.ts';
import { ChunkSchedule, type PartSlot } from './schedule.ts';

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

export async function loadParallel(engine: Engine, src: ByteSource, name: string, opts: ParallelLoadOptions): Promise<LoadOutcome> {
  if (opts.jobs < 2 || engine.hasFrameHook || engine.frames > 0) return engine.load(src, name, opts);
  const plan = await planChunks(src, opts.jobs, opts.plan);
  if (plan === null) return engine.load(src, name, opts);
  engine.name = name;
  engine.size = src.size;
  const load = new ParallelLoad(engine, src, plan, opts);
  await load.run();
  const result = load.finish();
  opts.onPlan?.(load.info);
  opts.onProgress?.({ bytesRead: result.bytesRead, totalBytes: plan.size, frames: result.frames, done: true });
  return { name, size: plan.size, result };
}

/** One parallel load: the chunks read directly or merged in frame order, seams checked, and the result. */
class ParallelLoad {
  readonly info: ParallelInfo;
  private readonly pool: ChunkPool;
  private readonly schedule: ChunkSchedule;
  private readonly direct: DirectReader;
  /** Where the next chunk to merge must begin (the record its predecessor's reader stopped at); -1: none. */
  private expect = -1;
  /** Bytes of the capture read into the Engine so far (progress, and the store's size estimate). */
  private doneBytes = 0;
  /**
   * Whether the store is sized yet: once, from the first window's frames per byte (+5%), so that it is
   * not doubled (and copied) on the way (doubling can hold three times the index at its peak).
   */
  private sized: boolean;
  // The result as it builds up.
  private readonly warnings: CaptureWarning[] = [];
  /** Interface Statistics Blocks the workers' chunks met (the direct reader keeps its own). */
  private readonly statistics: InterfaceStatistics[] = [];
  private error: CaptureWarning | null = null;
  private cancelled = false;
  private bytesRead = 0;

  constructor(
    private readonly engine: Engine, private readonly src: ByteSource, private readonly plan: ChunkPlan,
    private readonly opts: ParallelLoadOptions,
  ) {
    const n = plan.starts.length;
    this.info = { chunks: n, direct: 0, merged: 0, byWorkers: 0, redone: 0, fellBack: false };
    const workers = Math.max(1, Math.floor(opts.jobs) - 1);
    this.pool = opts.pool(workers);
    const capacity = Math.min(workers, this.pool.size);
    const retain = engine.retainsFrames;
    this.schedule = new ChunkSchedule({
      chunks: n,
      capacity,
      window: (retain ? WINDOW_PER_DECODER_RETAINING : WINDOW_PER_DECODER) * (capacity + 1),
      // Without frames kept, a part is a few tables: workers take chunks from the end and this thread reads
      // on from the front, straight into the Engine, until it meets them (no copies, no restarts, one
      // wait at most). Parts that keep frames are 64 bytes a frame, so they are taken in frame order
      // and merged as they come, within the window.
      backParts: retain ? 0 : BACK_PARTS_PER_WORKER * capacity,
      runOnWorker: (k) => this.pool.run(this.jobOf(k)),
    }, opts.signal);
    this.sized = !retain;
    this.direct = new DirectReader(engine, plan.format, (k) => this.readOn(k));
  }

  private readonly onAbort = (): void => this.pool.terminate();

  async run(): Promise<void> {
    const s = this.schedule;
    this.opts.signal?.addEventListener('abort', this.onAbort);
    try {
      // Chunk 0 is this thread's; the workers start on chunks 1.. meanwhile.
      s.takeDirect(0);
      this.info.direct++;
      s.dispatch();
      await this.serial(0, this.endOf(0), 0);
      this.expect = this.direct.stopped;
      s.mergeAt++;
      await this.mergeInOrder();
    } finally {
      s.stop();
      this.opts.signal?.removeEventListener('abort', this.onAbort);
      this.pool.terminate();
    }
  }

  /** Takes every chunk in frame order until the last one, an error, a cancel or a fall-back to one reader. */
  private async mergeInOrder(): Promise<void> {
    const s = this.schedule;
    const signal = this.opts.signal;
    while (s.mergeAt < this.info.chunks && this.expect >= 0 && this.error === null && !this.cancelled && !this.info.fellBack) {
      if (signal?.aborted) {
        this.cancelled = true;
        break;
      }
      const k = s.mergeAt;
      const slot = s.slots[k];
      if (slot.kind === 'free') {
        // Next in frame order and nobody has it: straight into the Engine (and on into free chunks).
        s.takeDirect(k);
        this.info.direct++;
        s.dispatch();
        await this.serial(this.expect, this.endOf(k), k);
        this.expect = this.direct.stopped;
        s.mergeAt++;
        continue;
      }
      if (slot.kind === 'part' && !slot.done) {
        await this.whileDecoding(slot);
        continue;
      }
      if (slot.kind !== 'part') throw new Error(`chunk ${k} was decoded out of order`);
      const part = slot.part;
      s.slots[k] = { kind: 'merged' };
      if (signal?.aborted) {
        this.cancelled = true;
        break;
      }
      if (part !== null && part.structural && part.first === this.expect) {
        await this.readRestAlone(this.expect);
        break;
      }
      if (part !== null && !part.cancelled && part.first === this.expect) this.merge(part, slot.worker);
      else await this.redo(k);
    }
  }

  /** The next chunk's worker is still at it: decode a later free chunk into a part meanwhile, if the window allows. */
  private async whileDecoding(slot: PartSlot): Promise<void> {
    const ahead = this.schedule.takeAhead((j) => decodeChunk(this.src, this.jobOf(j), this.opts.signal));
    await (ahead !== null ? ahead.wait : this.schedule.waitForPart(slot));
  }

  /** Appends a part that begins exactly where the reader before it stopped. */
  private merge(part: ChunkPart, byWorker: boolean): void {
    const e = this.engine;
    const frameBase = e.frames;
    const end = part.stop >= 0 ? part.stop : part.bytesRead;
    if (e.retainsFrames) {
      // Past the first estimate: grow to a new estimate from everything read so far (+3%), not to the
      // exact need, or every later merge would copy the whole index once more.
      const need = e.store.count + part.data.frames;
      const read = this.doneBytes + end - this.expect;
      if (need > e.store.capacity && read > 0) e.store.reserve(Math.max(need, Math.ceil((need * this.plan.size * 1.03) / read)), true);
    }
    mergePart(e, part.data);
    this.warnings.push(...shiftWarnings(part.warnings, frameBase));
    this.statistics.push(...part.statistics);
    this.bytesRead = part.bytesRead;
    if (part.error !== null) this.error = part.error.frame > 0 ? { ...part.error, frame: part.error.frame + frameBase } : part.error;
    this.doneBytes += end - this.expect;
    this.expect = part.stop;
    this.info.merged++;
    if (byWorker) this.info.byWorkers++;
    this.schedule.mergeAt++;
    this.progress(this.doneBytes);
    this.schedule.dispatch();
  }

  /** Chunk k's part does not begin where the reader before it stopped (a false resync), or failed: read it here. */
  private async redo(k: number): Promise<void> {
    this.info.redone++;
    await this.serial(this.expect, this.endOf(k), -1);
    this.expect = this.direct.stopped;
    this.schedule.mergeAt++;
    this.schedule.dispatch();
  }

  /** The direct reader reached chunk k: it reads on into it if nobody has taken it (returns k's end), else null. */
  private readOn(k: number): number | null {
    const s = this.schedule;
    if (!s.canReadOn(k)) return null;
    s.takeDirect(k);
    this.info.direct++;
    s.mergeAt = k;
    s.dispatch();
    return this.endOf(k);
  }

  /** Reads [from, first record at or past `until`) into the Engine; `chunk` >= 0 lets it run on into free chunks. */
  private async serial(from: number, until: number, chunk: number): Promise<void> {
    const d = this.direct;
    const base = this.doneBytes;
    this.bytesRead = await d.read(this.src, this.plan.size, from, until, chunk, this.opts.signal, (b) => this.progress(base + b - from));
    this.doneBytes = base + (d.stopped >= 0 ? d.stopped : this.bytesRead) - from;
    this.warnings.push(...d.newWarnings());
    if (d.error !== null) this.error = d.error;
    if (d.cancelled) this.cancelled = true;
    // Interfaces or a section of its own: only this reader has seen them; it reads the rest.
    if (d.metStructure(this.plan.interfaces)) await this.readRestAlone(d.stopped);
  }

  /** A chunk met interfaces or a section of its own: the workers stop and this thread reads on from `from`. */
  private async readRestAlone(from: number): Promise<void> {
    this.info.fellBack = true;
    this.schedule.stop();
    this.pool.terminate();
    await this.serial(from, -1, -1);
  }

  private progress(bytesRead: number): void {
    const e = this.engine;
    const size = this.plan.size;
    if (!this.sized && e.frames >= 1000 && bytesRead > 0) {
      this.sized = true;
      e.store.reserve(Math.ceil((e.frames * size * 1.05) / bytesRead), true);
    }
    e.version++;
    this.opts.onProgress?.({ bytesRead: Math.min(size, bytesRead), totalBytes: size, frames: e.frames, done: false });
  }

  /** End of the load: datagrams still waiting never completed; the result goes to the Engine. */
  finish(): CaptureResult {
    if (this.opts.signal?.aborted) this.cancelled = true;
    const e = this.engine;
    e.finishFragments();
    this.warnings.push(...e.fragmentWarnings());
    const result: CaptureResult = {
      format: this.plan.format,
      gzip: false,
      frames: e.frames,
      bytesRead: this.bytesRead,
      interfaces: this.direct.interfaces,
      ...(this.plan.format === 'pcapng' ? { sections: this.direct.sections, statistics: uniqueStatistics([...this.direct.statistics, ...this.statistics]) } : {}),
      warnings: mergeWarnings(this.warnings),
      error: this.error,
      cancelled: this.cancelled,
    };
    e.result = result;
    e.version++;
    return result;
  }

  /** Record offset chunk k ends before: the next chunk's start, or -1 for the last. */
  private endOf(k: number): number {
    return k + 1 < this.info.chunks ? this.plan.starts[k + 1] : -1;
  }

  private jobOf(k: number): ChunkJob {
    const p = this.plan;
    return {
      format: p.format, preamble: p.preamble, interfaces: p.interfaces, hint: p.hint,
      start: p.starts[k], exact: k === 0 || p.exact, stopAt: this.endOf(k), size: p.size, retain: this.engine.retainsFrames,
    };
  }
}

/** Statistics blocks in file order, each once (a block near a seam may be read by two readers). */
function uniqueStatistics(all: InterfaceStatistics[]): InterfaceStatistics[] {
  const seen = new Map<number, InterfaceStatistics>();
  for (const st of all) if (!seen.has(st.offset)) seen.set(st.offset, st);
  return [...seen.values()].sort((a, b) => a.offset - b.offset);
}
