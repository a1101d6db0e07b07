// Export: chosen frames of an analysed capture as a pcapng file (through PcapngWriter), and the tenant
// and flow tables as CSV (RFC 4180) and JSON. Pure TypeScript: no Node or DOM APIs. The worker turns
// the chunks into a Blob download, the CLI writes them to a file.
//
// pcapng output:
// - the sections of the input (those with interfaces) with the same interfaces in the same order, so
//   interface ids and engine.interfaces() of the output are those of the input, even for frames of a
//   subset; every section is written little-endian;
// - link type, snaplen, name, description and if_tsoffset are kept; the timestamp resolution is kept when it is a
//   power of ten (1 s .. 1 ns), otherwise (2^-n, finer than 1 ns) timestamps are written in ns, which
//   is what the reader resolved them to;
// - frames go out in file order (not in the order of a sorted view), each with its exact timestamp,
//   captured and original length, and packet block options (flags, comments, drop count, packet id, queue,
//   hashes, verdicts);
// - a frame without a timestamp (from a Simple Packet Block) is written as a Simple Packet Block when
//   its captured length is the one an SPB implies (it always is for SPBs we read); otherwise as an
//   EPB with time zero.
// Frame bytes are re-read from the source with engine.frameLocation(n). Frames that lie close
// together in the file are fetched with one read (at most `maxReadBytes`), not one read per frame.

import { concatBytes } from '../bytes.ts';
import { readBatch } from './read-batch.ts';
import type { InterfaceInfo } from '../capture/types.ts';
import { PcapngWriter } from '../capture/pcapng-writer.ts';
import type { InterfaceOptions, PacketOptions } from '../capture/pcapng-writer.ts';
import type { PacketExtras } from './frame-extras.ts';
import type { FrameIndex } from './frame-index.ts';
import type { FlowStats, TenantStats } from './types.ts';

