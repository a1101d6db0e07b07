// Export: frames written back as pcapng reopen with the same bytes, times, interfaces and packet
// options; reads are batched; the CSV/JSON tables.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../capture/memory-source.ts';
import { concatBytes } from '../bytes.ts';
import { EPB_INBOUND, EPB_OUTBOUND, PcapngWriter } from '../capture/pcapng-writer.ts';
import type { ByteSource } from '../capture/types.ts';
import { Engine } from './engine.ts';
import {
  csvField, exportPcapng, exportPcapngBytes, flowsCsv, flowsJson, ForwardReader, resolutionDigits, tenantsCsv, tenantsJson, toCsv,
} from './export.ts';
import type { FrameBytesSource } from './export.ts';
import { flaggedFrames } from './report.ts';

const DEMO = resolve(import.meta.dirname, '../../public/samples/demo.pcapng');

class CountingSource implements FrameBytesSource {
  reads: Array<[number, number]> = [];
  constructor(private readonly inner: FrameBytesSource) {}
  read(offset: number, length: number): Promise<Uint8Array> {
    this.reads.push([offset, length]);
    return this.inner.read(offset, length);
  }
}

async function load(bytes: Uint8Array, name = 't.pcapng'): Promise<Engine> {
  const e = new Engine();
  await e.load(new MemorySource(bytes, 4096), name);
  return e;
}

/** Every per-frame fact the export must keep, for comparing two engines frame by frame. */
async function frameFacts(e: Engine, src: ByteSource, frames?: ArrayLike<number>): Promise<unknown[]> {
  const list = frames ? Array.from(frames) : Array.from({ length: e.frames }, (_, i) => i + 1);
  const out: unknown[] = [];
  for (const n of list) {
    const loc = e.frameLocation(n);
    const i = n - 1;
    const st = e.store;
    const iface = e.interfaces()[e.interfaceIndex(n)];
    out.push({
      bytes: Array.from(await src.read(loc.offset, loc.caplen)),
      caplen: loc.caplen,
      origlen: loc.origlen,
      linktype: loc.linktype,
      hasTime: st.hasTime[i],
      time: st.hasTime[i] ? `${st.tsSec[i]}.${st.tsNsec[i]}` : null,
      iface: { linktype: iface.linktype, snaplen: iface.snaplen, name: iface.name, description: iface.description, tsOffsetSec: iface.tsOffsetSec },
      extras: e.packetExtras(n),
    });
  }
  return out;
}

function data(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + seed * 13) & 0xff;
  return b;
}

/**
 * Two sections (the second big-endian) whose interface ids both start at 0, microsecond, nanosecond
 * and tsoffset interfaces, EPB flags (one a word of 0), comments, hashes, drop counts, packet ids, queues
 * and verdicts, a Simple Packet Block, a truncated frame.
 */
function multiSection(): Uint8Array {
  const chunks: Uint8Array[] = [];
  const w = new PcapngWriter((c) => { chunks.push(c); }, { userAppl: 'test' });
  const eth0 = w.addInterface({ linktype: 1, snaplen: 1500, name: 'eth0', description: 'Uplink port', tsResolDigits: 6 });
  const raw = w.addInterface({ linktype: 101, snaplen: 0, name: 'tun0', tsResolDigits: 9 });
  w.writePacket(eth0, 1700000000, 123456000, data(60, 1));
  w.writePacket(raw, 1700000000, 123456789, data(40, 2), 0, 40, 40, { flags: EPB_INBOUND });
  w.writeSimplePacket(data(80, 3)); // interface 0 of the section: eth0, no timestamp
  w.writePacket(eth0, 1700000001, 5000, data(100, 4), 0, 64, 100, { comment: ['first line', 'second, "quoted"'] });
  w.startSection({ littleEndian: false });
  const off = w.addInterface({ linktype: 1, snaplen: 65535, name: 'eth9', tsResolDigits: 3, tsOffsetSec: 1600000000 });
  const ns = w.addInterface({ linktype: 113, snaplen: 262144, tsResolDigits: 9 });
  w.writePacket(off, 1700000002, 7000000, data(70, 5), 0, 70, 70, { flags: EPB_OUTBOUND, comment: 'out' });
  w.writePacket(ns, 1700000003, 999999999, data(50, 6), 0, 50, 50, {
    flags: 0, hashes: [Uint8Array.of(2, 1, 2, 3, 4)], dropCount: 0x1_0000_0002n, packetId: 0xfedcba9876543210n, queue: 3,
    verdicts: [Uint8Array.of(2, 0, 0, 0, 0, 0, 0, 0, 2), Uint8Array.of(0, 0xee)],
  });
  w.writePacket(off, 1700000004, 0, data(54, 7));
  w.close();
  return concatBytes(chunks);
}

