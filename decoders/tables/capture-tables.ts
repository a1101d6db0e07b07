// One capture's tables as Parquet (README "Many captures"): frames are streamed out as the engine settles
// them (EngineOptions.onFrame), a row group at a time per date partition, so memory stays at a row group
// whatever the capture's size; flows, tenants and hosts are written when the capture has been read.
//
//   frames/date=2026-12-06/capture=<name>/part-0.parquet   (one date partition per UTC day of the frames)
//   flows/date=2026-12-06/capture=<name>/part-0.parquet    (by the date of each flow's first frame)
//   tenants/capture=<name>/part-0.parquet
//   hosts/capture=<name>/part-0.parquet
import type { Engine } from '../analysis/engine.ts';
import { ParquetWriter, type FieldSpec, type LeafData } from '../parquet/writer.ts';
import { FLOW_SCHEMA, FlowTally, type FlowRow, type FlowTallyData } from './flows-table.ts';
import { engineNames, FRAME_SCHEMA, FrameColumns, type FrameNames } from './frames-table.ts';
import { HOST_SCHEMA, HostTally, hostRows, type HostTallyData } from './hosts-table.ts';
import { capturePartition, datePartition } from './partition.ts';
import { rowLeaves } from './row-leaves.ts';
import { TENANT_SCHEMA, tenantRows } from './tenants-table.ts';

/**
 * Rows per row group: about 100 MB of columns uncompressed (what Spark and Hive size a row group to), so a
 * scan reads large sequential pieces. The writer holds a row group's compressed pages (about a tenth of
 * that) per open date partition; rows are held a page (BATCH) at a time.
 */
export const ROW_GROUP = 1 << 20;

/** Rows copied out of the engine before they are encoded: a data page's worth. */
export const BATCH = 1 << 16;

/** Where the tables' files go (the CLI: a directory tree). */
export interface TableFiles {
  /** Starts `table`'s file in a partition (Hive path segments); bytes given to the sink must be consumed at once. */
  open(table: string, partition: readonly string[]): (bytes: Uint8Array) => void;
}

interface Part {
  cols: FrameColumns;
  partition: string[];
}

/** What the frames' writer tallies for the flows and hosts tables as the rows go by. */
export interface FrameTallies {
  flows: FlowTallyData;
  hosts: HostTallyData;
}

/** Where batches of frames go: written here (InlineFrames), or by another thread (cli/frames-pipe.ts). */
export interface FramesOut {
  /** Rows 0..cols.n-1 of a partition, next in its file; cols is empty afterwards. */
  write(partition: readonly string[], cols: FrameColumns): void;
  /** No more frames: every partition's file is complete. */
  finish(): FrameTallies | Promise<FrameTallies>;
}

/** Frames encoded and written on this thread, a ParquetWriter per partition. */
export class InlineFrames implements FramesOut {
  private readonly writers = new Map<string, ParquetWriter>();
  private readonly flows = new FlowTally();
  private readonly hosts = new HostTally();

  constructor(
    private readonly files: TableFiles, private readonly names: FrameNames, private readonly file: string, private readonly rowGroup = ROW_GROUP,
  ) {}

  write(partition: readonly string[], cols: FrameColumns): void {
    const key = partition.join('/');
    let w = this.writers.get(key);
    if (w === undefined) {
      w = new ParquetWriter(FRAME_SCHEMA, this.files.open('frames', partition), { createdBy: CREATED_BY, rowGroupRows: this.rowGroup, pageRows: BATCH });
      this.writers.set(key, w);
    }
    this.flows.add(cols);
    this.hosts.add(cols);
    if (cols.n > 0) w.writeRows(cols.n, cols.leaves(this.names, this.file));
    cols.clear();
  }

  finish(): FrameTallies {
    for (const w of this.writers.values()) w.finish();
    this.writers.clear();
    return { flows: this.flows.data(), hosts: this.hosts.data() };
  }
}

const CREATED_BY = 'tunnelscope';

