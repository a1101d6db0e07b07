// pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks [type, length, body, length]. Each Section
// Header Block sets the byte order and restarts interface numbering; packets come from EPB, SPB and
// the obsolete Packet Block, everything else is skipped.

import { interfaceOption, interfaceStatistics, optString, sectionInfo, type InterfaceStatistics, type SectionInfo } from './isb.ts';
import { MAX_RECORD, pad4, RecordReader, u16, u32 } from './stream.ts';
import { setTimestamp, TsUnits } from './timestamp.ts';
import {
  EPB_HAS_DROPS, EPB_HAS_FLAGS, EPB_HAS_HASH, EPB_HAS_PACKET_ID, EPB_HAS_QUEUE, EPB_HAS_VERDICT, type InterfaceInfo, type ReadOptions,
} from './types.ts';

const SHB = 0x0a0d0d0a;
const IDB = 1;
const PB = 2; // obsolete Packet Block
const SPB = 3;
const ISB = 5;
const EPB = 6;
/** Smallest section header block: block header and trailer, byte-order magic, version, section length. */
const SHB_MIN = 28;

const OPT_COMMENT = 1;
const OPT_FLAGS = 2; // epb_flags / pack_flags
const OPT_HASH = 3; // epb_hash / pack_hash
// Enhanced Packet Block only (the obsolete Packet Block defines no options past pack_hash).
const EPB_DROPCOUNT = 4;
const EPB_PACKETID = 5;
const EPB_QUEUE = 6;
const EPB_VERDICT = 7;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

const utf8 = new TextDecoder('utf-8');

/** What a packet block needs from its interface, flattened for the hot path. */
class Iface {
  constructor(
    readonly linktype: number,
    readonly snaplen: number,
    readonly units: TsUnits,
    readonly offsetSec: number,
    /** Index in `interfaces` (all sections together). */
    readonly index: number,
  ) {}
}

export class PcapngReader extends RecordReader {
  private le = true;
  private section = -1;
  private ifaces: Iface[] = [];
  private warnedPad = false;
  /** Section headers and Interface Statistics Blocks read so far (Capture File Properties). */
  readonly sectionInfo: SectionInfo[] = [];
  readonly statistics: InterfaceStatistics[] = [];

  constructor(onFrame: ReadOptions['onFrame']) {
    super(onFrame);
    this.need = 12;
  }

  /** Section header blocks read so far (parallel decoding falls back to one reader past the first). */
  get sections(): number {
    return this.section + 1;
  }

  run(b: Uint8Array, start: number, end: number, base: number): number {
    let p = start;
    this.rec.buf = b;
    while (!this.stop) {
      if (end - p < 12) {
        this.need = 12;
        return p;
      }
      const type = u32(b, p, this.le); // the SHB type reads the same in both byte orders
      let le = this.le;
      if (type === SHB) {
        if (b[p + 8] === 0x4d && b[p + 9] === 0x3c && b[p + 10] === 0x2b && b[p + 11] === 0x1a) le = true;
        else if (b[p + 8] === 0x1a && b[p + 9] === 0x2b && b[p + 10] === 0x3c && b[p + 11] === 0x4d) le = false;
        else {
          this.fail(base + p + 8, 0, `pcapng section header at offset ${base + p}: bad byte-order magic`);
          return p;
        }
      } else if (this.section < 0) {
        this.fail(base + p, 0, `pcapng file at offset ${base + p}: does not start with a section header block`);
        return p;
      }
      const len = u32(b, p + 4, le);
      // Some writers store the unpadded length; the block still occupies the padded size.
      const size = len % 4 === 0 ? len : len + 4 - (len % 4);
      if (len < 12 || len > MAX_RECORD) {
        const why = len % 4 !== 0 ? 'is not a multiple of 4' : len < 12 ? 'is less than 12' : `is larger than the maximum ${MAX_RECORD}`;
        this.fail(base + p + 4, 0, `pcapng block at offset ${base + p}: block length ${len} ${why}`);
        return p;
      }
      if (end - p < size) {
        this.need = size;
        return p;
      }
      const trail = u32(b, p + size - 4, le);
      if (trail !== len) {
        const why = size !== len ? `block length ${len} is not a multiple of 4` : `trailing block length ${trail} differs from the leading length ${len}`;
        this.fail(base + p + size - 4, 0, `pcapng block at offset ${base + p}: ${why}`);
        return p;
      }
      if (size !== len && !this.warnedPad) {
        this.warnedPad = true;
        this.warn(base + p + 4, 0, `pcapng block at offset ${base + p}: block length ${len} is not a multiple of 4; read as ${size} (reported once)`);
      }
      switch (type) {
        case EPB:
          this.packet(b, p, size, base, u32(b, p + 8, le), 'enhanced packet block', true);
          break;
        case SPB:
          this.simple(b, p, size, base);
          break;
        case PB:
          this.packet(b, p, size, base, u16(b, p + 8, le), 'packet block', false);
          break;
        case IDB:
          if (!this.idb(b, p, size, base)) return p;
          break;
        case SHB:
          if (!this.shb(b, p, size, base, le)) return p;
          break;
        case ISB:
          this.isb(b, p, size, base);
          break;
        default:
          // NRB, DSB, custom and unknown blocks carry no packets.
          break;
      }
      p += size;
    }
    return p;
  }

