// A ByteSource over a file on disk for the CLI. Chunks are read with positional FileHandle.read()
// into two buffers used in turn: the next chunk is read while the caller parses the current one,
// so a chunk stays valid only until the chunk after it is requested.

import { open, type FileHandle } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ByteSource } from '../decoders/capture/types.ts';
import { frameBuffer, releaseFrameBuffer } from '../decoders/simd-sum.ts';

const CHUNK = 4 * 1024 * 1024;
/** zlib's output pieces: its 16 KiB default costs a stream turn per 16 KiB (half the inflate time). */
const INFLATE_CHUNK = 1024 * 1024;

export class NodeFileSource implements ByteSource {
  readonly size: number;
  readonly path: string;
  private readonly fh: FileHandle;
  private readonly chunkSize: number;
  /**
   * Read buffers of finished chunk streams, reused by the next one: a parallel load starts a stream per
   * chunk, and fresh 4 MiB buffers cost page faults (zeroing) every time.
   */
  private spare: Uint8Array[] = [];
  private closed = false;

  private constructor(path: string, fh: FileHandle, size: number, chunkSize: number) {
    this.path = path;
    this.fh = fh;
    this.size = size;
    this.chunkSize = chunkSize;
  }

  static async open(path: string, chunkSize = CHUNK): Promise<NodeFileSource> {
    if (!(chunkSize >= 1)) throw new RangeError(`chunk size must be at least 1, got ${chunkSize}`);
    const fh = await open(path, 'r');
    try {
      const st = await fh.stat();
      return new NodeFileSource(path, fh, st.size, Math.floor(chunkSize));
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  async *chunks(start = 0): AsyncGenerator<Uint8Array> {
    // In WebAssembly memory where there is room, so checksums over them take the SIMD loop.
    const take = (): Uint8Array => this.spare.pop() ?? frameBuffer(this.chunkSize);
    const bufs = [take(), take()];
    let pos = Math.max(0, start);
    let turn = 0;
    let pending: Promise<{ bytesRead: number }> | null = this.fh.read(bufs[0], 0, this.chunkSize, pos);
    try {
      while (pending !== null) {
        const { bytesRead } = await pending;
        if (bytesRead === 0) {
          pending = null;
          break;
        }
        const cur = bufs[turn];
        pos += bytesRead;
        turn ^= 1;
        pending = this.fh.read(bufs[turn], 0, this.chunkSize, pos);
        yield bytesRead === cur.length ? cur : cur.subarray(0, bytesRead);
      }
    } finally {
      if (pending !== null) await pending.catch(() => undefined);
      // The caller is done with the last chunk once it has finished (or abandoned) the stream. A stream
      // abandoned early (a gzip consumer that stopped) may end after close(): its buffers go back then.
      for (const b of bufs) {
        if (!this.closed && this.spare.length < 4) this.spare.push(b);
        else releaseFrameBuffer(b);
      }
    }
  }

  /** zlib inflates on the libuv thread pool while this thread decodes: about twice DecompressionStream's speed. */
  inflate(compressed: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    async function* copies(): AsyncGenerator<Buffer> {
      // zlib may still hold a chunk when the source reuses its buffer for the next one.
      for await (const c of compressed) yield Buffer.from(c);
    }
    const gunzip = createGunzip({ chunkSize: INFLATE_CHUNK });
    // pipeline (not pipe): a read error reaches the consumer, and a consumer that stops early closes the file stream.
    pipeline(Readable.from(copies()), gunzip, () => undefined);
    return plain(gunzip);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const buf = new Uint8Array(Math.max(0, Math.min(length, this.size - offset)));
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await this.fh.read(buf, got, buf.length - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === buf.length ? buf : buf.subarray(0, got);
  }

  close(): Promise<void> {
    this.closed = true;
    for (const b of this.spare) releaseFrameBuffer(b);
    this.spare = [];
    return this.fh.close();
  }
}

/** Buffers as plain Uint8Arrays: a Buffer's slice() is a view, and the readers take slice() for a copy. */
async function* plain(src: AsyncIterable<Buffer>): AsyncGenerator<Uint8Array> {
  for await (const b of src) yield new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** Opens `path`, runs `fn` with the source, and always closes the file. */
export async function withNodeFileSource<T>(path: string, fn: (src: NodeFileSource) => Promise<T>, chunkSize?: number): Promise<T> {
  const src = await NodeFileSource.open(path, chunkSize);
  try {
    return await fn(src);
  } finally {
    await src.close();
  }
}

/** Opens a file as a ByteSource; the caller closes it. */
export function openNodeSource(path: string, chunkSize?: number): Promise<NodeFileSource> {
  return NodeFileSource.open(path, chunkSize);
}
