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
  it('streams the Blob in order from any start and re-reads ranges', async () => {
    const src = new BlobSource(new Blob([data.slice()]), 3000);
    expect(src.size).toBe(10_000);
    expect((await drain(src)).bytes).toEqual(data);
    expect((await drain(src, 2500)).bytes).toEqual(data.subarray(2500));
    expect((await drain(src, 9999)).bytes).toEqual(data.subarray(9999));
    expect((await drain(src, 10_000)).sizes).toEqual([]);
    expect(await src.read(1234, 100)).toEqual(data.subarray(1234, 1334));
    expect((await src.read(9990, 100)).length).toBe(10);
  });

  /** A Blob whose streams hand out `piece` bytes a read, and whose reads hang where `hang` says so. */
  const fake = (b: Blob, piece: number, hang: (stream: number, read: number) => boolean, ends = (_s: number, _r: number) => false): Blob => {
    let streams = 0;
    const make = (x: Blob): Blob => ({
      size: x.size,
      slice: (a?: number, z?: number) => make(x.slice(a, z)),
      arrayBuffer: () => x.arrayBuffer(),
      stream: () => {
        const id = streams++;
        let reads = 0;
        let pos = 0;
        return {
          getReader: () => ({
            read: async () => {
              if (ends(id, reads)) return { done: true, value: undefined };
              if (hang(id, reads++)) return new Promise(() => undefined);
              const bytes = new Uint8Array(await x.arrayBuffer());
              if (pos >= bytes.length) return { done: true, value: undefined };
              const v = bytes.slice(pos, pos + piece);
              pos += v.length;
              return { done: false, value: v };
            },
            cancel: async () => undefined,
          }),
        };
      },
    }) as unknown as Blob;
    return make(b);
  };

  it('retries a stalled read on a fresh stream from the same offset', async () => {
    // Streams 0 and 1 stall on their third and first reads; the bytes still come out whole and in order.
    const src = new BlobSource(fake(new Blob([data.slice()]), 700, (s, r) => (s === 0 && r === 2) || (s === 1 && r === 0)), 3000, 20);
    const all = await drain(src, 100);
    expect(all.bytes).toEqual(data.subarray(100));
    expect(all.sizes.slice(0, 3)).toEqual([700, 700, 700]);
  });

  it('a stream that ends before the Blob does is reopened where it stopped', async () => {
    // Stream 0 ends after two pieces, stream 1 at once; later streams run to the end.
    const early = (st: number, r: number): boolean => (st === 0 && r >= 2) || st === 1;
    const src = new BlobSource(fake(new Blob([data.slice()]), 700, () => false, early), 3000, 20);
    const all = await drain(src);
    expect(all.bytes).toEqual(data);
    expect(all.sizes.slice(0, 3)).toEqual([700, 700, 700]);
    // A Blob whose streams never get past a point is an error, not a short file.
    const stuck = new BlobSource(fake(new Blob([data.slice()]), 700, () => false, (st, r) => st > 0 || r >= 1), 3000, 10);
    await expect(drain(stuck)).rejects.toThrow('reading the file stalled at offset 700');
  });

  it('a read that stalls every time ends in a clear error, not a hang', async () => {
    // The first stream gives one read and stalls; every stream after it stalls at once.
    const src = new BlobSource(fake(new Blob([data.slice()]), 700, (st, r) => st >= 1 || r >= 1), 3000, 10);
    await expect(drain(src)).rejects.toThrow('reading the file stalled at offset 700 (3 retries of 0.01 s)');
    const bytes = concat(pcapHeader(), ...Array.from({ length: 30 }, (_, i) => pcapRecord({ sec: i, frac: 0, data: payload(200 + i, i) })));
    const stalled = await collectFrom(new BlobSource(fake(new Blob([bytes.slice()]), 1000, (st, r) => st >= 1 || r >= 2), 3000, 10));
    expect(stalled.result.error?.message).toMatch(/stalled/);
    expect(stalled.result.frames).toBeGreaterThan(0); // what was read before the stall is kept
  });

  it('uses the default reader where the stream is not a byte stream', async () => {
    const real = new Blob([data.slice()]);
    const plain = (b: Blob): Blob => ({
      size: b.size,
      slice: (x?: number, y?: number) => plain(b.slice(x, y)),
      arrayBuffer: () => b.arrayBuffer(),
      stream: () => {
        const s = b.stream();
        return {
          getReader: (opts?: { mode?: string }) => {
            if (opts?.mode === 'byob') throw new TypeError('not a byte stream');
            return s.getReader();
          },
        };
      },
    }) as unknown as Blob;
    const src = new BlobSource(plain(real), 3000);
    expect((await drain(src)).bytes).toEqual(data);
    expect((await drain(src, 4321)).bytes).toEqual(data.subarray(4321));
  });

  it('reads by slices where a Blob has no stream', async () => {
    const real = new Blob([data.slice()]);
    const noStream = (b: Blob): Blob => ({
      size: b.size,
      slice: (x?: number, y?: number) => noStream(b.slice(x, y)),
      arrayBuffer: () => b.arrayBuffer(),
    }) as unknown as Blob;
    const src = new BlobSource(noStream(real), 3000);
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
