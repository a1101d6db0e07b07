// The calling thread's reader in a parallel load (load.ts): it reads the file head, every chunk it reaches
// before anyone else has taken it (its stop moves on while the next chunk is still free) and any stretch to
// be redone, straight into the Engine. One reader for the whole load, so interfaces and warnings carry on.

import type { Engine } from '../analysis/engine.ts';
import { drive, type RecordReader } from '../capture/stream.ts';
import type { ByteSource, CaptureFormat, CaptureWarning, FrameRecord, InterfaceInfo } from '../capture/types.ts';
import { newReader, structuralChange } from './chunk.ts';
import { PcapngReader } from '../capture/pcapng.ts';
import type { InterfaceStatistics, SectionInfo } from '../capture/isb.ts';

export class DirectReader {
  private readonly reader: RecordReader;
  /** The first record at or past this offset ends the read (the next chunk's start); -1 reads to the end. */
  private stopAt = -1;
  /** The chunk being read when the read may run on into the next one; -1 otherwise. */
  private chunk = -1;
  /** Where the last read stopped (the next chunk's first record), or -1: it read to the end or failed. */
  stopped = -1;
  private reported = 0;

  /**
   * readOn(k): chunk k - 1 is read to its end; if chunk k is still free it is taken and its end returned
   * (the read goes on into it), else null.
   */
  constructor(private readonly engine: Engine, format: CaptureFormat, private readonly readOn: (k: number) => number | null) {
    this.reader = newReader(format, (rec) => this.onRecord(rec));
  }

  private onRecord(rec: FrameRecord): boolean {
    while (this.stopAt >= 0 && rec.recordOffset >= this.stopAt) {
      // Carry on into the next chunk if it is still free: no seam, no restart.
      const end = this.chunk >= 0 ? this.readOn(this.chunk + 1) : null;
      if (end !== null) {
        this.chunk++;
        this.stopAt = end;
        continue;
      }
      this.stopped = rec.recordOffset;
      return false;
    }
    rec.n = this.engine.frames + 1;
    this.engine.add(rec);
    return true;
  }

  /**
   * Reads [from, first record at or past `until`) into the Engine; `chunk` >= 0 (the chunk that starts at
   * `from`) lets it run on into free chunks. Returns where reading ended (as drive does).
   */
  async read(
    src: ByteSource, size: number, from: number, until: number, chunk: number,
    signal: AbortSignal | undefined, onProgress: (bytesRead: number) => void,
  ): Promise<number> {
    this.stopAt = until;
    this.stopped = -1;
    this.chunk = chunk;
    const r = this.reader;
    r.stop = false;
    r.cancelled = false;
    r.frames = this.engine.frames;
    const bytesRead = await drive(src.chunks(from), size, r, { signal, onProgress }, from);
    this.chunk = -1;
    return bytesRead;
  }

  /** Warnings of the reads since the last call; the record a read stopped at is the next chunk's to report. */
  newWarnings(): CaptureWarning[] {
    const all = this.reader.warnings;
    const out = all.slice(this.reported).filter((w) => this.stopped < 0 || w.offset < this.stopped);
    this.reported = all.length;
    return out;
  }

  get error(): CaptureWarning | null {
    return this.reader.error;
  }

  /** The last read was cancelled (the signal) before it reached its stop. */
  get cancelled(): boolean {
    return this.reader.cancelled && this.stopped < 0;
  }

  /** It stopped at a record after meeting interfaces or a section beyond the preamble's. */
  metStructure(interfaces: number): boolean {
    return this.stopped >= 0 && structuralChange(this.reader, interfaces);
  }

  get interfaces(): InterfaceInfo[] {
    return this.reader.interfaces;
  }

  /** pcapng: the section headers and Interface Statistics Blocks this reader met. */
  get sections(): SectionInfo[] | undefined {
    return this.reader instanceof PcapngReader ? this.reader.sectionInfo : undefined;
  }

  get statistics(): InterfaceStatistics[] {
    return this.reader instanceof PcapngReader ? this.reader.statistics : [];
  }
}