  override cutShort(offset: number, have: number, head: Uint8Array): string {
    // The type reads the same in both byte orders; the first block of a file can only be a section header.
    const shb = this.section < 0 || (head.length >= 4 && u32(head, 0, true) === SHB);
    if (!shb) return super.cutShort(offset, have, head);
    // With its 12-byte block header in, the reader knows the block's size; before, only the smallest size.
    const size = have >= 12 ? String(this.need) : `at least ${SHB_MIN}`;
    return `pcapng section header block cut short: ${have} of ${size} bytes at offset ${offset}`;
  }

  private shb(b: Uint8Array, p: number, len: number, base: number, le: boolean): boolean {
    if (len < SHB_MIN) {
      this.fail(base + p + 4, 0, `pcapng section header at offset ${base + p}: block length ${len} is less than ${SHB_MIN}`);
      return false;
    }
    const major = u16(b, p + 12, le);
    const minor = u16(b, p + 14, le);
    // 1.2 was written by some old tools and is read as 1.0; other versions may change the layout.
    if (major !== 1 || (minor !== 0 && minor !== 2)) {
      this.fail(base + p + 12, 0, `pcapng section header at offset ${base + p}: unsupported version ${major}.${minor}`);
      return false;
    }
    this.le = le;
    this.section++;
    this.ifaces = [];
    // The section length (8 bytes) precedes the options.
    this.sectionInfo.push(sectionInfo(b, p + 24, p + len - 4, le, base + p, major, minor));
    return true;
  }

  private isb(b: Uint8Array, p: number, len: number, base: number): void {
    const id = u32(b, p + 8, this.le);
    const ifc = this.ifaces[id];
    const st = ifc === undefined ? null : interfaceStatistics(b, p, len, this.le, base + p, ifc.index, ifc.units, ifc.offsetSec);
    if (st === null) {
      const why = ifc === undefined ? `interface ${id} is not defined in this section` : `block length ${len} is less than 24`;
      this.warn(base + p, 0, `interface statistics block at offset ${base + p}: ${why}; ignored`);
      return;
    }
    this.statistics.push(st);
  }

