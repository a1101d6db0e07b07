// pcapng writer (draft-ietf-opsawg-pcapng): Section Header, Interface Description, Enhanced Packet,
// Simple Packet and raw blocks. Pure TypeScript: no Node or DOM APIs.
//
// Streaming: blocks are assembled into large chunks (1 MiB by default) and handed to a sink. A chunk
// belongs to the sink once handed over; the writer never touches it again, so the sink may keep it
// (collect into an array, post it to another thread) or write it out and drop it.
//
// Every block is padded to 32 bits, ends with its trailing total length, and every option list ends
// with opt_endofopt. Timestamps are given as whole seconds + nanoseconds and written exactly (no
// floating point, no BigInt on the hot path) in the interface's resolution.

import { concatBytes } from '../bytes.ts';

// Block types.
export const BT_SHB = 0x0a0d0d0a;
export const BT_IDB = 0x00000001;
export const BT_SPB = 0x00000003;
export const BT_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

// Option codes.
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_HARDWARE = 2;
const SHB_OS = 3;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;
const EPB_FLAGS = 2;
const EPB_HASH = 3;
const EPB_DROPCOUNT = 4;
const EPB_PACKETID = 5;
const EPB_QUEUE = 6;
const EPB_VERDICT = 7;

/** EPB flags: direction in bits 0-1. */
export const EPB_INBOUND = 1;
export const EPB_OUTBOUND = 2;

export interface SectionOptions {
  /** Byte order of the section. Default true (little-endian). */
  littleEndian?: boolean;
  hardware?: string;
  os?: string;
  userAppl?: string;
  comment?: string | readonly string[];
}

export interface InterfaceOptions {
  /** LINKTYPE_* (1 = Ethernet). */
  linktype: number;
  /** Default 262144. 0 means "no limit" in pcapng. */
  snaplen?: number;
  name?: string;
  description?: string;
  /**
   * Timestamp resolution as a power of ten: 9 = nanoseconds (default here), 6 = microseconds
   * (the pcapng default when the option is absent). 0..9. With 6 the option is still written.
   */
  tsResolDigits?: number;
  /** if_tsoffset in seconds: written as an option; timestamps given to writePacket are absolute. */
  tsOffsetSec?: number;
  comment?: string | readonly string[];
}

export interface PacketOptions {
  /** epb_flags word (direction etc.). Written only when given. */
  flags?: number;
  comment?: string | readonly string[];
  /** epb_hash values (algorithm octet first), each written as given. */
  hashes?: readonly Uint8Array[];
  /** epb_dropcount and epb_packetid (64-bit), epb_queue (32-bit). */
  dropCount?: bigint;
  packetId?: bigint;
  queue?: number;
  /** epb_verdict values (type octet first), each written as given. */
  verdicts?: readonly Uint8Array[];
}

export interface WriterOptions extends SectionOptions {
  /** Size of the chunks handed to the sink. Default 1 MiB; blocks larger than this get their own chunk. */
  chunkSize?: number;
}

interface IfaceState {
  snaplen: number;
  /** Units per second (10^digits) and the divisor from nanoseconds (10^(9-digits)). */
  units: number;
  nsDiv: number;
  offsetSec: number;
}

const encoder = new TextEncoder();
const MAX_TS_SEC = 0xffffffff * 4; // generous, keeps every intermediate product below 2^53

function commentList(c: string | readonly string[] | undefined): readonly string[] {
  if (c === undefined) return [];
  return typeof c === 'string' ? [c] : c;
}

/** An option list being built: (code, value bytes) pairs. */
class OptionList {
  readonly items: { code: number; value: Uint8Array }[] = [];
  add(code: number, value: Uint8Array): this {
    if (value.length > 0xffff) throw new RangeError(`pcapng option ${code} too long (${value.length} bytes)`);
    this.items.push({ code, value });
    return this;
  }
  str(code: number, s: string | undefined): this {
    return s === undefined ? this : this.add(code, encoder.encode(s));
  }
  comments(c: string | readonly string[] | undefined): this {
    for (const s of commentList(c)) this.str(OPT_COMMENT, s);
    return this;
  }
  /** Encoded size including opt_endofopt, or 0 when there are no options. */
  get size(): number {
    if (this.items.length === 0) return 0;
    let n = 4;
    for (const it of this.items) n += 4 + pad4(it.value.length);
    return n;
  }
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

export class PcapngWriter {
  private readonly sink: (chunk: Uint8Array) => void;
  private readonly chunkSize: number;
  private buf: Uint8Array;
  private dv: DataView;
  private pos = 0;
  private le = true;
  private ifaces: IfaceState[] = [];
  private sectionCount = 0;
  private closed = false;
  private _bytes = 0;
  private _packets = 0;
  // Cache of the last timestamp-seconds conversion (most consecutive packets share the second).
  private lastSec = NaN;
  private lastIface = -1;
  private lastHi = 0;
  private lastLo = 0;

