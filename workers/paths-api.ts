// The worker's side of "Where did it break?" with several captures open (decoders/analysis/paths.ts): which
// capture the other queries answer from, the comparison of all open captures, one packet's path and the byte
// diff of two of its copies, and the pktmon folding of one capture. Types only: web/ imports them.
import type { CopyDiff, DiffRange, FoldedCounts, PacketPath, PathsJson } from '../decoders/analysis/paths.ts';
import type { PacketRow } from '../decoders/analysis/rows.ts';

export type { CopyDiff, DiffRange, FoldedCounts, PacketPath, PathsJson };
export type { PathFinding, PathStop, StopFinding } from '../decoders/analysis/paths.ts';

export interface PathsProgress {
  phase: 'keys' | 'match' | 'verdicts';
  /** Index of the capture being read, or -1. */
  capture: number;
  done: number;
  total: number;
}

/** What a comparison can be made of: the open captures and which hold pktmon copies (packet ids). */
export interface PathsScope {
  captures: string[];
  packetIds: boolean[];
  /** Two captures or more, or one with pktmon copies. */
  comparable: boolean;
}

/** The analysis as the CLI's `--paths` prints it, with the readers' warnings. */
export type PathsReport = PathsJson & { warnings: Array<{ capture: string; offset: number; frame: number; message: string }> };

/** A differing run with its bytes (at most DIFF_BYTES of each side). */
export interface DiffRun extends DiffRange {
  aBytes: number[];
  bBytes: number[];
}

export interface PathDiff extends Omit<CopyDiff, 'ranges'> {
  ranges: DiffRun[];
}

export const DIFF_BYTES = 16;

/** A row of the open captures merged by time: the packet list's row, its capture and the merged time. */
export interface MergedRow extends PacketRow {
  /** Index of its capture (in the order opened); `n` is its frame number there. */
  capture: number;
  /** Seconds since the earliest frame of all captures, clock offsets taken out; null without a time. */
  mergedTime: number | null;
}

export interface MergedRows {
  total: number;
  start: number;
  rows: MergedRow[];
}

export interface PathsAnalyzer {
  /** Makes open capture `index` (in the order they were opened) the one rows()/detail()/... answer from. */
  showCapture(index: number): void;
  pathsScope(): Promise<PathsScope>;
  /**
   * Compares the open captures (analyzePaths) once every one has loaded; the result is kept until the set of
   * captures or the window changes. Rejects while one is still loading, and when a newer call took over.
   */
  paths(window: number, onProgress?: (p: PathsProgress) => void): Promise<PathsReport>;
  /** The path of frame `frame` of capture `capture` in the last comparison; null before one. */
  pathOf(capture: number, frame: number): Promise<PacketPath | null>;
  /** The byte diff of two copies (capture index, frame number each), with the differing bytes. */
  pathDiff(a: [number, number], b: [number, number]): Promise<PathDiff>;
  /** Counts of a capture with its pktmon copies folded (each packet once); null without copies. */
  foldedCounts(capture: number): Promise<FoldedCounts | null>;
  /**
   * Rows of the open captures merged by time (every settled frame); `shifts`: seconds each capture's clock is
   * ahead of the first one's (the comparison's offsets; 0 when unknown), taken out before ordering.
   */
  mergedRows(start: number, count: number, shifts: number[]): Promise<MergedRows>;
  /** Position of frame `frame` of capture `capture` in the merged rows, or -1. */
  mergedIndexOf(capture: number, frame: number, shifts: number[]): Promise<number>;
  /** Frame numbers of every copy of frame `frame`'s packet in its capture (pktmon), in path order. */
  copiesOf(capture: number, frame: number): Promise<number[]>;
}
