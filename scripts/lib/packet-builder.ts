// Builds network frames byte by byte, for test fixtures, the demo capture and the benchmark.
// Pure TypeScript (no Node APIs) so scripts, bench and tests can all use it.
//
// A frame is a list of layers, outermost first:
//
//   buildFrame([
//     eth({ src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' }),
//     ipv4({ src: '192.168.10.11', dst: '192.168.10.12' }),
//     nvgre({ vsid: 5001, flowId: 0x11 }),
//     eth({ ... }), ipv4({ ... }), tcp({ sport: 443, dport: 50123, flags: 'PA', checksum: 'bad' }),
//     payload(200),
//   ])
//
// Type, protocol and length fields are filled in from the layer that follows, unless given.
// Checksums are computed innermost first (an outer UDP/GRE checksum covers the inner frame as it was
// finally written, bad checksums included), with the straightforward RFC 1071 algorithm below: it is
// deliberately independent of decoders/checksum.ts so that tests comparing the two are meaningful.
//
// Checksum modes per layer:
//   'good'     correct (default)
//   'bad'      correct value with bits flipped (never 0, never equal to the partial value)
//   'partial'  TCP/UDP/ICMPv6 only: the folded pseudo-header sum (addresses, protocol, L4 length), not
//              complemented, i.e. what a sending host's capture shows before the NIC fills it in
//   'zero'     0x0000 (for UDP over IPv4: "no checksum")
//   number     this exact 16-bit value

import { concatBytes as joinBytes } from '../../decoders/bytes.ts';

export type ChecksumMode = 'good' | 'bad' | 'partial' | 'zero' | number;

export interface EthLayer {
  kind: 'eth';
  src: string;
  dst: string;
  /** EtherType; default from the next layer. */
  type?: number;
}
export interface VlanLayer {
  kind: 'vlan';
  vid: number;
  pcp?: number;
  dei?: boolean;
  /** TPID written in the previous layer's type field: 0x8100 (default) or 0x88a8 (QinQ outer tag). */
  tpid?: number;
  type?: number;
}
export interface Ipv4Layer {
  kind: 'ipv4';
  src: string;
  dst: string;
  ttl?: number;
  id?: number;
  tos?: number;
  /** Don't Fragment; default false. */
  df?: boolean;
  moreFragments?: boolean;
  /** Fragment offset in 8-byte units. */
  fragOffset?: number;
  /** Raw options, padded with EOL (0) to a multiple of 4. */
  options?: Uint8Array;
  proto?: number;
  checksum?: ChecksumMode;
}
export interface Ipv6Layer {
  kind: 'ipv6';
  src: string;
  dst: string;
  hopLimit?: number;
  trafficClass?: number;
  flowLabel?: number;
  nextHeader?: number;
}
export interface GreLayer {
  kind: 'gre';
  /** Key field (K bit). For NVGRE: VSID << 8 | FlowID. */
  key?: number;
  /** Sequence number (S bit). */
  seq?: number;
  /** Presence sets the C bit; the mode says what goes into the checksum field. */
  checksum?: ChecksumMode;
  /** Protocol type; default from the next layer (0x6558 for Ethernet). */
  protocol?: number;
}
export interface UdpLayer {
  kind: 'udp';
  sport: number;
  /** Default: 4789 before VXLAN, 6081 before Geneve. */
  dport?: number;
  checksum?: ChecksumMode;
}
export interface VxlanLayer {
  kind: 'vxlan';
  vni: number;
  /** Default 0x08 (I flag: VNI valid). */
  flags?: number;
}
export interface GeneveOption {
  cls: number;
  type: number;
  /** Option data, a multiple of 4 bytes, at most 124. */
  data: Uint8Array;
}
export interface GeneveLayer {
  kind: 'geneve';
  vni: number;
  options?: readonly GeneveOption[];
  oam?: boolean;
  critical?: boolean;
  protocol?: number;
}
export interface TcpLayer {
  kind: 'tcp';
  sport: number;
  dport: number;
  seq?: number;
  ack?: number;
  /** Number, or letters: F S R P A U E C (e.g. 'SA', 'PA', 'FA'). Default 'A'. */
  flags?: number | string;
  window?: number;
  urgent?: number;
  /** Raw options, padded with NOP... EOL (0) to a multiple of 4. */
  options?: Uint8Array;
  checksum?: ChecksumMode;
}
export interface IcmpLayer {
  kind: 'icmp';
  /** Default 8 (echo request); 0 = echo reply. */
  type?: number;
  code?: number;
  id?: number;
  seq?: number;
  checksum?: ChecksumMode;
}
export interface Icmpv6Layer {
  kind: 'icmpv6';
  /** Default 128 (echo request); 129 = echo reply. */
  type?: number;
  code?: number;
  id?: number;
  seq?: number;
  checksum?: ChecksumMode;
}
export interface ArpLayer {
  kind: 'arp';
  /** 1 request (default), 2 reply. */
  op?: number;
  senderMac: string;
  senderIp: string;
  targetMac?: string;
  targetIp: string;
}
export interface PayloadLayer {
  kind: 'payload';
  data: Uint8Array;
}

