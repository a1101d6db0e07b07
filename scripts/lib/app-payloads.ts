// Application payloads for tests: DNS (and NBNS) messages, DHCP and DHCPv6 messages, TLS records with
// ClientHello/ServerHello, written field by field from the RFCs (independently of the decoders), to be carried
// by packet-builder's payload() over UDP or TCP.

import { buildFrame, eth, geneve, ipv4, ipv6, nvgre, parseIPv4, parseIPv6, payload, tcp, udp, vxlan, type Layer } from './packet-builder.ts';

const u16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
const u24 = (v: number): number[] => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

export function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}

// ---------- DNS (RFC 1035) ----------

/** A name as labels ('' is the root); no compression. */
export function dnsName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.split('.').filter((l) => l !== '')) out.push(label.length, ...ascii(label));
  out.push(0);
  return out;
}

export interface DnsQuestion {
  name: string | number[];
  type: number;
  cls?: number;
}

export interface DnsRr {
  name: string | number[];
  type: number;
  cls?: number;
  ttl?: number;
  rdata: number[];
}

export const QR = 0x8000, RD = 0x0100, RA = 0x0080, AA = 0x0400;

/** A DNS message (RFC 1035 4.1); names given as text are written without compression. */
export function dnsMessage(o: { id: number; flags: number; qd?: DnsQuestion[]; an?: DnsRr[]; ns?: DnsRr[]; ar?: DnsRr[] }): Uint8Array {
  const name = (n: string | number[]) => (typeof n === 'string' ? dnsName(n) : n);
  const out = [...u16(o.id), ...u16(o.flags), ...u16(o.qd?.length ?? 0), ...u16(o.an?.length ?? 0), ...u16(o.ns?.length ?? 0), ...u16(o.ar?.length ?? 0)];
  for (const q of o.qd ?? []) out.push(...name(q.name), ...u16(q.type), ...u16(q.cls ?? 1));
  for (const r of [...(o.an ?? []), ...(o.ns ?? []), ...(o.ar ?? [])]) {
    out.push(...name(r.name), ...u16(r.type), ...u16(r.cls ?? 1), ...u32(r.ttl ?? 300), ...u16(r.rdata.length), ...r.rdata);
  }
  return Uint8Array.from(out);
}

/** A pointer to offset `at` of the message (RFC 1035 4.1.4). */
export const dnsPointer = (at: number): number[] => [0xc0 | (at >> 8), at & 0xff];
export const rdA = (ip: string): number[] => [...parseIPv4(ip)];
export const rdAaaa = (ip: string): number[] => [...parseIPv6(ip)];
export const rdMx = (pref: number, name: string): number[] => [...u16(pref), ...dnsName(name)];
export const rdSrv = (prio: number, weight: number, port: number, target: string): number[] => [...u16(prio), ...u16(weight), ...u16(port), ...dnsName(target)];
export const rdSoa = (mname: string, rname: string, serial: number): number[] => [...dnsName(mname), ...dnsName(rname), ...u32(serial), ...u32(3600), ...u32(600), ...u32(86400), ...u32(60)];
export const rdTxt = (...texts: string[]): number[] => texts.flatMap((t) => [t.length, ...ascii(t)]);
/** An OPT pseudo-record (RFC 6891): root name, the class is the UDP payload size. */
export const optRr = (size: number, doBit = false): DnsRr => ({ name: [0], type: 41, cls: size, ttl: doBit ? 0x8000 : 0, rdata: [] });

/** DNS over TCP (RFC 7766): the message after its two-byte length. */
export function dnsOverTcp(m: Uint8Array): Uint8Array {
  return Uint8Array.from([...u16(m.length), ...m]);
}

// ---------- NetBIOS names (RFC 1001 14.1) ----------

/** A NetBIOS name in first-level encoding as one label, padded with spaces, `suffix` its 16th byte. */
export function netbiosName(name: string, suffix: number): number[] {
  const raw = [...ascii(name.toUpperCase().padEnd(15, ' ').slice(0, 15)), suffix];
  const enc: number[] = [];
  for (const c of raw) enc.push(0x41 + (c >> 4), 0x41 + (c & 0xf));
  return [32, ...enc, 0];
}

// ---------- DHCP (RFC 2131/2132) ----------

export interface DhcpOptions {
  op: 1 | 2;
  xid: number;
  chaddr: string;
  /** Option 53, or none (plain BOOTP). */
  type?: number;
  yiaddr?: string;
  flags?: number;
  /** More options as [code, bytes]. */
  options?: Array<[number, number[]]>;
}

export function dhcpMessage(o: DhcpOptions): Uint8Array {
  const out: number[] = [o.op, 1, 6, 0, ...u32(o.xid), ...u16(0), ...u16(o.flags ?? 0)];
  out.push(0, 0, 0, 0, ...rdA(o.yiaddr ?? '0.0.0.0'), 0, 0, 0, 0, 0, 0, 0, 0);
  const mac = o.chaddr.split(':').map((h) => parseInt(h, 16));
  out.push(...mac, ...new Array(10).fill(0), ...new Array(64 + 128).fill(0));
  out.push(0x63, 0x82, 0x53, 0x63);
  if (o.type !== undefined) out.push(53, 1, o.type);
  for (const [code, v] of o.options ?? []) out.push(code, v.length, ...v);
  out.push(255);
  while (out.length < 300) out.push(0);
  return Uint8Array.from(out);
}