/** Random access to frame bytes: a ByteSource, or the worker's decompressed copy of a gzip capture. */
export interface FrameBytesSource {
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface PcapngExportOptions {
  signal?: AbortSignal;
  /** Called after every batch of frames. */
  onProgress?: (framesDone: number, framesTotal: number) => void;
  /** Largest single read that covers several frames. Default 4 MiB. */
  maxReadBytes?: number;
  /** Neighbouring frames are read together when at most this many bytes lie between them. Default 64 KiB. */
  maxGapBytes?: number;
  /** Section header shb_userappl. Default `Tunnelscope`. */
  userAppl?: string;
  /** Section comment, e.g. what the export holds. */
  comment?: string;
  /** Size of the chunks handed to the sink. Default 1 MiB. */
  chunkSize?: number;
}

export interface PcapngExportResult {
  frames: number;
  /** Size of the pcapng file written. */
  bytes: number;
  /** Reads issued on the source (fewer than frames when frames are adjacent). */
  reads: number;
}

const MIB = 1024 * 1024;

/**
 * Writes frames (1-based frame numbers, any order, duplicates ignored) as pcapng, in file order.
 * `sink` receives the file in chunks and may be async (it is awaited: back-pressure for file writes).
 * Throws when the load has not ended (interfaces are known only then), for an unknown frame number,
 * when the source returns fewer bytes than a frame needs, or when cancelled through the signal.
 */
export async function exportPcapng(
  engine: FrameIndex,
  frames: ArrayLike<number>,
  source: FrameBytesSource,
  sink: (chunk: Uint8Array) => void | Promise<void>,
  opts: PcapngExportOptions = {},
): Promise<PcapngExportResult> {
  if (engine.result === null) throw new Error('the capture is still loading: export when the load has ended');
  const list = fileOrder(engine, frames);
  const maxRead = Math.max(1, opts.maxReadBytes ?? 4 * MIB);
  const maxGap = Math.max(0, opts.maxGapBytes ?? 64 * 1024);
  const ifaces = engine.interfaces();
  const pending: Uint8Array[] = [];
  const section = { userAppl: opts.userAppl ?? 'Tunnelscope', comment: opts.comment };
  const w = new PcapngWriter((c) => { pending.push(c); }, { ...section, chunkSize: opts.chunkSize });
  // Interfaces are written section by section, up to the section of the frame about to be written.
  let written = 0;
  const writeInterfacesUpTo = (last: number): void => {
    while (written <= last && written < ifaces.length) {
      if (written > 0 && ifaces[written].section !== ifaces[written - 1].section) w.startSection(section);
      w.addInterface(interfaceOptions(ifaces[written]));
      written++;
    }
  };
  const drain = async (): Promise<void> => {
    for (let k = 0; k < pending.length; k++) await sink(pending[k]);
    pending.length = 0;
  };
  const st = engine.store;
  let reads = 0;
  let k = 0;
  while (k < list.length) {
    if (opts.signal?.aborted) throw new Error('export cancelled');
    // A batch: consecutive frames in the file whose bytes fit one read.
    const { end: j, start, stop } = readBatch(st, list, k, 1, maxGap, maxRead);
    const buf = await source.read(start, stop - start);
    reads++;
    for (let q = k; q < j; q++) {
      const n = list[q];
      const i = n - 1;
      const at = st.offsetOf(i) - start;
      const caplen = st.caplen[i];
      if (at + caplen > buf.length) {
        throw new Error(`frame ${n}: only ${Math.max(0, buf.length - at)} of its ${caplen} bytes could be read at offset ${st.offsetOf(i)} (has the file changed?)`);
      }
      writeFrame(engine, w, ifaces, n, buf, at, writeInterfacesUpTo);
    }
    k = j;
    await drain();
    opts.onProgress?.(k, list.length);
  }
  writeInterfacesUpTo(ifaces.length - 1);
  w.close();
  await drain();
  return { frames: list.length, bytes: w.bytesWritten, reads };
}

/** The same, collected in memory (small exports: embedded share links, tests). */
export async function exportPcapngBytes(
  engine: FrameIndex,
  frames: ArrayLike<number>,
  source: FrameBytesSource,
  opts: PcapngExportOptions = {},
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await exportPcapng(engine, frames, source, (c) => { chunks.push(c); }, opts);
  return concatBytes(chunks);
}

function writeFrame(
  engine: FrameIndex, w: PcapngWriter, ifaces: readonly InterfaceInfo[], n: number, buf: Uint8Array, at: number,
  writeInterfacesUpTo: (global: number) => void,
): void {
  const st = engine.store;
  const i = n - 1;
  const global = engine.interfaceIndex(n);
  const info = ifaces[global];
  if (info === undefined) throw new Error(`frame ${n}: interface ${global} is unknown`);
  writeInterfacesUpTo(global);
  const iface = st.iface[i]; // id within its section, as in the input
  const caplen = st.caplen[i];
  const origlen = Math.max(st.origlen[i], caplen);
  const has = engine.extras.hasOf(i);
  const comment = engine.extras.comment(i);
  if (!st.hasTimeOf(i)) {
    const spbCaplen = info.snaplen === 0 ? origlen : Math.min(origlen, info.snaplen);
    if (iface === 0 && spbCaplen === caplen && has === 0 && comment === null) {
      w.writeSimplePacket(buf, at, origlen);
      return;
    }
  }
  const tsSec = st.hasTimeOf(i) ? st.secOf(i) : info.tsOffsetSec;
  const tsNsec = st.hasTimeOf(i) ? st.nsecOf(i) : 0;
  w.writePacket(iface, tsSec, tsNsec, buf, at, caplen, origlen, has !== 0 || comment !== null ? packetOptions(engine.packetExtras(n)) : undefined);
}

/** What the writer writes for a frame's options: each one the capture had, as it had it. */
function packetOptions(x: PacketExtras): PacketOptions {
  return {
    flags: x.hasFlags ? x.flags : undefined,
    comment: x.comment !== null ? x.comment.split('\n') : undefined,
    hashes: x.hashes,
    dropCount: x.dropCount ?? undefined,
    packetId: x.packetId ?? undefined,
    queue: x.queue ?? undefined,
    verdicts: x.verdicts,
  };
}

function interfaceOptions(info: InterfaceInfo): InterfaceOptions {
  return {
    linktype: info.linktype,
    snaplen: info.snaplen,
    name: info.name ?? undefined,
    description: info.description ?? undefined,
    tsResolDigits: resolutionDigits(info.tsUnitsPerSec),
    tsOffsetSec: info.tsOffsetSec,
  };
}

/** 10^d units per second -> d (0..9); anything else (binary resolutions, finer than ns) -> 9. */
export function resolutionDigits(unitsPerSec: number): number {
  for (let d = 0; d <= 9; d++) if (unitsPerSec === 10 ** d) return d;
  return 9;
}

/** Validated, deduplicated frame numbers in file order. */
function fileOrder(engine: FrameIndex, frames: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(frames.length);
  let sorted = true;
  for (let k = 0; k < frames.length; k++) {
    const n = frames[k];
    engine.checkFrame(n);
    out[k] = n;
    if (k > 0 && n <= out[k - 1]) sorted = false;
  }
  if (sorted) return out;
  out.sort();
  let m = 0;
  for (let k = 0; k < out.length; k++) if (k === 0 || out[k] !== out[k - 1]) out[m++] = out[k];
  return out.subarray(0, m);
}

/**
 * Random access over a stream that only goes forward (e.g. a gzip capture decompressed on the fly):
 * read() must be called with non-decreasing offsets, which is what exportPcapng does. Keeps only the
 * bytes from the last requested offset on.
 */
export class ForwardReader implements FrameBytesSource {
  private readonly it: AsyncIterator<Uint8Array>;
  private buf = new Uint8Array(0);
  /** Stream offset of buf[0], and how many bytes of buf hold data. */
  private bufStart = 0;
  private bufLen = 0;
  private done = false;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.it = chunks[Symbol.asyncIterator]();
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < this.bufStart) {
      throw new Error(`forward-only reader: offset ${offset} is before ${this.bufStart}, which was already passed`);
    }
    // Drop what lies before offset.
    const drop = Math.min(this.bufLen, offset - this.bufStart);
    if (drop > 0) {
      this.buf.copyWithin(0, drop, this.bufLen);
      this.bufLen -= drop;
    }
    this.bufStart += drop;
    while (!this.done && this.bufStart + this.bufLen < offset + length) {
      const r = await this.it.next();
      if (r.done === true) {
        this.done = true;
        break;
      }
      let c = r.value;
      // Still before offset: skip whole or part of the chunk without keeping it.
      if (this.bufLen === 0 && this.bufStart < offset) {
        const skip = Math.min(c.length, offset - this.bufStart);
        this.bufStart += skip;
        c = c.subarray(skip);
      }
      this.append(c);
    }
    const from = Math.max(0, offset - this.bufStart);
    const to = Math.min(this.bufLen, offset + length - this.bufStart);
    return this.buf.slice(from, Math.max(from, to));
  }

  /** Stops the underlying stream (when the caller is done before its end). */
  async close(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.it.return?.();
    }
  }

  private append(c: Uint8Array): void {
    if (c.length === 0) return;
    const need = this.bufLen + c.length;
    if (need > this.buf.length) {
      const bigger = new Uint8Array(Math.max(need, this.buf.length * 2));
      bigger.set(this.buf.subarray(0, this.bufLen));
      this.buf = bigger;
    }
    this.buf.set(c, this.bufLen);
    this.bufLen = need;
  }
}