export type Layer =
  | EthLayer | VlanLayer | Ipv4Layer | Ipv6Layer | GreLayer | UdpLayer | VxlanLayer | GeneveLayer
  | TcpLayer | IcmpLayer | Icmpv6Layer | ArpLayer | PayloadLayer;
export type LayerKind = Layer['kind'];

export interface LayerInfo {
  kind: LayerKind;
  /** Offset of the layer's header in the frame. */
  offset: number;
  /** Header length (for payload: the data length). */
  headerLength: number;
  /** Offset of the checksum field, or -1 when the layer has none (or GRE without the C bit). */
  checksumOffset: number;
  /** Final value of the checksum field, or -1. */
  checksum: number;
  /** The correct value, or -1 (for 'good' the same as checksum). */
  goodChecksum: number;
  /** TCP/UDP/ICMPv6: the value 'partial' writes (folded pseudo-header sum), else -1. */
  pseudoChecksum: number;
}

export interface BuiltFrame {
  /** All bytes of the frame as sent (origlen = data.length). */
  data: Uint8Array;
  /** Bytes captured: data.length, or less when a snaplen truncated it. */
  caplen: number;
  origlen: number;
  layers: LayerInfo[];
}

export interface BuildOptions {
  /** Capture at most this many bytes (caplen = min(snaplen, length)). */
  snaplen?: number;
  /** Pad the frame with zeros to at least this length (60 = Ethernet minimum without FCS). */
  minLength?: number;
}

// ---------- layer factories (they only fill the `kind` in) ----------

export const eth = (o: Omit<EthLayer, 'kind'>): EthLayer => ({ kind: 'eth', ...o });
export const vlan = (vid: number, o: Omit<VlanLayer, 'kind' | 'vid'> = {}): VlanLayer => ({ kind: 'vlan', vid, ...o });
export const ipv4 = (o: Omit<Ipv4Layer, 'kind'>): Ipv4Layer => ({ kind: 'ipv4', ...o });
export const ipv6 = (o: Omit<Ipv6Layer, 'kind'>): Ipv6Layer => ({ kind: 'ipv6', ...o });
export const gre = (o: Omit<GreLayer, 'kind'> = {}): GreLayer => ({ kind: 'gre', ...o });
/** NVGRE (RFC 7637): GRE with K bit, protocol 0x6558, key = VSID << 8 | FlowID; C/S bits only if asked. */
export const nvgre = (o: {
  vsid: number;
  flowId?: number;
  checksum?: ChecksumMode;
  seq?: number;
}): GreLayer => ({
  kind: 'gre',
  key: (((o.vsid & 0xffffff) << 8) | ((o.flowId ?? 0) & 0xff)) >>> 0,
  protocol: 0x6558,
  ...(o.checksum !== undefined ? { checksum: o.checksum } : {}),
  ...(o.seq !== undefined ? { seq: o.seq } : {}),
});
export const udp = (o: Omit<UdpLayer, 'kind'>): UdpLayer => ({ kind: 'udp', ...o });
export const vxlan = (vni: number, o: Omit<VxlanLayer, 'kind' | 'vni'> = {}): VxlanLayer => ({ kind: 'vxlan', vni, ...o });
export const geneve = (vni: number, o: Omit<GeneveLayer, 'kind' | 'vni'> = {}): GeneveLayer => ({ kind: 'geneve', vni, ...o });
export const tcp = (o: Omit<TcpLayer, 'kind'>): TcpLayer => ({ kind: 'tcp', ...o });
export const icmpEcho = (o: Omit<IcmpLayer, 'kind'> = {}): IcmpLayer => ({ kind: 'icmp', ...o });
export const icmpv6Echo = (o: Omit<Icmpv6Layer, 'kind'> = {}): Icmpv6Layer => ({ kind: 'icmpv6', ...o });
export const arp = (o: Omit<ArpLayer, 'kind'>): ArpLayer => ({ kind: 'arp', ...o });
/** Payload bytes, or `n` bytes of a repeating pattern starting at `fill`. */
export function payload(data: Uint8Array | number, fill = 0x61): PayloadLayer {
  if (typeof data !== 'number') return { kind: 'payload', data };
  const d = new Uint8Array(data);
  for (let i = 0; i < data; i++) d[i] = (fill + (i % 26)) & 0xff;
  return { kind: 'payload', data: d };
}

