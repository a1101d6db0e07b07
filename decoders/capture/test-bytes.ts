// Byte builders and a collecting reader for the capture tests: every test capture is assembled
// here field by field, so each case states exactly which bytes it feeds the reader.

import { concatBytes } from '../bytes.ts';
import { MemorySource } from './memory-source.ts';
import { readCapture } from './sniff.ts';
import type { ByteSource, CaptureResult, FrameRecord, ReadOptions } from './types.ts';

export const CHUNK_SIZES = [1, 7, 64, 4096] as const;

export function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

/** Little helper writing integers in one byte order. */
export class Writer {
  private readonly parts: number[] = [];
  constructor(private readonly le: boolean) {}
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.le ? this.u8(v).u8(v >>> 8) : this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    for (const x of this.le ? b : b.reverse()) this.u8(x);
    return this;
  }
  u64(v: bigint): this {
    const hi = Number((v >> 32n) & 0xffffffffn);
    const lo = Number(v & 0xffffffffn);
    return this.le ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo);
  }
  bytes(b: Uint8Array | number[]): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  pad4(): this {
    while (this.parts.length % 4 !== 0) this.parts.push(0);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export function payload(n: number, seed = 1): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 17) & 0xff;
  return b;
}

// ---- classic pcap ----

export interface PcapHeaderOpts {
  le?: boolean;
  nsec?: boolean;
  snaplen?: number;
  network?: number;
  major?: number;
  minor?: number;
}

