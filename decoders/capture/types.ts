// Contracts shared by every capture reader, the dissector and their callers (worker, CLI, tests).
// Readers never allocate per frame: they fill one reused FrameRecord and hand it to a callback.

import type { InterfaceStatistics, SectionInfo } from './isb.ts';

/** Where capture bytes come from. Implementations: Blob (blob-source.ts), Node file handle (cli/), memory. */
export interface ByteSource {
  /** Total size in bytes, or -1 when unknown (a stream). */
  readonly size: number;
  /**
   * Yields consecutive chunks starting at byte `start` (default 0). Chunks may have any length;
   * the reader stitches records that straddle chunk boundaries. The consumer may stop early.
   * A source may reuse a chunk's memory once the next chunk is requested: copy what you keep.
   */
  chunks(start?: number): AsyncIterable<Uint8Array>;
  /** Random access, for re-reading one frame on demand (detail view). May return fewer bytes at EOF. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: the platform's own gzip decompressor over these (compressed) chunks, when it is faster
   * than DecompressionStream (the CLI's zlib inflates on another thread, in larger pieces, about twice
   * as fast). Chunks may be reused by the source, as for chunks(). Errors are reported as corrupt gzip.
   */
  inflate?(compressed: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
}

export type CaptureFormat = 'pcap' | 'pcapng';

/** One record as the reader hands it out. The same object is reused for every frame: copy what you keep. */
export interface FrameRecord {
  /** Buffer that holds the frame bytes at [dataOffset, dataOffset + caplen). Valid only during the callback. */
  buf: Uint8Array;
  dataOffset: number;
  /** 1-based packet number in file order (all sections together). */
  n: number;
  caplen: number;
  origlen: number;
  /** LINKTYPE_* value (1 Ethernet, 113 SLL, 276 SLL2, 101/228/229 raw, 0 null, ...). */
  linktype: number;
  /** Timestamp split so that nanoseconds since 1970 stay exact: whole seconds (may be negative) + ns 0..999999999. */
  tsSec: number;
  tsNsec: number;
  /** False when the capture carries no usable time for this record (pcapng SPB). */
  hasTime: boolean;
  /** Absolute byte offset in the (decompressed) file of the frame data, exact past 4 GiB (JS number). */
  fileOffset: number;
  /** Absolute byte offset of the record/block header. */
  recordOffset: number;
  /** pcapng interface id (0 for classic pcap). Restarts at 0 in every pcapng section. */
  interfaceId: number;
  /** Index of the record's interface in CaptureResult.interfaces (all sections together; 0 for pcap). */
  interfaceIndex: number;
  /**
   * pcapng EPB flags word (0 when absent; EPB_HAS_FLAGS in epb.has says whether the block had it): bits 0-1
   * direction (1 inbound, 2 outbound), 2-4 reception type, 5-8 FCS length, 9 checksum not ready, 10 checksum
   * valid, 11 TCP segmentation offloaded, 24-31 link-layer errors.
   */
  epbFlags: number;
  /** pcapng opt_comment(s) joined by newline, or null. Only allocated when present. */
  comment: string | null;
  /** The packet block's other options (reused like the record: copy what you keep). */
  epb: EpbOptions;
  /** The reader's interfaces so far (the same array for every record): names for the frames of a load still running. */
  interfaces: readonly InterfaceInfo[];
}

/** EpbOptions.has bits: which packet block options the record carries. */
export const EPB_HAS_FLAGS = 1;
export const EPB_HAS_DROPS = 2;
export const EPB_HAS_PACKET_ID = 4;
export const EPB_HAS_QUEUE = 8;
export const EPB_HAS_HASH = 16;
export const EPB_HAS_VERDICT = 32;

/**
 * pcapng packet block options besides the comments (draft-ietf-opsawg-pcapng 4.3): epb_flags (its presence;
 * the word is FrameRecord.epbFlags), epb_dropcount, epb_packetid, epb_queue, epb_hash, epb_verdict. 64-bit
 * values are kept as two 32-bit halves so that nothing is allocated per frame; hashes and verdicts (variable
 * length, repeatable) are copied only when present.
 */
export interface EpbOptions {
  /** EPB_HAS_* bits; 0 when the block has none of these options. */
  has: number;
  dropsHi: number;
  dropsLo: number;
  packetIdHi: number;
  packetIdLo: number;
  queue: number;
  /** Each epb_hash value (algorithm octet, then the hash), or null. */
  hashes: Uint8Array[] | null;
  /**
   * Each epb_verdict value (type octet, then the verdict), or null. The 64-bit value of an eBPF TC or XDP
   * verdict is kept little-endian whatever the section's byte order.
   */
  verdicts: Uint8Array[] | null;
}

export function newEpbOptions(): EpbOptions {
  return { has: 0, dropsHi: 0, dropsLo: 0, packetIdHi: 0, packetIdLo: 0, queue: 0, hashes: null, verdicts: null };
}

export interface CaptureWarning {
  /** Absolute byte offset in the (decompressed) file where the problem is. */
  offset: number;
  /** Packet number the problem concerns (the record being read), or 0 when none. */
  frame: number;
  message: string;
}

export interface InterfaceInfo {
  linktype: number;
  snaplen: number;
  /** if_name and if_description, or null. */
  name: string | null;
  description: string | null;
  /** Timestamp units per second, e.g. 1e6 for microseconds. */
  tsUnitsPerSec: number;
  /** if_tsoffset seconds (added to every timestamp). */
  tsOffsetSec: number;
  /** Section number (0-based) the interface belongs to. */
  section: number;
  /** pcapng if_os, if_filter (libpcap text), if_speed (bits/s), if_hardware, if_fcslen, comments: only when present. */
  os?: string;
  filter?: string;
  speed?: number;
  hardware?: string;
  fcsLen?: number;
  comments?: string[];
}

export interface CaptureResult {
  format: CaptureFormat;
  /** True when the input was gzip-compressed. */
  gzip: boolean;
  frames: number;
  /** Bytes of the (decompressed) file consumed. */
  bytesRead: number;
  interfaces: InterfaceInfo[];
  /** pcapng only: the section headers and the Interface Statistics Blocks, in file order (decoders/capture/isb.ts). */
  sections?: SectionInfo[];
  statistics?: InterfaceStatistics[];
  warnings: CaptureWarning[];
  /**
   * A fatal problem that stopped reading part-way (e.g. a corrupt block length). Everything before it
   * was delivered. null when the file was read to its end (possibly with warnings).
   */
  error: CaptureWarning | null;
  /** True when stopped by the signal or by the callback returning false. */
  cancelled: boolean;
}

export interface ReadOptions {
  /** Called for each frame; return false to stop reading. */
  onFrame: (rec: FrameRecord) => void | boolean;
  /** Called now and then (about every chunk) with bytes consumed so far. */
  onProgress?: (bytesRead: number, frames: number) => void;
  signal?: AbortSignal;
  /**
   * gzip input only: each inflated piece, in order, as it is read (valid during the call only). The app
   * keeps them, so that frame details of a gzip capture need not inflate the file a second time.
   */
  onInflated?: (bytes: Uint8Array) => void;
}

/** Thrown only for input that is not a capture at all (unknown magic). Everything else is a warning/error in the result. */
export class NotACaptureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotACaptureError';
  }
}