// --- tables ---

type Cell = string | number | null;

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; quotes doubled; null -> empty. */
export function csvField(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV document: header row, then one row per record, CRLF line ends (RFC 4180), final CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  let out = `${header.map(csvField).join(',')}\r\n`;
  for (const r of rows) out += `${r.map(csvField).join(',')}\r\n`;
  return out;
}

export const TENANT_COLUMNS = ['key', 'encap', 'vnid', 'frames', 'bytes', 'flows', 'bad', 'partial', 'firstTime', 'lastTime'] as const;
export const FLOW_COLUMNS = ['tenant', 'proto', 'a', 'aPort', 'b', 'bPort', 'frames', 'bytes', 'bad', 'partial', 'firstFrame', 'lastFrame'] as const;

export function tenantsCsv(tenants: readonly TenantStats[]): string {
  return toCsv(TENANT_COLUMNS, tenants.map((t) => TENANT_COLUMNS.map((c) => t[c])));
}

export function flowsCsv(flows: readonly FlowStats[]): string {
  return toCsv(FLOW_COLUMNS, flows.map((f) => FLOW_COLUMNS.map((c) => f[c])));
}

/** JSON documents: the same records as the worker API returns them, indented, newline-terminated. */
export function tenantsJson(tenants: readonly TenantStats[]): string {
  return `${JSON.stringify(tenants, null, 2)}\n`;
}

export function flowsJson(flows: readonly FlowStats[]): string {
  return `${JSON.stringify(flows, null, 2)}\n`;
}
