// What a pcapng file says about itself rather than about its packets: the section headers' options
// (shb_hardware, shb_os, shb_userappl, comments), the interface descriptions' options beyond the name
// (if_os, if_filter, if_speed, if_hardware, if_fcslen) and the Interface Statistics Blocks (isb_ifrecv,
// isb_ifdrop, ...). Capture File Properties shows them. These blocks are few per file, so their parse may
// allocate; packet blocks never come here.

import { pad4, u16, u32 } from './stream.ts';
import { setTimestamp, type TsUnits } from './timestamp.ts';
import type { FrameRecord, InterfaceInfo } from './types.ts';

/** One Section Header Block. */
export interface SectionInfo {
  /** Absolute offset of the block in the (decompressed) file. */
  offset: number;
  byteOrder: 'little-endian' | 'big-endian';
  version: string;
  hardware: string | null;
  os: string | null;
  userappl: string | null;
  comments: string[];
}

/** One Interface Statistics Block (draft-ietf-opsawg-pcapng 4.6); counters absent from the block are null. */
export interface InterfaceStatistics {
  /** Index in CaptureResult.interfaces (all sections together). */
  interfaceIndex: number;
  offset: number;
  /** The block's timestamp (when the statistics were taken), ISO-free: seconds and nanoseconds. */
  sec: number;
  nsec: number;
  startSec: number | null;
  startNsec: number;
  endSec: number | null;
  endNsec: number;
  ifrecv: number | null;
  ifdrop: number | null;
  filteraccept: number | null;
  osdrop: number | null;
  usrdeliv: number | null;
  comments: string[];
}

const OPT_COMMENT = 1;
const SHB_HARDWARE = 2;
const SHB_OS = 3;
const SHB_USERAPPL = 4;
const IF_SPEED = 8;
const IF_FILTER = 11;
const IF_OS = 12;
const IF_FCSLEN = 13;
const IF_HARDWARE = 15;
const ISB_STARTTIME = 2;
const ISB_ENDTIME = 3;
const ISB_IFRECV = 4;
const ISB_IFDROP = 5;
const ISB_FILTERACCEPT = 6;
const ISB_OSDROP = 7;
const ISB_USRDELIV = 8;

const utf8 = new TextDecoder('utf-8');

/** Calls fn(code, valueStart, length) for each option in b[o, end) until opt_endofopt; false when one runs past the end. */
export function eachOption(b: Uint8Array, o: number, end: number, le: boolean, fn: (code: number, v: number, len: number) => void): boolean {
  while (o + 4 <= end) {
    const code = u16(b, o, le);
    const len = u16(b, o + 2, le);
    if (code === 0) return true;
    if (o + 4 + len > end) return false;
    fn(code, o + 4, len);
    o += 4 + pad4(len);
  }
  return true;
}

/** A string option: UTF-8, not necessarily zero-terminated, but a zero octet ends it (the draft, 3.5). */
export function optString(b: Uint8Array, v: number, len: number): string {
  let end = v;
  while (end < v + len && b[end] !== 0) end++;
  return utf8.decode(b.subarray(v, end));
}

/** An unsigned 64-bit option value as a number (exact up to 2^53). */
function u64(b: Uint8Array, v: number, le: boolean): number {
  const hi = u32(b, le ? v + 4 : v, le);
  const lo = u32(b, le ? v : v + 4, le);
  return hi * 4294967296 + lo;
}

/** The options of a Section Header Block whose options run over b[o, end). */
export function sectionInfo(b: Uint8Array, o: number, end: number, le: boolean, offset: number, major: number, minor: number): SectionInfo {
  const s: SectionInfo = {
    offset, byteOrder: le ? 'little-endian' : 'big-endian', version: `${major}.${minor}`, hardware: null, os: null, userappl: null, comments: [],
  };
  eachOption(b, o, end, le, (code, v, len) => {
    if (code === OPT_COMMENT) s.comments.push(optString(b, v, len));
    else if (code === SHB_HARDWARE) s.hardware = optString(b, v, len);
    else if (code === SHB_OS) s.os = optString(b, v, len);
    else if (code === SHB_USERAPPL) s.userappl = optString(b, v, len);
  });
  return s;
}

/** The interface description options beyond name, description and timestamps, added to `info`. */
export function interfaceOption(info: InterfaceInfo, b: Uint8Array, code: number, v: number, len: number, le: boolean): void {
  if (code === OPT_COMMENT) (info.comments ??= []).push(optString(b, v, len));
  else if (code === IF_SPEED && len === 8) info.speed = u64(b, v, le);
  // The first octet says how the filter is written: 0 is libpcap's text (the only kind shown).
  else if (code === IF_FILTER && len >= 1 && b[v] === 0) info.filter = optString(b, v + 1, len - 1);
  else if (code === IF_OS) info.os = optString(b, v, len);
  else if (code === IF_FCSLEN && len === 1) info.fcsLen = b[v];
  else if (code === IF_HARDWARE) info.hardware = optString(b, v, len);
}

/**
 * An Interface Statistics Block at b[p, p + len): interface id, timestamp and the isb_* options. `units`,
 * `offsetSec` and `index` are those of its interface in the section. null when the block is too short.
 */
export function interfaceStatistics(
  b: Uint8Array, p: number, len: number, le: boolean, offset: number, index: number, units: TsUnits, offsetSec: number,
): InterfaceStatistics | null {
  if (len < 24) return null;
  const t = { tsSec: 0, tsNsec: 0 };
  const time = (hi: number, lo: number): void => setTimestamp(t as FrameRecord, hi, lo, units, offsetSec);
  time(u32(b, p + 12, le), u32(b, p + 16, le));
  const st: InterfaceStatistics = {
    interfaceIndex: index, offset, sec: t.tsSec, nsec: t.tsNsec, startSec: null, startNsec: 0, endSec: null, endNsec: 0,
    ifrecv: null, ifdrop: null, filteraccept: null, osdrop: null, usrdeliv: null, comments: [],
  };
  eachOption(b, p + 20, p + len - 4, le, (code, v, olen) => {
    if (code === OPT_COMMENT) {
      st.comments.push(optString(b, v, olen));
      return;
    }
    if (olen !== 8) return;
    // Timestamps are two 32-bit words, high first, in the section's byte order (as in a packet block).
    if (code === ISB_STARTTIME || code === ISB_ENDTIME) {
      time(u32(b, v, le), u32(b, v + 4, le));
      if (code === ISB_STARTTIME) { st.startSec = t.tsSec; st.startNsec = t.tsNsec; } else { st.endSec = t.tsSec; st.endNsec = t.tsNsec; }
      return;
    }
    const n = u64(b, v, le);
    if (code === ISB_IFRECV) st.ifrecv = n;
    else if (code === ISB_IFDROP) st.ifdrop = n;
    else if (code === ISB_FILTERACCEPT) st.filteraccept = n;
    else if (code === ISB_OSDROP) st.osdrop = n;
    else if (code === ISB_USRDELIV) st.usrdeliv = n;
  });
  return st;
}
