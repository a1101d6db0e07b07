import { describe, expect, it } from 'vitest';
import { MemorySource } from './memory-source.ts';
import { readCapture, sniffFormat } from './sniff.ts';
import { CHUNK_SIZES, collect, concat, epb, idb, payload, pcapHeader, pcapRecord, shb } from './test-bytes.ts';
import { NotACaptureError } from './types.ts';

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes.slice()]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const pcapBytes = concat(pcapHeader(), ...Array.from({ length: 50 }, (_, i) => pcapRecord({ sec: i, frac: i, data: payload(100 + i, i) })));
const ngBytes = concat(shb(false), idb(false, { tsresol: 9 }), ...Array.from({ length: 50 }, (_, i) => epb(false, { ts: BigInt(i) * 1_000_000_001n, data: payload(90 + i, i) })));

describe('sniffFormat', () => {
  it('recognises every magic and gzip', () => {
    const b = (...x: number[]): Uint8Array => Uint8Array.from(x);
    expect(sniffFormat(b(0xa1, 0xb2, 0xc3, 0xd4))).toBe('pcap');
    expect(sniffFormat(b(0xd4, 0xc3, 0xb2, 0xa1))).toBe('pcap');
    expect(sniffFormat(b(0xa1, 0xb2, 0x3c, 0x4d))).toBe('pcap');
    expect(sniffFormat(b(0x4d, 0x3c, 0xb2, 0xa1))).toBe('pcap');
    expect(sniffFormat(b(0x0a, 0x0d, 0x0d, 0x0a, 0x1c))).toBe('pcapng');
    expect(sniffFormat(b(0x1f, 0x8b))).toBe('gzip');
    expect(sniffFormat(b(0x1f, 0x8b, 0x08, 0x00))).toBe('gzip');
    expect(sniffFormat(b(0xa1, 0xb2, 0xc3))).toBeNull();
    expect(sniffFormat(b())).toBeNull();
    expect(sniffFormat(b(0x50, 0x4b, 0x03, 0x04))).toBeNull();
  });
});

describe('readCapture', () => {
  for (const [name, bytes] of [['pcap', pcapBytes], ['pcapng', ngBytes]] as const) {
    it(`decompresses gzip ${name} transparently at every chunk size`, async () => {
      const plain = await collect(bytes);
      const gz = await gzip(bytes);
      expect(gz.length).toBeLessThan(bytes.length);
      for (const cs of CHUNK_SIZES) {
        const z = await collect(gz, cs);
        expect(z.result).toEqual({ ...plain.result, gzip: true });
        expect(z.frames).toEqual(plain.frames.map((f, i) => ({ ...f, dataOffset: z.frames[i].dataOffset })));
      }
      expect(plain.result).toMatchObject({ format: name, frames: 50, error: null, gzip: false });
    });
  }

  it('reports gzip progress in compressed bytes, up to the file size', async () => {
    const gz = await gzip(ngBytes);
    const plain = await collect(ngBytes, 256);
    const z = await collect(gz, 256);
    expect(z.progress.length).toBeGreaterThan(1);
    expect(z.progress.every((b, i) => b <= gz.length && (i === 0 || b >= z.progress[i - 1]))).toBe(true);
    expect(z.progress[z.progress.length - 1]).toBe(gz.length);
    // The plain file's progress is in its own bytes: the two only agree at the ends.
    expect(plain.progress[plain.progress.length - 1]).toBe(ngBytes.length);
  });

  it('shows each inflated piece to onInflated, in order (and nothing for a plain capture)', async () => {
    const gz = await gzip(ngBytes);
    for (const cs of [64, 4096]) {
      const seen: Uint8Array[] = [];
      const z = await collect(gz, cs, { onInflated: (b) => seen.push(b.slice()) });
      expect(z.result.gzip).toBe(true);
      expect(concat(...seen)).toEqual(ngBytes);
    }
    let calls = 0;
    await collect(ngBytes, 64, { onInflated: () => { calls++; } });
    expect(calls).toBe(0);
  });

  it('reports a cut gzip stream as an error after the frames it could decompress', async () => {
    const gz = await gzip(pcapBytes);
    const { result, frames } = await collect(gz.subarray(0, Math.floor(gz.length * 0.7)), 64);
    expect(result.gzip).toBe(true);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThan(50);
    expect(result.error ?? result.warnings[0]).toBeTruthy();
    const problem = result.error ?? result.warnings[0];
    expect(problem.offset).toBeGreaterThan(0);
  });

  it('throws NotACaptureError for unknown magic, empty input and gzip of something else', async () => {
    const read = (b: Uint8Array): Promise<unknown> => readCapture(new MemorySource(b, 3), { onFrame: () => undefined });
    await expect(read(Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0, 0))).rejects.toThrow(new NotACaptureError('not a pcap or pcapng file: starts with 0x504b0304'));
    await expect(read(new Uint8Array(0))).rejects.toThrow(/not a pcap or pcapng file: is empty/);
    await expect(read(Uint8Array.of(0xd4, 0xc3))).rejects.toThrow(/starts with 0xd4c3/);
    await expect(read(await gzip(new TextEncoder().encode('hello world')))).rejects.toThrow(/not a pcap or pcapng file: decompressed data starts with 0x68656c6c/);
    await expect(read(Uint8Array.of(0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12))).rejects.toBeInstanceOf(NotACaptureError);
  });

  it('closes the source when the callback stops early', async () => {
    let closed = false;
    const src = new MemorySource(pcapBytes, 100);
    const wrapped = {
      size: src.size,
      read: src.read.bind(src),
      async *chunks(start?: number): AsyncGenerator<Uint8Array> {
        try {
          yield* src.chunks(start);
        } finally {
          closed = true;
        }
      },
    };
    const r = await readCapture(wrapped, { onFrame: (rec) => rec.n < 3 });
    expect(r).toMatchObject({ frames: 3, cancelled: true });
    expect(closed).toBe(true);
  });

  it('closes the source when the input is not a capture', async () => {
    for (const bytes of [Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), await gzip(new Uint8Array(100))]) {
      let closed = false;
      const src = new MemorySource(bytes, 2);
      const wrapped = {
        size: src.size,
        read: src.read.bind(src),
        async *chunks(start?: number): AsyncGenerator<Uint8Array> {
          try {
            yield* src.chunks(start);
          } finally {
            closed = true;
          }
        },
      };
      await expect(readCapture(wrapped, { onFrame: () => undefined })).rejects.toBeInstanceOf(NotACaptureError);
      expect(closed).toBe(true);
    }
  });

  it('lets exceptions from the callback propagate', async () => {
    await expect(readCapture(new MemorySource(pcapBytes), { onFrame: () => { throw new Error('boom'); } })).rejects.toThrow('boom');
  });
});
