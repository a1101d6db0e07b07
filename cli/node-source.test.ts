import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, collectFrom, concat, payload, pcapHeader, pcapRecord } from '../decoders/capture/test-bytes.ts';
import { NodeFileSource, openNodeSource, withNodeFileSource } from './node-source.ts';
import { frameBuffer, releaseFrameBuffer, simdBuffer } from '../decoders/simd-sum.ts';

let dir = '';
let file = '';
let gz = '';
let gzCut = '';
let gzBad = '';
const bytes = concat(pcapHeader(), ...Array.from({ length: 40 }, (_, i) => pcapRecord({ sec: i, frac: i, data: payload(100 + i * 3, i) })));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tunnelscope-node-source-'));
  file = join(dir, 'x.pcap');
  await writeFile(file, bytes);
  const packed = gzipSync(bytes);
  gz = join(dir, 'x.pcap.gz');
  await writeFile(gz, packed);
  gzCut = join(dir, 'cut.pcap.gz');
  await writeFile(gzCut, packed.subarray(0, packed.length >> 1));
  gzBad = join(dir, 'bad.pcap.gz');
  const bad = packed.slice();
  for (let i = (bad.length * 2) / 3 | 0, end = i + 16; i < end; i++) bad[i] ^= 0x5a;
  await writeFile(gzBad, bad);
});

/** Opens `path` and counts the calls to its own inflate (zlib), so a test knows which decompressor ran. */
async function zlibSource(path: string, chunkSize: number): Promise<{ src: NodeFileSource; calls: () => number }> {
  const src = await NodeFileSource.open(path, chunkSize);
  const own = src.inflate.bind(src);
  let n = 0;
  src.inflate = (c) => {
    n++;
    return own(c);
  };
  return { src, calls: () => n };
}
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('NodeFileSource', () => {
  it('yields the file in chunks (valid until the next one) and reads ranges', async () => {
    await withNodeFileSource(file, async (src) => {
      expect(src.size).toBe(bytes.length);
      const parts: Uint8Array[] = [];
      for await (const c of src.chunks()) parts.push(c.slice());
      expect(parts.slice(0, -1).every((p) => p.length === 1000)).toBe(true);
      expect(concat(...parts)).toEqual(bytes);
      const tail: Uint8Array[] = [];
      for await (const c of src.chunks(bytes.length - 10)) tail.push(c.slice());
      expect(concat(...tail)).toEqual(bytes.subarray(bytes.length - 10));
      expect(await src.read(30, 20)).toEqual(bytes.subarray(30, 50));
      expect((await src.read(bytes.length - 4, 100)).length).toBe(4);
    }, 1000);
  });

  it('gives the reader the same result as memory, at odd chunk sizes', async () => {
    const mem = await collect(bytes);
    for (const cs of [1, 7, 64, 4096]) {
      const src = await NodeFileSource.open(file, cs);
      try {
        const r = await collectFrom(src);
        expect(r.result).toEqual(mem.result);
        expect(r.frames.map((f) => f.data)).toEqual(mem.frames.map((f) => f.data));
      } finally {
        await src.close();
      }
    }
  });

  it('stops reading cleanly when the consumer stops', async () => {
    const src = await openNodeSource(file, 64);
    try {
      const r = await collectFrom(src, { onFrame: (rec) => rec.n < 3 });
      expect(r.result).toMatchObject({ frames: 3, cancelled: true });
    } finally {
      await src.close();
    }
  });

  it('fails to open a missing file', async () => {
    await expect(openNodeSource(join(dir, 'missing.pcap'))).rejects.toThrow(/ENOENT/);
  });

  it('inflates gzip with zlib: the same frames as the uncompressed file, at odd chunk sizes', async () => {
    const plain = await collect(bytes);
    for (const cs of [1, 7, 4096]) {
      const { src, calls } = await zlibSource(gz, cs);
      try {
        const r = await collectFrom(src);
        expect(calls()).toBe(1);
        expect(r.result).toMatchObject({ ...plain.result, gzip: true });
        expect(r.frames.map((f) => f.data)).toEqual(plain.frames.map((f) => f.data));
      } finally {
        await src.close();
      }
    }
  });

  it('reports cut-short and corrupt gzip as such, and stops cleanly when the consumer stops', async () => {
    for (const path of [gzCut, gzBad]) {
      const { src, calls } = await zlibSource(path, 512);
      try {
        const r = await collectFrom(src);
        expect(calls()).toBe(1);
        expect(r.result.error?.message).toMatch(/: gzip data is corrupt or cut short \(.+\)$/);
        expect(r.frames.length, 'frames inflated before the damage are kept').toBeGreaterThan(0);
      } finally {
        await src.close();
      }
    }
    const { src } = await zlibSource(gz, 64);
    try {
      const r = await collectFrom(src, { onFrame: (rec) => rec.n < 3 });
      expect(r.result).toMatchObject({ frames: 3, cancelled: true, gzip: true });
    } finally {
      await src.close();
    }
  });

  it('gives its read buffers back to the WebAssembly pool even when a stopped gzip read ends after close()', async () => {
    const size = 80; // small, so the read is still going when the consumer stops; no other test uses it
    const mine = [frameBuffer(size), frameBuffer(size)];
    if (mine[0].buffer !== simdBuffer()) return; // no WebAssembly memory here: nothing to give back
    for (const b of mine) releaseFrameBuffer(b);
    const src = await NodeFileSource.open(gz, size);
    const r = await collectFrom(src, { onFrame: (rec) => rec.n < 2 });
    expect(r.result.cancelled).toBe(true);
    await src.close();
    await new Promise((done) => setTimeout(done, 200)); // the stopped pipeline winds down after close()
    const again = [frameBuffer(size), frameBuffer(size)];
    expect(again.map((b) => b.byteOffset).sort()).toEqual(mine.map((b) => b.byteOffset).sort());
  });
});
