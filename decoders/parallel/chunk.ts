// Decoding one chunk of a capture: a reader primed with the file's preamble (header / blocks before
// the first packet) reads from the chunk start and stops at the first packet record at or past the
// next chunk's start. Runs in a worker (Web Worker or worker_thread); pure TypeScript.

import { Engine } from '../analysis/engine.ts';
import { PcapReader } from '../capture/pcap.ts';
import { PcapngReader } from '../capture/pcapng.ts';
import { drive, type RecordReader } from '../capture/stream.ts';
import type { ByteSource, CaptureFormat, CaptureWarning, FrameRecord } from '../capture/types.ts';
import type { InterfaceStatistics } from '../capture/isb.ts';
import { exportPart, type PartData } from './merge.ts';
import { resync, type ResyncHint } from './plan.ts';

export interface ChunkJob {
  format: CaptureFormat;
  /** Bytes [0, first packet) of the file. */
  preamble: Uint8Array;
  /** Interfaces the preamble defines. */
  interfaces: number;
  /** Where the chunk's first record is: exactly here, or found by resynchronising from here. */
  start: number;
  exact: boolean;
  hint: ResyncHint;
  /** Stop at the first packet record at or past this offset; -1 reads to the end. */
  stopAt: number;
  size: number;
  /** Keep the per-frame columns (the app); false keeps only aggregates (CLI summary). */
  retain: boolean;
}

export interface ChunkOutcome {
  /** Packets decoded (chunk-local numbers 1..frames). */
  frames: number;
  /** Record offset of the first packet met (decoded or the stopping one); -1 when none. */
  first: number;
  /** Record offset of the packet where it stopped (the next chunk's first); -1 when read to the end or stopped by an error. */
  stop: number;
  /** Where reading ended (as readCapture's bytesRead). */
  bytesRead: number;
  warnings: CaptureWarning[];
  error: CaptureWarning | null;
  cancelled: boolean;
  /** The chunk defined interfaces or sections of its own: its frames cannot be trusted, read serially. */
  structural: boolean;
  /** Interface Statistics Blocks read from the chunk's start on (the merge drops those another reader also met). */
  statistics: InterfaceStatistics[];
}

export interface ChunkPart extends ChunkOutcome {
  data: PartData;
}

export function newReader(format: CaptureFormat, onFrame: (rec: FrameRecord) => boolean): RecordReader {
  return format === 'pcap' ? new PcapReader(onFrame) : new PcapngReader(onFrame);
}

/** Whether a reader has met interfaces or sections beyond the preamble's. */
export function structuralChange(reader: RecordReader, interfaces: number): boolean {
  return reader.interfaces.length > interfaces || (reader instanceof PcapngReader && reader.sections > 1);
}

export async function readChunk(
  src: ByteSource, job: ChunkJob, onRecord: (rec: FrameRecord) => void,
  signal?: AbortSignal, onProgress?: (bytesRead: number) => void,
): Promise<ChunkOutcome> {
  let frames = 0;
  let first = -1;
  let stop = -1;
  const stopAt = job.stopAt;
  const reader = newReader(job.format, (rec) => {
    if (first < 0) first = rec.recordOffset;
    if (stopAt >= 0 && rec.recordOffset >= stopAt) {
      stop = rec.recordOffset;
      return false;
    }
    frames++;
    rec.n = frames;
    onRecord(rec);
    return true;
  });
  reader.run(job.preamble, 0, job.preamble.length, 0);
  const primed = !reader.stop && reader.interfaces.length === job.interfaces && reader.frames === 0;
  const start = job.exact ? job.start : await resync(src, job.start, job.format, job.hint);
  let bytesRead = job.start;
  // No boundary found: an empty outcome (first -1) that the merge redoes serially.
  if (primed && start !== null && !signal?.aborted) {
    bytesRead = await drive(src.chunks(start), job.size, reader, {
      signal, onProgress: onProgress ? (b) => onProgress(b - start) : undefined,
    }, start);
  }
  return {
    frames, first, stop, bytesRead,
    // Blocks before the first packet and the record it stopped at are read by the neighbouring
    // chunks' readers too: their warnings are reported there, once.
    warnings: reader.warnings.filter((w) => (first < 0 || w.offset >= first) && (stop < 0 || w.offset < stop)),
    error: reader.error,
    cancelled: reader.cancelled && stop < 0,
    structural: !primed || structuralChange(reader, job.interfaces),
    statistics: reader instanceof PcapngReader ? reader.statistics.filter((st) => st.offset >= (start ?? job.start)) : [],
  };
}

/** The worker side: decodes a chunk into its own Engine and packs the result for the merge. */
export async function decodeChunk(
  src: ByteSource, job: ChunkJob, signal?: AbortSignal, onProgress?: (bytesRead: number) => void,
): Promise<ChunkPart> {
  const engine = new Engine({ retainFrames: job.retain, deferFragments: true });
  // Size the store once from the first window (+5%) instead of doubling it on the way.
  const span = (job.stopAt >= 0 ? job.stopAt : job.size) - job.start;
  let sized = !job.retain;
  const out = await readChunk(src, job, (rec) => engine.add(rec), signal, (b) => {
    if (!sized && engine.frames >= 1000 && b > 0) {
      sized = true;
      engine.store.reserve(Math.ceil((engine.frames * span * 1.05) / b), true);
    }
    onProgress?.(b);
  });
  return { ...out, data: exportPart(engine) };
}