/** TCP MSS option (kind 2). Concatenate option helpers with concatBytes. */
export const tcpMss = (mss: number): Uint8Array => Uint8Array.of(2, 4, mss >> 8, mss & 0xff);
/** TCP window scale option (kind 3) preceded by a NOP to keep alignment. */
export const tcpWscale = (shift: number): Uint8Array => Uint8Array.of(1, 3, 3, shift);
/** TCP SACK permitted (kind 4) preceded by two NOPs. */
export const tcpSackPerm = (): Uint8Array => Uint8Array.of(1, 1, 4, 2);

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return joinBytes(parts);
}

// ---------- addresses ----------

export function parseMac(s: string): Uint8Array {
  const parts = s.split(/[:-]/);
  if (parts.length !== 6) throw new Error(`bad MAC address ${s}`);
  return Uint8Array.from(parts, (p) => {
    const v = parseInt(p, 16);
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) throw new Error(`bad MAC address ${s}`);
    return v;
  });
}

export function parseIPv4(s: string): Uint8Array {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new Error(`bad IPv4 address ${s}`);
  }
  return Uint8Array.from(parts, Number);
}

export function parseIPv6(s: string): Uint8Array {
  const out = new Uint8Array(16);
  let text = s;
  const tail: number[] = [];
  // Embedded IPv4 at the end (::ffff:1.2.3.4).
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = parseIPv4(v4[1]);
    tail.push((b[0] << 8) | b[1], (b[2] << 8) | b[3]);
    text = text.slice(0, -v4[1].length);
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) throw new Error(`bad IPv6 address ${s}`);
  const words = (h: string): number[] =>
    h === '' ? [] : h.split(':').map((w) => {
      if (!/^[0-9a-fA-F]{1,4}$/.test(w)) throw new Error(`bad IPv6 address ${s}`);
      return parseInt(w, 16);
    });
  const head = words(halves[0]);
  const rest = halves.length === 2 ? [...words(halves[1]), ...tail] : [];
  if (halves.length === 1) head.push(...tail);
  const fill = 8 - head.length - rest.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0) || (halves.length === 2 && fill < 1)) {
    throw new Error(`bad IPv6 address ${s}`);
  }
  const all = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...rest];
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

// ---------- RFC 1071 internet checksum (own implementation) ----------

/** Ones' complement sum of bytes[off, off+len) as big-endian 16-bit words, added to `initial`; unfolded. */
export function onesSum(bytes: Uint8Array, off: number, len: number, initial = 0): number {
  let sum = initial;
  const end = off + len;
  let i = off;
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) sum += bytes[i] << 8; // odd length: pad with a zero byte
  return sum;
}

/** Fold carries into 16 bits. */
export function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** The checksum field value: complement of the folded sum. */
export function internetChecksum(bytes: Uint8Array, off: number, len: number, initial = 0): number {
  return ~fold(onesSum(bytes, off, len, initial)) & 0xffff;
}

/** Sum of the TCP/UDP/ICMPv6 pseudo-header (RFC 793/768, RFC 8200 §8.1), unfolded. */
export function pseudoHeaderSum(src: Uint8Array, dst: Uint8Array, proto: number, l4Length: number): number {
  let sum = onesSum(src, 0, src.length) + onesSum(dst, 0, dst.length) + proto;
  sum += Math.floor(l4Length / 0x10000) + (l4Length & 0xffff);
  return sum;
}

