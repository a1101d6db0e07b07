// Super-frames on built captures: each rule that makes one (IPv4 total length 0, IPv6 payload length 0 with a
// Jumbo Payload option, an IP packet over 9,216 bytes, the pcapng TSO flag, a partial TCP checksum over 1,500
// bytes) and the frames that look alike but are none (a 1,500-byte packet with a partial checksum, a 1,600-byte
// one with a good checksum, a large datagram IP reassembled from fragments). How they would leave: segments of
// the receiver's MSS from its SYN (never the sender's own), else of a 1,500-byte MTU, the headers each segment
// repeats, tunnels included; in the details, the Info column, the filter and the CLI's row.

import { describe, expect, it } from 'vitest';
import { concatBytes } from '../bytes.ts';
import { PcapngWriter } from '../capture/pcapng-writer.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { resolvePending } from '../filter/runner.ts';
import { fragmentFrame } from '../../scripts/lib/fragment.ts';
import {
  buildFrame, eth, ipv4, ipv6, payload, tcp, tcpMss, udp, vxlan, type ChecksumMode, type Layer,
} from '../../scripts/lib/packet-builder.ts';
import type { TreeNode } from '../summary.ts';
import { Engine } from './engine.ts';
import { frameJson } from './report.ts';
import { fillSuperframeRows, peerSynFrame, SUPERFRAME_MARK, superframeOf } from './superframe.ts';