export class CaptureTables {
  private engine: Engine | null = null;
  private readonly parts = new Map<number, Part>();
  private last: Part | null = null;
  /** The day of `last` as a range of FrameStore.tRel values (NaN: test every frame). */
  private relLo = NaN;
  private relHi = NaN;
  private readonly capture: string;
  private frames: FramesOut | null = null;

  constructor(private readonly file: string, private readonly files: TableFiles, private readonly rowGroup = ROW_GROUP) {
    this.capture = capturePartition(file);
  }

  /**
   * The engine whose onFrame hook calls onFrame (created with it, so given afterwards), and where the frames'
   * batches go (default: written on this thread through `files`).
   */
  attach(e: Engine, frames?: FramesOut): void {
    this.engine = e;
    this.frames = frames ?? new InlineFrames(this.files, engineNames(e), this.file, this.rowGroup);
  }

  /** The engine's onFrame hook. */
  onFrame(i: number, n: number): void {
    const e = this.engine;
    if (e === null) throw new Error('CaptureTables: attach() the engine first');
    const st = e.store;
    // Most frames fall in the day of the one before: a range test on the store's time, no date arithmetic.
    const rel = st.tRel[i];
    let part = this.last;
    if (part === null || !(rel >= this.relLo && rel < this.relHi)) {
      const day = st.hasTimeOf(i) ? Math.floor(st.secOf(i) / 86400) : NaN;
      part = this.partOf(day);
      this.last = part;
      const exact = rel === rel && rel !== Infinity;
      this.relLo = exact ? (day * 86400 - st.tBase) * 1e9 : NaN;
      this.relHi = exact ? this.relLo + 86400e9 : NaN;
    }
    part.cols.push(e, i, n);
    if (part.cols.full) this.flush(part);
  }

  private partOf(day: number): Part {
    const key = Number.isNaN(day) ? -Infinity : day;
    let p = this.parts.get(key);
    if (p === undefined) {
      p = { cols: new FrameColumns(Math.min(BATCH, this.rowGroup)), partition: [datePartition(day), this.capture] };
      this.parts.set(key, p);
    }
    return p;
  }

  private flush(p: Part): void {
    this.frames?.write(p.partition, p.cols);
  }

  private writer(table: string, partition: readonly string[], schema: FieldSpec[]): ParquetWriter {
    return new ParquetWriter(schema, this.files.open(table, partition), { createdBy: CREATED_BY });
  }

  /** The capture has been read: the last frames, then flows, tenants and hosts. */
  async finish(): Promise<void> {
    const e = this.engine;
    if (e === null || this.frames === null) return;
    // Every capture has a file in every table, if only an empty one: a glob over a table always finds files.
    if (this.parts.size === 0) this.partOf(NaN);
    for (const p of this.parts.values()) this.flush(p);
    const tallies = await this.frames.finish();
    this.parts.clear();
    this.last = null;
    const byDay = new Map<number, FlowRow[]>();
    for (const r of FlowTally.from(tallies.flows).rows(e, this.file)) {
      const day = r.ts === null ? -Infinity : Math.floor(r.ts / 86400e6);
      let list = byDay.get(day);
      if (list === undefined) byDay.set(day, (list = []));
      list.push(r);
    }
    if (byDay.size === 0) byDay.set(-Infinity, []);
    for (const [day, rows] of byDay) this.table('flows', [datePartition(day === -Infinity ? NaN : day), this.capture], FLOW_SCHEMA, rows as unknown as Array<Record<string, unknown>>);
    this.table('tenants', [this.capture], TENANT_SCHEMA, tenantRows(e, this.file));
    this.table('hosts', [this.capture], HOST_SCHEMA, hostRows(e, HostTally.from(tallies.hosts), this.file));
  }

  /** A small table: rows in row groups of rowGroup, one file. */
  private table(name: string, partition: string[], schema: FieldSpec[], rows: Array<Record<string, unknown>>): void {
    const w = this.writer(name, partition, schema);
    for (let from = 0; from < rows.length; from += this.rowGroup) {
      const to = Math.min(rows.length, from + this.rowGroup);
      const leaves: LeafData[] = rowLeaves(schema, rows, from, to);
      w.writeRowGroup(to - from, leaves);
    }
    w.finish();
  }
}
