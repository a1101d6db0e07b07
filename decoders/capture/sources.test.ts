import { describe, expect, it } from 'vitest';
import { BlobSource } from './blob-source.ts';
import { MemorySource } from './memory-source.ts';
import { collect, collectFrom, concat, payload, pcapHeader, pcapRecord } from './test-bytes.ts';
import type { ByteSource } from './types.ts';

async function drain(src: ByteSource, start?: number): Promise<{ sizes: number[]; bytes: Uint8Array }> {
  const parts: Uint8Array[] = [];
  for await (const c of src.chunks(start)) parts.push(c.slice());
  return { sizes: parts.map((p) => p.length), bytes: concat(...parts) };
}

const data = payload(10_000, 3);

describe('MemorySource', () => {
  it('yields chunks of the configured size from any start', async () => {
    const src = new MemorySource(data, 4096);
    expect(src.size).toBe(10_000);
    expect((await drain(src)).sizes).toEqual([4096, 4096, 1808]);
    const from = await drain(src, 9000);
    expect(from.sizes).toEqual([1000]);
    expect(from.bytes).toEqual(data.subarray(9000));
    expect((await drain(src, 20_000)).sizes).toEqual([]);
    expect((await drain(new MemorySource(data, 1))).sizes).toHaveLength(10_000);
  });

  it('reads ranges, short at the end', async () => {
    const src = new MemorySource(data, 7);
    expect(await src.read(100, 5)).toEqual(data.subarray(100, 105));
    expect((await src.read(9998, 10)).length).toBe(2);
    expect((await src.read(20_000, 10)).length).toBe(0);
  });

  it('rejects a chunk size below 1', () => {
    expect(() => new MemorySource(data, 0)).toThrow(RangeError);
  });
});

describe('BlobSource', () => {
  it('reads Blob windows in order and re-reads ranges', async () => {
    const src = new BlobSource(new Blob([data.slice()]), 3000);
    expect(src.size).toBe(10_000);
    const all = await drain(src);
    expect(all.sizes).toEqual([3000, 3000, 3000, 1000]);
    expect(all.bytes).toEqual(data);
    expect((await drain(src, 2500)).bytes).toEqual(data.subarray(2500));
    expect(await src.read(1234, 100)).toEqual(data.subarray(1234, 1334));
    expect((await src.read(9990, 100)).length).toBe(10);
  });

  it('reuses its read buffers across streams without mixing their bytes', async () => {
    const src = new BlobSource(new Blob([data.slice()]), 1000);
    for (const start of [0, 4321, 9999, 17]) {
      // Abandon one stream after two chunks, then read another from elsewhere in full.
      const it = src.chunks(start)[Symbol.asyncIterator]();
      const a = await it.next();
      expect(a.value).toEqual(data.subarray(start, start + 1000));
      await it.next();
      await it.return?.(undefined);
      expect((await drain(src, start)).bytes).toEqual(data.subarray(start));
    }
  });

  it('reads by slices where the Blob stream is not a byte stream', async () => {
    const real = new Blob([data.slice()]);
    const noByob = (b: Blob): Blob => ({
      size: b.size,
      slice: (x?: number, y?: number) => noByob(b.slice(x, y)),
      stream: () => ({ getReader: () => { throw new TypeError('not a byte stream'); } }),
      arrayBuffer: () => b.arrayBuffer(),
    }) as unknown as Blob;
    const src = new BlobSource(noByob(real), 3000);
    const all = await drain(src);
    expect(all.sizes).toEqual([3000, 3000, 3000, 1000]);
    expect(all.bytes).toEqual(data);
    expect((await drain(src, 2500)).bytes).toEqual(data.subarray(2500));
  });

  it('feeds the capture reader, also when stopped early', async () => {
    const bytes = concat(pcapHeader(), ...Array.from({ length: 30 }, (_, i) => pcapRecord({ sec: i, frac: 0, data: payload(200 + i, i) })));
    const viaBlob = await collectFrom(new BlobSource(new Blob([bytes.slice()]), 333));
    const viaMemory = await collect(bytes);
    expect(viaBlob.result).toEqual(viaMemory.result);
    expect(viaBlob.frames.map((f) => f.data)).toEqual(viaMemory.frames.map((f) => f.data));
    const early = await collectFrom(new BlobSource(new Blob([bytes.slice()]), 333), { onFrame: (r) => r.n < 5 });
    expect(early.result).toMatchObject({ frames: 5, cancelled: true });
  });
});
