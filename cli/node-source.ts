// A ByteSource over a file on disk for the CLI. Chunks are read with positional FileHandle.read()
// into two buffers used in turn: the next chunk is read while the caller parses the current one,
// so a chunk stays valid only until the chunk after it is requested.

import { open, type FileHandle } from 'node:fs/promises';
import type { ByteSource } from '../decoders/capture/types.ts';
import { frameBuffer, releaseFrameBuffer } from '../decoders/simd-sum.ts';

const CHUNK = 4 * 1024 * 1024;

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
      // The caller is done with the last chunk once it has finished (or abandoned) the stream.
      if (this.spare.length < 4) this.spare.push(...bufs);
    }
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
    for (const b of this.spare) releaseFrameBuffer(b);
    this.spare = [];
    return this.fh.close();
  }
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
