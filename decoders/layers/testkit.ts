// Frame builders for the layer tests (imported by *.test.ts only). Checksums here use a naive 16-bit loop,
// independent of checksum.ts, so the tests check the fast code against a second implementation.

import { concatBytes } from '../bytes.ts';
import { detail, dissect } from '../dissect.ts';
import { CHECK_NAMES, VERDICT_NAMES, newSummary, type Summary, type TreeNode } from '../summary.ts';

export type Bytes = Uint8Array | number[];
/** How to fill a checksum field: correct, wrong, pseudo-header only (either form), zero, or a literal value. */
export type Mode = 'good' | 'bad' | 'partial' | 'partial-c' | 'zero' | number;

export function cat(...parts: Bytes[]): Uint8Array {
  const out = concatBytes(parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p))));
  // Always a fresh array (tests change what cat returns), also for a single part.
  return parts.length === 1 ? out.slice() : out;
}

export function u16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

export function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

/** Plain RFC 1071 sum, folded, not complemented. */
export function naiveSum(b: Bytes, init = 0): number {
  let s = init;
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) + (i + 1 < b.length ? b[i + 1] : 0);
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

function fill(seg: Uint8Array, at: number, mode: Mode, pseudo: number, udp = false): Uint8Array {
  seg[at] = 0;
  seg[at + 1] = 0;
  let good = ~naiveSum(seg, pseudo) & 0xffff;
  if (udp && good === 0) good = 0xffff;
  const ph = naiveSum([], pseudo);
  const v = mode === 'good' ? good : mode === 'bad' ? (good ^ 0x1234) || 0x4321 : mode === 'partial' ? ph
    : mode === 'partial-c' ? ~ph & 0xffff : mode === 'zero' ? 0 : mode;
  seg[at] = v >> 8;
  seg[at + 1] = v & 0xff;
  return seg;
}

export const MAC1 = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
export const MAC2 = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];

export function eth(type: number, payload: Bytes, dst: Bytes = MAC2, src: Bytes = MAC1): Uint8Array {
  return cat(dst, src, u16(type), payload);
}

/** A VLAN tag as it follows its TPID: TCI then the next EtherType. */
export function tag(tci: number, type: number): number[] {
  return [...u16(tci), ...u16(type)];
}

export interface Ip {
  v: 4 | 6;
  src: number[];
  dst: number[];
  /** IPv6 only: the destination the pseudo-header must use (routing header final destination). */
  finalDst?: number[];
  /** IPv6 only: the source the pseudo-header must use (home address option). */
  pseudoSrc?: number[];
}

export const IP4A: Ip = { v: 4, src: [10, 0, 0, 1], dst: [10, 0, 0, 2] };
export const IP4B: Ip = { v: 4, src: [192, 168, 1, 1], dst: [192, 168, 1, 2] };
export const IP6A: Ip = {
  v: 6,
  src: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
  dst: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
};

export function pseudo(ip: Ip, proto: number, len: number): number {
  const src = ip.pseudoSrc ?? ip.src;
  const dst = ip.finalDst ?? ip.dst;
  return naiveSum(cat(src, dst), 0) + proto + (len >>> 16) + (len & 0xffff);
}

export interface Ip4Opts {
  proto: number;
  ttl?: number;
  id?: number;
  /** Flags (3 bits) and fragment offset (13 bits, in 8-byte units) as the 16-bit word. */
  fragWord?: number;
  options?: number[];
  totalLength?: number;
  csum?: 'good' | 'bad' | 'zero' | number;
  tos?: number;
}

export function ipv4(ip: Ip, o: Ip4Opts, payload: Bytes): Uint8Array {
  const opts = o.options ?? [];
  const hl = 20 + opts.length;
  const h = cat(
    [0x40 | (hl >> 2), o.tos ?? 0], u16(o.totalLength ?? hl + payload.length), u16(o.id ?? 1), u16(o.fragWord ?? 0),
    [o.ttl ?? 64, o.proto], [0, 0], ip.src, ip.dst, opts,
  );
  fill(h, 10, o.csum ?? 'good', 0);
  return cat(h, payload);
}

export function ipv6(ip: Ip, nh: number, payload: Bytes, plen?: number): Uint8Array {
  return cat([0x60, 0, 0, 0], u16(plen ?? payload.length), [nh, 64], ip.src, ip.dst, payload);
}

/** A hop-by-hop / destination options / routing style extension header padded to 8-byte units. */
export function ext(nh: number, body: number[]): number[] {
  const total = Math.ceil((body.length + 2) / 8) * 8;
  const out = [nh, total / 8 - 1, ...body];
  while (out.length < total) out.push(0);
  return out;
}

export function udp(ip: Ip, sport: number, dport: number, payload: Bytes, mode: Mode = 'good'): Uint8Array {
  const len = 8 + payload.length;
  const seg = cat(u16(sport), u16(dport), u16(len), [0, 0], payload);
  return fill(seg, 6, mode, pseudo(ip, 17, len), true);
}

export interface TcpOpts {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  win?: number;
  options?: number[];
}

