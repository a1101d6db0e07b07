// Entry point for reading any capture: looks at the first bytes, unwraps gzip, and hands the byte
// stream to the pcap or pcapng reader.

import { PcapReader, pcapMagic } from './pcap.ts';
import { PcapngReader } from './pcapng.ts';
import { drive, type RecordReader } from './stream.ts';
import { NotACaptureError, type ByteSource, type CaptureResult, type ReadOptions } from './types.ts';
import { withEventTurns } from './yield.ts';

export function sniffFormat(first: Uint8Array): 'pcap' | 'pcapng' | 'gzip' | null {
  if (first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b) return 'gzip';
  if (first.length < 4) return null;
  if (first[0] === 0x0a && first[1] === 0x0d && first[2] === 0x0d && first[3] === 0x0a) return 'pcapng';
  return pcapMagic(first) !== null ? 'pcap' : null;
}

export async function readCapture(src: ByteSource, opts: ReadOptions): Promise<CaptureResult> {
  let chunks: AsyncIterable<Uint8Array> = src.chunks(0);
  let size = src.size;
  let gzip = false;
  let compressedRead = 0;
  let peeked = await peek(chunks, 4);
  let format = sniffFormat(peeked.first);
  if (format === 'gzip') {
    gzip = true;
    size = -1;
    // Progress counts the compressed bytes read (the file's size is known, the inflated size is not).
    const counted = tap(peeked.chunks, (c) => { compressedRead += c.length; });
    chunks = withEventTurns(reportCorrupt(src.inflate ? src.inflate(counted) : gunzip(counted)));
    if (opts.onInflated) chunks = tap(chunks, opts.onInflated);
    try {
      peeked = await peek(chunks, 4);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new NotACaptureError(`gzip data could not be decompressed: ${why}`);
    }
    format = sniffFormat(peeked.first);
    if (format === 'gzip') format = null;
  }
  if (format === null) {
    await peeked.close();
    const what = peeked.first.length === 0 ? 'is empty' : `starts with 0x${hex(peeked.first)}`;
    throw new NotACaptureError(`not a pcap or pcapng file: ${gzip ? 'decompressed data ' : ''}${what}`);
  }
  const reader: RecordReader = format === 'pcap' ? new PcapReader(opts.onFrame) : new PcapngReader(opts.onFrame);
  const onProgress = opts.onProgress;
  const progress = gzip && onProgress ? { ...opts, onProgress: (_: number, frames: number) => onProgress(compressedRead, frames) } : opts;
  const bytesRead = await drive(peeked.chunks, size, reader, progress);
  return {
    format,
    gzip,
    frames: reader.frames,
    bytesRead,
    interfaces: reader.interfaces,
    ...(reader instanceof PcapngReader ? { sections: reader.sectionInfo, statistics: reader.statistics } : {}),
    warnings: reader.warnings,
    error: reader.error,
    cancelled: reader.cancelled,
  };
}

function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length && i < 4; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

interface Peeked {
  first: Uint8Array;
  chunks: AsyncIterable<Uint8Array>;
  /** Releases the source when the replay will not be consumed. */
  close: () => Promise<void>;
}

/** Reads until `n` bytes are seen (or the end), returning them and a stream that replays everything. */
async function peek(src: AsyncIterable<Uint8Array>, n: number): Promise<Peeked> {
  const it = src[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let have = 0;
  let done = false;
  while (have < n) {
    const r = await it.next();
    if (r.done === true) {
      done = true;
      break;
    }
    // Sources may reuse their buffer for the next chunk, so keep copies of what is held back.
    head.push(r.value.slice());
    have += r.value.length;
  }
  const first = new Uint8Array(Math.min(have, n));
  let o = 0;
  for (const c of head) {
    if (o >= first.length) break;
    const k = Math.min(c.length, first.length - o);
    first.set(c.subarray(0, k), o);
    o += k;
  }
  async function* replay(): AsyncGenerator<Uint8Array> {
    let finished = done;
    try {
      for (const c of head) yield c;
      while (!finished) {
        const r = await it.next();
        if (r.done === true) {
          finished = true;
          break;
        }
        yield r.value;
      }
    } finally {
      if (!finished) await it.return?.();
    }
  }
  const close = async (): Promise<void> => {
    if (!done) await it.return?.();
  };
  return { first, chunks: replay(), close };
}

/** Decompresses a chunk stream with DecompressionStream (Node 18+ and browsers). */
async function* gunzip(src: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = src[Symbol.asyncIterator]();
  const input = new ReadableStream<BufferSource>({
    async pull(ctrl) {
      const r = await it.next();
      // The decompressor may still hold this chunk when the source reuses its buffer: copy it.
      if (r.done === true) ctrl.close();
      else ctrl.enqueue(r.value.slice());
    },
    async cancel() {
      await it.return?.();
    },
  });
  const reader = input.pipeThrough(new DecompressionStream('gzip')).getReader();
  let finished = false;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}

/** Any decompressor's failure, said the same way. */
async function* reportCorrupt(src: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    for await (const c of src) yield c;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`gzip data is corrupt or cut short (${why})`);
  }
}

/** Passes chunks through, showing each one to `see` first. */
async function* tap(src: AsyncIterable<Uint8Array>, see: (c: Uint8Array) => void): AsyncGenerator<Uint8Array> {
  for await (const c of src) {
    see(c);
    yield c;
  }
}