  /** Starts the first section right away (the SHB is the first block of every pcapng file). */
  constructor(sink: (chunk: Uint8Array) => void, options: WriterOptions = {}) {
    this.sink = sink;
    this.chunkSize = Math.max(4096, options.chunkSize ?? 1 << 20);
    this.buf = new Uint8Array(this.chunkSize);
    this.dv = new DataView(this.buf.buffer);
    this.startSection(options);
  }

  /** Bytes emitted so far, including what is still buffered. */
  get bytesWritten(): number {
    return this._bytes + this.pos;
  }
  /** Packets (EPB + SPB) written so far. */
  get packets(): number {
    return this._packets;
  }
  /** Interfaces in the current section. */
  get interfaceCount(): number {
    return this.ifaces.length;
  }

  /** Begins a new section (SHB). Interface ids restart at 0. */
  startSection(options: SectionOptions = {}): void {
    this.checkOpen();
    this.le = options.littleEndian ?? true;
    this.ifaces = [];
    this.lastIface = -1;
    const opts = new OptionList()
      .str(SHB_HARDWARE, options.hardware)
      .str(SHB_OS, options.os)
      .str(SHB_USERAPPL, options.userAppl)
      .comments(options.comment);
    const total = 12 + 16 + opts.size;
    const p = this.begin(BT_SHB, total);
    this.u32(p + 8, BYTE_ORDER_MAGIC);
    this.u16(p + 12, 1); // major
    this.u16(p + 14, 0); // minor
    this.u32(p + 16, 0xffffffff); // section length -1: not specified
    this.u32(p + 20, 0xffffffff);
    this.writeOptions(p + 24, opts);
    this.end(p, total);
    this.sectionCount++;
  }

  /** Adds an Interface Description Block; returns the interface id to pass to writePacket. */
  addInterface(options: InterfaceOptions): number {
    this.checkOpen();
    const digits = options.tsResolDigits ?? 9;
    if (!Number.isInteger(digits) || digits < 0 || digits > 9) {
      throw new RangeError(`tsResolDigits must be 0..9, got ${digits}`);
    }
    const snaplen = options.snaplen ?? 262144;
    const offsetSec = options.tsOffsetSec ?? 0;
    if (!Number.isSafeInteger(offsetSec)) throw new RangeError('tsOffsetSec must be an integer');
    const opts = new OptionList().str(IF_NAME, options.name).str(IF_DESCRIPTION, options.description);
    opts.add(IF_TSRESOL, Uint8Array.of(digits));
    if (offsetSec !== 0) {
      const v = new Uint8Array(8);
      const vdv = new DataView(v.buffer);
      vdv.setBigInt64(0, BigInt(offsetSec), this.le);
      opts.add(IF_TSOFFSET, v);
    }
    opts.comments(options.comment);
    const total = 12 + 8 + opts.size;
    const p = this.begin(BT_IDB, total);
    this.u16(p + 8, options.linktype & 0xffff);
    this.u16(p + 10, 0);
    this.u32(p + 12, snaplen >>> 0);
    this.writeOptions(p + 16, opts);
    this.end(p, total);
    const units = 10 ** digits;
    this.ifaces.push({ snaplen, units, nsDiv: 10 ** (9 - digits), offsetSec });
    return this.ifaces.length - 1;
  }