/** RFC 1624 eqn. 3: new checksum after a 16-bit word of the covered data changed from `oldWord` to `newWord`. */
export function updateChecksum16(hc: number, oldWord: number, newWord: number): number {
  const sum = (~hc & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
  return ~fold(sum) & 0xffff;
}

/** RFC 1624 for a 32-bit field (two words at once). */
export function updateChecksum32(hc: number, oldValue: number, newValue: number): number {
  const sum =
    (~hc & 0xffff) +
    (~(oldValue >>> 16) & 0xffff) + (~oldValue & 0xffff) +
    (newValue >>> 16) + (newValue & 0xffff);
  return ~fold(sum) & 0xffff;
}

// ---------- building ----------

const ETHERTYPE: Partial<Record<LayerKind, number>> = {
  ipv4: 0x0800, ipv6: 0x86dd, arp: 0x0806, eth: 0x6558,
};
const IPPROTO: Partial<Record<LayerKind, number>> = {
  tcp: 6, udp: 17, gre: 47, icmp: 1, icmpv6: 58, ipv4: 4, ipv6: 41,
};

function etherTypeOf(next: Layer | undefined, what: string): number {
  if (next === undefined) return 0x88b5; // IEEE local experimental: nothing follows
  if (next.kind === 'vlan') return next.tpid ?? 0x8100;
  const t = ETHERTYPE[next.kind];
  if (t === undefined) throw new Error(`${what}: give an explicit type before a ${next.kind} layer`);
  return t;
}

function ipProtoOf(next: Layer | undefined, what: string): number {
  if (next === undefined) return 59; // No Next Header
  const p = IPPROTO[next.kind];
  if (p === undefined) throw new Error(`${what}: give an explicit protocol before a ${next.kind} layer`);
  return p;
}

function tcpFlags(f: number | string | undefined): number {
  if (f === undefined) return 0x10;
  if (typeof f === 'number') return f & 0xff;
  const bits: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80 };
  let v = 0;
  for (const ch of f.toUpperCase()) {
    const b = bits[ch];
    if (b === undefined) throw new Error(`unknown TCP flag ${ch}`);
    v |= b;
  }
  return v;
}

function pad4Bytes(b: Uint8Array | undefined): Uint8Array {
  if (b === undefined || b.length === 0) return new Uint8Array(0);
  const out = new Uint8Array((b.length + 3) & ~3);
  out.set(b);
  return out;
}

function headerLength(l: Layer): number {
  switch (l.kind) {
    case 'eth': return 14;
    case 'vlan': return 4;
    case 'ipv4': return 20 + pad4Bytes(l.options).length;
    case 'ipv6': return 40;
    case 'gre': return 4 + (l.checksum !== undefined ? 4 : 0) + (l.key !== undefined ? 4 : 0) + (l.seq !== undefined ? 4 : 0);
    case 'udp': return 8;
    case 'vxlan': return 8;
    case 'geneve': return 8 + (l.options ?? []).reduce((n, o) => n + 4 + o.data.length, 0);
    case 'tcp': return 20 + pad4Bytes(l.options).length;
    case 'icmp': return 8;
    case 'icmpv6': return 8;
    case 'arp': return 28;
    case 'payload': return l.data.length;
  }
}

