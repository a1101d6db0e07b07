// A ByteSource over a Blob (a dropped File in the worker), so a capture larger than memory still opens.
// Chunks come from the Blob's stream, read into a buffer of our own (BYOB) where the stream is a byte
// stream: Chromium reads a GiB File that way in ~1 s (4 MiB Blob.slice() windows: 2.0-2.4 s), and no
// garbage is made per chunk (a default reader's fresh chunks held ~50 MB per thread until the collector
// ran). Without a stream, slice() windows. A read that stalls is retried on a fresh stream from the
// same offset: Chromium's Blob stream reads were seen to never complete in workers (BYOB reads with
// the next read issued ahead and the cancel awaited, in about a third of 1 GiB parallel loads; the
// reads as done here completed in 48 loads out of 48), and a load must not hang whatever the platform
// does. A chunk stays valid only until the one after it is requested.

import type { ByteSource } from './types.ts';

const WINDOW = 4 * 1024 * 1024;
/** BYOB buffer: Chromium hands a File over in pieces of a few hundred KiB whatever the buffer size. */
const BYOB_BUFFER = 1024 * 1024;
/** A stream read not done by then is given up and the stream reopened where it stood. */
const STALL_MS = 3000;
const RETRIES = 3;
/** Wait before reading again after a read that brought no bytes. */
const EMPTY_WAIT_MS = 2;

type Reader = { read(): Promise<ReadableStreamReadResult<Uint8Array>>; cancel(): Promise<void> };

export class BlobSource implements ByteSource {
  readonly size: number;
  private readonly blob: Blob;
  private readonly window: number;
  private readonly stallMs: number;

  constructor(blob: Blob, window = WINDOW, stallMs = STALL_MS) {
    if (!(window >= 1)) throw new RangeError(`window must be at least 1 byte, got ${window}`);
    this.blob = blob;
    this.size = blob.size;
    this.window = Math.floor(window);
    this.stallMs = stallMs;
  }

  chunks(start = 0): AsyncGenerator<Uint8Array> {
    const p = Math.max(0, start);
    return typeof this.blob.stream === 'function' ? this.streamed(p) : this.sliced(p);
  }

  private async *streamed(start: number): AsyncGenerator<Uint8Array> {
    let at = start;
    let retries = 0;
    while (at < this.size) {
      // The sliced Blob stays referenced (by this frame) until its stream is done with.
      const part = this.blob.slice(at);
      const reader = open(part.stream(), Math.min(this.window, BYOB_BUFFER));
      let stalled = false;
      let empty = 0;
      try {
        for (;;) {
          const r = await this.timed(reader.read());
          if (r === null) {
            stalled = true;
            break;
          }
          if (r.done || r.value === undefined) {
            if (at >= this.size) return;
            // A stream that ends before the Blob does is reopened where it stopped, like a stalled one.
            stalled = true;
            break;
          }
          if (r.value.byteLength === 0) {
            // Nothing yet: let the platform deliver (an immediate re-read could spin without yielding),
            // and count it towards a stall.
            if (++empty * EMPTY_WAIT_MS > this.stallMs) {
              stalled = true;
              break;
            }
            await new Promise((resolve) => setTimeout(resolve, EMPTY_WAIT_MS));
            continue;
          }
          empty = 0;
          at += r.value.byteLength;
          // Data flows again: a later stall gets fresh retries.
          retries = 0;
          yield r.value;
        }
      } finally {
        // Not awaited: the loads that hung awaited it.
        void reader.cancel().catch(() => undefined);
      }
      if (stalled && ++retries > RETRIES) {
        throw new Error(`reading the file stalled at offset ${at} (${RETRIES} retries of ${this.stallMs / 1000} s)`);
      }
      void part;
    }
  }

  /** The read's result, or null when it has not completed within stallMs. */
  private timed<T>(p: Promise<T>): Promise<T | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stall = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.stallMs);
    });
    p.catch(() => undefined);
    return Promise.race([p, stall]).finally(() => clearTimeout(timer));
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

/**
 * A reader over a Blob stream: BYOB into one buffer reused from read to read (each read hands it back
 * as the chunk's buffer), or the default reader where the stream is not a byte stream.
 */
function open(stream: ReadableStream<Uint8Array>, bufferSize: number): Reader {
  let byob: ReadableStreamBYOBReader;
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    return stream.getReader();
  }
  let buf = new ArrayBuffer(bufferSize);
  return {
    async read() {
      const r = await byob.read(new Uint8Array(buf, 0, buf.byteLength));
      if (r.value !== undefined) buf = r.value.buffer as ArrayBuffer;
      return r as ReadableStreamReadResult<Uint8Array>;
    },
    cancel: () => byob.cancel(),
  };
}