  /**
   * Writes an Enhanced Packet Block with data[dataOff, dataOff + caplen).
   * tsSec: whole seconds since 1970 (UTC); tsNsec: 0..999999999.
   * origlen defaults to caplen.
   */
  writePacket(
    iface: number,
    tsSec: number,
    tsNsec: number,
    data: Uint8Array,
    dataOff = 0,
    caplen = data.length - dataOff,
    origlen = caplen,
    opts?: PacketOptions,
  ): void {
    this.checkOpen();
    const st = this.ifaces[iface];
    if (st === undefined) throw new RangeError(`unknown interface id ${iface}`);
    if (caplen < 0 || dataOff < 0 || dataOff + caplen > data.length) {
      throw new RangeError(`packet data out of range: off ${dataOff} caplen ${caplen} of ${data.length}`);
    }
    if (origlen < caplen) throw new RangeError(`origlen ${origlen} < caplen ${caplen}`);
    if (!(tsNsec >= 0 && tsNsec <= 999999999 && Number.isInteger(tsNsec))) {
      throw new RangeError(`tsNsec must be an integer 0..999999999, got ${tsNsec}`);
    }
    const options = opts === undefined ? null : this.packetOptions(opts);
    const padded = (caplen + 3) & ~3;
    const total = 32 + padded + (options === null ? 0 : options.size);
    const p = this.begin(BT_EPB, total);
    const le = this.le;
    const dv = this.dv;
    dv.setUint32(p + 8, iface, le);
    // Timestamp in interface units, split into two 32-bit halves.
    if (tsSec !== this.lastSec || iface !== this.lastIface) this.secondsToUnits(iface, st, tsSec);
    const frac = st.nsDiv === 1 ? tsNsec : Math.floor(tsNsec / st.nsDiv);
    let lo = this.lastLo + frac;
    let hi = this.lastHi;
    if (lo >= 0x100000000) {
      lo -= 0x100000000;
      hi++;
    }
    dv.setUint32(p + 12, hi, le);
    dv.setUint32(p + 16, lo, le);
    dv.setUint32(p + 20, caplen, le);
    dv.setUint32(p + 24, origlen, le);
    const buf = this.buf;
    const d = p + 28;
    if (caplen <= 64) {
      for (let i = 0; i < caplen; i++) buf[d + i] = data[dataOff + i];
    } else {
      buf.set(data.subarray(dataOff, dataOff + caplen), d);
    }
    for (let i = caplen; i < padded; i++) buf[d + i] = 0;
    if (options !== null) this.writeOptions(d + padded, options);
    this.end(p, total);
    this._packets++;
  }

  /** The option list of a packet, or null when it has none. */
  private packetOptions(opts: PacketOptions): OptionList | null {
    const o = new OptionList();
    o.comments(opts.comment);
    const word = (bytes: number, write: (dv: DataView) => void): Uint8Array => {
      const v = new Uint8Array(bytes);
      write(new DataView(v.buffer));
      return v;
    };
    if (opts.flags !== undefined) o.add(EPB_FLAGS, word(4, (dv) => dv.setUint32(0, (opts.flags as number) >>> 0, this.le)));
    for (const h of opts.hashes ?? []) o.add(EPB_HASH, h);
    if (opts.dropCount !== undefined) o.add(EPB_DROPCOUNT, word(8, (dv) => dv.setBigUint64(0, BigInt.asUintN(64, opts.dropCount as bigint), this.le)));
    if (opts.packetId !== undefined) o.add(EPB_PACKETID, word(8, (dv) => dv.setBigUint64(0, BigInt.asUintN(64, opts.packetId as bigint), this.le)));
    if (opts.queue !== undefined) o.add(EPB_QUEUE, word(4, (dv) => dv.setUint32(0, (opts.queue as number) >>> 0, this.le)));
    for (const v of opts.verdicts ?? []) o.add(EPB_VERDICT, v);
    return o.items.length > 0 ? o : null;
  }

  /**
   * Writes a Simple Packet Block (no timestamp, no interface id: it belongs to interface 0).
   * The captured length is min(origlen, snaplen of interface 0), as the format defines it.
   */
  writeSimplePacket(data: Uint8Array, dataOff = 0, origlen = data.length - dataOff): void {
    this.checkOpen();
    const st = this.ifaces[0];
    if (st === undefined) throw new RangeError('a Simple Packet Block needs interface 0');
    const caplen = st.snaplen === 0 ? origlen : Math.min(origlen, st.snaplen);
    if (dataOff < 0 || dataOff + caplen > data.length) throw new RangeError('packet data out of range');
    const padded = (caplen + 3) & ~3;
    const total = 16 + padded;
    const p = this.begin(BT_SPB, total);
    this.u32(p + 8, origlen);
    this.buf.set(data.subarray(dataOff, dataOff + caplen), p + 12);
    this.buf.fill(0, p + 12 + caplen, p + 12 + padded);
    this.end(p, total);
    this._packets++;
  }

  /** Writes any block: type, body (padded with zeros to 32 bits), block lengths around it. */
  writeRawBlock(type: number, body: Uint8Array): void {
    this.checkOpen();
    const padded = pad4(body.length);
    const total = 12 + padded;
    const p = this.begin(type, total);
    this.buf.set(body, p + 8);
    this.buf.fill(0, p + 8 + body.length, p + 8 + padded);
    this.end(p, total);
  }

