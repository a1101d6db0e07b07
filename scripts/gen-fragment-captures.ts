// Generates the IP fragmentation captures that decoders/analysis/fragments-tshark.test.ts compares with
// tshark 4.0 (which reassembles by default), and writes them out to look at in Wireshark:
//
//   npx tsx scripts/gen-fragment-captures.ts --out-dir DIR
//
// Deterministic (a seeded PRNG, fixed times): the test builds them in memory on every run, so the repository
// carries the generator, not the files. Each frame is labelled with the case it belongs to, so that a
// difference names the case ("overlap.pcap: conflicting partial overlap, higher offset first"), and the
// test's allow-list can name cases rather than frame numbers.
//
// What is covered: underlay fragmentation of NVGRE, VXLAN and Geneve over IPv4 and IPv6; a tenant's own
// fragments inside each; both at once (tenant fragments inside fragmented underlay packets); fragments in
// order, reversed, shuffled, duplicated and interleaved; overlaps with identical and with conflicting bytes;
// missing fragments; good, bad and partial inner TCP/UDP checksums; ICMP and ICMPv6 inside fragments; IPv4
// and IPv6 tenants; and the edge cases where reassemblers part ways (a time gap, a bad header checksum, two
// last fragments, a fragment past 65535 bytes, the snaplen, two tenants reusing inner ids).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fragmentFrame, fragmentLayers, fragmentRanges, type FragmentRange } from './lib/fragment.ts';
import {
  buildFrame, eth, geneve, icmpEcho, internetChecksum, icmpv6Echo, ipv4, ipv6, nvgre, payload, tcp, udp, vxlan,
  type ChecksumMode, type Layer,
} from './lib/packet-builder.ts';
import { Rng } from './lib/rng.ts';

export const FRAGMENT_SEED = 20250806;
const START_SEC = 1_754_000_000;

export interface FragmentCapture {
  /** File name (classic pcap, Ethernet, microseconds). */
  name: string;
  bytes: Uint8Array;
  /** Per frame (index n - 1): the case it belongs to. */
  cases: string[];
}

export type Encap = 'nvgre' | 'vxlan' | 'geneve';
export type Family = 4 | 6;
export type L4 = 'tcp' | 'udp' | 'icmp';

const ENCAPS: readonly Encap[] = ['nvgre', 'vxlan', 'geneve'];
const HOST = { src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' };
const VM = { src: '00:15:5d:aa:00:01', dst: '00:15:5d:aa:00:02' };

/** Outer Ethernet, underlay IP and the tunnel up to the tenant's Ethernet header. */
export function underlay(encap: Encap, family: Family, vnid: number, o: { id?: number; udpChecksum?: ChecksumMode } = {}): Layer[] {
  const ip = family === 4 ? ipv4({ src: '192.168.10.11', dst: '192.168.10.12', id: o.id ?? 1 }) : ipv6({ src: 'fd00::11', dst: 'fd00::12' });
  const sport = 49152 + (vnid % 16000);
  switch (encap) {
    case 'nvgre': return [eth(HOST), ip, nvgre({ vsid: vnid, flowId: vnid & 0xff }), eth(VM)];
    case 'vxlan': return [eth(HOST), ip, udp({ sport, dport: 4789, checksum: o.udpChecksum }), vxlan(vnid), eth(VM)];
    case 'geneve': return [eth(HOST), ip, udp({ sport, dport: 6081, checksum: o.udpChecksum }), geneve(vnid), eth(VM)];
  }
}

/** A tenant's IP packet: TCP, UDP or ICMP(v6) echo with `size` payload bytes; `id` is the IPv4 id. */
export function tenantPacket(family: Family, l4: L4, size: number, checksum: ChecksumMode, id: number): Layer[] {
  const ip = family === 4 ? ipv4({ src: '10.0.0.5', dst: '10.0.0.6', id }) : ipv6({ src: 'fd01::5', dst: 'fd01::6' });
  const t: Layer = l4 === 'tcp'
    ? tcp({ sport: 40000 + (id % 1000), dport: 443, flags: 'PA', seq: 1000 * id, checksum })
    : l4 === 'udp'
      ? udp({ sport: 41000 + (id % 1000), dport: 5201, checksum })
      : family === 4 ? icmpEcho({ id, seq: 1, checksum }) : icmpv6Echo({ id, seq: 1, checksum });
  return [ip, t, payload(size, 0x41 + (id % 20))];
}

/** Frames in the order a case sends them, with optional time gaps and snaplen. */
interface Frame {
  data: Uint8Array;
  caplen?: number;
  /** Seconds to wait before this frame (default a millisecond). */
  gap?: number;
}

class Capture {
  private readonly frames: Array<Frame & { label: string }> = [];
  constructor(readonly name: string) {}

  add(label: string, frames: ReadonlyArray<Uint8Array | Frame>): void {
    for (const f of frames) this.frames.push({ ...(f instanceof Uint8Array ? { data: f } : f), label });
  }

  build(): FragmentCapture {
    const parts: Uint8Array[] = [pcapHeader()];
    let t = 0;
    for (const f of this.frames) {
      t += f.gap ?? 0.001;
      const sec = START_SEC + Math.floor(t);
      const usec = Math.round((t - Math.floor(t)) * 1e6);
      parts.push(pcapRecord(sec, usec, f.data, f.caplen ?? f.data.length));
    }
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) { bytes.set(p, o); o += p.length; }
    return { name: this.name, bytes, cases: this.frames.map((f) => f.label) };
  }
}

