// Cutting a capture into chunks that several workers decode at once. The plan holds only target
// offsets: whoever decodes chunk k finds its first record by resynchronising from target k (the first
// position where a chain of plausible records (pcap) or blocks (pcapng) follows) and stops at the first
// record at or past target k+1. So planning reads nothing but the file head, and a wrong guess is
// caught when the parts are merged (the previous chunk must stop exactly where the next began) and
// that chunk is redone serially. Anything that cannot be planned safely (gzip, unknown format,
// multi-section pcapng found up front, a small file) returns null: one reader does it all.

import { MAX_RECORD, u16, u32 } from '../capture/stream.ts';
import { PCAP_MAX_CAPLEN, pcapMagic } from '../capture/pcap.ts';
import { sniffFormat } from '../capture/sniff.ts';
import type { ByteSource, CaptureFormat } from '../capture/types.ts';

export interface ChunkPlan {
  format: CaptureFormat;
  /** Bytes [0, first): file header (pcap) or the blocks before the first packet (pcapng). Primes every chunk's reader. */
  preamble: Uint8Array;
  /** Interfaces defined by the preamble (pcapng); a chunk that defines more falls back to one reader. */
  interfaces: number;
  /**
   * Chunk targets, ascending; starts[0] is the first packet record. Chunk k starts at the record found
   * by resynchronising from starts[k] (or exactly there when `exact`) and ends at the first record at or
   * past starts[k+1].
   */
  starts: number[];
  /** starts[k] is taken as it is, without resynchronising (starts[0] always; tests force others). */
  exact: boolean;
  /** What a resync needs to know about the file (plain data: it travels to the workers). */
  hint: ResyncHint;
  size: number;
}

export interface ResyncHint {
  le: boolean;
  interfaces: number;
  /** pcap: largest plausible caplen; fraction limit; whether caplen/origlen may be swapped. */
  maxCap: number;
  fracLimit: number;
  swapped: boolean;
}

export interface PlanOptions {
  /** Smallest chunk worth cutting (default 16 MiB); files under two of them are read by one reader. */
  minChunk?: number;
  /**
   * Largest chunk (default 32 MiB). Many chunks per decoder balance the load (whoever is free takes the
   * next one) and keep the parts waiting to be merged small; each costs a few milliseconds to set up.
   */
  maxChunk?: number;
  /** Tests: cut near these offsets instead of evenly. */
  cuts?: number[];
  /** Tests: chunk starts taken as they are, without resync, to exercise the seam check. */
  starts?: number[];
}

const HEAD = 1 << 20;
/** A resync scans this far past its target for a boundary. */
const SCAN = 1 << 20;
/** A resync first reads this much (records of a few KiB chain many times over in it), then SCAN + 4 MiB. */
const FIRST_READ = 256 << 10;
/** Records/blocks that must chain from a candidate boundary (fewer when the file ends first). */
const CHAIN = 8;

const PACKET_BLOCKS = new Set([2, 3, 6]);
/** Blocks a chunk may start at: packets and the harmless ones (NRB, ISB, DSB, custom). Never SHB/IDB. */
const RESYNC_BLOCKS = new Set([2, 3, 4, 5, 6, 10, 0xbad, 0x40000bad]);

export async function planChunks(src: ByteSource, jobs: number, opts: PlanOptions = {}): Promise<ChunkPlan | null> {
  const size = src.size;
  const minChunk = opts.minChunk ?? 16 * 2 ** 20;
  const maxChunk = Math.max(minChunk, opts.maxChunk ?? 32 * 2 ** 20);
  if (!(jobs >= 2) || size < 0) return null;
  if (opts.cuts === undefined && opts.starts === undefined && size < 2 * minChunk) return null;
  const head = await src.read(0, Math.min(size, HEAD));
  const format = sniffFormat(head.subarray(0, 4));
  if (format !== 'pcap' && format !== 'pcapng') return null;
  const pre = format === 'pcap' ? pcapPreamble(head) : pcapngPreamble(head);
  if (pre === null) return null;
  const { first, hint } = pre;
  const base = { format, preamble: head.slice(0, first), interfaces: hint.interfaces, hint, size } as const;
  if (opts.starts !== undefined) {
    const forced = [first, ...opts.starts.filter((x) => x > first && x < size).sort((a, b) => a - b)];
    return { ...base, starts: [...new Set(forced)], exact: true };
  }
  // About four chunks per decoder, each between minChunk and maxChunk.
  const span = size - first;
  const chunk = Math.min(maxChunk, Math.max(minChunk, Math.ceil(span / (jobs * 4))));
  const targets = opts.cuts ?? evenCuts(first, size, Math.max(2, Math.round(span / chunk)));
  const starts = [first];
  for (const t of [...targets].sort((a, b) => a - b)) {
    if (t > starts[starts.length - 1] && t < size) starts.push(Math.floor(t));
  }
  if (starts.length < 2) return null;
  return { ...base, starts, exact: false };
}

