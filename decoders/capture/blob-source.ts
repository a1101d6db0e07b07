// A ByteSource over a Blob (a dropped File in the worker): reads Blob.slice() windows so a capture
// larger than memory still opens. The next window is requested while the current one is parsed.

import type { ByteSource } from './types.ts';

const WINDOW = 4 * 1024 * 1024;

export class BlobSource implements ByteSource {
  readonly size: number;
  private readonly blob: Blob;
  private readonly window: number;

  constructor(blob: Blob, window = WINDOW) {
    if (!(window >= 1)) throw new RangeError(`window must be at least 1 byte, got ${window}`);
    this.blob = blob;
    this.size = blob.size;
    this.window = Math.floor(window);
  }

  async *chunks(start = 0): AsyncGenerator<Uint8Array> {
    const { blob, size, window } = this;
    let p = Math.max(0, start);
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
