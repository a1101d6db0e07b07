// --parquet DIR on disk: one capture's files are written under hidden temporary names and renamed into
// place together once the capture has been read (commit), or removed (abort), so that engines reading the
// folder never see half a capture. A capture written again replaces its files, in every partition.
import { closeSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { TableFiles } from '../decoders/tables/capture-tables.ts';
import { describeIoError } from './io-error.ts';

const PART = 'part-0.parquet';
const TABLES = ['frames', 'flows', 'tenants', 'hosts'];

/** A file being written: its descriptor, temporary and final names. */
export interface Pending {
  fd: number;
  tmp: string;
  final: string;
}

/** A file of the tables could not be written: the capture's one-line error says where and why. */
export class TableWriteError extends Error {
  constructor(root: string, cause: unknown) {
    super(`cannot write its tables under ${root}: ${describeIoError(cause, root)}`);
  }
}

/** Runs fn; a file-system error becomes a TableWriteError. */
function writing<T>(root: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw err instanceof TableWriteError ? err : new TableWriteError(root, err);
  }
}

export class ParquetDir implements TableFiles {
  private pending: Pending[] = [];

  /** `capture`: the capture's partition directory name (`capture=...`), whose old files commit() replaces. */
  constructor(private readonly root: string, private readonly capture: string) {}

  open(table: string, partition: readonly string[]): (bytes: Uint8Array) => void {
    const dir = join(this.root, table, ...partition);
    const tmp = join(dir, `.${PART}.${process.pid}-${threadId}.tmp`);
    const fd = writing(this.root, () => {
      mkdirSync(dir, { recursive: true });
      return openSync(tmp, 'w');
    });
    this.pending.push({ fd, tmp, final: join(dir, PART) });
    return (b) => writing(this.root, () => {
      let off = 0;
      while (off < b.length) off += writeSync(fd, b, off, b.length - off);
    });
  }

  /** Closes the files written so far and gives them up (to another thread's ParquetDir, adopt()). */
  close(): Pending[] {
    for (const p of this.pending) closeSync(p.fd);
    const list = this.pending.map((p) => ({ ...p, fd: -1 }));
    this.pending = [];
    return list;
  }

  /** Files another ParquetDir wrote and closed, to commit or abort with these. */
  adopt(list: readonly Pending[]): void {
    this.pending.push(...list);
  }

  /** Closes the files and puts them in place, removing this capture's files from partitions not written now. */
  commit(): void {
    writing(this.root, () => this.put());
  }

  private put(): void {
    for (const p of this.pending) if (p.fd >= 0) closeSync(p.fd);
    const keep = new Set(this.pending.map((p) => p.final));
    for (const old of this.existing()) {
      if (keep.has(old)) continue;
      unlinkSync(old);
      // Its capture= directory, and a date= directory that leaves empty.
      try {
        rmdirSync(dirname(old));
        if (basename(dirname(dirname(old))).startsWith('date=')) rmdirSync(dirname(dirname(old)));
      } catch {
        // other files remain there
      }
    }
    for (const p of this.pending) renameSync(p.tmp, p.final);
    this.pending = [];
  }

  /** Removes what was written (a capture that failed). */
  abort(): void {
    for (const p of this.pending) {
      try {
        if (p.fd >= 0) closeSync(p.fd);
      } catch {
        // already closed
      }
      try {
        unlinkSync(p.tmp);
      } catch {
        // never created
      }
    }
    this.pending = [];
  }

  /** This capture's files already in the folder: TABLE/capture=NAME/part-0.parquet, or with a date=... level. */
  private existing(): string[] {
    const out: string[] = [];
    const ls = (d: string): string[] => {
      try {
        return readdirSync(d);
      } catch {
        return [];
      }
    };
    for (const table of TABLES) {
      const t = join(this.root, table);
      const here = [t, ...ls(t).filter((d) => d.startsWith('date=')).map((d) => join(t, d))];
      for (const d of here) if (ls(join(d, this.capture)).includes(PART)) out.push(join(d, this.capture, PART));
    }
    return out;
  }
}