export function tcp(ip: Ip, o: TcpOpts, payload: Bytes, mode: Mode = 'good'): Uint8Array {
  const opts = o.options ?? [];
  const hl = 20 + opts.length;
  const seg = cat(
    u16(o.sport ?? 40000), u16(o.dport ?? 80), u32(o.seq ?? 1000), u32(o.ack ?? 0),
    [(hl / 4) << 4, o.flags ?? 0x18], u16(o.win ?? 512), [0, 0], [0, 0], opts, payload,
  );
  return fill(seg, 16, mode, pseudo(ip, 6, seg.length));
}

export function icmp(type: number, code: number, rest: Bytes, mode: Mode = 'good'): Uint8Array {
  return fill(cat([type, code, 0, 0], rest), 2, mode, 0);
}

export function icmpv6(ip: Ip, type: number, code: number, rest: Bytes, mode: Mode = 'good'): Uint8Array {
  const m = cat([type, code, 0, 0], rest);
  return fill(m, 2, mode, pseudo(ip, 58, m.length));
}

export interface GreOpts {
  proto: number;
  key?: number;
  seq?: number;
  /** Present when set: the checksum mode of an RFC 2784 checksum field. */
  csum?: Mode;
  ver?: number;
}

export function gre(o: GreOpts, payload: Bytes): Uint8Array {
  const flags = (o.csum !== undefined ? 0x8000 : 0) | (o.key !== undefined ? 0x2000 : 0) | (o.seq !== undefined ? 0x1000 : 0) | (o.ver ?? 0);
  const h = cat(
    u16(flags), u16(o.proto), o.csum !== undefined ? [0, 0, 0, 0] : [],
    o.key !== undefined ? u32(o.key) : [], o.seq !== undefined ? u32(o.seq) : [],
  );
  const all = cat(h, payload);
  return o.csum !== undefined ? fill(all, 4, o.csum, 0) : all;
}

export function nvgre(vsid: number, flowId: number, inner: Bytes): Uint8Array {
  return gre({ proto: 0x6558, key: ((vsid << 8) | flowId) >>> 0 }, inner);
}

export function vxlan(vni: number, inner: Bytes, flags = 0x08): Uint8Array {
  return cat([flags, 0, 0, 0], u32((vni << 8) >>> 0), inner);
}

export interface GeneveOpts {
  vni: number;
  proto?: number;
  options?: number[];
  oam?: boolean;
  critical?: boolean;
  ver?: number;
}

export function geneve(o: GeneveOpts, inner: Bytes): Uint8Array {
  const opts = o.options ?? [];
  return cat(
    [((o.ver ?? 0) << 6) | (opts.length / 4), (o.oam ? 0x80 : 0) | (o.critical ? 0x40 : 0)], u16(o.proto ?? 0x6558),
    u32((o.vni << 8) >>> 0), opts, inner,
  );
}

/** A small inner TCP/IPv4 packet in Ethernet, the usual tenant payload of the overlay tests. */
export function innerFrame(ip: Ip = IP4B, mode: Mode = 'good', payload: Bytes = [1, 2, 3, 4, 5, 6, 7, 8, 9]): Uint8Array {
  return eth(0x0800, ipv4(ip, { proto: 6 }, tcp(ip, { sport: 1234, dport: 80 }, payload, mode)), MAC2, MAC1);
}

export interface RunOpts {
  linktype?: number;
  caplen?: number;
  origlen?: number;
  /** Where the frame sits in a larger buffer (exercises unaligned word sums and frame-relative offsets). */
  at?: number;
}

// One large scratch buffer, like a capture reader's chunk: large enough that checksums take the word path.
const SCRATCH = new Uint8Array(1 << 17);

function place(frame: Uint8Array, at: number): Uint8Array {
  if (at + frame.length + 64 > SCRATCH.length) throw new RangeError('frame too large for the test scratch buffer');
  // Only the captured bytes are placed; junk follows, so a read beyond caplen would show up as a wrong verdict.
  SCRATCH.fill(0xee, 0, at + frame.length + 64);
  SCRATCH.set(frame, at);
  return SCRATCH;
}

export function run(frame: Uint8Array, o: RunOpts = {}): Summary {
  const at = o.at ?? 3;
  const s = newSummary();
  const caplen = o.caplen ?? frame.length;
  dissect(place(frame.subarray(0, caplen), at), at, caplen, o.origlen ?? frame.length, o.linktype ?? 1, s);
  return s;
}

export function tree(frame: Uint8Array, o: RunOpts = {}): TreeNode[] {
  const at = o.at ?? 3;
  const caplen = o.caplen ?? frame.length;
  return detail(place(frame.subarray(0, caplen), at), at, caplen, o.origlen ?? frame.length, o.linktype ?? 1);
}

/** Verdict name of a check ('ipv4', 'inner.udp', ...) or '' when absent. */
export function v(s: Summary, check: string): string {
  return VERDICT_NAMES[s.checks[CHECK_NAMES.indexOf(check)]];
}

export function findAll(nodes: TreeNode[], field: string): TreeNode[] {
  const out: TreeNode[] = [];
  const walk = (ns: TreeNode[]) => {
    for (const n of ns) {
      if (n.field === field) out.push(n);
      if (n.children) walk(n.children);
    }
  };
  walk(nodes);
  return out;
}

export function find(nodes: TreeNode[], field: string): TreeNode | undefined {
  return findAll(nodes, field)[0];
}

export function hasNote(s: Summary, bit: number): boolean {
  return (s.notes & bit) !== 0;
}