  private idb(b: Uint8Array, p: number, len: number, base: number): boolean {
    const at = `pcapng interface description block at offset ${base + p}`;
    if (len < 20) {
      // Without it every later packet of this interface would be unreadable or misattributed.
      this.fail(base + p + 4, 0, `${at}: block length ${len} is less than 20`);
      return false;
    }
    const le = this.le;
    const linktype = u16(b, p + 8, le);
    const snaplen = u32(b, p + 12, le);
    let name: string | null = null;
    let description: string | null = null;
    let units = TsUnits.MICRO;
    let offsetSec = 0;
    const info: InterfaceInfo = { linktype, snaplen, name, description, tsUnitsPerSec: 0, tsOffsetSec: 0, section: this.section };
    const optEnd = p + len - 4;
    let o = p + 16;
    while (o + 4 <= optEnd) {
      const code = u16(b, o, le);
      const olen = u16(b, o + 2, le);
      if (code === 0) break;
      if (o + 4 + olen > optEnd) {
        this.warn(base + o, 0, `${at}: option ${code} of length ${olen} runs past the end of the block`);
        break;
      }
      const v = o + 4;
      if (code === IF_NAME) name = optString(b, v, olen);
      else if (code === IF_DESCRIPTION) description = optString(b, v, olen);
      else if (code === IF_TSRESOL && olen >= 1) units = TsUnits.fromTsresol(b[v]);
      else if (code === IF_TSOFFSET && olen >= 8) {
        const hi = u32(b, le ? v + 4 : v, le);
        const lo = u32(b, le ? v : v + 4, le);
        offsetSec = (hi >= 0x80000000 ? hi - 4294967296 : hi) * 4294967296 + lo;
      } else interfaceOption(info, b, code, v, olen, le);
      o = v + pad4(olen);
    }
    this.ifaces.push(new Iface(linktype, snaplen, units, offsetSec, this.interfaces.length));
    info.name = name;
    info.description = description;
    info.tsUnitsPerSec = units.perSec;
    info.tsOffsetSec = offsetSec;
    this.interfaces.push(info);
    return true;
  }

  /** EPB and the obsolete Packet Block share one layout after the interface id field. */
  private packet(b: Uint8Array, p: number, len: number, base: number, ifId: number, kind: string, enhanced: boolean): void {
    if (len < 32) {
      this.warn(base + p, this.frames + 1, `${kind} at offset ${base + p}: block length ${len} is less than 32; skipped`);
      return;
    }
    const le = this.le;
    const caplen = u32(b, p + 20, le);
    if (caplen > len - 32) {
      this.fail(base + p + 20, this.frames + 1, `${kind} at offset ${base + p}: captured length ${caplen} is larger than the block body (${len - 32} bytes)`);
      return;
    }
    const ifc = this.ifaces[ifId];
    if (ifc === undefined) {
      this.warn(base + p + 8, this.frames + 1, `${kind} at offset ${base + p}: interface ${ifId} is not defined in this section; packet skipped`);
      return;
    }
    const rec = this.rec;
    setTimestamp(rec, u32(b, p + 12, le), u32(b, p + 16, le), ifc.units, ifc.offsetSec);
    rec.hasTime = true;
    rec.caplen = caplen;
    rec.origlen = u32(b, p + 24, le);
    rec.linktype = ifc.linktype;
    rec.interfaceId = ifId;
    rec.interfaceIndex = ifc.index;
    rec.dataOffset = p + 28;
    rec.fileOffset = base + p + 28;
    rec.recordOffset = base + p;
    rec.epbFlags = 0;
    rec.comment = null;
    const x = rec.epb;
    if (x.has !== 0) {
      x.has = 0;
      x.hashes = null;
      x.verdicts = null;
    }
    const optStart = p + 28 + pad4(caplen);
    if (optStart < p + len - 4) this.packetOptions(b, optStart, p + len - 4, base, enhanced);
    this.emit();
  }

  private packetOptions(b: Uint8Array, o: number, optEnd: number, base: number, enhanced: boolean): void {
    const le = this.le;
    const rec = this.rec;
    const x = rec.epb;
    while (o + 4 <= optEnd) {
      const code = u16(b, o, le);
      const olen = u16(b, o + 2, le);
      if (code === 0) break;
      if (o + 4 + olen > optEnd) {
        this.warn(base + o, this.frames + 1, `packet block option ${code} at offset ${base + o}: length ${olen} runs past the end of the block`);
        break;
      }
      const v = o + 4;
      // Options of the wrong length are left out (the draft: readers SHOULD report them; they may ignore them).
      if (code === OPT_FLAGS) {
        if (olen >= 4) {
          rec.epbFlags = u32(b, v, le);
          x.has |= EPB_HAS_FLAGS;
        } else this.badOption(base + o, 'epb_flags', olen, 'must be 4');
      } else if (code === OPT_COMMENT) {
        const text = utf8.decode(b.subarray(v, v + olen));
        rec.comment = rec.comment === null ? text : `${rec.comment}\n${text}`;
      } else if (code === OPT_HASH) {
        if (olen >= 1) {
          (x.hashes ??= []).push(b.slice(v, v + olen));
          x.has |= EPB_HAS_HASH;
        } else this.badOption(base + o, 'epb_hash', olen, 'must hold at least the algorithm octet');
      } else if (enhanced && code >= EPB_DROPCOUNT && code <= EPB_VERDICT) {
        this.enhancedOption(b, code, v, olen, base + o);
      }
      o = v + pad4(olen);
    }
  }