export function pcapHeader(o: PcapHeaderOpts = {}): Uint8Array {
  const le = o.le ?? true;
  return new Writer(le)
    .u32(o.nsec ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(o.major ?? 2)
    .u16(o.minor ?? 4)
    .u32(0)
    .u32(0)
    .u32(o.snaplen ?? 65535)
    .u32(o.network ?? 1)
    .done();
}

export interface PcapRecordOpts {
  le?: boolean;
  sec: number;
  frac: number;
  data: Uint8Array;
  origlen?: number;
  /** Written into the header instead of data.length (for corrupt records). */
  caplen?: number;
}

export function pcapRecord(o: PcapRecordOpts): Uint8Array {
  return new Writer(o.le ?? true)
    .u32(o.sec)
    .u32(o.frac)
    .u32(o.caplen ?? o.data.length)
    .u32(o.origlen ?? o.data.length)
    .bytes(o.data)
    .done();
}

// ---- pcapng ----

export interface Option {
  code: number;
  value: Uint8Array;
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function options(w: Writer, opts: Option[] | undefined): void {
  if (opts === undefined || opts.length === 0) return;
  for (const o of opts) w.u16(o.code).u16(o.value.length).bytes(o.value).pad4();
  w.u16(0).u16(0);
}

/** A whole block: type, total length, body (padded), options, total length. */
export function block(le: boolean, type: number, body: (w: Writer) => void, opts?: Option[]): Uint8Array {
  const inner = new Writer(le);
  body(inner);
  inner.pad4();
  options(inner, opts);
  const bodyBytes = inner.done();
  const len = 12 + bodyBytes.length;
  return new Writer(le).u32(type).u32(len).bytes(bodyBytes).u32(len).done();
}

export function shb(le: boolean, opts?: Option[], version: [number, number] = [1, 0]): Uint8Array {
  return block(le, 0x0a0d0d0a, (w) => w.u32(0x1a2b3c4d).u16(version[0]).u16(version[1]).u64(0xffffffffffffffffn), opts);
}

export interface IdbOpts {
  linktype?: number;
  snaplen?: number;
  name?: string;
  description?: string;
  tsresol?: number;
  tsoffset?: bigint;
}

export function idb(le: boolean, o: IdbOpts = {}): Uint8Array {
  const opts: Option[] = [];
  if (o.name !== undefined) opts.push({ code: 2, value: utf8(o.name) });
  if (o.description !== undefined) opts.push({ code: 3, value: utf8(o.description) });
  if (o.tsresol !== undefined) opts.push({ code: 9, value: Uint8Array.of(o.tsresol) });
  if (o.tsoffset !== undefined) opts.push({ code: 14, value: new Writer(le).u64(BigInt.asUintN(64, o.tsoffset)).done() });
  return block(le, 1, (w) => w.u16(o.linktype ?? 1).u16(0).u32(o.snaplen ?? 0), opts);
}

export interface EpbOpts {
  ifId?: number;
  ts: bigint;
  data: Uint8Array;
  origlen?: number;
  flags?: number;
  comments?: string[];
  /** epb_hash values (algorithm octet first), epb_dropcount, epb_packetid, epb_queue, epb_verdict values (type octet first). */
  hashes?: Uint8Array[];
  dropCount?: bigint;
  packetId?: bigint;
  queue?: number;
  verdicts?: Uint8Array[];
  /** Options written after the others, as given (wrong lengths, unknown codes). */
  raw?: Option[];
  /** Written instead of data.length (for corrupt blocks). */
  caplen?: number;
}

function packetOptions(le: boolean, o: EpbOpts): Option[] {
  const opts: Option[] = [];
  for (const c of o.comments ?? []) opts.push({ code: 1, value: utf8(c) });
  if (o.flags !== undefined) opts.push({ code: 2, value: new Writer(le).u32(o.flags).done() });
  for (const h of o.hashes ?? []) opts.push({ code: 3, value: h });
  if (o.dropCount !== undefined) opts.push({ code: 4, value: new Writer(le).u64(o.dropCount).done() });
  if (o.packetId !== undefined) opts.push({ code: 5, value: new Writer(le).u64(o.packetId).done() });
  if (o.queue !== undefined) opts.push({ code: 6, value: new Writer(le).u32(o.queue).done() });
  for (const v of o.verdicts ?? []) opts.push({ code: 7, value: v });
  opts.push(...(o.raw ?? []));
  return opts;
}

export function epb(le: boolean, o: EpbOpts): Uint8Array {
  return block(le, 6, (w) =>
    w.u32(o.ifId ?? 0)
      .u32(Number(o.ts >> 32n))
      .u32(Number(o.ts & 0xffffffffn))
      .u32(o.caplen ?? o.data.length)
      .u32(o.origlen ?? o.data.length)
      .bytes(o.data), packetOptions(le, o));
}

/** The obsolete Packet Block (type 2): 16-bit interface id and 16-bit drop count. */
export function pb(le: boolean, o: EpbOpts & { drops?: number }): Uint8Array {
  return block(le, 2, (w) =>
    w.u16(o.ifId ?? 0)
      .u16(o.drops ?? 0)
      .u32(Number(o.ts >> 32n))
      .u32(Number(o.ts & 0xffffffffn))
      .u32(o.caplen ?? o.data.length)
      .u32(o.origlen ?? o.data.length)
      .bytes(o.data), packetOptions(le, o));
}

export function spb(le: boolean, origlen: number, data: Uint8Array): Uint8Array {
  return block(le, 3, (w) => w.u32(origlen).bytes(data));
}

// ---- reading ----

/** A copy of what the reader handed out for one frame. */
export interface Frame extends Omit<FrameRecord, 'buf' | 'interfaces'> {
  data: Uint8Array;
}

export interface Collected {
  result: CaptureResult;
  frames: Frame[];
  progress: number[];
}

export async function collectFrom(src: ByteSource, extra: Partial<ReadOptions> = {}): Promise<Collected> {
  const frames: Frame[] = [];
  const progress: number[] = [];
  const result = await readCapture(src, {
    ...extra,
    onFrame: (rec) => {
      const { buf, epb, interfaces: _, ...rest } = rec;
      // The reader reuses the record and its options object: keep copies.
      frames.push({ ...rest, epb: { ...epb }, data: buf.slice(rec.dataOffset, rec.dataOffset + rec.caplen) });
      return extra.onFrame?.(rec);
    },
    onProgress: (bytes, n) => {
      progress.push(bytes);
      extra.onProgress?.(bytes, n);
    },
  });
  return { result, frames, progress };
}

export function collect(bytes: Uint8Array, chunkSize = 4096, extra: Partial<ReadOptions> = {}): Promise<Collected> {
  return collectFrom(new MemorySource(bytes, chunkSize), extra);
}

/** Reads with every test chunk size and checks that all of them agree; returns the first. */
export async function collectAll(bytes: Uint8Array): Promise<Collected> {
  const runs: Collected[] = [];
  for (const cs of CHUNK_SIZES) runs.push(await collect(bytes, cs));
  const strip = (c: Collected): unknown => ({
    result: c.result,
    frames: c.frames.map((f) => ({ ...f, dataOffset: 0, data: Array.from(f.data) })),
  });
  const first = strip(runs[0]);
  for (let i = 1; i < runs.length; i++) {
    const other = strip(runs[i]);
    if (JSON.stringify(other) !== JSON.stringify(first)) {
      throw new Error(`chunk size ${CHUNK_SIZES[i]} gives a different result than chunk size ${CHUNK_SIZES[0]}`);
    }
  }
  return runs[0];
}

export interface IsbOpts {
  ifId?: number;
  ts: bigint;
  start?: bigint;
  end?: bigint;
  ifrecv?: bigint;
  ifdrop?: bigint;
  filteraccept?: bigint;
  osdrop?: bigint;
  usrdeliv?: bigint;
  comments?: string[];
}

/** An Interface Statistics Block (type 5); timestamps as two 32-bit words, high first. */
export function isb(le: boolean, o: IsbOpts): Uint8Array {
  const ts = (t: bigint): Uint8Array => new Writer(le).u32(Number(t >> 32n)).u32(Number(t & 0xffffffffn)).done();
  const u64 = (v: bigint): Uint8Array => new Writer(le).u64(v).done();
  const opts: Option[] = [];
  for (const c of o.comments ?? []) opts.push({ code: 1, value: utf8(c) });
  if (o.start !== undefined) opts.push({ code: 2, value: ts(o.start) });
  if (o.end !== undefined) opts.push({ code: 3, value: ts(o.end) });
  const counters: Array<[number, bigint | undefined]> = [[4, o.ifrecv], [5, o.ifdrop], [6, o.filteraccept], [7, o.osdrop], [8, o.usrdeliv]];
  for (const [code, v] of counters) if (v !== undefined) opts.push({ code, value: u64(v) });
  return block(le, 5, (w) => w.u32(o.ifId ?? 0).u32(Number(o.ts >> 32n)).u32(Number(o.ts & 0xffffffffn)), opts);
}
