// Classic libpcap files: a 24-byte file header, then 16-byte record headers each followed by caplen
// bytes. The magic gives both the byte order and the resolution (usec or nsec).

import { MAX_RECORD, RecordReader, u16, u32 } from './stream.ts';
import type { ReadOptions } from './types.ts';

/** Wireshark's limit for ordinary link types; a bigger record is treated as corruption. */
export const PCAP_MAX_CAPLEN = 262144;

/** Magic as read big-endian from the first four bytes -> [little-endian, nanosecond]. */
export function pcapMagic(b: Uint8Array): { le: boolean; nsec: boolean } | null {
  switch (u32(b, 0, false)) {
    case 0xa1b2c3d4: return { le: false, nsec: false };
    case 0xd4c3b2a1: return { le: true, nsec: false };
    case 0xa1b23c4d: return { le: false, nsec: true };
    case 0x4d3cb2a1: return { le: true, nsec: true };
    default: return null;
  }
}

export class PcapReader extends RecordReader {
  private started = false;
  private le = true;
  private fracToNs = 1000;
  private snaplen = 0;
  private linktype = 0;
  private warnedOrig = false;
  private warnedSnap = false;
  /** Versions before 2.3 wrote caplen and origlen the other way round; 2.3 files may have either. */
  private swapped: 'no' | 'yes' | 'maybe' = 'no';

  constructor(onFrame: ReadOptions['onFrame']) {
    super(onFrame);
    this.need = 24;
  }

  run(b: Uint8Array, start: number, end: number, base: number): number {
    let p = start;
    if (!this.started) {
      if (end - p < 24) {
        this.need = 24;
        return p;
      }
      if (!this.header(b, p, base)) return p;
      p += 24;
    }
    const rec = this.rec;
    const le = this.le;
    const fracToNs = this.fracToNs;
    const snaplen = this.snaplen;
    rec.buf = b;
    while (!this.stop) {
      if (end - p < 16) {
        this.need = 16;
        return p;
      }
      let caplen = u32(b, p + 8, le);
      let origlen = u32(b, p + 12, le);
      if (this.swapped !== 'no' && (this.swapped === 'yes' || caplen > origlen)) {
        const t = caplen;
        caplen = origlen;
        origlen = t;
      }
      if ((caplen > PCAP_MAX_CAPLEN && caplen > snaplen) || caplen > MAX_RECORD) {
        this.fail(base + p, this.frames + 1,
          `pcap record at offset ${base + p}: captured length ${caplen} is larger than the maximum ${Math.max(PCAP_MAX_CAPLEN, Math.min(snaplen, MAX_RECORD))}`);
        return p;
      }
      const size = 16 + caplen;
      if (end - p < size) {
        this.need = size;
        return p;
      }
      if (caplen > origlen && !this.warnedOrig) {
        this.warnedOrig = true;
        this.warn(base + p, this.frames + 1, `pcap record at offset ${base + p}: captured length ${caplen} is larger than the original length ${origlen} (reported once)`);
      }
      if (caplen > snaplen && snaplen !== 0 && !this.warnedSnap) {
        this.warnedSnap = true;
        this.warn(base + p, this.frames + 1, `pcap record at offset ${base + p}: captured length ${caplen} is larger than the snapshot length ${snaplen} (reported once)`);
      }
      let sec = u32(b, p, le);
      let ns = u32(b, p + 4, le) * fracToNs;
      if (ns >= 1e9) {
        // Out-of-range fractions happen in fuzzed files; carry them into the seconds.
        const c = Math.floor(ns / 1e9);
        sec += c;
        ns -= c * 1e9;
      }
      rec.tsSec = sec;
      rec.tsNsec = ns;
      rec.caplen = caplen;
      rec.origlen = origlen;
      rec.dataOffset = p + 16;
      rec.fileOffset = base + p + 16;
      rec.recordOffset = base + p;
      this.emit();
      p += size;
    }
    return p;
  }

  override cutShort(offset: number, have: number, head: Uint8Array): string {
    if (this.started) return super.cutShort(offset, have, head);
    return `pcap file header cut short: ${have} of 24 bytes at offset ${offset}`;
  }

  private header(b: Uint8Array, p: number, base: number): boolean {
    const m = pcapMagic(b.subarray(p, p + 4));
    if (m === null) {
      this.fail(base + p, 0, `not a pcap file: bad magic at offset ${base + p}`);
      return false;
    }
    const le = m.le;
    const major = u16(b, p + 4, le);
    const minor = u16(b, p + 6, le);
    if (major !== 2) {
      this.fail(base + p + 4, 0, `pcap file header: unsupported version ${major}.${minor}`);
      return false;
    }
    this.swapped = minor < 3 ? 'yes' : minor === 3 ? 'maybe' : 'no';
    const network = u32(b, p + 20, le);
    // Bits 26-31 carry FCS information, not the link type.
    this.linktype = network % 0x4000000;
    if (network % 0x4000000 >= 0x10000) {
      this.warn(base + p + 20, 0, `pcap file header: link type field 0x${network.toString(16)} has reserved bits set`);
    }
    this.le = le;
    this.fracToNs = m.nsec ? 1 : 1000;
    this.snaplen = u32(b, p + 16, le);
    this.started = true;
    const rec = this.rec;
    rec.linktype = this.linktype;
    rec.interfaceId = 0;
    rec.hasTime = true;
    rec.epbFlags = 0;
    rec.comment = null;
    this.interfaces.push({ linktype: this.linktype, snaplen: this.snaplen, name: null, description: null, tsUnitsPerSec: m.nsec ? 1e9 : 1e6, tsOffsetSec: 0, section: 0 });
    return true;
  }
}