  /** epb_dropcount, epb_packetid, epb_queue, epb_verdict. */
  private enhancedOption(b: Uint8Array, code: number, v: number, olen: number, at: number): void {
    const le = this.le;
    const x = this.rec.epb;
    if (code === EPB_VERDICT) {
      if (olen >= 1) {
        const verdict = b.slice(v, v + olen);
        // An eBPF verdict is a 64-bit integer in the section's byte order: kept little-endian, as the export writes.
        if (!le && olen === 9 && (verdict[0] === 1 || verdict[0] === 2)) verdict.subarray(1).reverse();
        (x.verdicts ??= []).push(verdict);
        x.has |= EPB_HAS_VERDICT;
      } else this.badOption(at, 'epb_verdict', olen, 'must hold at least the type octet');
      return;
    }
    if (code === EPB_QUEUE) {
      if (olen !== 4) return this.badOption(at, 'epb_queue', olen, 'must be 4');
      x.queue = u32(b, v, le);
      x.has |= EPB_HAS_QUEUE;
      return;
    }
    const name = code === EPB_DROPCOUNT ? 'epb_dropcount' : 'epb_packetid';
    if (olen !== 8) return this.badOption(at, name, olen, 'must be 8');
    const hi = u32(b, le ? v + 4 : v, le);
    const lo = u32(b, le ? v : v + 4, le);
    if (code === EPB_DROPCOUNT) {
      x.dropsHi = hi;
      x.dropsLo = lo;
      x.has |= EPB_HAS_DROPS;
    } else {
      x.packetIdHi = hi;
      x.packetIdLo = lo;
      x.has |= EPB_HAS_PACKET_ID;
    }
  }

  private badOption(at: number, name: string, olen: number, rule: string): void {
    this.warn(at, this.frames + 1, `packet block option ${name} at offset ${at}: length ${olen} ${rule}; ignored`);
  }

  private simple(b: Uint8Array, p: number, len: number, base: number): void {
    const ifc = this.ifaces[0];
    if (len < 16 || ifc === undefined) {
      this.warn(base + p, this.frames + 1, `simple packet block at offset ${base + p}: ${len < 16 ? `block length ${len} is less than 16` : 'interface 0 is not defined in this section'}; packet skipped`);
      return;
    }
    const origlen = u32(b, p + 8, this.le);
    // The SPB has no captured length: the data is the original packet cut at the snapshot length.
    let caplen = len - 16;
    if (origlen < caplen) caplen = origlen;
    if (ifc.snaplen !== 0 && ifc.snaplen < caplen) caplen = ifc.snaplen;
    const rec = this.rec;
    rec.hasTime = false;
    rec.tsSec = 0;
    rec.tsNsec = 0;
    rec.caplen = caplen;
    rec.origlen = origlen;
    rec.linktype = ifc.linktype;
    rec.interfaceId = 0;
    rec.interfaceIndex = ifc.index;
    rec.dataOffset = p + 12;
    rec.fileOffset = base + p + 12;
    rec.recordOffset = base + p;
    rec.epbFlags = 0;
    rec.comment = null;
    const x = rec.epb;
    if (x.has !== 0) {
      x.has = 0;
      x.hashes = null;
      x.verdicts = null;
    }
    this.emit();
  }
}
