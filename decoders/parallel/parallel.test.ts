// The parallel load must build the Engine a single reader builds, frame for frame: on every shared
// capture, on the demo capture, and with chunk starts in awkward places (inside headers, exactly on
// record boundaries, one byte off). Workers are replaced by the in-process pool: the plan, the seam
// check, the redo and the merge are the same code.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSharedCaptures } from '../../scripts/lib/shared-captures.ts';
import { Engine } from '../analysis/engine.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { readCapture } from '../capture/sniff.ts';
import { concat, epb, idb, isb, payload, pcapHeader, pcapRecord, shb } from '../capture/test-bytes.ts';
import { fragmentFrame, fragmentLayers } from '../../scripts/lib/fragment.ts';
import { mtuFrames } from '../../scripts/lib/mtu-capture.ts';
import { buildFrame, eth, ipv4, nvgre, payload as data, tcp, udp, vxlan } from '../../scripts/lib/packet-builder.ts';
import { NotACaptureError } from '../capture/types.ts';
import type { ByteSource } from '../capture/types.ts';
import { decodeChunk, type ChunkJob, type ChunkPart } from './chunk.ts';
import { loadParallel, type ChunkPool, type ParallelInfo } from './load.ts';
import { localPool } from './local-pool.ts';
import type { PlanOptions } from './plan.ts';
import { conversationPackets, handshake, type Segment } from '../../scripts/lib/tcp-conversation.ts';

const ALL = { tenant: null, sort: null, filter: '' } as const;

/**
 * Everything the engine holds, ids named by what they stand for: the single reader and the merge intern
 * addresses, tenants and flows in the same order, except where IP reassembly settles a datagram (in frame
 * order in both, but after the rest of its chunk in the merge), so ids are compared by meaning.
 */
function snapshot(e: Engine): unknown {
  const st = e.store as unknown as Record<string, unknown>;
  const columns: Record<string, Array<number | string>> = {};
  const addr = (id: number): string => (id >= 0 ? e.addrs.text(id) : '-');
  const f = e.flows;
  const named: Record<string, (id: number) => string> = {
    tenant: (id) => (id >= 0 ? e.tenants.key(id) : '-'),
    flow: (id) => (id >= 0 ? `${f.tenant(id) >= 0 ? e.tenants.key(f.tenant(id)) : ''}/${f.proto(id)}/${addr(f.addrA(id))}:${f.portA(id)}/${addr(f.addrB(id))}:${f.portB(id)}` : '-'),
    outerSrc: addr,
    outerDst: addr,
  };
  for (const [k, v] of Object.entries(st)) {
    if (!ArrayBuffer.isView(v) || v instanceof DataView) continue;
    const col = Array.from((v as Float64Array).subarray(0, e.store.count));
    columns[k] = named[k] ? col.map(named[k]) : col;
  }
  const frames = [];
  for (let n = 1; n <= e.store.count; n++) frames.push([e.interfaceIndex(n), e.packetExtras(n), e.frameLocation(n)]);
  return {
    frames: e.frames,
    result: e.result,
    rows: e.rows(0, e.frames, ALL),
    status: e.status(ALL),
    tenants: e.tenantStats(),
    flows: e.flowStats(null),
    checks: e.checks(),
    offload: e.offload(),
    hosts: e.hostStats(),
    time: e.timeSeries(50, 5),
    flagged: e.flagged,
    columns,
    perFrame: frames,
    addrs: Array.from({ length: e.addrs.count }, (_, i) => e.addrs.text(i)).sort(),
    inner: Array.from({ length: e.store.count }, (_, i) => [addr(e.store.innerSrcOf(i)), addr(e.store.innerDstOf(i)), e.store.sportOf(i), e.store.dportOf(i), e.store.protoOf(i)]),
    fragments: [e.fragments.completed, e.fragments.incomplete, e.fragments.records],
    tcp: [
      Array.from({ length: e.store.count }, (_, i) => e.dupAcks.get(i)),
      Array.from({ length: e.badSegments.count }, (_, k) => [e.badSegments.frame[k], named.flow(e.badSegments.flow[k]), addr(e.badSegments.host[k]),
        e.badSegments.retxFrame[k], e.badSegments.delayNs[k]]),
    ],
    mtu: [e.mtu(), e.fragments.mtu.icmpLog],
    totals: [e.totalBytes, e.badFrames, e.partialFrames, e.firstTime(), e.lastTime(), e.refSec, e.refNsec],
  };
}