const E = eth({ src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' });
/** NOP, NOP, timestamps: the 12 bytes of options Linux puts on every data segment. */
const TS = Uint8Array.of(1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2);
const A = '10.0.0.1', B = '10.0.0.2';

function frame(layers: Layer[]): Uint8Array {
  return buildFrame(layers).data;
}

/** What TSO/GSO leaves for the NIC: IPv4 total length 0 (and its header checksum 0) at `ip`. */
function zeroLength(f: Uint8Array, ip: number): Uint8Array {
  f[ip + 2] = 0; f[ip + 3] = 0;
  f[ip + 10] = 0; f[ip + 11] = 0;
  return f;
}

function data(src: string, dst: string, sport: number, dport: number, size: number, checksum: ChecksumMode = 'partial', options = TS): Layer[] {
  return [E, ipv4({ src, dst }), tcp({ sport, dport, flags: 'A', options, checksum }), payload(size)];
}

function syn(src: string, dst: string, sport: number, dport: number, mss: number, ack = false): Uint8Array {
  return frame([E, ipv4({ src, dst }), tcp({ sport, dport, flags: ack ? 'SA' : 'S', options: tcpMss(mss) }), payload(0)]);
}

/** IPv6 with payload length 0 and a Jumbo Payload hop-by-hop header (BIG TCP), carrying TCP. */
function bigTcp(size: number): Uint8Array {
  const f = frame([E, ipv6({ src: 'fd00::1', dst: 'fd00::2' }), tcp({ sport: 5001, dport: 5002, flags: 'A', checksum: 'partial' }), payload(size)]);
  const hbh = Uint8Array.of(6, 0, 0xc2, 4, 0, 0, 0, 0);
  new DataView(hbh.buffer).setUint32(4, f.length - 14 - 40 + 8);
  const out = concatBytes([f.subarray(0, 54), hbh, f.subarray(54)]);
  out[14 + 4] = 0; out[14 + 5] = 0; // payload length 0
  out[14 + 6] = 0; // next header: hop-by-hop
  return out;
}

interface Frame { data: Uint8Array; flags?: number }

async function load(frames: Frame[]): Promise<{ e: Engine; src: MemorySource }> {
  const chunks: Uint8Array[] = [];
  const w = new PcapngWriter((c) => { chunks.push(c); });
  w.addInterface({ linktype: 1, snaplen: 0 });
  frames.forEach((f, k) => w.writePacket(0, 1_764_000_000 + k, 0, f.data, 0, f.data.length, f.data.length, f.flags !== undefined ? { flags: f.flags } : undefined));
  w.close();
  const bytes = concatBytes(chunks);
  const e = new Engine();
  const src = new MemorySource(bytes);
  await e.load(src, 'sf.pcapng');
  return { e, src };
}

async function sf(e: Engine, src: MemorySource, n: number): Promise<ReturnType<typeof superframeOf>> {
  const read = async (m: number): Promise<Uint8Array> => { const l = e.frameLocation(m); return src.read(l.offset, l.caplen); };
  const synN = peerSynFrame(e, n - 1);
  return superframeOf(e, n - 1, await read(n), synN > 0 ? { n: synN, bytes: await read(synN) } : null);
}

async function frameNode(e: Engine, src: MemorySource, n: number): Promise<TreeNode> {
  const read = async (m: number): Promise<Uint8Array> => { const l = e.frameLocation(m); return src.read(l.offset, l.caplen); };
  const others = new Map<number, Uint8Array>();
  for (const m of e.detailFrames(n)) others.set(m, await read(m));
  return e.detailOf(n, await read(n), others).tree[0];
}

async function superframes(e: Engine, src: MemorySource): Promise<number[]> {
  const run = e.filters.get('frame.superframe');
  expect(run.pending).toBe(0);
  await resolvePending(e, run, src);
  return Array.from({ length: e.frames }, (_, i) => i + 1).filter((n) => run.state[n - 1] === 1);
}

describe('super-frames', () => {
  it('a TSO segment with IPv4 total length 0: segments of the receiver\'s MSS less the options it repeats', async () => {
    const { e, src } = await load([
      { data: syn(A, B, 40000, 443, 9000) }, // the sender's own MSS: not what bounds its segments
      { data: syn(B, A, 443, 40000, 1400, true) },
      { data: zeroLength(frame(data(A, B, 40000, 443, 65160)), 14) },
      // Another flow, no SYN in the capture: a 1,500-byte MTU less 20 + 32 bytes of headers.
      { data: zeroLength(frame(data(A, B, 40001, 443, 65160)), 14) },
    ]);
    expect(await superframes(e, src)).toEqual([3, 4]);
    expect(await sf(e, src, 3)).toMatchObject({ payload: 65160, segment: 1388, segments: 47, overhead: 52, mss: 1400, synFrame: 2 });
    expect(await sf(e, src, 4)).toMatchObject({ payload: 65160, segment: 1448, segments: 45, overhead: 52, mss: null, synFrame: null });
    const node = await frameNode(e, src, 3);
    const line = node.children?.find((c) => c.field === 'frame.superframe');
    expect(line?.label).toBe('[Super-frame: would leave as 47 segments of 1388 bytes, +52 bytes of encapsulation each]');
    expect(line?.children?.map((c) => c.label)).toEqual([
      'IPv4 total length 0 on a 65212-byte packet: left for the NIC to fill in (TSO/GSO)',
      '65160 bytes to send; MSS 1400 announced in the SYN of frame 2, less 12 bytes of TCP options each segment repeats',
    ]);
    expect(line?.children?.[1].frame).toBe(2);
    expect((await frameNode(e, src, 4)).children?.find((c) => c.field === 'frame.superframe')?.children?.at(-1)?.label)
      .toBe('65160 bytes to send; no SYN from the receiving side in the capture: segments as a 1,500-byte MTU leaves them');
    // The Info column: a mark from the index, the segments once the row's bytes are read.
    const rows = e.rows(0, 4, { tenant: null, sort: null, filter: '' }).rows;
    expect(rows.map((r) => r.info.endsWith(SUPERFRAME_MARK))).toEqual([false, false, true, true]);
    await fillSuperframeRows(e, rows, src);
    expect(rows[2].info).toBe('40000 → 443 [ACK] [super-frame: 47 segments of 1388 bytes]');
    expect(rows[3].info).toBe('40001 → 443 [ACK] [super-frame: 45 segments of 1448 bytes]');
    expect(frameJson(e, 2).superframe).toBe(true);
    expect(frameJson(e, 0).superframe).toBe(false);
  });

  it('inside a tunnel the segments repeat the outer headers: +K counts them', async () => {
    const inner = frame([E, ipv4({ src: '192.168.0.1', dst: '192.168.0.2' }), udp({ sport: 49152, dport: 4789, checksum: 'zero' }), vxlan(300),
      eth({ src: '02:00:00:00:00:0a', dst: '02:00:00:00:00:0b' }), ipv4({ src: A, dst: B }), tcp({ sport: 40000, dport: 443, flags: 'PA', checksum: 'partial' }), payload(3000)]);
    const { e, src } = await load([{ data: zeroLength(inner, 14 + 20 + 8 + 8 + 14) }]);
    expect(await superframes(e, src)).toEqual([1]);
    expect(await sf(e, src, 1)).toMatchObject({ payload: 3000, segment: 1460, segments: 3, overhead: 20 + 8 + 8 + 14 + 20 + 20 });
  });

  it('BIG TCP over IPv6: payload length 0 and a Jumbo Payload option, which the segments do not repeat', async () => {
    const { e, src } = await load([{ data: bigTcp(70000) }]);
    expect(e.store.caplen[0]).toBe(14 + 40 + 8 + 20 + 70000);
    expect(await superframes(e, src)).toEqual([1]);
    const s = await sf(e, src, 1);
    expect(s).toMatchObject({ payload: 70000, segment: 1440, segments: 49, overhead: 60 });
    expect(s?.reasons[0]).toBe('IPv6 payload length 0 with 70028 bytes following and a Jumbo Payload option (BIG TCP)');
  });

  it('an IP packet over 9,216 bytes; the pcapng TSO flag; a partial checksum over 1,500 bytes, and the look-alikes that are none', async () => {
    const { e, src } = await load([
      { data: frame(data(A, B, 1, 2, 9500 - 52, 'good')) }, // GRO on a jumbo link: more than any link carries
      { data: frame(data(A, B, 3, 4, 200, 'good')), flags: 0x2 | 0x800 }, // the capture says TSO
      { data: frame(data(A, B, 5, 6, 1600 - 52)) }, // partial, 1,600 bytes: presumed
      { data: frame(data(A, B, 7, 8, 1500 - 52)) }, // partial, 1,500 bytes: what the link carries
      { data: frame(data(A, B, 9, 10, 1600 - 52, 'good')) }, // 1,600 bytes with a good checksum: a jumbo link, received
      { data: frame(data(A, B, 11, 12, 9216 - 52, 'good')) }, // exactly a jumbo frame
      { data: zeroLength(frame([E, ipv4({ src: A, dst: B }), udp({ sport: 13, dport: 14 }), payload(8000)]), 14) }, // UDP GSO
      { data: frame([E, ipv4({ src: A, dst: B, proto: 253 }), payload(0)]) }, // IPv4 total length 20 and nothing after: not 0
    ]);
    expect(await superframes(e, src)).toEqual([1, 2, 3, 7]);
    expect(e.offload().capture.superframes).toBe(4);
    expect((await sf(e, src, 1))?.reasons).toEqual(['an IPv4 packet of 9500 bytes: more than a 9,216-byte jumbo frame carries']);
    expect(await sf(e, src, 2)).toMatchObject({ reasons: ['the capture marks it TCP segmentation offloaded (epb_flags bit 11)'], segments: 1, segment: 200, payload: 200 });
    expect(await sf(e, src, 3)).toMatchObject({ segments: 2, segment: 1448, payload: 1548 });
    expect(await sf(e, src, 7)).toMatchObject({ payload: 8000, segment: 1472, segments: 6, overhead: 28 });
    expect(await sf(e, src, 4)).toBeNull();
  });

  it('a large datagram reassembled from IP fragments is no super-frame, nor are its fragments', async () => {
    const big = frame(data(A, B, 40000, 443, 12000));
    const { e, src } = await load(fragmentFrame(big, 14, 1480, 7).map((d) => ({ data: d })));
    expect(e.fragments.completed).toBe(1);
    expect(await superframes(e, src)).toEqual([]);
  });
});
