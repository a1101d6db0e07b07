import { describe, expect, it } from 'vitest';
import { MemorySource } from './memory-source.ts';
import { collect, collectAll, collectFrom, concat, payload, pcapHeader, pcapRecord } from './test-bytes.ts';

describe('classic pcap', () => {
  for (const le of [true, false]) {
    for (const nsec of [false, true]) {
      it(`reads ${le ? 'little' : 'big'}-endian ${nsec ? 'nanosecond' : 'microsecond'} files`, async () => {
        const a = payload(60, 1);
        const b = payload(1514, 2);
        const bytes = concat(
          pcapHeader({ le, nsec, snaplen: 65535, network: 1 }),
          pcapRecord({ le, sec: 1_700_000_000, frac: nsec ? 123_456_789 : 123_456, data: a }),
          pcapRecord({ le, sec: 4_000_000_000, frac: nsec ? 999_999_999 : 999_999, data: b, origlen: 9000 }),
        );
        const { result, frames } = await collectAll(bytes);
        expect(result).toMatchObject({ format: 'pcap', gzip: false, frames: 2, bytesRead: bytes.length, error: null, cancelled: false, warnings: [] });
        expect(result.interfaces).toEqual([{ linktype: 1, snaplen: 65535, name: null, description: null, tsUnitsPerSec: nsec ? 1e9 : 1e6, tsOffsetSec: 0, section: 0 }]);
        expect(frames.map((f) => [f.n, f.tsSec, f.tsNsec, f.caplen, f.origlen, f.linktype, f.recordOffset, f.fileOffset, f.hasTime])).toEqual([
          [1, 1_700_000_000, 123_456_789 - (nsec ? 0 : 789), 60, 60, 1, 24, 40, true],
          [2, 4_000_000_000, 999_999_999 - (nsec ? 0 : 999), 1514, 9000, 1, 100, 116, true],
        ]);
        expect(frames[0].data).toEqual(a);
        expect(frames[1].data).toEqual(b);
        expect(frames.every((f) => f.interfaceId === 0 && f.epbFlags === 0 && f.comment === null)).toBe(true);
      });
    }
  }

  it('reads a file with a header and no records', async () => {
    const { result, frames } = await collectAll(pcapHeader());
    expect(result).toMatchObject({ frames: 0, error: null, warnings: [] });
    expect(frames).toEqual([]);
  });

  it('masks the FCS bits out of the link type', async () => {
    for (const [network, linktype] of [[0x10000001, 1], [0xf4000071, 113], [0x24000114, 276]]) {
      const bytes = concat(pcapHeader({ network }), pcapRecord({ sec: 1, frac: 0, data: payload(20) }));
      const { result, frames } = await collect(bytes);
      expect(frames[0].linktype).toBe(linktype);
      expect(result.interfaces[0].linktype).toBe(linktype);
      expect(result.warnings).toEqual([]);
    }
  });

  it('passes unknown link types through', async () => {
    const { frames } = await collect(concat(pcapHeader({ network: 4242 }), pcapRecord({ sec: 1, frac: 0, data: payload(4) })));
    expect(frames[0].linktype).toBe(4242);
  });

  it('carries microsecond fields of a million or more into the seconds', async () => {
    const bytes = concat(pcapHeader(), pcapRecord({ sec: 10, frac: 2_500_000, data: payload(4) }));
    const { frames } = await collect(bytes);
    expect([frames[0].tsSec, frames[0].tsNsec]).toEqual([12, 500_000_000]);
  });

  it('warns once when caplen exceeds origlen', async () => {
    const bytes = concat(
      pcapHeader(),
      pcapRecord({ sec: 1, frac: 0, data: payload(100), origlen: 60 }),
      pcapRecord({ sec: 2, frac: 0, data: payload(100), origlen: 60 }),
    );
    const { result } = await collectAll(bytes);
    expect(result.frames).toBe(2);
    expect(result.error).toBeNull();
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ offset: 24, frame: 1 });
    expect(result.warnings[0].message).toMatch(/captured length 100 is larger than the original length 60/);
  });

  it('warns once when caplen exceeds the snaplen but stays within 262144', async () => {
    const bytes = concat(
      pcapHeader({ snaplen: 64 }),
      pcapRecord({ sec: 1, frac: 0, data: payload(64) }),
      pcapRecord({ sec: 1, frac: 0, data: payload(100) }),
      pcapRecord({ sec: 1, frac: 0, data: payload(200) }),
    );
    const { result } = await collectAll(bytes);
    expect(result.frames).toBe(3);
    expect(result.error).toBeNull();
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ offset: 24 + 80, frame: 2 });
    expect(result.warnings[0].message).toMatch(/snapshot length 64/);
  });

  it('stops with an error on a caplen above 262144 and the snaplen, keeping earlier frames', async () => {
    const bytes = concat(
      pcapHeader({ snaplen: 65535 }),
      pcapRecord({ sec: 1, frac: 0, data: payload(10) }),
      pcapRecord({ sec: 2, frac: 0, data: payload(10), caplen: 300_000 }),
      pcapRecord({ sec: 3, frac: 0, data: payload(10) }),
    );
    const { result, frames } = await collectAll(bytes);
    expect(frames).toHaveLength(1);
    expect(result.error).toMatchObject({ offset: 50, frame: 2 });
    expect(result.error?.message).toBe('pcap record at offset 50: captured length 300000 is larger than the maximum 262144');
  });

  it('accepts a caplen above 262144 when the snaplen allows it', async () => {
    const big = payload(300_000);
    const { result, frames } = await collect(concat(pcapHeader({ snaplen: 1 << 20 }), pcapRecord({ sec: 1, frac: 0, data: big })));
    expect(result.error).toBeNull();
    expect(frames[0].data).toEqual(big);
  });

  it('reports a file cut in the middle of a record as a warning with the missing byte count', async () => {
    const whole = concat(pcapHeader(), pcapRecord({ sec: 1, frac: 0, data: payload(10) }), pcapRecord({ sec: 2, frac: 0, data: payload(40) }));
    const cut = whole.subarray(0, whole.length - 15);
    const { result, frames } = await collectAll(cut);
    expect(frames).toHaveLength(1);
    expect(result.error).toBeNull();
    expect(result.warnings).toEqual([{ offset: 50, frame: 0, message: 'file ends in the middle of a record at offset 50 (15 bytes missing)' }]);
  });

  it('reports a file cut in the middle of a record header', async () => {
    const whole = concat(pcapHeader(), pcapRecord({ sec: 1, frac: 0, data: payload(10) }), pcapRecord({ sec: 2, frac: 0, data: payload(40) }));
    const { result, frames } = await collectAll(whole.subarray(0, 50 + 5));
    expect(frames).toHaveLength(1);
    expect(result.warnings).toEqual([{ offset: 50, frame: 0, message: 'file ends in the middle of a record at offset 50 (11 bytes missing)' }]);
  });

  it('says it is the file header that is cut short, not a record', async () => {
    for (const cut of [10, 20]) {
      const { result, frames } = await collectAll(pcapHeader().subarray(0, cut));
      expect(frames).toHaveLength(0);
      expect(result.error).toBeNull();
      expect(result.warnings).toEqual([{ offset: 0, frame: 0, message: `pcap file header cut short: ${cut} of 24 bytes at offset 0` }]);
    }
    // The same when the size is not known in advance (a stream: gzip input).
    const bytes = pcapHeader().subarray(0, 20);
    const mem = new MemorySource(bytes, 7);
    const stream = { size: -1, chunks: (start?: number) => mem.chunks(start), read: (o: number, n: number) => mem.read(o, n) };
    const { result } = await collectFrom(stream);
    expect(result.warnings.map((w) => w.message)).toEqual(['pcap file header cut short: 20 of 24 bytes at offset 0']);
  });

  it('rejects unsupported major versions with an error', async () => {
    const { result } = await collect(concat(pcapHeader({ major: 1 }), pcapRecord({ sec: 1, frac: 0, data: payload(4) })));
    expect(result.frames).toBe(0);
    expect(result.error).toMatchObject({ offset: 4, message: 'pcap file header: unsupported version 1.4' });
  });

  it('swaps caplen and origlen for versions before 2.3, and for 2.3 when they are the wrong way round', async () => {
    const r22 = await collect(concat(pcapHeader({ minor: 2 }), pcapRecord({ sec: 1, frac: 0, data: payload(10), caplen: 1000, origlen: 10 })));
    expect(r22.frames.map((f) => [f.caplen, f.origlen])).toEqual([[10, 1000]]);
    const r23 = await collect(concat(
      pcapHeader({ minor: 3 }),
      pcapRecord({ sec: 1, frac: 0, data: payload(10), caplen: 1000, origlen: 10 }),
      pcapRecord({ sec: 1, frac: 0, data: payload(10), caplen: 10, origlen: 1000 }),
    ));
    expect(r23.frames.map((f) => [f.caplen, f.origlen])).toEqual([[10, 1000], [10, 1000]]);
  });

  it('stops when the callback returns false', async () => {
    const recs = [1, 2, 3].map((i) => pcapRecord({ sec: i, frac: 0, data: payload(10) }));
    const { result, frames } = await collect(concat(pcapHeader(), ...recs), 4096, { onFrame: (r) => r.n < 2 });
    expect(frames).toHaveLength(2);
    expect(result).toMatchObject({ frames: 2, cancelled: true, error: null });
  });

  it('checks the abort signal once per chunk and reports progress', async () => {
    const recs = Array.from({ length: 20 }, (_, i) => pcapRecord({ sec: i, frac: 0, data: payload(36) }));
    const bytes = concat(pcapHeader(), ...recs);
    const ctl = new AbortController();
    const { result, progress } = await collect(bytes, 104, {
      signal: ctl.signal,
      onProgress: (n) => {
        if (n >= 312) ctl.abort();
      },
    });
    expect(result.cancelled).toBe(true);
    expect(progress).toEqual([104, 208, 312]);
    expect(result.frames).toBeLessThan(20);

    const full = await collect(bytes, 64);
    expect(full.progress).toHaveLength(Math.ceil(bytes.length / 64));
    expect(full.progress[full.progress.length - 1]).toBe(bytes.length);
  });
});
