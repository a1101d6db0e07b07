import { describe, expect, it } from 'vitest';
import { MemorySource } from './memory-source.ts';
import { block, collect, collectAll, collectFrom, concat, epb, idb, payload, pb, shb, spb, utf8, Writer } from './test-bytes.ts';

/** Expected [tsSec, tsNsec] for a unit count, computed with BigInt (floor division). */
function expectTs(ts: bigint, unitsPerSec: bigint, offsetSec = 0n): [number, number] {
  return [Number(ts / unitsPerSec + offsetSec), Number(((ts % unitsPerSec) * 1_000_000_000n) / unitsPerSec)];
}

describe('pcapng', () => {
  for (const le of [true, false]) {
    it(`reads a ${le ? 'little' : 'big'}-endian section with EPBs (default microsecond resolution)`, async () => {
      const a = payload(60, 1);
      const b = payload(61, 2);
      const bytes = concat(
        shb(le),
        idb(le, { linktype: 1, snaplen: 65535, name: 'eth0' }),
        epb(le, { ts: 1_700_000_000_123_456n, data: a }),
        epb(le, { ts: 1_700_000_001_000_001n, data: b, origlen: 1500 }),
      );
      const { result, frames } = await collectAll(bytes);
      expect(result).toMatchObject({ format: 'pcapng', gzip: false, frames: 2, bytesRead: bytes.length, error: null, warnings: [], cancelled: false });
      expect(result.interfaces).toEqual([{ linktype: 1, snaplen: 65535, name: 'eth0', description: null, tsUnitsPerSec: 1e6, tsOffsetSec: 0, section: 0 }]);
      const shbLen = shb(le).length;
      const idbLen = idb(le, { linktype: 1, snaplen: 65535, name: 'eth0' }).length;
      expect(frames.map((f) => [f.n, f.tsSec, f.tsNsec, f.caplen, f.origlen, f.linktype, f.interfaceId, f.recordOffset, f.fileOffset, f.hasTime])).toEqual([
        [1, 1_700_000_000, 123_456_000, 60, 60, 1, 0, shbLen + idbLen, shbLen + idbLen + 28, true],
        [2, 1_700_000_001, 1000, 61, 1500, 1, 0, shbLen + idbLen + 92, shbLen + idbLen + 92 + 28, true],
      ]);
      expect(frames[0].data).toEqual(a);
      expect(frames[1].data).toEqual(b);
    });
  }

  it('converts nanosecond timestamps above 2^53 units exactly', async () => {
    const stamps = [1_700_000_000_123_456_789n, 0xffffffff_ffffffffn, 9_007_199_254_740_993n, 4_294_967_296_000_000_001n, 0n, 999_999_999n];
    const bytes = concat(shb(true), idb(true, { tsresol: 9 }), ...stamps.map((ts) => epb(true, { ts, data: payload(4) })));
    const { result, frames } = await collectAll(bytes);
    expect(result.interfaces[0].tsUnitsPerSec).toBe(1e9);
    expect(frames.map((f) => [f.tsSec, f.tsNsec])).toEqual(stamps.map((ts) => expectTs(ts, 1_000_000_000n)));
    expect(frames[0]).toMatchObject({ tsSec: 1_700_000_000, tsNsec: 123_456_789 });
  });

  it('handles decimal and binary if_tsresol, rounding sub-nanosecond units down', async () => {
    const cases: [number, bigint][] = [
      [0, 1n], [3, 1000n], [6, 1_000_000n], [7, 10_000_000n], [9, 1_000_000_000n],
      [0x80, 1n], [0x80 | 10, 1024n], [0x80 | 20, 1n << 20n], [0x80 | 30, 1n << 30n], [0x80 | 32, 1n << 32n],
      [12, 1_000_000_000_000n], [0x80 | 40, 1n << 40n], [0x80 | 64, 1n << 64n],
    ];
    const stamps = [0n, 1n, 123_456_789_012_345n, 0x7fffffff_ffffffffn, 0xffffffff_ffffffffn, 0x00200000_00000000n - 1n];
    for (const [resol, units] of cases) {
      const bytes = concat(shb(true), idb(true, { tsresol: resol }), ...stamps.map((ts) => epb(true, { ts, data: payload(1) })));
      const { result, frames } = await collect(bytes, 64);
      expect(result.interfaces[0].tsUnitsPerSec).toBe(Number(units));
      const want = stamps.map((ts) => expectTs(ts, units));
      // Seconds beyond 2^53 cannot be represented; only compare where they can.
      const got = frames.map((f, i) => (want[i][0] < 2 ** 53 ? [f.tsSec, f.tsNsec] : want[i]));
      expect(got, `if_tsresol 0x${resol.toString(16)}`).toEqual(want);
    }
  });

  it('applies a signed if_tsoffset (seconds) to every timestamp', async () => {
    const bytes = concat(
      shb(false),
      idb(false, { tsresol: 9, tsoffset: -2_000_000_000n }),
      idb(false, { tsoffset: 1_000_000n }),
      epb(false, { ifId: 0, ts: 1_500_000_000_250_000_000n, data: payload(8) }),
      epb(false, { ifId: 0, ts: 5n, data: payload(8) }),
      epb(false, { ifId: 1, ts: 7_000_001n, data: payload(8) }),
    );
    const { result, frames } = await collectAll(bytes);
    expect(result.interfaces.map((i) => i.tsOffsetSec)).toEqual([-2_000_000_000, 1_000_000]);
    expect(frames.map((f) => [f.interfaceId, f.tsSec, f.tsNsec])).toEqual([
      [0, -500_000_000, 250_000_000],
      [0, -2_000_000_000, 5],
      [1, 1_000_007, 1000],
    ]);
  });

  it('reads SPBs: no time, caplen limited by block data, snaplen of interface 0 and origlen', async () => {
    const bytes = concat(
      shb(true),
      idb(true, { linktype: 113, snaplen: 40 }),
      spb(true, 30, payload(30)), // caplen = origlen (padding excluded)
      spb(true, 100, payload(40)), // cut at the snaplen
      spb(true, 1000, payload(20)), // less data than the snaplen
    );
    const { result, frames } = await collectAll(bytes);
    expect(result.error).toBeNull();
    expect(result.warnings).toEqual([]);
    expect(frames.map((f) => [f.n, f.caplen, f.origlen, f.linktype, f.hasTime, f.tsSec, f.tsNsec, f.interfaceId])).toEqual([
      [1, 30, 30, 113, false, 0, 0, 0],
      [2, 40, 100, 113, false, 0, 0, 0],
      [3, 20, 1000, 113, false, 0, 0, 0],
    ]);
    expect(frames[1].data).toEqual(payload(40));
  });

  it('skips an SPB when interface 0 is not defined, with a warning', async () => {
    const bytes = concat(shb(true), spb(true, 10, payload(10)), idb(true), spb(true, 10, payload(10)));
    const { result, frames } = await collectAll(bytes);
    expect(frames.map((f) => f.n)).toEqual([1]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ offset: shb(true).length });
    expect(result.warnings[0].message).toMatch(/simple packet block at offset \d+: interface 0 is not defined/);
  });

  it('reads the obsolete Packet Block with its 16-bit interface id and flags', async () => {
    for (const le of [true, false]) {
      const bytes = concat(
        shb(le),
        idb(le, { linktype: 1 }),
        idb(le, { linktype: 101, tsresol: 3 }),
        pb(le, { ifId: 1, drops: 7, ts: 1_234_567n, data: payload(33), origlen: 99, flags: 2 }),
      );
      const { result, frames } = await collectAll(bytes);
      expect(result.error).toBeNull();
      expect(frames.map((f) => [f.interfaceId, f.linktype, f.tsSec, f.tsNsec, f.caplen, f.origlen, f.epbFlags])).toEqual([[1, 101, 1234, 567_000_000, 33, 99, 2]]);
      expect(frames[0].data).toEqual(payload(33));
    }
  });

  it('decodes epb_flags and joins several opt_comments, only when present', async () => {
    const le = false;
    const bytes = concat(
      shb(le),
      idb(le),
      epb(le, { ts: 1n, data: payload(5), flags: 0x00000001, comments: ['first', 'zweite ü'] }),
      epb(le, { ts: 2n, data: payload(6) }),
      epb(le, { ts: 3n, data: payload(7), comments: ['solo'] }),
      epb(le, { ts: 4n, data: payload(8), flags: 0x2 }),
    );
    const { frames } = await collectAll(bytes);
    expect(frames.map((f) => [f.epbFlags, f.comment])).toEqual([
      [1, 'first\nzweite ü'],
      [0, null],
      [0, 'solo'],
      [2, null],
    ]);
  });

  it('reads several sections whose byte order changes, restarting interface ids and keeping n', async () => {
    const bytes = concat(
      shb(true),
      idb(true, { linktype: 1, name: 'a0' }),
      idb(true, { linktype: 113, name: 'a1' }),
      epb(true, { ifId: 1, ts: 1_000_000n, data: payload(10) }),
      shb(false),
      idb(false, { linktype: 101, name: 'b0', tsresol: 9 }),
      epb(false, { ifId: 0, ts: 2_000_000_000n, data: payload(11) }),
      epb(false, { ifId: 1, ts: 3n, data: payload(12) }), // interface 1 existed only in section 0
      shb(true),
      idb(true, { linktype: 276 }),
      epb(true, { ifId: 0, ts: 3_000_000n, data: payload(13) }),
    );
    const { result, frames } = await collectAll(bytes);
    expect(result.error).toBeNull();
    expect(result.interfaces.map((i) => [i.name, i.linktype, i.section])).toEqual([
      ['a0', 1, 0], ['a1', 113, 0], ['b0', 101, 1], [null, 276, 2],
    ]);
    expect(frames.map((f) => [f.n, f.interfaceId, f.linktype, f.tsSec, f.caplen])).toEqual([
      [1, 1, 113, 1, 10],
      [2, 0, 101, 2, 11],
      [3, 0, 276, 3, 13],
    ]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0].message).toMatch(/enhanced packet block at offset \d+: interface 1 is not defined in this section; packet skipped/);
    expect(result.warnings[0].frame).toBe(3);
  });

  it('skips NRB, custom, DSB and unknown blocks, and reads an ISB without packets', async () => {
    const le = true;
    const bytes = concat(
      shb(le),
      idb(le),
      block(le, 4, (w) => w.u16(1).u16(8).bytes([10, 0, 0, 1]).bytes(utf8('host\0')).pad4().u16(0).u16(0)),
      epb(le, { ts: 1n, data: payload(3) }),
      block(le, 5, (w) => w.u32(0).u32(0).u32(5)),
      block(le, 0xbad, (w) => w.u32(32473).bytes(utf8('custom'))),
      block(le, 0x40000bad, (w) => w.u32(32473).bytes(utf8('no copy'))),
      block(le, 0x0a, (w) => w.u32(0x544c534b).u32(4).bytes([1, 2, 3, 4])),
      block(le, 0x12345, (w) => w.u32(7)),
      block(le, 0x80000001, (w) => w.u32(7)),
      epb(le, { ts: 2n, data: payload(4) }),
    );
    const { result, frames } = await collectAll(bytes);
    expect(result).toMatchObject({ frames: 2, error: null, warnings: [] });
    expect(frames.map((f) => [f.n, f.caplen])).toEqual([[1, 3], [2, 4]]);
  });

  it('ignores interface and packet options it does not know', async () => {
    const le = true;
    const idbWithOpts = block(le, 1, (w) => w.u16(1).u16(0).u32(96), [
      { code: 4, value: Uint8Array.of(10, 0, 0, 1, 255, 0, 0, 0) },
      { code: 9, value: Uint8Array.of(6) },
      { code: 2988, value: new Writer(le).u32(32473).bytes([1, 2, 3]).done() },
    ]);
    const bytes = concat(shb(le, [{ code: 4, value: utf8('writer') }]), idbWithOpts, epb(le, { ts: 5n, data: payload(9) }));
    const { result, frames } = await collectAll(bytes);
    expect(result.error).toBeNull();
    expect(result.interfaces[0]).toMatchObject({ snaplen: 96, tsUnitsPerSec: 1e6, name: null, description: null });
    expect(frames).toHaveLength(1);
  });

  it('reads if_name and if_description, a zero octet ending either', async () => {
    for (const le of [true, false]) {
      const bytes = concat(
        shb(le),
        idb(le, { name: 'eth0', description: 'Uplink to the ToR switch' }),
        block(le, 1, (w) => w.u16(1).u16(0).u32(0), [{ code: 2, value: concat(utf8('vxlan0'), Uint8Array.of(0, 0x41)) }, { code: 3, value: utf8('') }]),
        epb(le, { ts: 1n, data: payload(8), ifId: 1 }),
      );
      const { result } = await collectAll(bytes);
      expect(result.interfaces.map((i) => [i.name, i.description])).toEqual([['eth0', 'Uplink to the ToR switch'], ['vxlan0', '']]);
    }
  });

  it('reads epb_hash, epb_dropcount, epb_packetid, epb_queue and epb_verdict in either byte order, only when present', async () => {
    for (const le of [true, false]) {
      const crc = Uint8Array.of(2, 0xec, 0x1d, 0x87, 0x97);
      const md5 = Uint8Array.of(3, ...payload(16, 3));
      const xdp = Uint8Array.of(2, ...new Writer(le).u64(2n).done());
      const xdpLe = Uint8Array.of(2, 2, 0, 0, 0, 0, 0, 0, 0);
      const hw = Uint8Array.of(0, 0xde, 0xad);
      const bytes = concat(
        shb(le),
        idb(le),
        epb(le, {
          ts: 1n, data: payload(5), flags: 0, hashes: [crc, md5], dropCount: 0x1_0000_0005n, packetId: 0xfedcba9876543210n,
          queue: 0x8000_0003, verdicts: [xdp, hw],
        }),
        epb(le, { ts: 2n, data: payload(6) }),
        epb(le, { ts: 3n, data: payload(7), queue: 0 }),
      );
      const { result, frames } = await collectAll(bytes);
      expect(result.warnings).toEqual([]);
      const [a, b, c] = frames.map((f) => f.epb);
      expect(a).toEqual({
        has: 1 | 2 | 4 | 8 | 16 | 32, dropsHi: 1, dropsLo: 5, packetIdHi: 0xfedcba98, packetIdLo: 0x76543210, queue: 0x8000_0003,
        hashes: [crc, md5], verdicts: [xdpLe, hw],
      });
      expect(frames[0].epbFlags).toBe(0);
      // The reused options object is cleared for a block without options, and a later block sets only its own.
      expect(b).toMatchObject({ has: 0, hashes: null, verdicts: null });
      expect(c).toMatchObject({ has: 8, queue: 0, hashes: null, verdicts: null });
    }
  });

  it('warns about packet options of the wrong length and ignores them', async () => {
    const le = true;
    const bytes = concat(
      shb(le),
      idb(le),
      epb(le, {
        ts: 1n, data: payload(5),
        raw: [{ code: 2, value: Uint8Array.of(1, 0) }, { code: 4, value: Uint8Array.of(1, 2, 3, 4) }, { code: 5, value: new Uint8Array(9) },
          { code: 6, value: Uint8Array.of(1) }, { code: 3, value: new Uint8Array(0) }, { code: 7, value: new Uint8Array(0) }],
      }),
    );
    const { result, frames } = await collectAll(bytes);
    expect(frames[0].epb.has).toBe(0);
    expect(result.warnings.map((w) => w.message.replace(/ at offset \d+/, ''))).toEqual([
      'packet block option epb_flags: length 2 must be 4; ignored',
      'packet block option epb_dropcount: length 4 must be 8; ignored',
      'packet block option epb_packetid: length 9 must be 8; ignored',
      'packet block option epb_queue: length 1 must be 4; ignored',
      'packet block option epb_hash: length 0 must hold at least the algorithm octet; ignored',
      'packet block option epb_verdict: length 0 must hold at least the type octet; ignored',
    ]);
    expect(result.warnings.every((w) => w.frame === 1)).toBe(true);
  });

  it('reads pack_hash in the obsolete Packet Block, and no EPB-only option there', async () => {
    const le = true;
    const bytes = concat(shb(le), idb(le), pb(le, { ts: 1n, data: payload(9), hashes: [Uint8Array.of(2, 1, 2, 3, 4)], queue: 7 }));
    const { frames } = await collectAll(bytes);
    expect(frames[0].epb).toMatchObject({ has: 16, hashes: [Uint8Array.of(2, 1, 2, 3, 4)] });
  });

  describe('corrupt input', () => {
    const le = true;
    const head = concat(shb(le), idb(le));
    const good = epb(le, { ts: 1n, data: payload(10) });
    const at = head.length + good.length;

    function withLength(len: number, trailing = len): Uint8Array {
      return new Writer(le).u32(6).u32(len).bytes(new Uint8Array(Math.max(0, len - 12))).u32(trailing).done();
    }

    it('stops at a block length below 12', async () => {
      const { result, frames } = await collectAll(concat(head, good, new Writer(le).u32(6).u32(8).u32(8).done(), good));
      expect(frames).toHaveLength(1);
      expect(result.error).toEqual({ offset: at + 4, frame: 0, message: `pcapng block at offset ${at}: block length 8 is less than 12` });
    });

    it('stops at a block length that is not a multiple of 4', async () => {
      const { result, frames } = await collectAll(concat(head, good, new Writer(le).u32(6).u32(7).u32(7).done(), good));
      expect(frames).toHaveLength(1);
      expect(result.error?.message).toBe(`pcapng block at offset ${at}: block length 7 is not a multiple of 4`);
      const odd = await collectAll(concat(head, good, new Writer(le).u32(6).u32(41).bytes(new Uint8Array(32)).u32(99).done(), good));
      expect(odd.result.error?.message).toBe(`pcapng block at offset ${at}: block length 41 is not a multiple of 4`);
    });

    it('reads an unpadded block length when the trailing copy agrees (old writers), with a warning', async () => {
      const blk = epb(le, { ts: 1n, data: payload(13) }); // 48 bytes: 28 + 16 padded + 4
      const dv = new DataView(blk.buffer);
      dv.setUint32(4, 45, true);
      dv.setUint32(44, 45, true);
      const { result, frames } = await collectAll(concat(head, good, blk, good));
      expect(frames.map((f) => f.caplen)).toEqual([10, 13, 10]);
      expect(result.error).toBeNull();
      expect(result.warnings.map((w) => w.message)).toEqual([`pcapng block at offset ${at}: block length 45 is not a multiple of 4; read as 48 (reported once)`]);
    });

    it('stops when the trailing length differs from the leading length', async () => {
      const { result, frames } = await collectAll(concat(head, good, withLength(32, 36), good));
      expect(frames).toHaveLength(1);
      expect(result.error).toEqual({ offset: at + 28, frame: 0, message: `pcapng block at offset ${at}: trailing block length 36 differs from the leading length 32` });
    });

    it('stops at an absurd block length without buffering it', async () => {
      const huge = new Writer(le).u32(6).u32(0x7ffffffc).bytes(new Uint8Array(40)).done();
      const { result, frames } = await collectAll(concat(head, good, huge));
      expect(frames).toHaveLength(1);
      expect(result.error?.message).toBe(`pcapng block at offset ${at}: block length 2147483644 is larger than the maximum 67108864`);
    });

    it('treats a block that runs past the end of the file as a cut file', async () => {
      const long = new Writer(le).u32(6).u32(4096).bytes(new Uint8Array(40)).done();
      const { result, frames } = await collectAll(concat(head, good, long));
      expect(frames).toHaveLength(1);
      expect(result.error).toBeNull();
      expect(result.warnings).toEqual([{ offset: at, frame: 0, message: `file ends in the middle of a record at offset ${at} (${4096 - 48} bytes missing)` }]);
    });

    it('stops when an EPB caplen exceeds the block body', async () => {
      const bad = epb(le, { ts: 1n, data: payload(12), caplen: 13 });
      const { result, frames } = await collectAll(concat(head, good, bad, good));
      expect(frames).toHaveLength(1);
      expect(result.error).toMatchObject({ offset: at + 20, frame: 2 });
      expect(result.error?.message).toBe(`enhanced packet block at offset ${at}: captured length 13 is larger than the block body (12 bytes)`);
    });

    it('warns and skips packets of undefined interfaces', async () => {
      const { result, frames } = await collectAll(concat(head, epb(le, { ifId: 3, ts: 1n, data: payload(4) }), good));
      expect(frames.map((f) => f.n)).toEqual([1]);
      expect(result.error).toBeNull();
      expect(result.warnings).toEqual([{ offset: head.length + 8, frame: 1, message: `enhanced packet block at offset ${head.length}: interface 3 is not defined in this section; packet skipped` }]);
    });

    it('keeps complete frames of a file cut mid-block or mid-header, with a warning', async () => {
      const whole = concat(head, good, good);
      // Cut inside the 12-byte block header, only the header's missing bytes are known.
      for (const [cut, missing] of [[5, 7], [20, good.length - 20]]) {
        const { result, frames } = await collectAll(whole.subarray(0, at + cut));
        expect(frames).toHaveLength(1);
        expect(result.error).toBeNull();
        expect(result.warnings).toEqual([{ offset: at, frame: 0, message: `file ends in the middle of a record at offset ${at} (${missing} bytes missing)` }]);
      }
    });

    it('says it is the section header block that is cut short, with its size when known', async () => {
      const whole = concat(head, good);
      const shbLen = shb(le).length;
      // Before the block length is in, only the smallest section header size is known.
      for (const [cut, of] of [[8, 'at least 28'], [20, String(shbLen)]]) {
        const { result, frames } = await collectAll(whole.subarray(0, cut as number));
        expect(frames).toHaveLength(0);
        expect(result.error).toBeNull();
        expect(result.warnings).toEqual([{ offset: 0, frame: 0, message: `pcapng section header block cut short: ${cut} of ${of} bytes at offset 0` }]);
      }
      // A later section's header block, cut inside its block header and inside its body.
      const second = concat(whole, shb(le));
      for (const [cut, of] of [[6, 'at least 28'], [20, String(shbLen)]]) {
        const { result, frames } = await collectAll(second.subarray(0, whole.length + (cut as number)));
        expect(frames).toHaveLength(1);
        expect(result.warnings.map((w) => w.message)).toEqual([`pcapng section header block cut short: ${cut} of ${of} bytes at offset ${whole.length}`]);
      }
      // The same when the size is not known in advance (a stream: gzip input).
      const mem = new MemorySource(whole.subarray(0, 20), 3);
      const stream = { size: -1, chunks: (start?: number) => mem.chunks(start), read: (o: number, n: number) => mem.read(o, n) };
      const { result } = await collectFrom(stream);
      expect(result.warnings.map((w) => w.message)).toEqual([`pcapng section header block cut short: 20 of ${shbLen} bytes at offset 0`]);
    });

    it('rejects unsupported versions and a bad byte-order magic', async () => {
      const v = await collect(concat(shb(le, undefined, [2, 0]), idb(le), good));
      expect(v.result.error?.message).toBe('pcapng section header at offset 0: unsupported version 2.0');
      const second = await collect(concat(head, good, shb(le, undefined, [1, 1]), idb(le), good));
      expect(second.frames).toHaveLength(1);
      expect(second.result.error?.message).toBe(`pcapng section header at offset ${at}: unsupported version 1.1`);
      const badBom = concat(head, good, shb(le));
      badBom.set([1, 2, 3, 4], at + 8);
      const b = await collect(badBom);
      expect(b.frames).toHaveLength(1);
      expect(b.result.error).toMatchObject({ offset: at + 8, message: `pcapng section header at offset ${at}: bad byte-order magic` });
    });

    it('warns about an option that runs past its block and keeps the packet', async () => {
      const blk = epb(le, { ts: 1n, data: payload(4), comments: ['abcd'] });
      new DataView(blk.buffer).setUint16(34, 200, true); // comment length
      const { result, frames } = await collectAll(concat(head, blk));
      expect(frames).toHaveLength(1);
      expect(frames[0].comment).toBeNull();
      expect(result.warnings[0].message).toMatch(/option 1 at offset \d+: length 200 runs past the end of the block/);
    });

    it('stops at an interface description block too short for its fields', async () => {
      const short = new Writer(le).u32(1).u32(16).u32(1).u32(16).done();
      const { result, frames } = await collectAll(concat(head, good, short, good));
      expect(frames).toHaveLength(1);
      expect(result.error).toEqual({ offset: at + 4, frame: 0, message: `pcapng interface description block at offset ${at}: block length 16 is less than 20` });
    });

    it('skips an EPB too short for its fixed fields, with a warning', async () => {
      const short = new Writer(le).u32(6).u32(16).u32(0).u32(16).done();
      const { result, frames } = await collectAll(concat(head, short, good));
      expect(frames.map((f) => f.n)).toEqual([1]);
      expect(result.error).toBeNull();
      expect(result.warnings[0]).toMatchObject({ offset: head.length, message: `enhanced packet block at offset ${head.length}: block length 16 is less than 32; skipped` });
    });

    it('bounds the number of warnings', async () => {
      const bad = epb(le, { ifId: 9, ts: 1n, data: payload(4) });
      const { result } = await collect(concat(head, ...Array.from({ length: 500 }, () => bad)));
      expect(result.warnings).toHaveLength(101);
      expect(result.warnings[100].message).toMatch(/further warnings suppressed/);
    });
  });
});
