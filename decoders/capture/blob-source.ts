// A ByteSource over a Blob (a dropped File in the worker), so a capture larger than memory still opens.
// Where the Blob's stream is a byte stream (Chromium), chunks are read into two buffers of our own
// used in turn (BYOB reads): the next is filled while the caller parses the current one, and no
// garbage is made per window. A parallel load reads a gigabyte this way on several threads; fresh
// ArrayBuffers per window would pile up as garbage (tens of MB per thread) before the collector runs.
// Elsewhere it reads Blob.slice() windows. Either way a chunk stays valid only until the one after
// it is requested.

import type { ByteSource } from './types.ts';

const WINDOW = 4 * 1024 * 1024;
/**
 * BYOB buffer size. Chromium hands a File's bytes over in pieces of a few hundred KiB whatever the
 * buffer, and 1 MiB reads were as fast as 4 or 16 MiB ones (bench: 1 GiB in 0.9-1.2 s each way).
 */
const BYOB_BUFFER = 1024 * 1024;

export class BlobSource implements ByteSource {
  readonly size: number;
  private readonly blob: Blob;
  private readonly window: number;
  /** Buffers of finished streams, reused by the next stream (a parallel load starts one per chunk). */
  private spare: ArrayBuffer[] = [];

  constructor(blob: Blob, window = WINDOW) {
    if (!(window >= 1)) throw new RangeError(`window must be at least 1 byte, got ${window}`);
    this.blob = blob;
    this.size = blob.size;
    this.window = Math.floor(window);
  }

  chunks(start = 0): AsyncGenerator<Uint8Array> {
    const p = Math.max(0, start);
    let reader: ReadableStreamBYOBReader | null = null;
    if (p < this.size) {
      try {
        reader = this.blob.slice(p).stream().getReader({ mode: 'byob' });
      } catch {
        reader = null; // not a byte stream here
      }
    }
    return reader !== null ? this.byob(reader) : this.sliced(p);
  }

  private async *byob(reader: ReadableStreamBYOBReader): AsyncGenerator<Uint8Array> {
    const size = Math.min(this.window, BYOB_BUFFER);
    const take = (): ArrayBuffer => this.spare.pop() ?? new ArrayBuffer(size);
    let next: ArrayBuffer = take();
    let held: ArrayBuffer | null = null;
    const fill = (buf: ArrayBuffer): Promise<ReadableStreamReadResult<Uint8Array<ArrayBuffer>>> =>
      reader.read(new Uint8Array(buf, 0, buf.byteLength));
    let pending: Promise<ReadableStreamReadResult<Uint8Array<ArrayBuffer>>> | null = fill(next);
    try {
      while (pending !== null) {
        const r: ReadableStreamReadResult<Uint8Array<ArrayBuffer>> = await pending;
        pending = null;
        if (r.done || r.value === undefined || r.value.byteLength === 0) {
          if (r.value !== undefined) next = r.value.buffer;
          break;
        }
        const cur = r.value;
        // The buffer given back before this one is free again: the caller has moved on from it.
        next = held ?? take();
        held = cur.buffer;
        pending = fill(next);
        yield cur;
      }
    } finally {
      if (pending !== null) {
        const r = await pending.catch(() => null);
        if (r?.value !== undefined) next = r.value.buffer;
      }
      await reader.cancel().catch(() => undefined);
      // Detached buffers (a read that failed) have no bytes left to reuse.
      for (const b of [next, held]) if (b !== null && b.byteLength === size && this.spare.length < 2) this.spare.push(b);
    }
  }

  private async *sliced(start: number): AsyncGenerator<Uint8Array> {
    const { blob, size, window } = this;
    let p = start;
    let pending = p < size ? blob.slice(p, Math.min(p + window, size)).arrayBuffer() : null;
    try {
      while (pending !== null) {
        const buf = await pending;
        p += buf.byteLength;
        pending = p < size && buf.byteLength > 0 ? blob.slice(p, Math.min(p + window, size)).arrayBuffer() : null;
        yield new Uint8Array(buf);
      }
    } finally {
      // An abandoned prefetch must not surface as an unhandled rejection.
      pending?.catch(() => undefined);
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const a = Math.min(Math.max(0, offset), this.size);
    const b = Math.min(a + Math.max(0, length), this.size);
    return new Uint8Array(await this.blob.slice(a, b).arrayBuffer());
  }
}