function pcapHeader(): Uint8Array {
  const b = new Uint8Array(24);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 65535, true);
  dv.setUint32(20, 1, true);
  return b;
}

function pcapRecord(sec: number, usec: number, data: Uint8Array, caplen: number): Uint8Array {
  const b = new Uint8Array(16 + caplen);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, sec, true);
  dv.setUint32(4, usec, true);
  dv.setUint32(8, caplen, true);
  dv.setUint32(12, data.length, true);
  b.set(data.subarray(0, caplen), 16);
  return b;
}

type Order = 'in order' | 'reversed' | 'shuffled' | 'duplicated';

function ordered<T>(items: readonly T[], order: Order, rng: Rng): T[] {
  const out = [...items];
  if (order === 'reversed') out.reverse();
  else if (order === 'shuffled') {
    for (let i = out.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    // A shuffle that left them in order says nothing new: rotate it.
    if (out.every((x, k) => x === items[k])) out.push(out.shift() as T);
  } else if (order === 'duplicated') {
    // Every fragment twice (a mirror port seeing both directions of a hop), the second copies after a later one.
    return out.flatMap((x, k) => (k === 0 ? [x] : [x, out[k - 1]])).concat([out[out.length - 1]]);
  }
  return out;
}

const ORDERS: readonly Order[] = ['in order', 'reversed', 'shuffled', 'duplicated'];
const CHECKSUMS: readonly ChecksumMode[] = ['good', 'bad', 'partial'];

/** The underlay packet of a tunnelled frame fragmented by the encapsulating host (IPv4 id: the layer's). */
function underlayFragments(layers: Layer[], max: number, id: number): Uint8Array[] {
  return fragmentFrame(buildFrame(layers).data, 14, max, id);
}

/** The tenant's packet fragmented by the tenant before encapsulation: each fragment tunnelled on its own. */
function tenantFragments(outer: Layer[], inner: Layer[], max: number, id: number): Uint8Array[] {
  return fragmentLayers([...outer, ...inner], outer.length, max, id).map((l) => buildFrame(l).data);
}

function underlayCapture(family: Family, rng: Rng): FragmentCapture {
  const cap = new Capture(`underlay-ipv${family}.pcap`);
  let id = family === 4 ? 0x100 : 0x10000;
  let k = 0;
  for (const encap of ENCAPS) {
    for (const tenantFamily of [4, 6] as const) {
      for (const l4 of ['tcp', 'udp', 'icmp'] as const) {
        // Every order and every checksum mode meets every encapsulation, without a full product.
        const order = ORDERS[k % ORDERS.length];
        const ck: ChecksumMode = l4 === 'icmp' && tenantFamily === 4 ? (k % 2 === 0 ? 'good' : 'bad') : CHECKSUMS[k % CHECKSUMS.length];
        const vnid = 5000 + k;
        // VXLAN over IPv4 usually has no outer UDP checksum (RFC 7348): some datagrams say so.
        const udpChecksum: ChecksumMode = family === 4 && encap === 'vxlan' && k % 2 === 1 ? 'zero' : 'good';
        const layers = [...underlay(encap, family, vnid, { id: ++id, udpChecksum }), ...tenantPacket(tenantFamily, l4, 1800 + 97 * k, ck, 0x77)];
        const frags = underlayFragments(layers, family === 4 ? 1000 : 1232, id);
        cap.add(`${encap} ipv${tenantFamily} ${l4} ${ck} checksum, ${order}`, ordered(frags, order, rng));
        k++;
      }
    }
  }
  // Two datagrams interleaved, and unfragmented traffic between them.
  const a = underlayFragments([...underlay('vxlan', family, 300, { id: ++id }), ...tenantPacket(4, 'tcp', 2500, 'good', 1)], 1000, id);
  const b = underlayFragments([...underlay('vxlan', family, 301, { id: ++id }), ...tenantPacket(4, 'tcp', 2500, 'bad', 1)], 1000, id);
  const plain = buildFrame([...underlay('vxlan', family, 302, { id: ++id }), ...tenantPacket(4, 'tcp', 100, 'good', 2)]).data;
  cap.add('two datagrams interleaved with other traffic', [a[0], b[0], plain, b[1], a[1], plain, a[2], b[2]]);
  return cap.build();
}

function tenantCapture(rng: Rng): FragmentCapture {
  const cap = new Capture('tenant.pcap');
  let id = 0x200;
  let k = 0;
  for (const family of [4, 6] as const) {
    for (const encap of ENCAPS) {
      for (const tenantFamily of [4, 6] as const) {
        for (const l4 of ['tcp', 'udp', 'icmp'] as const) {
          const order = ORDERS[k % ORDERS.length];
          const ck: ChecksumMode = l4 === 'icmp' && tenantFamily === 4 ? (k % 2 === 0 ? 'good' : 'bad') : CHECKSUMS[(k + 1) % CHECKSUMS.length];
          const outer = underlay(encap, family, 7000 + k, { id: ++id });
          const frags = tenantFragments(outer, tenantPacket(tenantFamily, l4, 2200 + 61 * k, ck, ++id), 1400, id);
          cap.add(`ipv${family} ${encap}, tenant ipv${tenantFamily} ${l4} ${ck} checksum, ${order}`, ordered(frags, order, rng));
          k++;
        }
      }
    }
  }
  return cap.build();
}

function nestedCapture(rng: Rng): FragmentCapture {
  const cap = new Capture('nested.pcap');
  let id = 0x300;
  let k = 0;
  for (const family of [4, 6] as const) {
    for (const encap of ENCAPS) {
      for (const tenantFamily of [4, 6] as const) {
        const ck: ChecksumMode = CHECKSUMS[k % CHECKSUMS.length];
        const l4: L4 = k % 3 === 2 ? 'icmp' : k % 2 === 0 ? 'tcp' : 'udp';
        const inner = tenantPacket(tenantFamily, l4, 3000 + 53 * k, ck === 'partial' && l4 === 'icmp' && tenantFamily === 4 ? 'good' : ck, ++id);
        const innerId = id;
        // The tenant sends 1480-byte fragments; the underlay fragments each encapsulated one again at 1000.
        const frames: Uint8Array[] = [];
        fragmentLayers([...underlay(encap, family, 9000 + k), ...inner], underlay(encap, family, 9000 + k).length, 1480, innerId).forEach((l) => {
          const outerId = ++id;
          const ls = l.map((x, i) => (i === 1 && x.kind === 'ipv4' ? { ...x, id: outerId } : x));
          frames.push(...fragmentFrame(buildFrame(ls).data, 14, 1000, outerId));
        });
        const order: Order = k % 2 === 0 ? 'in order' : 'shuffled';
        cap.add(`ipv${family} ${encap}, tenant ipv${tenantFamily} ${l4} ${ck} checksum fragmented, underlay fragmented again, ${order}`, ordered(frames, order, rng));
        k++;
      }
    }
  }
  return cap.build();
}

/** Fragments of one tunnelled packet at explicit payload ranges, with bytes of some changed. */
function rangesOf(layers: Layer[], ranges: FragmentRange[], id: number, forge: Array<{ frag: number; from: number; to: number }> = []): Uint8Array[] {
  const frags = fragmentRanges(buildFrame(layers).data, 14, ranges, id);
  const hl = (frags[0][14] >> 4) === 4 ? 20 : 48;
  for (const f of forge) {
    // Payload offsets [from, to) of the datagram, inside fragment `frag`.
    const r = ranges[f.frag];
    for (let i = f.from; i < f.to; i++) frags[f.frag][14 + hl + i - r.offset] ^= 0x20;
  }
  return frags;
}

function overlapCapture(): FragmentCapture {
  const cap = new Capture('overlap.pcap');
  let id = 0x400;
  for (const family of [4, 6] as const) {
    const dg = (vnid: number): Layer[] => [...underlay('vxlan', family, vnid, { id: ++id }), ...tenantPacket(4, 'tcp', 2000, 'good', 5)];
    // 2000 + 20 (IP) + 20 (TCP) + 14 (Ethernet) + 16 (VXLAN, UDP) = 2070 payload bytes; every other range a multiple of 8.
    const spread: FragmentRange[] = [{ offset: 0, len: 1000 }, { offset: 504, len: 1000 }, { offset: 1496, len: 574 }];
    const v = `ipv${family}`;
    cap.add(`${v} identical partial overlaps, in order`, rangesOf(dg(100), spread, id));
    cap.add(`${v} identical partial overlaps, higher offset first`, [...rangesOf(dg(101), spread, id)].reverse());
    const halves: FragmentRange[] = [{ offset: 0, len: 1000 }, { offset: 1000, len: 1070 }];
    const dup = rangesOf(dg(102), [halves[0], halves[0], halves[1]], id, [{ frag: 0, from: 600, to: 700 }]);
    cap.add(`${v} conflicting duplicate, forged copy first`, dup);
    const dup2 = rangesOf(dg(103), [halves[0], halves[0], halves[1]], id, [{ frag: 1, from: 600, to: 700 }]);
    cap.add(`${v} conflicting duplicate, forged copy second`, dup2);
    // The middle fragment's bytes that the first one covers too are changed.
    const low = rangesOf(dg(104), spread, id, [{ frag: 1, from: 600, to: 700 }]);
    cap.add(`${v} conflicting partial overlap, lower offset first`, low);
    const high = rangesOf(dg(105), spread, id, [{ frag: 1, from: 600, to: 700 }]);
    cap.add(`${v} conflicting partial overlap, higher offset first`, [high[1], high[0], high[2]]);
    // The last fragment's first 8 bytes overlap the middle one's end: forged in the last one, which comes first.
    const tail = rangesOf(dg(106), spread, id, [{ frag: 2, from: 1496, to: 1504 }]);
    cap.add(`${v} conflicting 8-byte overlap at the tail, last fragment first`, [tail[2], tail[0], tail[1]]);
    // An odd-length last fragment overlapped by a shorter copy of itself.
    const odd: FragmentRange[] = [{ offset: 0, len: 1000 }, { offset: 1000, len: 1070 }, { offset: 1000, len: 1000, more: true }];
    cap.add(`${v} middle fragment inside the last one`, rangesOf(dg(107), odd, id));
  }
  return cap.build();
}

function missingCapture(): FragmentCapture {
  const cap = new Capture('missing.pcap');
  let id = 0x500;
  for (const family of [4, 6] as const) {
    for (const [name, keep] of [['first', [1, 2]], ['middle', [0, 2]], ['last', [0, 1]]] as const) {
      const layers = [...underlay('geneve', family, 0x123456, { id: ++id }), ...tenantPacket(6, 'udp', 2000, 'good', 9)];
      const frags = underlayFragments(layers, 1000, id);
      cap.add(`ipv${family} underlay, ${name} fragment missing`, keep.map((i) => frags[i]));
      const t = tenantFragments(underlay('nvgre', family, 6001, { id: ++id }), tenantPacket(4, 'tcp', 2000, 'good', ++id), 800, id);
      cap.add(`ipv${family} tenant, ${name} fragment missing`, keep.map((i) => t[i]));
    }
  }
  return cap.build();
}

function edgeCapture(): FragmentCapture {
  const cap = new Capture('edge.pcap');
  let id = 0x600;
  const dg = (encap: Encap, family: Family, vnid: number, size = 2000): Layer[] => [
    ...underlay(encap, family, vnid, { id: ++id }), ...tenantPacket(4, 'tcp', size, 'good', 3),
  ];
  // 40 s between the fragments of one datagram: IP stacks give up after 30 (RFC 791's timer, Linux's ipfrag_time).
  const slow = underlayFragments(dg('nvgre', 4, 8001), 1000, id);
  cap.add('fragments 40 s apart', [slow[0], slow[1], { data: slow[2], gap: 40 }]);
  // A fragment whose IPv4 header checksum is wrong.
  const badHdr = underlayFragments(dg('vxlan', 4, 8002), 1000, id);
  badHdr[1][14 + 10] ^= 0x5a;
  cap.add('middle fragment with a bad IPv4 header checksum', badHdr);
  // Two last fragments that end at different bytes, before the datagram is complete.
  const tails = rangesOf(dg('geneve', 4, 8003), [{ offset: 1000, len: 1070 }, { offset: 1000, len: 504, more: false }, { offset: 0, len: 1000 }], id);
  cap.add('two last fragments with different ends', tails);
  // A fragment that would end past the largest datagram: offset 65528 + 100 bytes.
  const big = underlayFragments(dg('nvgre', 4, 8004), 1000, id);
  const past = big[1].slice(0, 14 + 20 + 104);
  const pv = new DataView(past.buffer);
  pv.setUint16(14 + 2, 20 + 104);
  pv.setUint16(14 + 6, 0x2000 | (65528 / 8));
  pv.setUint16(14 + 10, 0);
  pv.setUint16(14 + 10, internetChecksum(past, 14, 20));
  cap.add('a fragment past 65535 bytes among good ones', [big[0], past, big[1], big[2]]);
  // A fragment past the end the last fragment gives, arriving before it.
  const early = rangesOf(dg('vxlan', 4, 8009, 3000), [{ offset: 0, len: 1000 }, { offset: 2504, len: 504 }, { offset: 1000, len: 1000, more: false }], id);
  cap.add('a fragment past the end, before the last fragment', early);
  // The largest datagram IPv4 allows: 65535 bytes with its header, the last fragment at offset 65512.
  const max = underlayFragments(dg('nvgre', 4, 8010, 65535 - 20 - 8 - 14 - 20 - 20), 1480, id);
  cap.add('the largest IPv4 datagram (65535 bytes), shuffled', ordered(max, 'shuffled', new Rng(id)));
  // A fragment the snaplen cut short, and a whole copy of it after.
  const cut = underlayFragments(dg('vxlan', 4, 8005), 1000, id);
  cap.add('a fragment cut by the snaplen', [cut[0], { data: cut[1], caplen: 200 }, cut[2]]);
  const cut2 = underlayFragments(dg('vxlan', 4, 8006), 1000, id);
  cap.add('a fragment cut by the snaplen, then a whole copy', [cut2[0], { data: cut2[1], caplen: 200 }, cut2[2], cut2[1]]);
  // Two tenants whose VMs use the same addresses and IP ids.
  const twin = (vsid: number, fill: number): Uint8Array[] =>
    tenantFragments(underlay('nvgre', 4, vsid, { id: ++id }), [ipv4({ src: '10.0.0.5', dst: '10.0.0.6', id: 0x77 }), tcp({ sport: 1, dport: 2 }), payload(2000, fill)], 1400, 0);
  const ta = twin(5001, 0x61), tb = twin(5002, 0x62);
  cap.add('two tenants with equal inner addresses and ids', [ta[0], tb[0], tb[1], ta[1]]);
  // IPv6: a later fragment's fragment header names another next header (RFC 8200: only the first one counts).
  const nh = underlayFragments(dg('geneve', 6, 8007), 1232, 0xbeef);
  nh[1][14 + 40] = 59;
  cap.add('ipv6 fragment headers with different next headers', nh);
  // An atomic IPv6 fragment (offset 0, M 0: RFC 6946, a whole packet).
  const atomic = fragmentRanges(buildFrame(dg('vxlan', 6, 8008, 200)).data, 14, [{ offset: 0, len: 16 + 14 + 20 + 20 + 200 }], 0xa70);
  cap.add('atomic ipv6 fragment', atomic);
  return cap.build();
}

/** Every generated capture, the same bytes on every call. */
export function fragmentCaptures(): FragmentCapture[] {
  const rng = new Rng(FRAGMENT_SEED);
  return [underlayCapture(4, rng), underlayCapture(6, rng), tenantCapture(rng), nestedCapture(rng), overlapCapture(), missingCapture(), edgeCapture()];
}

function main(argv: string[]): void {
  let outDir = '';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out-dir' && argv[i + 1] !== undefined) outDir = resolve(argv[++i]);
    else if (argv[i] === '--help' || argv[i] === '-h') {
      console.log('usage: npx tsx scripts/gen-fragment-captures.ts --out-dir DIR   (writes the IP fragmentation test captures)');
      return;
    } else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (outDir === '') throw new Error('--out-dir DIR is required');
  mkdirSync(outDir, { recursive: true });
  for (const c of fragmentCaptures()) {
    writeFileSync(join(outDir, c.name), c.bytes);
    console.log(`${c.name}: ${c.cases.length} frames, ${new Set(c.cases).size} cases`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
