import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, collectFrom, concat, payload, pcapHeader, pcapRecord } from '../decoders/capture/test-bytes.ts';
import { NodeFileSource, openNodeSource, withNodeFileSource } from './node-source.ts';

let dir = '';
let file = '';
const bytes = concat(pcapHeader(), ...Array.from({ length: 40 }, (_, i) => pcapRecord({ sec: i, frac: i, data: payload(100 + i * 3, i) })));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tunnelscope-node-source-'));
  file = join(dir, 'x.pcap');
  await writeFile(file, bytes);
});
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
});
