// The streaming engine shared by the pcap and pcapng readers: it feeds source chunks to a
// synchronous record parser and stitches records that straddle chunk boundaries in a small carry
// buffer, so a whole file is never held in memory and no promise is created per frame.

import { newEpbOptions, type CaptureWarning, type FrameRecord, type InterfaceInfo, type ReadOptions } from './types.ts';

/** No record or block may be larger than this: anything bigger is corruption, not data. */
export const MAX_RECORD = 64 * 1024 * 1024;
/** A corrupt file could otherwise produce a warning per frame; keep the list (and memory) bounded. */
const MAX_WARNINGS = 100;

export function u16(b: Uint8Array, p: number, le: boolean): number {
  return le ? b[p] | (b[p + 1] << 8) : (b[p] << 8) | b[p + 1];
}

/** Unsigned 32-bit read; the top byte is multiplied in so the result is never negative. */
export function u32(b: Uint8Array, p: number, le: boolean): number {
  return le
    ? (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000
    : (b[p + 3] | (b[p + 2] << 8) | (b[p + 1] << 16)) + b[p] * 0x1000000;
}

/** Bytes of a cut record shown to RecordReader.cutShort: enough for a pcapng block header. */
const CUT_HEAD = 12;

export function pad4(n: number): number {
  return n + ((4 - (n % 4)) % 4);
}

/**
 * A format parser. run() is synchronous and handles as many whole records as buf[start, end) holds;
 * when the next record is incomplete it sets `need` (bytes required from the returned position) and
 * returns that position. Fatal problems and callback-requested stops set `stop`.
 */
export abstract class RecordReader {
  need = 0;
  stop = false;
  frames = 0;
  cancelled = false;
  error: CaptureWarning | null = null;
  readonly warnings: CaptureWarning[] = [];
  readonly interfaces: InterfaceInfo[] = [];
  protected readonly rec: FrameRecord = {
    buf: new Uint8Array(0),
    dataOffset: 0,
    n: 0,
    caplen: 0,
    origlen: 0,
    linktype: 0,
    tsSec: 0,
    tsNsec: 0,
    hasTime: true,
    fileOffset: 0,
    recordOffset: 0,
    interfaceId: 0,
    interfaceIndex: 0,
    epbFlags: 0,
    comment: null,
    epb: newEpbOptions(),
    interfaces: this.interfaces,
  };
  private readonly onFrame: ReadOptions['onFrame'];
  private suppressed = 0;

  constructor(onFrame: ReadOptions['onFrame']) {
    this.onFrame = onFrame;
  }

  abstract run(buf: Uint8Array, start: number, end: number, base: number): number;

  warn(offset: number, frame: number, message: string): void {
    if (this.warnings.length < MAX_WARNINGS) {
      this.warnings.push({ offset, frame, message });
    } else if (this.suppressed++ === 0) {
      this.warnings.push({ offset, frame, message: `more than ${MAX_WARNINGS} warnings; further warnings suppressed` });
    }
  }

  fail(offset: number, frame: number, message: string): void {
    if (this.error === null) this.error = { offset, frame, message };
    this.stop = true;
  }

  /**
   * The warning for a file that ends `have` bytes into what starts at `offset` (`need` bytes long, as far as
   * the reader knows); `head` holds its first bytes (up to 12). Readers say when it is not a record.
   */
  cutShort(offset: number, have: number, _head: Uint8Array): string {
    return `file ends in the middle of a record at offset ${offset} (${this.need - have} bytes missing)`;
  }

  /** Numbers the filled record and hands it out; a callback returning false stops the read. */
  protected emit(): void {
    this.rec.n = ++this.frames;
    if (this.onFrame(this.rec) === false) {
      this.stop = true;
      this.cancelled = true;
    }
  }
}

/**
 * Runs `reader` over `chunks`. `size` (-1 when unknown) lets a record that runs past the end of the
 * file be reported without first buffering all of it. Returns the bytes consumed: the whole input when
 * read to its end, else the offset where reading stopped (start of the failing record, or just past the
 * record whose callback asked to stop), which does not depend on how the input was chunked.
 */
export async function drive(
  chunks: AsyncIterable<Uint8Array>,
  size: number,
  reader: RecordReader,
  opts: Pick<ReadOptions, 'onProgress' | 'signal'>,
  /** File offset of the first byte `chunks` yields (a parallel chunk starts mid-file; the reader is primed). */
  startBase = 0,
): Promise<number> {
  let carry = new Uint8Array(0);
  let carryLen = 0;
  let carryBase = startBase; // file offset of carry[0]
  let base = startBase; // file offset of the current chunk's first byte
  let truncatedAt = -1;
  // First bytes of what the file ends in, for the reader's warning (cutShort).
  let cutHead = new Uint8Array(0);
  let cutHave = 0;
  const keepHead = (b: Uint8Array): void => {
    const k = Math.min(b.length, cutHead.length - cutHave);
    cutHead.set(k === b.length ? b : b.subarray(0, k), cutHave);
    cutHave += k;
  };
  const { signal, onProgress } = opts;

  // Grows geometrically but never past what the record needs, so a bogus length only costs as much
  // memory as the data that actually arrives.
  const ensure = (want: number): void => {
    if (carry.length >= want) return;
    const next = new Uint8Array(Math.min(reader.need, Math.max(want, carry.length * 2, 4096)));
    next.set(carry.subarray(0, carryLen));
    carry = next;
  };
  const pastEnd = (): boolean => size >= 0 && carryBase + reader.need > size;

  // Only the source's own failures (I/O, corrupt gzip) become a result error; exceptions thrown by
  // the caller's callbacks propagate unchanged.
  const it = chunks[Symbol.asyncIterator]();
  let finished = false;
  try {
    outer: for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await it.next();
      } catch (e) {
        finished = true;
        const why = e instanceof Error ? e.message : String(e);
        reader.fail(base, 0, `reading the input failed at offset ${base}: ${why}`);
        return base;
      }
      if (next.done === true) {
        finished = true;
        break;
      }
      if (signal?.aborted) {
        reader.cancelled = true;
        return carryLen > 0 ? carryBase : base;
      }
      const chunk = next.value;
      const len = chunk.length;
      let p = 0;
      // Finish the record that straddles into this chunk, one record at a time.
      while (carryLen > 0 && p < len) {
        const take = Math.min(reader.need - carryLen, len - p);
        if (take > 0) {
          ensure(carryLen + take);
          carry.set(take === len ? chunk : chunk.subarray(p, p + take), carryLen);
          carryLen += take;
          p += take;
        }
        if (carryLen < reader.need) break;
        const used = reader.run(carry, 0, carryLen, carryBase);
        if (reader.stop) return carryBase + used;
        if (used > 0) {
          carry.copyWithin(0, used, carryLen);
          carryLen -= used;
          carryBase += used;
        } else if (reader.need <= carryLen) {
          reader.fail(carryBase, 0, `internal error: reader made no progress at offset ${carryBase}`);
          return carryBase;
        }
        if (carryLen > 0 && pastEnd()) {
          truncatedAt = carryBase;
          cutHead = new Uint8Array(Math.min(CUT_HEAD, size - truncatedAt));
          keepHead(carry.subarray(0, carryLen));
          keepHead(chunk.subarray(p));
          break outer;
        }
      }
      if (carryLen === 0 && p < len) {
        const q = reader.run(chunk, p, len, base);
        if (reader.stop) return base + q;
        if (q < len) {
          carryBase = base + q;
          if (pastEnd()) {
            carryLen = len - q;
            truncatedAt = carryBase;
            cutHead = new Uint8Array(Math.min(CUT_HEAD, size - truncatedAt));
            keepHead(chunk.subarray(q));
            break;
          }
          ensure(len - q);
          carry.set(q === 0 ? chunk : chunk.subarray(q), 0);
          carryLen = len - q;
        }
      }
      base += len;
      onProgress?.(base, reader.frames);
    }
    // The file ends past what was read: the rest of the head, which then does not depend on the chunking.
    try {
      while (truncatedAt >= 0 && cutHave < cutHead.length && !finished) {
        const r = await it.next();
        if (r.done === true) finished = true;
        else keepHead(r.value);
      }
    } catch {
      finished = true; // the warning then names what it can from the bytes it has
    }
  } finally {
    if (!finished) await it.return?.();
  }
  if (truncatedAt >= 0) {
    reader.warn(truncatedAt, 0, reader.cutShort(truncatedAt, size - truncatedAt, cutHead.subarray(0, cutHave)));
    return size;
  }
  if (carryLen > 0 && !reader.stop && !reader.cancelled) {
    reader.warn(carryBase, 0, reader.cutShort(carryBase, carryLen, carry.subarray(0, Math.min(carryLen, CUT_HEAD))));
  }
  return base;
}
