// A ByteSource over a Blob (a dropped File in the worker), so a capture larger than memory still opens.
// Chunks come from the Blob's stream (Chromium reads a GiB File this way in ~1.2-1.6 s, against 2.0-2.4 s
// by 4 MiB Blob.slice() windows); where there is no stream, from slice() windows. A read that stalls is
// retried on a fresh stream from the same offset: in a worker, Chromium's Blob stream reads were seen
// to never complete (BYOB reads, in about a third of 1 GiB parallel loads), and a load must not hang.
// A chunk stays valid only until the one after it is requested.

import type { ByteSource } from './types.ts';

const WINDOW = 4 * 1024 * 1024;
/** A stream read not done by then is given up and the stream reopened where it stood. */
const STALL_MS = 3000;
const RETRIES = 3;

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
      // The sliced Blob is held until its stream is done with (the generator's frame keeps it).
      const part = this.blob.slice(at);
      const reader = part.stream().getReader();
      let stalled = false;
      try {
        for (;;) {
          const r = await this.timed(reader.read());
          if (r === null) {
            stalled = true;
            break;
          }
          if (r.done || r.value === undefined) return;
          at += r.value.byteLength;
          // Data flows again: a later stall gets fresh retries.
          retries = 0;
          yield r.value;
        }
      } finally {
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
