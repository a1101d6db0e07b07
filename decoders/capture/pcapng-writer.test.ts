import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EPB_INBOUND, EPB_OUTBOUND, PcapngWriter, writePcapng } from './pcapng-writer.ts';
import { concatBytes } from '../bytes.ts';

function withTemp<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'pcapng-writer-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tshark(file: string, fields: string[]): string[][] {
  const args = ['-r', file, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=|'];
  for (const f of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}


/** A minimal Ethernet frame of `len` bytes (ethertype 0x88B5, local experimental) with a recognisable fill. */
function frame(len: number, seed: number): Uint8Array {
  const f = new Uint8Array(len);
  f.set([0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x88, 0xb5]);
  for (let i = 14; i < len; i++) f[i] = (seed * 31 + i) & 0xff;
  return f;
}

/** Expected frame.time_epoch text (tshark prints 9 fraction digits for ns, 6 for µs files). */
function epoch(sec: number, nsec: number, digits: number): string {
  const frac = String(Math.floor(nsec / 10 ** (9 - digits))).padStart(digits, '0');
  return `${sec}.${frac}`;
}

describe('PcapngWriter structure', () => {
  it('writes SHB, IDB and EPB with 32-bit padding and trailing lengths', () => {
    const bytes = writePcapng([{ linktype: 1, snaplen: 65535, name: 'eth0' }], [
      { tsSec: 1, tsNsec: 2, data: Uint8Array.of(1, 2, 3, 4, 5) },
    ]);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Walk the blocks: each one's leading and trailing lengths agree and are multiples of 4.
    const types: number[] = [];
    let p = 0;
    while (p < bytes.length) {
      const type = dv.getUint32(p, true);
      const len = dv.getUint32(p + 4, true);
      expect(len % 4).toBe(0);
      expect(dv.getUint32(p + len - 4, true)).toBe(len);
      types.push(type);
      p += len;
    }
    expect(p).toBe(bytes.length);
    expect(types).toEqual([0x0a0d0d0a, 1, 6]);
    expect(dv.getUint32(8, true)).toBe(0x1a2b3c4d);
    // EPB: 5 data bytes padded to 8, no options: 32 + 8.
    const epb = bytes.length - 40;
    expect(dv.getUint32(epb + 4, true)).toBe(40);
    expect(dv.getUint32(epb + 20, true)).toBe(5);
    expect(Array.from(bytes.subarray(epb + 28, epb + 36))).toEqual([1, 2, 3, 4, 5, 0, 0, 0]);
    // Timestamp: 1 s + 2 ns at ns resolution = 1000000002.
    expect(dv.getUint32(epb + 12, true)).toBe(0);
    expect(dv.getUint32(epb + 16, true)).toBe(1000000002);
  });

  it('splits 64-bit timestamps exactly', () => {
    const w: Uint8Array[] = [];
    const pw = new PcapngWriter((c) => w.push(c));
    pw.addInterface({ linktype: 1 });
    const sec = 1764000000;
    pw.writePacket(0, sec, 123456789, new Uint8Array(4));
    pw.close();
    const bytes = concatBytes(w);
    const dv = new DataView(bytes.buffer);
    const epb = bytes.length - 36;
    const v = (BigInt(dv.getUint32(epb + 12, true)) << 32n) | BigInt(dv.getUint32(epb + 16, true));
    expect(v).toBe(BigInt(sec) * 1000000000n + 123456789n);
  });

  it('batches into chunks of the configured size and hands each chunk over once', () => {
    const chunks: Uint8Array[] = [];
    const pw = new PcapngWriter((c) => chunks.push(c), { chunkSize: 1 << 16 });
    pw.addInterface({ linktype: 1 });
    const data = frame(1500, 1);
    for (let i = 0; i < 200; i++) pw.writePacket(0, 1000 + i, 0, data);
    // A block bigger than a chunk gets its own.
    const big = frame(100000, 2);
    pw.writePacket(0, 2000, 0, big);
    pw.writePacket(0, 2001, 0, data);
    pw.close();
    expect(chunks.length).toBeGreaterThan(4);
    // Every chunk filled before the oversize block is full up to less than one 1500-byte packet.
    const bigAt = chunks.findIndex((c) => c.length >= 100032);
    for (const c of chunks.slice(0, bigAt - 1)) expect(c.length).toBeGreaterThan((1 << 16) - 1600);
    expect(chunks.some((c) => c.length >= 100032)).toBe(true);
    const total = chunks.reduce((n, c) => n + c.length, 0);
    expect(total).toBe(pw.bytesWritten);
    expect(pw.packets).toBe(202);
    expect(() => pw.writePacket(0, 1, 0, data)).toThrow(/closed/);
  });

  it('rejects bad arguments', () => {
    const pw = new PcapngWriter(() => {});
    expect(() => pw.writePacket(0, 1, 0, new Uint8Array(4))).toThrow(/interface/);
    pw.addInterface({ linktype: 1 });
    expect(() => pw.writePacket(0, 1, 1e9, new Uint8Array(4))).toThrow(/tsNsec/);
    expect(() => pw.writePacket(0, -1, 0, new Uint8Array(4))).toThrow(/timestamp/);
    expect(() => pw.writePacket(0, 1, 0, new Uint8Array(4), 2, 4)).toThrow(/range/);
    expect(() => pw.writePacket(0, 1, 0, new Uint8Array(4), 0, 4, 3)).toThrow(/origlen/);
    expect(() => pw.addInterface({ linktype: 1, tsResolDigits: 12 })).toThrow(/tsResolDigits/);
  });
});

describe('PcapngWriter round-trip through tshark', () => {
  it('frame count, lengths and nanosecond timestamps match', () => {
    // Deterministic pseudo-random packets with awkward lengths and timestamps.
    let x = 12345;
    const rnd = (n: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    const packets: { tsSec: number; tsNsec: number; data: Uint8Array; origlen: number }[] = [];
    const edgeTimes: [number, number][] = [
      [0, 0], [0, 1], [1, 999999999], [1764000000, 0], [1764000000, 123456789], [1764000000, 999999999],
      [4294967295, 999999999], [4294967296, 1], [9999999999, 500000000],
    ];
    for (const [s, ns] of edgeTimes) packets.push({ tsSec: s, tsNsec: ns, data: frame(60, s), origlen: 60 });
    for (let i = 0; i < 500; i++) {
      const len = 14 + rnd(1500);
      const trunc = rnd(10) === 0 ? Math.max(14, len - 1 - rnd(len - 14)) : len;
      const data = frame(len, i).subarray(0, trunc);
      packets.push({ tsSec: 1764000000 + rnd(100000), tsNsec: rnd(1000000000), data, origlen: len });
    }
    withTemp((dir) => {
      const file = join(dir, 'rt.pcapng');
      writeFileSync(file, writePcapng([{ linktype: 1, name: 'eth0', snaplen: 262144 }], packets));
      const rows = tshark(file, ['frame.time_epoch', 'frame.len', 'frame.cap_len']);
      expect(rows.length).toBe(packets.length);
      rows.forEach((r, i) => {
        const p = packets[i];
        expect(r).toEqual([epoch(p.tsSec, p.tsNsec, 9), String(p.origlen), String(p.data.length)]);
      });
      const info = execFileSync('capinfos', ['-M', '-c', '-t', '-E', file], { encoding: 'utf8' });
      expect(info).toMatch(/File type:\s+pcapng/);
      expect(info).toMatch(new RegExp(`Number of packets:\\s+${packets.length}\\b`));
    });
  });

  it('interfaces with µs and ns resolution, tsoffset, comments, flags, big-endian sections and SPB', () => {
    const chunks: Uint8Array[] = [];
    const w = new PcapngWriter((c) => chunks.push(c), {
      userAppl: 'tunnelscope test', os: 'Linux', hardware: 'x86_64', comment: 'section one',
    });
    const ns = w.addInterface({ linktype: 1, name: 'ns0', description: 'nanoseconds', tsResolDigits: 9 });
    const us = w.addInterface({ linktype: 1, name: 'us0', tsResolDigits: 6, comment: ['a', 'b'] });
    const off = w.addInterface({ linktype: 1, name: 'off0', tsResolDigits: 9, tsOffsetSec: 1700000000 });
    w.writePacket(ns, 1764000000, 123456789, frame(64, 1), 0, 64, 64, { comment: 'hello', flags: EPB_INBOUND });
    w.writePacket(us, 1764000000, 123456789, frame(65, 2), 0, 65, 65, { flags: EPB_OUTBOUND });
    w.writePacket(off, 1764000001, 7, frame(66, 3), 0, 66, 100, { comment: ['multi', 'line'] });
    w.startSection({ littleEndian: false, userAppl: 'big endian' });
    const be = w.addInterface({ linktype: 1, name: 'be0', snaplen: 128 });
    w.writePacket(be, 1764000002, 999999999, frame(67, 4));
    w.writeSimplePacket(frame(300, 5)); // captured length = snaplen 128
    w.writeRawBlock(0x0bad0bad & 0x7fffffff, Uint8Array.of(1, 2, 3)); // unknown block: skipped by readers
    w.writePacket(be, 1764000003, 1, frame(68, 6));
    w.close();
    withTemp((dir) => {
      const file = join(dir, 'mixed.pcapng');
      writeFileSync(file, concatBytes(chunks));
      const rows = tshark(file, [
        'frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.interface_name', 'frame.comment',
        'frame.packet_flags_direction',
      ]);
      // tshark 4.0 labels packets of a later section with the interface of the same id in the first
      // section (it does use the right interface's resolution), so names are checked in section one only.
      expect(rows.map((r) => r.slice(1, 3))).toEqual([
        ['64', '64'], ['65', '65'], ['100', '66'], ['67', '67'], ['300', '128'], ['68', '68'],
      ]);
      expect(rows.slice(0, 3).map((r) => r[3])).toEqual(['ns0', 'us0', 'off0']);
      expect(rows[0][0]).toBe('1764000000.123456789');
      expect(rows[1][0]).toBe('1764000000.123456000');
      expect(rows[2][0]).toBe('1764000001.000000007');
      expect(rows[3][0]).toBe('1764000002.999999999');
      expect(rows[5][0]).toBe('1764000003.000000001');
      expect(rows[0][4]).toBe('hello');
      expect(rows[2][4]).toBe('multi|line');
      expect(Number(rows[0][5])).toBe(1);
      expect(Number(rows[1][5])).toBe(2);
    });
  });

  it('writes epb_dropcount, epb_packetid, epb_queue, epb_verdict and if_description as tshark reads them', () => {
    const le = [true, false];
    for (const littleEndian of le) {
      const chunks: Uint8Array[] = [];
      const w = new PcapngWriter((c) => chunks.push(c), { littleEndian });
      const i = w.addInterface({ linktype: 1, name: 'eth0', description: 'Uplink port' });
      const xdpPass = Uint8Array.of(2, ...(littleEndian ? [2, 0, 0, 0, 0, 0, 0, 0] : [0, 0, 0, 0, 0, 0, 0, 2]));
      w.writePacket(i, 1764000000, 0, frame(64, 1), 0, 64, 64, {
        flags: 0, dropCount: 5n, packetId: 0xfedcba9876543210n, queue: 3, verdicts: [xdpPass, Uint8Array.of(0, 0xab, 0xcd)],
        hashes: [Uint8Array.of(2, 1, 2, 3, 4)],
      });
      w.writePacket(i, 1764000001, 0, frame(64, 2));
      w.close();
      withTemp((dir) => {
        const file = join(dir, 'options.pcapng');
        writeFileSync(file, concatBytes(chunks));
        const rows = tshark(file, [
          'frame.interface_description', 'frame.packet_flags', 'frame.drop_count', 'frame.packet_id', 'frame.interface_queue',
          'frame.verdict.ebpf_xdp', 'frame.verdict.hw',
        ]);
        expect(rows).toEqual([
          ['Uplink port', '0x00000000', '5', '18364758544493064720', '3', '2', 'ab cd'],
          ['Uplink port', '', '', '', '', '', ''],
        ]);
      });
    }
  });
});