/**
 * A pool of `size` in-process "workers" whose parts come back after random delays, so that they finish
 * out of order and the calling thread decodes chunks of its own meanwhile. Records the most jobs it
 * ever had at once.
 */
function shufflingPool(src: ByteSource, size: number, seed: number): ChunkPool & { peak: number } {
  let x = seed;
  const rand = (): number => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
  const abort = new AbortController();
  let busy = 0;
  const pool = {
    size,
    peak: 0,
    async run(job: ChunkJob): Promise<ChunkPart> {
      if (busy >= size) throw new Error('pool over its size');
      busy++;
      pool.peak = Math.max(pool.peak, busy);
      try {
        await new Promise((r) => setTimeout(r, Math.floor(rand() * 4)));
        return await decodeChunk(src, job, abort.signal);
      } finally {
        busy--;
      }
    },
    terminate() {
      abort.abort();
    },
  };
  return pool;
}

async function both(bytes: Uint8Array, plan: PlanOptions, jobs = 4, retain = true, shuffle = 0): Promise<{ serial: unknown; parallel: unknown; info: ParallelInfo | null }> {
  const serial = new Engine({ retainFrames: retain });
  await serial.load(new MemorySource(bytes, 4096), 'x');
  const par = new Engine({ retainFrames: retain });
  const src = new MemorySource(bytes, 4096);
  let info: ParallelInfo | null = null;
  await loadParallel(par, src, 'x', {
    jobs, plan, onPlan: (i) => { info = i; },
    pool: (n) => (shuffle > 0 ? shufflingPool(src, n, shuffle) : localPool(src)),
  });
  const i = info as ParallelInfo | null;
  if (i !== null) expect(i.direct + i.merged + i.redone).toBeLessThanOrEqual(i.chunks);
  return { serial: snapshot(serial), parallel: snapshot(par), info };
}

async function isCapture(bytes: Uint8Array): Promise<boolean> {
  try {
    await readCapture(new MemorySource(bytes), { onFrame: () => undefined });
    return true;
  } catch (e) {
    if (e instanceof NotACaptureError) return false;
    throw e;
  }
}

