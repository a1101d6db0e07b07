// Offsets past 4 GiB must stay exact. These captures are never materialised: after a real file
// header, the body repeats one record, so any chunk of it is a window into a small periodic buffer.

import { describe, expect, it } from 'vitest';
import { readCapture } from './sniff.ts';
import { concat, epb, idb, payload, pcapHeader, pcapRecord, shb } from './test-bytes.ts';
import type { ByteSource } from './types.ts';

const GiB = 2 ** 30;

/** header + record repeated until `size`; chunks of `chunk` bytes, deliberately not record-aligned. */
function periodicSource(header: Uint8Array, record: Uint8Array, size: number, chunk: number): ByteSource {
  const period = record.length;
  const reps = Math.ceil((chunk + period) / period) + 1;
  const pattern = concat(...Array.from({ length: reps }, () => record));
  return {
    size,
    async *chunks() {
      yield header;
      for (let o = header.length; o < size; o += chunk) {
        const phase = (o - header.length) % period;
        yield pattern.subarray(phase, phase + Math.min(chunk, size - o));
      }
    },
    async read() {
      throw new Error('not used');
    },
  };
}

describe('offsets past 4 GiB', () => {
  it('pcap: exact fileOffset/recordOffset and truncation offset at 4.5 GiB', async () => {
    const header = pcapHeader({ snaplen: 262144 });
    const record = pcapRecord({ sec: 1, frac: 2, data: payload(65520) }); // 65536 bytes
    const records = Math.floor((4.5 * GiB) / record.length);
    const size = header.length + records * record.length + 100; // ends 100 bytes into a record
    let last = { n: 0, fileOffset: 0, recordOffset: 0 };
    const r = await readCapture(periodicSource(header, record, size, 16 * 2 ** 20 + 7), {
      onFrame: (rec) => {
        if (rec.buf[rec.dataOffset] !== record[16] || rec.buf[rec.dataOffset + rec.caplen - 1] !== record[record.length - 1]) throw new Error(`frame ${rec.n}: wrong bytes`);
        last = { n: rec.n, fileOffset: rec.fileOffset, recordOffset: rec.recordOffset };
      },
    });
    expect(r.frames).toBe(records);
    expect(r.error).toBeNull();
    const lastRecord = 24 + (records - 1) * 65536;
    expect(lastRecord).toBeGreaterThan(2 ** 32);
    expect(last).toEqual({ n: records, recordOffset: lastRecord, fileOffset: lastRecord + 16 });
    const cut = 24 + records * 65536;
    expect(r.warnings).toEqual([{ offset: cut, frame: 0, message: `file ends in the middle of a record at offset ${cut} (${65536 - 100} bytes missing)` }]);
    expect(r.bytesRead).toBe(size);
  });

  it('pcapng: exact offsets and an error offset past 4 GiB', async () => {
    const header = concat(shb(true), idb(true, { tsresol: 9 }));
    const record = epb(true, { ts: 1_700_000_000_000_000_000n, data: payload(65500) });
    const records = Math.ceil((4.2 * GiB) / record.length);
    const size = header.length + records * record.length;
    let last = 0;
    const ok = await readCapture(periodicSource(header, record, size, 8 * 2 ** 20 + 3), {
      onFrame: (rec) => {
        last = rec.fileOffset;
      },
    });
    expect(ok).toMatchObject({ frames: records, error: null, warnings: [] });
    expect(last).toBe(header.length + (records - 1) * record.length + 28);
    expect(last).toBeGreaterThan(2 ** 32);

    // The same stream with one record's trailing length broken where its offset is above 4 GiB.
    const broken = record.slice();
    new DataView(broken.buffer).setUint32(broken.length - 4, 12, true);
    const src = periodicSource(header, record, size, 8 * 2 ** 20 + 3);
    const badAt = header.length + (records - 2) * record.length;
    const patched: ByteSource = {
      size,
      read: src.read,
      async *chunks() {
        let o = 0;
        for await (const c of src.chunks()) {
          if (o <= badAt + broken.length && badAt < o + c.length) {
            const copy = c.slice();
            for (let i = Math.max(badAt, o); i < Math.min(badAt + broken.length, o + c.length); i++) copy[i - o] = broken[i - badAt];
            yield copy;
          } else yield c;
          o += c.length;
        }
      },
    };
    const bad = await readCapture(patched, { onFrame: () => undefined });
    expect(bad.frames).toBe(records - 2);
    expect(bad.error).toEqual({
      offset: badAt + record.length - 4,
      frame: 0,
      message: `pcapng block at offset ${badAt}: trailing block length 12 differs from the leading length ${record.length}`,
    });
    expect(bad.bytesRead).toBe(badAt);
  });
});
