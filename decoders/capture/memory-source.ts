// A ByteSource over bytes already in memory: embedded captures (#cap= links) and tests. The chunk
// size is configurable so tests can force every record to straddle chunk boundaries.

import type { ByteSource } from './types.ts';

export class MemorySource implements ByteSource {
  readonly size: number;
  private readonly bytes: Uint8Array;
  private readonly chunkSize: number;

  constructor(bytes: Uint8Array, chunkSize = 4 * 1024 * 1024) {
    if (!(chunkSize >= 1)) throw new RangeError(`chunk size must be at least 1, got ${chunkSize}`);
    this.bytes = bytes;
    this.size = bytes.length;
    this.chunkSize = Math.floor(chunkSize);
  }

  async *chunks(start = 0): AsyncGenerator<Uint8Array> {
    const { bytes, chunkSize } = this;
    for (let p = Math.max(0, start); p < bytes.length; p += chunkSize) {
      yield bytes.subarray(p, Math.min(p + chunkSize, bytes.length));
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const a = Math.min(Math.max(0, offset), this.bytes.length);
    return this.bytes.subarray(a, Math.min(a + Math.max(0, length), this.bytes.length));
  }
}