/** Builds one frame from its layers (outermost first). */
export function buildFrame(layers: readonly Layer[], options: BuildOptions = {}): BuiltFrame {
  const offsets: number[] = [];
  let len = 0;
  for (const l of layers) {
    offsets.push(len);
    len += headerLength(l);
  }
  const contentLength = len;
  const total = Math.max(len, options.minLength ?? 0);
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  const infos: LayerInfo[] = layers.map((l, i) => ({
    kind: l.kind, offset: offsets[i], headerLength: headerLength(l), checksumOffset: -1, checksum: -1, goodChecksum: -1, pseudoChecksum: -1,
  }));

  // Pass 1: headers (checksums zero for now).
  layers.forEach((l, i) => {
    const o = offsets[i];
    const next = layers[i + 1];
    const rest = contentLength - o; // bytes from this header to the end of the content
    switch (l.kind) {
      case 'eth':
        b.set(parseMac(l.dst), o);
        b.set(parseMac(l.src), o + 6);
        dv.setUint16(o + 12, l.type ?? etherTypeOf(next, 'eth'));
        break;
      case 'vlan': {
        // The TPID sits in the previous layer's type field; this "header" is TCI + next type.
        dv.setUint16(o, ((l.pcp ?? 0) << 13) | (l.dei ? 0x1000 : 0) | (l.vid & 0xfff));
        dv.setUint16(o + 2, l.type ?? etherTypeOf(next, 'vlan'));
        break;
      }
      case 'ipv4': {
        const opts = pad4Bytes(l.options);
        const hl = 20 + opts.length;
        b[o] = 0x40 | (hl >> 2);
        b[o + 1] = l.tos ?? 0;
        dv.setUint16(o + 2, rest);
        dv.setUint16(o + 4, l.id ?? 0);
        dv.setUint16(o + 6, (l.df ? 0x4000 : 0) | (l.moreFragments ? 0x2000 : 0) | ((l.fragOffset ?? 0) & 0x1fff));
        b[o + 8] = l.ttl ?? 64;
        b[o + 9] = l.proto ?? ipProtoOf(next, 'ipv4');
        b.set(parseIPv4(l.src), o + 12);
        b.set(parseIPv4(l.dst), o + 16);
        b.set(opts, o + 20);
        infos[i].checksumOffset = o + 10;
        break;
      }
      case 'ipv6':
        dv.setUint32(o, (6 << 28) | ((l.trafficClass ?? 0) << 20) | ((l.flowLabel ?? 0) & 0xfffff));
        dv.setUint16(o + 4, rest - 40);
        b[o + 6] = l.nextHeader ?? ipProtoOf(next, 'ipv6');
        b[o + 7] = l.hopLimit ?? 64;
        b.set(parseIPv6(l.src), o + 8);
        b.set(parseIPv6(l.dst), o + 24);
        break;
      case 'gre': {
        let flags = 0;
        if (l.checksum !== undefined) flags |= 0x8000;
        if (l.key !== undefined) flags |= 0x2000;
        if (l.seq !== undefined) flags |= 0x1000;
        dv.setUint16(o, flags);
        dv.setUint16(o + 2, l.protocol ?? etherTypeOf(next, 'gre'));
        let p = o + 4;
        if (l.checksum !== undefined) {
          infos[i].checksumOffset = p;
          p += 4; // checksum + reserved1
        }
        if (l.key !== undefined) {
          dv.setUint32(p, l.key >>> 0);
          p += 4;
        }
        if (l.seq !== undefined) dv.setUint32(p, l.seq >>> 0);
        break;
      }
      case 'udp':
        dv.setUint16(o, l.sport);
        dv.setUint16(o + 2, l.dport ?? (next?.kind === 'vxlan' ? 4789 : next?.kind === 'geneve' ? 6081 : 0));
        dv.setUint16(o + 4, rest);
        infos[i].checksumOffset = o + 6;
        break;
      case 'vxlan':
        b[o] = l.flags ?? 0x08;
        dv.setUint32(o + 4, (l.vni & 0xffffff) << 8);
        break;
      case 'geneve': {
        const optLen = infos[i].headerLength - 8;
        b[o] = (optLen >> 2) & 0x3f; // version 0
        b[o + 1] = (l.oam ? 0x80 : 0) | (l.critical ? 0x40 : 0);
        dv.setUint16(o + 2, l.protocol ?? etherTypeOf(next, 'geneve'));
        dv.setUint32(o + 4, ((l.vni & 0xffffff) << 8) >>> 0);
        let p = o + 8;
        for (const opt of l.options ?? []) {
          if (opt.data.length % 4 !== 0 || opt.data.length > 124) throw new Error('Geneve option data must be 4n <= 124 bytes');
          dv.setUint16(p, opt.cls);
          b[p + 2] = opt.type;
          b[p + 3] = opt.data.length >> 2;
          b.set(opt.data, p + 4);
          p += 4 + opt.data.length;
        }
        break;
      }
      case 'tcp': {
        const opts = pad4Bytes(l.options);
        dv.setUint16(o, l.sport);
        dv.setUint16(o + 2, l.dport);
        dv.setUint32(o + 4, (l.seq ?? 0) >>> 0);
        dv.setUint32(o + 8, (l.ack ?? 0) >>> 0);
        b[o + 12] = ((20 + opts.length) >> 2) << 4;
        b[o + 13] = tcpFlags(l.flags);
        dv.setUint16(o + 14, l.window ?? 65535);
        dv.setUint16(o + 18, l.urgent ?? 0);
        b.set(opts, o + 20);
        infos[i].checksumOffset = o + 16;
        break;
      }
      case 'icmp':
      case 'icmpv6':
        b[o] = l.type ?? (l.kind === 'icmp' ? 8 : 128);
        b[o + 1] = l.code ?? 0;
        dv.setUint16(o + 4, l.id ?? 0);
        dv.setUint16(o + 6, l.seq ?? 0);
        infos[i].checksumOffset = o + 2;
        break;
      case 'arp':
        dv.setUint16(o, 1);
        dv.setUint16(o + 2, 0x0800);
        b[o + 4] = 6;
        b[o + 5] = 4;
        dv.setUint16(o + 6, l.op ?? 1);
        b.set(parseMac(l.senderMac), o + 8);
        b.set(parseIPv4(l.senderIp), o + 14);
        b.set(parseMac(l.targetMac ?? '00:00:00:00:00:00'), o + 18);
        b.set(parseIPv4(l.targetIp), o + 24);
        break;
      case 'payload':
        b.set(l.data, o);
        break;
    }
  });

  // Pass 2: checksums, innermost first.
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i];
    const o = offsets[i];
    const rest = contentLength - o;
    let good: number;
    let mode: ChecksumMode;
    let pseudo = -1; // folded pseudo-header sum, for 'partial'
    switch (l.kind) {
      case 'ipv4':
        good = internetChecksum(b, o, infos[i].headerLength);
        mode = l.checksum ?? 'good';
        break;
      case 'gre':
        if (l.checksum === undefined) continue;
        good = internetChecksum(b, o, rest);
        mode = l.checksum;
        break;
      case 'icmp':
        good = internetChecksum(b, o, rest);
        mode = l.checksum ?? 'good';
        break;
      case 'tcp':
      case 'udp':
      case 'icmpv6': {
        const ip = enclosingIp(layers, i);
        const ipo = offsets[ip];
        const v4 = layers[ip].kind === 'ipv4';
        const src = b.subarray(ipo + (v4 ? 12 : 8), ipo + (v4 ? 16 : 24));
        const dst = b.subarray(ipo + (v4 ? 16 : 24), ipo + (v4 ? 20 : 40));
        const proto = l.kind === 'tcp' ? 6 : l.kind === 'udp' ? 17 : 58;
        const ph = pseudoHeaderSum(src, dst, proto, rest);
        pseudo = fold(ph);
        good = internetChecksum(b, o, rest, ph);
        if (l.kind === 'udp' && good === 0) good = 0xffff; // RFC 768: 0 means "none"
        mode = l.checksum ?? 'good';
        break;
      }
      default:
        continue;
    }
    const value = checksumValue(mode, good, pseudo, l.kind);
    dv.setUint16(infos[i].checksumOffset, value);
    infos[i].checksum = value;
    infos[i].goodChecksum = good;
    infos[i].pseudoChecksum = pseudo;
  }

  const caplen = options.snaplen === undefined ? total : Math.min(total, options.snaplen);
  return { data: b, caplen, origlen: total, layers: infos };
}

function enclosingIp(layers: readonly Layer[], i: number): number {
  for (let j = i - 1; j >= 0; j--) {
    const k = layers[j].kind;
    if (k === 'ipv4' || k === 'ipv6') return j;
  }
  throw new Error(`${layers[i].kind} needs an IP layer before it`);
}

function checksumValue(mode: ChecksumMode, good: number, pseudo: number, kind: LayerKind): number {
  if (typeof mode === 'number') return mode & 0xffff;
  switch (mode) {
    case 'good':
      return good;
    case 'zero':
      return 0;
    case 'partial':
      if (pseudo < 0) throw new Error(`a partial checksum needs a pseudo-header: not for ${kind}`);
      return pseudo;
    case 'bad': {
      // Flip bits; steer clear of values a checker would read as good, zero or partial.
      for (const mask of [0x5a5a, 0x0f0f, 0x3333, 0x00ff]) {
        const v = (good ^ mask) & 0xffff;
        const equivalent = (good === 0 && v === 0xffff) || (good === 0xffff && v === 0);
        if (v !== 0 && v !== pseudo && !equivalent) return v;
      }
      throw new Error('unreachable: no bad checksum value found');
    }
  }
}