function evenCuts(first: number, size: number, n: number): number[] {
  const out: number[] = [];
  for (let k = 1; k < n; k++) out.push(first + Math.floor(((size - first) * k) / n));
  return out;
}

interface Preamble {
  first: number;
  hint: ResyncHint;
}

function pcapPreamble(b: Uint8Array): Preamble | null {
  if (b.length < 24) return null;
  const m = pcapMagic(b);
  if (m === null || u16(b, 4, m.le) !== 2) return null;
  const minor = u16(b, 6, m.le);
  const snaplen = u32(b, 16, m.le);
  return {
    first: 24,
    hint: {
      interfaces: 1, le: m.le,
      maxCap: Math.min(MAX_RECORD, Math.max(PCAP_MAX_CAPLEN, snaplen)),
      fracLimit: m.nsec ? 1e9 : 1e6,
      swapped: minor <= 3,
    },
  };
}

/** The blocks before the first packet block; null when it is not within the head or the file is odd. */
function pcapngPreamble(b: Uint8Array): Preamble | null {
  let p = 0;
  let le = true;
  let interfaces = 0;
  let sections = 0;
  while (p + 12 <= b.length) {
    if (u32(b, p, true) === 0x0a0d0d0a) {
      sections++;
      if (sections > 1) return null;
      const bom = u32(b, p + 8, true);
      if (bom === 0x1a2b3c4d) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else return null;
    }
    const type = u32(b, p, le);
    const len = u32(b, p + 4, le);
    if (len < 12 || len % 4 !== 0 || len > MAX_RECORD || p + len > b.length) return null;
    if (u32(b, p + len - 4, le) !== len) return null;
    if (PACKET_BLOCKS.has(type)) return { first: p, hint: { interfaces, le, maxCap: 0, fracLimit: 0, swapped: false } };
    if (type === 1) interfaces++;
    p += len;
  }
  return null;
}

/** First offset at or after t where a chain of plausible records starts, or null. */
export async function resync(src: ByteSource, t: number, format: CaptureFormat, hint: ResyncHint): Promise<number | null> {
  const small = await src.read(t, FIRST_READ);
  const smallEof = t + small.length >= src.size;
  // Candidates only in the first 3/4, so that a chain has room to prove itself.
  const found = scan(small, t, format, hint, smallEof, smallEof ? small.length : (small.length * 3) >> 2);
  if (found !== null || smallEof) return found;
  const buf = await src.read(t, SCAN + 4 * (1 << 20));
  return scan(buf, t, format, hint, t + buf.length >= src.size, Math.min(SCAN, buf.length));
}

function scan(buf: Uint8Array, t: number, format: CaptureFormat, hint: ResyncHint, atEof: boolean, limit: number): number | null {
  if (format === 'pcap') {
    for (let p = 0; p < limit; p++) if (pcapChain(buf, p, hint, atEof)) return t + p;
  } else {
    for (let p = (4 - (t % 4)) % 4; p < limit; p += 4) if (pcapngChain(buf, p, hint, atEof)) return t + p;
  }
  return null;
}

function pcapChain(b: Uint8Array, p: number, pre: ResyncHint, atEof: boolean): boolean {
  const le = pre.le;
  let count = 0;
  let prevSec = -1;
  while (count < CHAIN) {
    if (p === b.length && atEof) return count > 0;
    if (p + 16 > b.length) return count >= 3;
    let caplen = u32(b, p + 8, le);
    let origlen = u32(b, p + 12, le);
    if (pre.swapped && caplen > origlen) { const x = caplen; caplen = origlen; origlen = x; }
    if (caplen > pre.maxCap || caplen > origlen || origlen > MAX_RECORD) return false;
    if (u32(b, p + 4, le) >= pre.fracLimit) return false;
    const sec = u32(b, p, le);
    // Consecutive records of one capture are close in time: a day apart at most.
    if (prevSec >= 0 && Math.abs(sec - prevSec) > 86400) return false;
    prevSec = sec;
    p += 16 + caplen;
    count++;
  }
  return true;
}

function pcapngChain(b: Uint8Array, p: number, pre: ResyncHint, atEof: boolean): boolean {
  const le = pre.le;
  let count = 0;
  while (count < CHAIN) {
    if (p === b.length && atEof) return count > 0;
    if (p + 12 > b.length) return count >= 2;
    const type = u32(b, p, le);
    const len = u32(b, p + 4, le);
    if (!RESYNC_BLOCKS.has(type) || len < 12 || len % 4 !== 0 || len > MAX_RECORD) return false;
    if (p + len > b.length) return count >= 2;
    if (u32(b, p + len - 4, le) !== len) return false;
    if (type === 6) {
      if (len < 32 || u32(b, p + 8, le) >= pre.interfaces || u32(b, p + 20, le) > len - 32) return false;
    }
    p += len;
    count++;
  }
  return true;
}