describe('exportPcapng', () => {
  it('writes every frame of the demo capture back with the same bytes, lengths and times', async () => {
    const bytes = new Uint8Array(readFileSync(DEMO));
    const src = new MemorySource(bytes);
    const e = await load(bytes, 'demo.pcapng');
    const counting = new CountingSource(src);
    const all = Array.from({ length: e.frames }, (_, i) => i + 1);
    const out = await exportPcapngBytes(e, all, counting);
    const back = await load(out);
    expect(back.frames).toBe(e.frames);
    expect(back.totalBytes).toBe(e.totalBytes);
    expect(back.firstTime()).toBe(e.firstTime());
    expect(back.lastTime()).toBe(e.lastTime());
    expect(await frameFacts(back, new MemorySource(out))).toEqual(await frameFacts(e, src));
    // Contiguous frames: one read per 4 MiB, not one per frame.
    expect(counting.reads.length).toBeLessThanOrEqual(Math.ceil(bytes.length / (4 * 1024 * 1024)));
    expect(back.tenantStats().map((t) => [t.key, t.frames, t.bad])).toEqual(e.tenantStats().map((t) => [t.key, t.frames, t.bad]));
  });

  it('keeps interfaces across sections, time resolutions, tsoffset, EPB flags, comments and SPBs', async () => {
    const input = multiSection();
    const e = await load(input);
    expect(e.frames).toBe(7);
    expect(e.interfaces()).toHaveLength(4);
    expect(Array.from({ length: 7 }, (_, i) => e.interfaceIndex(i + 1))).toEqual([0, 1, 0, 0, 2, 3, 2]);
    expect(e.packetExtras(2)).toMatchObject({ flags: EPB_INBOUND, hasFlags: true, comment: null, packetId: null });
    expect(e.packetExtras(4)).toMatchObject({ flags: 0, hasFlags: false, comment: 'first line\nsecond, "quoted"' });
    // The XDP verdict was written in a big-endian section (value 2): it is kept little-endian, as Export writes it.
    expect(e.packetExtras(6)).toEqual({
      flags: 0, hasFlags: true, comment: null, dropCount: 0x1_0000_0002n, packetId: 0xfedcba9876543210n, queue: 3,
      hashes: [Uint8Array.of(2, 1, 2, 3, 4)], verdicts: [Uint8Array.of(2, 2, 0, 0, 0, 0, 0, 0, 0), Uint8Array.of(0, 0xee)],
    });
    const out = await exportPcapngBytes(e, [1, 2, 3, 4, 5, 6, 7], new MemorySource(input));
    const back = await load(out);
    expect(back.result?.error).toBeNull();
    expect(back.result?.warnings).toEqual([]);
    expect(back.interfaces().map((i) => [i.linktype, i.snaplen, i.name, i.tsUnitsPerSec, i.tsOffsetSec]))
      .toEqual([[1, 1500, 'eth0', 1e6, 0], [101, 0, 'tun0', 1e9, 0], [1, 65535, 'eth9', 1e3, 1600000000], [113, 262144, null, 1e9, 0]]);
    expect(await frameFacts(back, new MemorySource(out))).toEqual(await frameFacts(e, new MemorySource(input)));
    expect(back.store.hasTime[2]).toBe(0); // the SPB stays an SPB
    // Frames of the second section only: both sections and all four interfaces are still there.
    const sub = await exportPcapngBytes(e, [7, 5], new MemorySource(input));
    const subBack = await load(sub);
    expect(subBack.interfaces().map((i) => [i.linktype, i.section])).toEqual([[1, 0], [101, 0], [1, 1], [113, 1]]);
    expect(await frameFacts(subBack, new MemorySource(sub))).toEqual(await frameFacts(e, new MemorySource(input), [5, 7]));
    expect([subBack.interfaceIndex(1), subBack.interfaceIndex(2)]).toEqual([2, 2]);
  });

  it('exports a subset in file order, once each, and reopens it', async () => {
    const bytes = new Uint8Array(readFileSync(DEMO));
    const e = await load(bytes);
    const flagged = flaggedFrames(e);
    expect(flagged.length).toBeGreaterThan(2);
    const shuffled = [...flagged].reverse().concat(flagged.slice(0, 2));
    const out = await exportPcapngBytes(e, shuffled, new MemorySource(bytes));
    const back = await load(out);
    expect(back.frames).toBe(flagged.length);
    expect(await frameFacts(back, new MemorySource(out))).toEqual(await frameFacts(e, new MemorySource(bytes), flagged));
    expect(flaggedFrames(back)).toEqual(flagged.map((_, k) => k + 1));
  });

  it('exports the frames of a view (tenant narrowing; sorting does not change the order written)', async () => {
    const bytes = new Uint8Array(readFileSync(DEMO));
    const e = await load(bytes);
    const tenant = e.tenantStats()[1];
    const view = { tenant: tenant.key, sort: { column: 'length' as const, desc: true }, filter: '' };
    const frames = e.viewFrames(view);
    expect(frames.length).toBe(tenant.frames);
    expect(Array.from(frames)).toEqual([...frames].sort((a, b) => a - b));
    const out = await exportPcapngBytes(e, frames, new MemorySource(bytes));
    const back = await load(out);
    expect(back.tenantStats().map((t) => [t.key, t.frames, t.bytes])).toEqual([[tenant.key, tenant.frames, tenant.bytes]]);
  });

  it('batches neighbouring frames within the read and gap limits, and reads each frame whole', async () => {
    const bytes = new Uint8Array(readFileSync(DEMO));
    const e = await load(bytes);
    const every3rd = Array.from({ length: Math.floor(e.frames / 3) }, (_, k) => 3 * k + 1);
    const c1 = new CountingSource(new MemorySource(bytes));
    await exportPcapngBytes(e, every3rd, c1);
    expect(c1.reads.length).toBe(1); // small gaps: still one read
    const c2 = new CountingSource(new MemorySource(bytes));
    const small = await exportPcapngBytes(e, every3rd, c2, { maxReadBytes: 2000, maxGapBytes: 0 });
    expect(c2.reads.length).toBe(every3rd.length); // gaps larger than 0: one read per frame
    const c3 = new CountingSource(new MemorySource(bytes));
    const all = Array.from({ length: e.frames }, (_, i) => i + 1);
    await exportPcapngBytes(e, all, c3, { maxReadBytes: 8192 });
    expect(c3.reads.length).toBeGreaterThan(bytes.length / 8192 - 1);
    expect(c3.reads.length).toBeLessThan(e.frames / 3);
    for (const [, len] of c3.reads) expect(len).toBeLessThanOrEqual(8192);
    expect(Buffer.compare(small, await exportPcapngBytes(e, every3rd, new MemorySource(bytes)))).toBe(0);
  });

  it('streams to an async sink in chunks, reports progress, and can be cancelled', async () => {
    const bytes = new Uint8Array(readFileSync(DEMO));
    const e = await load(bytes);
    const all = Array.from({ length: e.frames }, (_, i) => i + 1);
    const got: Uint8Array[] = [];
    const progress: number[] = [];
    const r = await exportPcapng(e, all, new MemorySource(bytes), async (c) => { got.push(c.slice()); }, {
      chunkSize: 4096, maxReadBytes: 65536, onProgress: (done, total) => { progress.push(done); expect(total).toBe(e.frames); },
    });
    expect(got.length).toBeGreaterThan(10);
    expect(r.bytes).toBe(got.reduce((n, c) => n + c.length, 0));
    expect(r.frames).toBe(e.frames);
    expect(progress[progress.length - 1]).toBe(e.frames);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const ac = new AbortController();
    ac.abort();
    await expect(exportPcapng(e, all, new MemorySource(bytes), () => undefined, { signal: ac.signal })).rejects.toThrow(/cancelled/);
  });

  it('fails clearly on a short read, an unknown frame, and a load still running', async () => {
    const bytes = new Uint8Array(readFileSync(DEMO));
    const e = await load(bytes);
    const short: FrameBytesSource = { read: async (o, l) => bytes.subarray(o, o + Math.floor(l / 2)) };
    await expect(exportPcapngBytes(e, [5], short)).rejects.toThrow(/frame 5: only \d+ of its \d+ bytes/);
    await expect(exportPcapngBytes(e, [e.frames + 1], new MemorySource(bytes))).rejects.toThrow(/no frame/);
    await expect(exportPcapngBytes(e, [0], new MemorySource(bytes))).rejects.toThrow(/no frame 0/);
    const loading = new Engine();
    await expect(exportPcapngBytes(loading, [], new MemorySource(bytes))).rejects.toThrow(/still loading/);
  });

  it('writes an empty selection as a valid file with the interfaces and no packets', async () => {
    const input = multiSection();
    const e = await load(input);
    const out = await exportPcapngBytes(e, [], new MemorySource(input));
    const back = new Engine();
    await back.load(new MemorySource(out), 'empty.pcapng');
    expect(back.frames).toBe(0);
    expect(back.result?.interfaces).toHaveLength(4);
    expect(back.result?.error).toBeNull();
  });

  it('maps time resolutions to digits', () => {
    expect([1, 10, 1e3, 1e6, 1e9].map(resolutionDigits)).toEqual([0, 1, 3, 6, 9]);
    expect(resolutionDigits(1024)).toBe(9);
    expect(resolutionDigits(1e12)).toBe(9);
  });
});