// ---------- DHCPv6 (RFC 8415) ----------

export function dhcpv6Option(code: number, value: number[] | Uint8Array): number[] {
  return [...u16(code), ...u16(value.length), ...value];
}

export function dhcpv6Message(type: number, xid: number, options: number[][]): Uint8Array {
  return Uint8Array.from([type, ...u24(xid), ...options.flat()]);
}

/** Relay-forw (12) or Relay-reply (13) carrying `inner` in option 9. */
export function dhcpv6Relay(type: 12 | 13, link: string, peer: string, inner: Uint8Array): Uint8Array {
  return Uint8Array.from([type, 0, ...parseIPv6(link), ...parseIPv6(peer), ...dhcpv6Option(9, inner)]);
}

// ---------- TLS (RFC 8446, 5246) ----------

export function tlsRecord(contentType: number, version: number, body: number[] | Uint8Array): number[] {
  return [contentType, ...u16(version), ...u16(body.length), ...body];
}

export function handshake(type: number, body: number[]): number[] {
  return [type, ...u24(body.length), ...body];
}

function extension(type: number, data: number[]): number[] {
  return [...u16(type), ...u16(data.length), ...data];
}

export interface HelloOptions {
  sni?: string;
  /** supported_versions: the client's list, or the server's choice. */
  versions?: number[];
  alpn?: string[];
  suites?: number[];
  random?: number[];
}

export function clientHello(o: HelloOptions = {}): number[] {
  const exts: number[] = [];
  if (o.sni !== undefined) {
    const name = ascii(o.sni);
    exts.push(...extension(0, [...u16(name.length + 3), 0, ...u16(name.length), ...name]));
  }
  if (o.alpn !== undefined) {
    const list = o.alpn.flatMap((p) => [p.length, ...ascii(p)]);
    exts.push(...extension(16, [...u16(list.length), ...list]));
  }
  if (o.versions !== undefined) exts.push(...extension(43, [o.versions.length * 2, ...o.versions.flatMap(u16)]));
  const suites = o.suites ?? [0x1301, 0xc02f];
  const body = [
    ...u16(0x0303), ...(o.random ?? new Array(32).fill(0x11)), 32, ...new Array(32).fill(0x22),
    ...u16(suites.length * 2), ...suites.flatMap(u16), 1, 0, ...u16(exts.length), ...exts,
  ];
  return handshake(1, body);
}

export function serverHello(o: HelloOptions & { version?: number } = {}): number[] {
  const exts: number[] = [];
  if (o.versions !== undefined) exts.push(...extension(43, u16(o.versions[0])));
  const body = [
    ...u16(o.version ?? 0x0303), ...(o.random ?? new Array(32).fill(0x33)), 0, ...u16(o.suites?.[0] ?? 0xc02f), 0,
    ...(exts.length > 0 ? [...u16(exts.length), ...exts] : []),
  ];
  return handshake(2, body);
}

// ---------- frames carrying them ----------

export interface Carrier {
  /** IPv6 instead of IPv4 inside. */
  v6?: boolean;
  /** Inside a tunnel (outer Ethernet and IPv4 192.168.10.1 -> 192.168.10.2). */
  tunnel?: 'vxlan' | 'nvgre' | 'geneve';
  src?: string;
  dst?: string;
}

function carried(transport: Layer, data: Uint8Array | number[], o: Carrier): Uint8Array {
  const v6 = o.v6 === true;
  const ip = v6
    ? ipv6({ src: o.src ?? '2001:db8::5', dst: o.dst ?? '2001:db8::6' })
    : ipv4({ src: o.src ?? '10.0.0.5', dst: o.dst ?? '10.0.0.6' });
  const inner: Layer[] = [eth({ src: '02:00:00:00:00:05', dst: '02:00:00:00:00:06' }), ip, transport, payload(Uint8Array.from(data))];
  if (o.tunnel === undefined) return buildFrame(inner).data;
  const outer: Layer[] = [eth({ src: '02:00:00:00:01:01', dst: '02:00:00:00:01:02' }), ipv4({ src: '192.168.10.1', dst: '192.168.10.2' })];
  const head = o.tunnel === 'vxlan' ? [udp({ sport: 51000 }), vxlan(300)]
    : o.tunnel === 'geneve' ? [udp({ sport: 51000 }), geneve(77)] : [nvgre({ vsid: 5001, flowId: 7 })];
  return buildFrame([...outer, ...head, ...inner]).data;
}

export function overUdp(sport: number, dport: number, data: Uint8Array | number[], o: Carrier = {}): Uint8Array {
  return carried(udp({ sport, dport }), data, o);
}

export function overTcp(sport: number, dport: number, data: Uint8Array | number[], o: Carrier & { seq?: number } = {}): Uint8Array {
  return carried(tcp({ sport, dport, flags: 'PA', seq: o.seq ?? 1000, ack: 2000 }), data, o);
}