describe('parallel load equals the single reader', () => {
  const shared = listSharedCaptures();
  it('finds the shared captures', () => {
    expect(shared.length).toBeGreaterThan(10);
  });
  for (const c of shared) {
    it(`shared capture ${c.rel}`, async () => {
      const bytes = new Uint8Array(readFileSync(c.path));
      if (!(await isCapture(bytes))) return;
      const cuts = [1, 2, 3, 4, 5].map((k) => Math.floor((bytes.length * k) / 6));
      // Resynchronised cuts, and the same offsets forced as chunk starts (most are not boundaries).
      const a = await both(bytes, { cuts });
      expect(a.parallel).toEqual(a.serial);
      const b = await both(bytes, { starts: cuts });
      expect(b.parallel).toEqual(b.serial);
      const c2 = await both(bytes, { cuts }, 4, false);
      expect(c2.parallel).toEqual(c2.serial);
      const d = await both(bytes, { cuts }, 3, true, 1 + bytes.length);
      expect(d.parallel).toEqual(d.serial);
    });
  }

  const demo = new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../public/samples/demo.pcapng')));

  it('demo capture: resynchronised cuts land on block boundaries and every chunk merges', async () => {
    const cuts = Array.from({ length: 7 }, (_, k) => Math.floor((demo.length * (k + 1)) / 8));
    const r = await both(demo, { cuts }, 8);
    expect(r.parallel).toEqual(r.serial);
    expect(r.info).toMatchObject({ chunks: 8, redone: 0, fellBack: false });
    expect(r.info?.merged).toBeGreaterThan(0);
  });

  it('demo capture: parts finishing out of order on 1 to 4 workers merge in frame order', async () => {
    const cuts = Array.from({ length: 23 }, (_, k) => Math.floor((demo.length * (k + 1)) / 24));
    for (const jobs of [2, 3, 5]) {
      for (const seed of [1, 2, 3]) {
        const r = await both(demo, { cuts }, jobs, true, seed);
        expect(r.parallel, `jobs ${jobs} seed ${seed}`).toEqual(r.serial);
        expect(r.info).toMatchObject({ chunks: 24, redone: 0, fellBack: false });
        expect(r.info?.byWorkers, `jobs ${jobs} seed ${seed}`).toBeGreaterThan(0);
        expect((r.info?.direct ?? 0) + (r.info?.merged ?? 0)).toBe(24);
      }
    }
  });

  it('a pool is never given more chunks at once than its size, and the window bounds the parts held', async () => {
    const src = new MemorySource(demo, 4096);
    const cuts = Array.from({ length: 31 }, (_, k) => Math.floor((demo.length * (k + 1)) / 32));
    let pool: (ChunkPool & { peak: number }) | null = null;
    let info: ParallelInfo | null = null;
    const e = new Engine();
    await loadParallel(e, src, 'x', { jobs: 4, plan: { cuts }, pool: (n) => (pool = shufflingPool(src, n, 9)), onPlan: (i) => { info = i; } });
    expect(e.frames).toBe(2347);
    expect((pool as { peak: number } | null)?.peak).toBe(3);
    expect((info as ParallelInfo | null)?.redone).toBe(0);
  });

  it('demo capture: chunk starts inside headers, on boundaries and one byte off', async () => {
    // Block offsets of the capture, to place starts relative to them.
    const offsets: number[] = [];
    await readCapture(new MemorySource(demo), { onFrame: (rec) => { offsets.push(rec.recordOffset); } });
    const pick = (k: number): number => offsets[Math.floor((offsets.length * k) / 10)];
    const starts = [
      pick(1), // exactly at a block
      pick(2) + 1, // one byte into a block header
      pick(3) - 1, // one byte before a block
      pick(4) + 8, // inside the block header
      pick(5) + 30, // inside the frame data
      pick(6), pick(6) + 4, // a boundary and the next word
      pick(7) + 12,
    ];
    const forced = await both(demo, { starts });
    expect(forced.parallel).toEqual(forced.serial);
    const info = forced.info as ParallelInfo | null;
    expect(info?.redone ?? 0).toBeGreaterThan(0); // the false starts were caught and redone
    const resynced = await both(demo, { cuts: starts });
    expect(resynced.parallel).toEqual(resynced.serial);
  });

  it('classic pcap: starts at every offset around one record', async () => {
    const recs = Array.from({ length: 40 }, (_, i) => pcapRecord({ sec: 1000 + i, frac: i * 7, data: payload(60 + (i % 9) * 13, i) }));
    const bytes = concat(pcapHeader({ snaplen: 65535 }), ...recs);
    let at = 24;
    for (let i = 0; i < 20; i++) at += recs[i].length;
    for (let d = -20; d <= 20; d++) {
      const r = await both(bytes, { starts: [at + d, at + 200 + d] }, 3);
      expect(r.parallel, `start ${at + d}`).toEqual(r.serial);
      const s = await both(bytes, { cuts: [at + d, at + 200 + d] }, 3);
      expect(s.parallel, `cut ${at + d}`).toEqual(s.serial);
    }
  });

  it('IP fragments: datagrams straddling chunks complete when the chunks merge, with a cut between every pair', async () => {
    const host = { src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' };
    const vm = { src: '00:15:5d:aa:00:01', dst: '00:15:5d:aa:00:02' };
    const frames: Uint8Array[] = [];
    // Underlay-fragmented NVGRE (three pieces each), interleaved with a second tenant and plain frames; a
    // missing piece; a tenant's own fragments inside VXLAN; a reverse-direction frame between two fragments.
    const tunnel = (vsid: number, id: number, size: number): Uint8Array[] => fragmentFrame(buildFrame([
      eth(host), ipv4({ src: '192.168.10.11', dst: '192.168.10.12', id }), nvgre({ vsid, flowId: 1 }), eth(vm),
      ipv4({ src: '10.0.0.5', dst: '10.0.0.6' }), tcp({ sport: 40000, dport: 443, seq: id, checksum: id % 3 === 0 ? 'bad' : 'good' }), data(size),
    ]).data, 14, 800, id);
    const reverse = buildFrame([eth(host), ipv4({ src: '192.168.10.12', dst: '192.168.10.11' }), nvgre({ vsid: 5001, flowId: 1 }), eth(vm),
      ipv4({ src: '10.0.0.6', dst: '10.0.0.5' }), tcp({ sport: 443, dport: 40000 }), data(10)]).data;
    const a = tunnel(5001, 1, 2000), b = tunnel(5002, 2, 1500), c = tunnel(5001, 3, 1700);
    frames.push(a[0], reverse, b[0], a[1], b[1], c[2], a[2], c[0]); // c's middle piece never comes
    const inner = fragmentLayers([eth(host), ipv4({ src: '192.168.10.11', dst: '192.168.10.13' }), udp({ sport: 5555, dport: 4789 }), vxlan(300), eth(vm),
      ipv4({ src: '10.1.0.5', dst: '10.1.0.6', id: 9 }), udp({ sport: 53, dport: 5353 }), data(2600)], 5, 1000).map((l) => buildFrame(l).data);
    frames.push(inner[1], inner[0], reverse, inner[2]);
    const recs = frames.map((data, k) => pcapRecord({ sec: 1000 + k, frac: 0, data }));
    const bytes = concat(pcapHeader({ snaplen: 65535 }), ...recs);
    const serial = new Engine();
    await serial.load(new MemorySource(bytes), 'x');
    expect(serial.fragments.completed).toBe(3);
    expect(serial.fragments.incomplete).toBe(1);
    let at = 24;
    for (let k = 0; k + 1 < recs.length; k++) {
      at += recs[k].length;
      for (const retain of [true, false]) {
        const r = await both(bytes, { cuts: [at] }, 2, retain);
        expect(r.parallel, `cut after frame ${k + 1}`).toEqual(r.serial);
      }
    }
    // Every boundary a chunk edge at once, in shuffled completion order.
    let off = 24;
    const all = recs.slice(0, -1).map((r) => (off += r.length));
    const r = await both(bytes, { cuts: all }, 4, true, 7);
    expect(r.parallel).toEqual(r.serial);
  });

  it('packet block options (flags, comments, drop counts, packet ids, queues, hashes, verdicts) land on the same frames across every cut', async () => {
    const le = true;
    const blocks = Array.from({ length: 12 }, (_, k) => epb(le, {
      ts: BigInt(1_700_000_000_000_000 + k), data: payload(60 + k, k),
      ...(k % 2 === 0 ? { flags: k === 4 ? 0 : 0x801 | (k << 24) } : {}),
      ...(k % 3 === 0 ? { comments: [`c${k}`], hashes: [Uint8Array.of(2, k, 0, 0, 1)] } : {}),
      ...(k % 4 === 1 ? { dropCount: BigInt(k) << 32n, packetId: 0xfedcba9876543210n + BigInt(k), queue: k } : {}),
      ...(k === 7 || k === 11 ? { verdicts: [Uint8Array.of(2, k, 0, 0, 0, 0, 0, 0, 0)] } : {}),
    }));
    const head = concat(shb(le), idb(le, { name: 'eth0', description: 'Uplink port' }));
    const bytes = concat(head, ...blocks);
    let at = head.length;
    for (let k = 0; k + 1 < blocks.length; k++) {
      at += blocks[k].length;
      const r = await both(bytes, { cuts: [at] }, 2);
      expect(r.parallel, `cut after frame ${k + 1}`).toEqual(r.serial);
    }
    let off = head.length;
    const r = await both(bytes, { cuts: blocks.slice(0, -1).map((b) => (off += b.length)) }, 4, true, 3);
    expect(r.parallel).toEqual(r.serial);
    expect((r.serial as { perFrame: Array<[number, { packetId: bigint | null }]> }).perFrame[9][1].packetId).toBe(0xfedcba9876543210n + 9n);
  });

  it('TCP analysis: conversations with losses, duplicate ACKs, segments in fragments and bad checksums, cut between every pair of frames', async () => {
    // Analysis follows each flow from its first frame: a chunk that starts mid-flow leaves its segments to the
    // merge, which analyses them in frame order with the fragments it reassembles (a datagram completed in a
    // later chunk, a flow first met in a settling datagram). Two tunnels, and one conversation plain.
    const tunnel = { kind: 'nvgre', id: 5001, chost: '192.168.10.11', shost: '192.168.10.12' } as const;
    const segs: Segment[] = [...handshake(undefined, 4),
      { from: 'c', seq: 1, ack: 1, flags: 'PA', len: 1400, ms: 10, fragment: { max: 800, order: [1, 0] }, checksum: 'bad' },
      { from: 'c', seq: 1401, ack: 1, flags: 'PA', len: 300, ms: 11 },
      { from: 's', seq: 1, ack: 1, ms: 12 }, { from: 's', seq: 1, ack: 1, ms: 13 }, { from: 's', seq: 1, ack: 1, ms: 14 },
      { from: 'c', seq: 1, ack: 1, flags: 'PA', len: 1400, ms: 15, fragment: { max: 800 } },
      { from: 'c', seq: 1401, ack: 1, flags: 'PA', len: 300, ms: 16, checksum: 'bad' },
      { from: 's', seq: 1, ack: 1701, ms: 17, win: 0 },
      { from: 'c', seq: 1701, ack: 1, len: 1, ms: 30 },
      { from: 'c', seq: 1401, ack: 1, flags: 'PA', len: 300, ms: 300 },
      { from: 's', seq: 1, ack: 1701, ms: 301, win: 9000 }];
    // The server side's first frame is a fragment completed later: its flow is first met when it settles.
    const late: Segment[] = [{ from: 's', seq: 0, ack: 1, flags: 'SA', len: 1200, ms: 0, fragment: { max: 600, order: [1, 0] } },
      { from: 'c', seq: 1, ack: 1201, ms: 1 }, { from: 'c', seq: 1, ack: 1201, flags: 'PA', len: 10, ms: 2, checksum: 'bad' },
      { from: 'c', seq: 1, ack: 1201, flags: 'PA', len: 10, ms: 200 }];
    const packets = conversationPackets([
      { segments: segs, tunnel },
      { segments: segs, tunnel: { ...tunnel, kind: 'vxlan', id: 300 }, startMs: 0.3 },
      { segments: late, endpoints: { client: '10.0.0.7', server: '10.0.0.8', cport: 1234, sport: 80, ciss: 5, siss: 6 }, startMs: 5 },
    ]);
    const recs = packets.map((p) => pcapRecord({ sec: p.tsSec, frac: Math.floor(p.tsNsec / 1000), data: p.data }));
    const bytes = concat(pcapHeader({ snaplen: 65535 }), ...recs);
    const serial = new Engine();
    await serial.load(new MemorySource(bytes), 'x');
    const flagged = Array.from(serial.store.tcpAnalysis.subarray(0, serial.store.count)).filter((a) => a !== 0).length;
    expect(flagged).toBeGreaterThan(15);
    expect(serial.badSegments.count).toBe(5);
    let at = 24;
    for (let k = 0; k + 1 < recs.length; k++) {
      at += recs[k].length;
      for (const retain of [true, false]) {
        const r = await both(bytes, { cuts: [at] }, 2, retain);
        expect(r.parallel, `cut after frame ${k + 1}, retain ${retain}`).toEqual(r.serial);
      }
    }
    let off = 24;
    const all = recs.slice(0, -1).map((r) => (off += r.length));
    for (const retain of [true, false]) {
      const r = await both(bytes, { cuts: all }, 4, retain, 3);
      expect(r.parallel).toEqual(r.serial);
    }
  });

  it('MTU diagnosis: fragmented datagrams and ICMP messages on either side of every cut give the same findings', async () => {
    const recs = mtuFrames().map((data, k) => pcapRecord({ sec: 1000 + k, frac: 0, data }));
    const bytes = concat(pcapHeader({ snaplen: 65535 }), ...recs);
    const serial = new Engine();
    await serial.load(new MemorySource(bytes), 'x');
    expect(serial.mtu().map((f) => [f.host, f.fragmented, f.incomplete, f.tenantFragmented, f.icmp.count])).toEqual([
      ['192.168.10.11', 2, 1, 0, 1], ['fd00::31', 1, 0, 0, 1], ['192.168.20.21', 1, 0, 0, 0], ['192.168.10.13', 0, 0, 1, 0],
    ]);
    let at = 24;
    for (let k = 0; k + 1 < recs.length; k++) {
      at += recs[k].length;
      for (const retain of [true, false]) {
        const r = await both(bytes, { cuts: [at] }, 2, retain);
        expect(r.parallel, `cut after frame ${k + 1}, retain ${retain}`).toEqual(r.serial);
        expect((r.parallel as { mtu: [unknown] }).mtu[0]).toEqual(serial.mtu());
      }
    }
    let off = 24;
    const all = recs.slice(0, -1).map((r) => (off += r.length));
    for (const retain of [true, false]) {
      const r = await both(bytes, { cuts: all }, 4, retain, 5);
      expect(r.parallel).toEqual(r.serial);
      expect((r.parallel as { mtu: [unknown] }).mtu[0]).toEqual(serial.mtu());
    }
  });

  it('ids past 16 bits widen the id columns the same way in both', async () => {
    // 40000 flows between distinct IPv4 addresses: address and flow ids pass 32767.
    const frame = (k: number): Uint8Array => {
      const f = new Uint8Array(14 + 20 + 8);
      f[12] = 0x08; // IPv4
      const ip = 14;
      f[ip] = 0x45; f[ip + 3] = 28; f[ip + 8] = 64; f[ip + 9] = 17;
      f[ip + 12] = 10; f[ip + 13] = (k >> 16) & 0xff; f[ip + 14] = (k >> 8) & 0xff; f[ip + 15] = k & 0xff;
      f[ip + 16] = 192; f[ip + 17] = 168; f[ip + 18] = 0; f[ip + 19] = 1;
      f[ip + 20] = 0x30; f[ip + 21] = 0x39; f[ip + 22] = 0; f[ip + 23] = 53; f[ip + 25] = 8;
      return f;
    };
    const recs = Array.from({ length: 40_000 }, (_, k) => pcapRecord({ sec: 1000 + (k >> 10), frac: k % 1000, data: frame(k) }));
    const bytes = concat(pcapHeader({ snaplen: 65535 }), ...recs);
    const r = await both(bytes, { cuts: [0.3, 0.5, 0.9].map((x) => Math.floor(bytes.length * x)) });
    expect(r.parallel).toEqual(r.serial);
    const e = new Engine();
    await e.load(new MemorySource(bytes), 'wide');
    expect(e.store.flow).toBeInstanceOf(Int32Array);
    expect(e.store.outerSrc).toBeInstanceOf(Int16Array); // no tunnels: never widened
    expect(e.flows.count).toBe(40_000);
  }, 60_000);

  it('interface statistics blocks mid-file and at the end are kept once each, whichever reader meets them', async () => {
    const le = true;
    const blocks: Uint8Array[] = [];
    for (let k = 0; k < 12; k++) {
      blocks.push(epb(le, { ts: BigInt(1_700_000_000_000_000 + k), data: payload(60 + k, k) }));
      if (k % 4 === 3) blocks.push(isb(le, { ts: BigInt(1_700_000_000_000_000 + k), ifrecv: BigInt(k + 1), ifdrop: BigInt(k) }));
    }
    const head = concat(shb(le, [{ code: 4, value: new TextEncoder().encode('gen') }]), idb(le, { name: 'eth0' }));
    const bytes = concat(head, ...blocks);
    let at = head.length;
    for (let k = 0; k + 1 < blocks.length; k++) {
      at += blocks[k].length;
      const r = await both(bytes, { cuts: [at, at + 1] }, 3);
      expect(r.parallel, `cut after block ${k + 1}`).toEqual(r.serial);
      expect((r.parallel as { result: { statistics: Array<{ ifrecv: number }> } }).result.statistics.map((s) => s.ifrecv)).toEqual([4, 8, 12]);
    }
  });

  it('pcapng with an interface defined mid-file falls back to one reader', async () => {
    const le = true;
    const blocks = [shb(le), idb(le, { linktype: 1 })];
    for (let i = 0; i < 30; i++) blocks.push(epb(le, { ifId: 0, ts: BigInt(i), data: payload(80, i), flags: i % 7 === 0 ? 1 : undefined, comments: i % 11 === 0 ? [`c${i}`] : undefined }));
    blocks.push(idb(le, { linktype: 101 }));
    for (let i = 0; i < 30; i++) blocks.push(epb(le, { ifId: i % 2, ts: BigInt(100 + i), data: payload(90, i) }));
    const bytes = concat(...blocks);
    const r = await both(bytes, { cuts: [bytes.length / 4, bytes.length / 2, (3 * bytes.length) / 4].map(Math.floor) });
    expect(r.parallel).toEqual(r.serial);
    expect((r.info as ParallelInfo | null)?.fellBack).toBe(true);
  });

  it('two sections fall back to one reader', async () => {
    const sec = (le: boolean, k: number): Uint8Array[] => [shb(le), idb(le, { linktype: 1 }),
      ...Array.from({ length: 25 }, (_, i) => epb(le, { ifId: 0, ts: BigInt(k * 100 + i), data: payload(70, i) }))];
    const bytes = concat(...sec(true, 0), ...sec(false, 1));
    const r = await both(bytes, { cuts: [1, 2, 3].map((k) => Math.floor((bytes.length * k) / 4)) });
    expect(r.parallel).toEqual(r.serial);
  });

  it('a warning on the record at a seam is reported once, as the single reader does', async () => {
    const le = true;
    const blocks = [shb(le), idb(le, { linktype: 1 })];
    for (let i = 0; i < 40; i++) blocks.push(epb(le, { ifId: 0, ts: BigInt(i), data: payload(101, i), comments: i === 20 ? ['x'] : undefined }));
    const bytes = concat(...blocks);
    const at = blocks.slice(0, 22).reduce((n, b) => n + b.length, 0); // EPB 21 (frame 21)
    const opt = at + 28 + 104; // its first option: after the 28-byte header and the padded 101 data bytes
    expect(bytes[opt]).toBe(1); // opt_comment
    bytes[opt + 2] = 0xf0; // option length far past the block
    bytes[opt + 3] = 0x7f;
    const serial = new Engine();
    await serial.load(new MemorySource(bytes), 'x');
    expect(serial.result?.warnings.length).toBeGreaterThan(0);
    for (const plan of [{ starts: [at] }, { cuts: [at - 1] }, { cuts: [at] }, { cuts: [at - 40, at + 400] }] as PlanOptions[]) {
      const r = await both(bytes, plan, 3);
      expect(r.parallel, JSON.stringify(plan)).toEqual(r.serial);
    }
  });

  it('a pool that throws instead of rejecting costs a serial redo, not the load', async () => {
    const cuts = Array.from({ length: 11 }, (_, k) => Math.floor((demo.length * (k + 1)) / 12));
    for (const retain of [true, false]) {
      for (const throwAt of [0, 1, 2]) {
        const serial = new Engine({ retainFrames: retain });
        await serial.load(new MemorySource(demo, 4096), 'x');
        const src = new MemorySource(demo, 4096);
        const inner = localPool(src);
        let calls = 0;
        const par = new Engine({ retainFrames: retain });
        let info: ParallelInfo | null = null;
        await loadParallel(par, src, 'x', {
          jobs: 2, plan: { cuts }, onPlan: (i) => { info = i; },
          pool: () => ({
            size: 1,
            run: (job) => {
              if (calls++ >= throwAt) throw new ReferenceError('Worker is not defined');
              return inner.run(job);
            },
            terminate: () => inner.terminate(),
          }),
        });
        expect(snapshot(par), `retain ${retain} throw at ${throwAt}`).toEqual(snapshot(serial));
        expect((info as ParallelInfo | null)?.redone).toBeGreaterThan(0);
      }
    }
  });

  it('a truncated last record and a corrupt block mid-file end like the single reader', async () => {
    const le = true;
    const blocks = [shb(le), idb(le, { linktype: 1 })];
    for (let i = 0; i < 40; i++) blocks.push(epb(le, { ifId: 0, ts: BigInt(i), data: payload(100, i) }));
    const good = concat(...blocks);
    const cut = good.subarray(0, good.length - 37);
    const r1 = await both(cut, { cuts: [good.length / 3, (2 * good.length) / 3].map(Math.floor) });
    expect(r1.parallel).toEqual(r1.serial);
    const bad = good.slice();
    const mid = blocks.slice(0, 22).reduce((n, b) => n + b.length, 0);
    bad[mid + 4] = 0xff; // block length of block 22 made absurd
    bad[mid + 5] = 0xff;
    bad[mid + 6] = 0xff;
    const r2 = await both(bad, { cuts: [bad.length / 4, bad.length / 2, (3 * bad.length) / 4].map(Math.floor) });
    expect(r2.parallel).toEqual(r2.serial);
  });
});

describe('offsets past 4 GiB', () => {
  it('a synthetic capture larger than 4 GiB is indexed in parallel with exact offsets', async () => {
    const GiB = 2 ** 30;
    const header = concat(shb(true), idb(true, { linktype: 1, snaplen: 262144 }));
    const rec = epb(true, { ifId: 0, ts: BigInt(5), data: payload(65500, 3) });
    const period = rec.length;
    const count = Math.ceil((4.25 * GiB) / period);
    const size = header.length + count * period;
    const window = 4 * 2 ** 20;
    const pattern = concat(...Array.from({ length: Math.ceil(window / period) + 2 }, () => rec));
    const at = (o: number, len: number): Uint8Array => {
      if (o < header.length) return concat(header, pattern).subarray(o, o + len);
      const phase = (o - header.length) % period;
      return pattern.subarray(phase, phase + len);
    };
    const src: ByteSource = {
      size,
      async *chunks(start = 0) {
        for (let o = start; o < size; o += window) yield at(o, Math.min(window, size - o)).slice();
      },
      async read(offset, length) {
        const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        for (let o = 0; o < out.length; o += window) out.set(at(offset + o, Math.min(window, out.length - o)), o);
        return out;
      },
    };
    const e = new Engine();
    let info: ParallelInfo | null = null;
    await loadParallel(e, src, 'big', { jobs: 3, pool: () => localPool(src), onPlan: (i) => { info = i; } });
    expect(info).toMatchObject({ redone: 0, fellBack: false });
    expect((info as ParallelInfo | null)?.chunks).toBeGreaterThan(100);
    expect(e.frames).toBe(count);
    expect(e.result?.bytesRead).toBe(size);
    expect(e.result?.error).toBeNull();
    const last = e.frameLocation(count);
    expect(last.offset).toBe(header.length + (count - 1) * period + 28);
    expect(last.offset).toBeGreaterThan(4 * GiB);
    expect(e.frameLocation(count - 1).offset).toBe(last.offset - period);
  }, 120_000);
});