describe('ForwardReader', () => {
  async function* chunked(b: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
    const buf = new Uint8Array(size); // reused, as NodeFileSource does
    for (let p = 0; p < b.length; p += size) {
      const n = Math.min(size, b.length - p);
      buf.set(b.subarray(p, p + n));
      yield buf.subarray(0, n);
    }
  }

  it.each([1, 7, 64, 4096])('serves forward reads over %i-byte chunks, also across skipped ranges', async (size) => {
    const b = data(10_000, 9);
    const r = new ForwardReader(chunked(b, size));
    expect(Array.from(await r.read(0, 10))).toEqual(Array.from(b.subarray(0, 10)));
    expect(Array.from(await r.read(5, 10))).toEqual(Array.from(b.subarray(5, 15)));
    expect(Array.from(await r.read(3000, 2000))).toEqual(Array.from(b.subarray(3000, 5000)));
    expect(Array.from(await r.read(9990, 100))).toEqual(Array.from(b.subarray(9990)));
    expect((await r.read(20_000, 10)).length).toBe(0);
    await expect(r.read(100, 1)).rejects.toThrow(/forward-only/);
  });

  it('exports a capture through it in one forward pass', async () => {
    const bytes = new Uint8Array(readFileSync(DEMO));
    const e = await load(bytes);
    const all = Array.from({ length: e.frames }, (_, i) => i + 1);
    const viaForward = await exportPcapngBytes(e, all, new ForwardReader(chunked(bytes, 5000)), { maxReadBytes: 3000 });
    expect(Buffer.compare(viaForward, await exportPcapngBytes(e, all, new MemorySource(bytes)))).toBe(0);
  });
});