  /** Hands whatever is buffered to the sink (if anything). */
  flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this._bytes += this.pos;
    this.buf = new Uint8Array(this.chunkSize);
    this.dv = new DataView(this.buf.buffer);
    this.pos = 0;
    this.sink(chunk);
  }

  /** Flushes and refuses further writes. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
  }

  // --- internals ---

  private checkOpen(): void {
    if (this.closed) throw new Error('PcapngWriter is closed');
  }

  /** Reserves `total` bytes for a block, writes type and leading length; returns its position. */
  private begin(type: number, total: number): number {
    if (total > 0xffffffff) throw new RangeError('pcapng block too large');
    if (this.pos + total > this.buf.length) {
      this.flush();
      if (total > this.buf.length) {
        this.buf = new Uint8Array(total);
        this.dv = new DataView(this.buf.buffer);
      }
    }
    const p = this.pos;
    this.dv.setUint32(p, type >>> 0, this.le);
    this.dv.setUint32(p + 4, total, this.le);
    return p;
  }

  private end(p: number, total: number): void {
    this.dv.setUint32(p + total - 4, total, this.le);
    this.pos = p + total;
    // A block that got its own oversize buffer goes out at once; the next one gets a normal chunk.
    if (this.buf.length > this.chunkSize) this.flush();
  }

  private u16(p: number, v: number): void {
    this.dv.setUint16(p, v, this.le);
  }
  private u32(p: number, v: number): void {
    this.dv.setUint32(p, v >>> 0, this.le);
  }

  private writeOptions(p: number, opts: OptionList): number {
    if (opts.items.length === 0) return p;
    for (const it of opts.items) {
      this.u16(p, it.code);
      this.u16(p + 2, it.value.length);
      this.buf.set(it.value, p + 4);
      const padded = pad4(it.value.length);
      this.buf.fill(0, p + 4 + it.value.length, p + 4 + padded);
      p += 4 + padded;
    }
    this.u16(p, OPT_ENDOFOPT);
    this.u16(p + 2, 0);
    return p + 4;
  }

  /** (tsSec - offset) * units as two 32-bit halves, exactly, into lastHi/lastLo. */
  private secondsToUnits(iface: number, st: IfaceState, tsSec: number): void {
    if (!Number.isInteger(tsSec)) throw new RangeError(`tsSec must be an integer, got ${tsSec}`);
    const s = tsSec - st.offsetSec;
    if (s < 0 || s > MAX_TS_SEC) throw new RangeError(`timestamp ${tsSec}s is outside what pcapng can store here`);
    // s = sHi * 2^16 + sLo;  s * U = sHi*U * 2^16 + sLo*U, with U <= 1e9 every product stays < 2^53.
    const U = st.units;
    const sLo = s % 65536;
    const sHi = (s - sLo) / 65536;
    const a = sHi * U; // < 2^18 * 1e9 < 2^48
    const aLo = a % 65536;
    const aHi = (a - aLo) / 65536; // contributes aHi * 2^32
    const low = aLo * 65536 + sLo * U; // < 2^32 + 2^46
    const lo = low % 0x100000000;
    this.lastLo = lo;
    this.lastHi = aHi + (low - lo) / 0x100000000;
    this.lastSec = tsSec;
    this.lastIface = iface;
  }
}

export interface PcapngPacket {
  /** Interface id (index into the interfaces array). Default 0. */
  iface?: number;
  tsSec: number;
  tsNsec: number;
  /** Captured bytes (all of them are written). */
  data: Uint8Array;
  /** Original length on the wire; default data.length. */
  origlen?: number;
  flags?: number;
  comment?: string | readonly string[];
  /** The other packet options (PacketOptions). */
  options?: Omit<PacketOptions, 'flags' | 'comment'>;
}

/** Convenience: a whole pcapng file in memory (one section). */
export function writePcapng(
  interfaces: readonly InterfaceOptions[],
  packets: Iterable<PcapngPacket>,
  options: SectionOptions = {},
): Uint8Array {
  const chunks: Uint8Array[] = [];
  const w = new PcapngWriter(
    (c) => {
      chunks.push(c);
    },
    { ...options, chunkSize: 1 << 20 },
  );
  for (const i of interfaces) w.addInterface(i);
  for (const p of packets) {
    const opts = p.flags !== undefined || p.comment !== undefined || p.options !== undefined ? { ...p.options, flags: p.flags, comment: p.comment } : undefined;
    w.writePacket(p.iface ?? 0, p.tsSec, p.tsNsec, p.data, 0, p.data.length, p.origlen ?? p.data.length, opts);
  }
  w.close();
  return concatBytes(chunks);
}