describe('CSV and JSON tables', () => {
  it('quotes fields the RFC 4180 way', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(12)).toBe('12');
    expect(csvField(null)).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(toCsv(['x', 'y'], [[1, 'a,b'], [null, '"']])).toBe('x,y\r\n1,"a,b"\r\n,""""\r\n');
  });

  it('writes the tenant and flow tables with a header row, parseable back', async () => {
    const bytes = new Uint8Array(readFileSync(DEMO));
    const e = await load(bytes);
    const tenants = e.tenantStats();
    const csv = tenantsCsv(tenants);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('key,encap,vnid,frames,bytes,flows,bad,partial,firstTime,lastTime');
    expect(lines).toHaveLength(tenants.length + 2);
    expect(lines[lines.length - 1]).toBe('');
    const t0 = tenants[0];
    expect(lines[1]).toBe([t0.key, t0.encap, t0.vnid ?? '', t0.frames, t0.bytes, t0.flows, t0.bad, t0.partial, t0.firstTime ?? '', t0.lastTime ?? ''].join(','));
    const flows = e.flowStats(null);
    const fl = flowsCsv(flows).split('\r\n');
    expect(fl[0]).toBe('tenant,proto,a,aPort,b,bPort,frames,bytes,bad,partial,firstFrame,lastFrame');
    expect(fl).toHaveLength(flows.length + 2);
    const icmp = flows.findIndex((f) => f.aPort === null);
    if (icmp >= 0) expect(fl[icmp + 1].split(',')[3]).toBe('');
    expect(JSON.parse(tenantsJson(tenants))).toEqual(tenants);
    expect(JSON.parse(flowsJson(flows))).toEqual(flows);
    expect(tenantsJson([])).toBe('[]\n');
    expect(tenantsCsv([])).toBe('key,encap,vnid,frames,bytes,flows,bad,partial,firstTime,lastTime\r\n');
  });
});
