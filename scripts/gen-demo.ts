// Generates the demo capture public/samples/demo.pcapng and its ground truth demo.truth.json.
//
//   npx tsx scripts/gen-demo.ts [--out-dir public/samples]
//
// Deterministic: a seeded PRNG and a fixed start time (2025-11-24T16:00:00Z) make every run
// byte-identical. The scene is a small Hyper-V fabric plus two Linux overlays:
//
//   hv01 192.168.10.11  hosts the web servers of tenants 5001 and 5002 (both 10.0.0.1:443!)
//   hv02 192.168.10.12  web client of 5001, DNS/syslog servers of 5003
//   hv03 192.168.10.13  "bad NIC": its offload engine corrupts inner TCP/UDP checksums of some data
//                       frames (client of 5002, SQL server of 6001); receivers drop them, TCP resends
//   hv04 192.168.10.14  the capture was taken here before its NIC filled inner TCP/UDP checksums in:
//                       everything it sends carries partial (pseudo-header only) inner checksums
//   kvm-a/kvm-b 192.168.20.21/.22 on VLAN 20: VXLAN VNI 300 (outer UDP checksum 0)
//   ovn-a/ovn-b 192.168.30.31/.32: Geneve VNI 0x123456 with an OVN option (ovn-b fills outer UDP checksums)
//   plus plain traffic: ARP, WinRM from an admin workstation, ping, DNS, syslog without checksum.
//
// The truth file lists, per frame, the tunnel (encap, vnid, flowId) and the intended verdict of every
// checksum, named as the engine names them ('ipv4', 'udp', 'inner.tcp', ...).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PcapngWriter } from '../decoders/capture/pcapng-writer.ts';
import { concatBytes } from '../decoders/bytes.ts';
import * as B from './lib/packet-builder.ts';
import { Rng, fnv1a } from './lib/rng.ts';

export const DEMO_SEED = 20251124;
export const DEMO_START = '2025-11-24T16:00:00Z';
export const DEMO_START_SEC = Date.parse(DEMO_START) / 1000;
const DURATION_NS = 60e9;
/** Probability that hv03's NIC corrupts the inner checksum of a data frame. */
const P_BAD = 0.15;

type Mode = 'good' | 'bad' | 'partial' | 'zero';
export type Verdict = 'good' | 'bad' | 'partial' | 'zero' | 'unverified';
export type Encap = 'nvgre' | 'vxlan' | 'geneve';

export interface TruthFrame {
  n: number;
  encap: Encap | null;
  /** VSID (NVGRE) or VNI (VXLAN/Geneve), else null. */
  vnid: number | null;
  /** NVGRE FlowID, else null. */
  flowId: number | null;
  /** Source address of the outermost IP layer, or null (ARP). */
  outerSrc: string | null;
  /** Intended verdict per check name. */
  checks: Record<string, Verdict>;
  caplen: number;
  origlen: number;
  note?: string;
}

export interface TenantInfo {
  name: string;
  encap: Encap;
  vnid: number;
  flowIds: number[];
  underlay: string[];
  frames: number;
}

export interface DemoTruth {
  generator: string;
  seed: number;
  start: string;
  frames: number;
  bytes: number;
  hosts: { badNic: string; beforeOffload: string };
  tenants: TenantInfo[];
  /** Frames having at least one check with that verdict (and the truncated frames). */
  counts: { bad: number; partial: number; zero: number; unverified: number; truncated: number };
  /** Number of checks per name and verdict. */
  checkCounts: Record<string, Partial<Record<Verdict, number>>>;
  packets: TruthFrame[];
}

// ---------- the scene ----------

interface Host {
  name: string;
  ip: string;
  mac: string;
  vlan?: number;
  ttl: number;
  /** Fills the outer UDP checksum of its VXLAN/Geneve frames. */
  outerUdpChecksum?: boolean;
}

const HV01: Host = { name: 'hv01', ip: '192.168.10.11', mac: '00:15:5d:0a:00:0b', ttl: 128 };
const HV02: Host = { name: 'hv02', ip: '192.168.10.12', mac: '00:15:5d:0a:00:0c', ttl: 128 };
const HV03: Host = { name: 'hv03', ip: '192.168.10.13', mac: '00:15:5d:0a:00:0d', ttl: 128 };
const HV04: Host = { name: 'hv04', ip: '192.168.10.14', mac: '00:15:5d:0a:00:0e', ttl: 128 };
const GW: Host = { name: 'gw', ip: '192.168.10.1', mac: '00:1b:17:00:01:01', ttl: 255 };
const ADMIN: Host = { name: 'admin', ip: '192.168.10.50', mac: '3c:ec:ef:10:00:32', ttl: 128 };
const SYSLOG: Host = { name: 'syslog', ip: '192.168.10.60', mac: '00:50:56:a0:00:3c', ttl: 64 };
const KVMA: Host = { name: 'kvm-a', ip: '192.168.20.21', mac: '52:54:00:14:00:15', vlan: 20, ttl: 64 };
const KVMB: Host = { name: 'kvm-b', ip: '192.168.20.22', mac: '52:54:00:14:00:16', vlan: 20, ttl: 64 };
const OVNA: Host = { name: 'ovn-a', ip: '192.168.30.31', mac: '52:54:00:1e:00:1f', ttl: 64 };
const OVNB: Host = { name: 'ovn-b', ip: '192.168.30.32', mac: '52:54:00:1e:00:20', ttl: 64, outerUdpChecksum: true };
const BAD_NIC = HV03;
const BEFORE_OFFLOAD = HV04;

interface Tenant {
  name: string;
  encap: Encap;
  vnid: number;
  geneveOptions?: B.GeneveOption[];
}

const T5001: Tenant = { name: 'Contoso web', encap: 'nvgre', vnid: 5001 };
const T5002: Tenant = { name: 'Fabrikam web (same inner addresses as Contoso)', encap: 'nvgre', vnid: 5002 };
const T5003: Tenant = { name: 'Northwind services', encap: 'nvgre', vnid: 5003 };
const T6001: Tenant = { name: 'Tailspin SQL', encap: 'nvgre', vnid: 6001 };
const TVX: Tenant = { name: 'KVM web (VXLAN)', encap: 'vxlan', vnid: 300 };
const TGEN: Tenant = {
  name: 'OVN app (Geneve)', encap: 'geneve', vnid: 0x123456,
  // OVN option class 0x0102, type 0x80: logical ingress/egress port keys.
  geneveOptions: [{ cls: 0x0102, type: 0x80, data: Uint8Array.of(0x00, 0x01, 0x00, 0x02) }],
};
const TENANTS = [T5001, T5002, T5003, T6001, TVX, TGEN];

/** One conversation's way through the network: which hosts carry each side, and how it is wrapped. */
interface Path {
  tenant: Tenant | null;
  /** Underlay host of side 0 and side 1 (for plain traffic: the endpoints themselves). */
  hosts: [Host, Host];
  /** Inner MACs (tunnelled) or the endpoints' MACs (plain). */
  macs: [string, string];
  flowId: number;
  /** Outer UDP source port (VXLAN/Geneve entropy). */
  entropy: number;
}

function tunnelPath(tenant: Tenant, hosts: [Host, Host], macs: [string, string], flowKey: string, flowId?: number): Path {
  const h = fnv1a(`${tenant.vnid}|${flowKey}`);
  return { tenant, hosts, macs, flowId: flowId ?? 0, entropy: 49152 + (h % 16384) };
}
function plainPath(a: Host, b: Host): Path {
  return { tenant: null, hosts: [a, b], macs: [a.mac, b.mac], flowId: 0, entropy: 0 };
}

interface Ev {
  t: number;
  order: number;
  path: Path;
  dir: 0 | 1;
  /** Layers from the inner (or only) IP/ARP layer inwards. */
  inner: B.Layer[];
  snaplen?: number;
  comment?: string;
  note?: string;
}

// ---------- payload helpers ----------

const enc = new TextEncoder();

function tlsRecord(rng: Rng, len: number): Uint8Array {
  const b = rng.bytes(Math.max(len, 6));
  b[0] = 0x17; // application data
  b[1] = 0x03;
  b[2] = 0x03;
  b[3] = ((len - 5) >> 8) & 0xff;
  b[4] = (len - 5) & 0xff;
  return b.subarray(0, len);
}

function httpRequest(path: string, host: string): Uint8Array {
  return enc.encode(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: curl/8.5.0\r\nAccept: application/json\r\n\r\n`);
}

function httpResponse(rng: Rng, bodyLen: number): Uint8Array {
  let body = '[';
  while (body.length < bodyLen) body += `{"id":${rng.int(100000)},"name":"item-${rng.int(1000)}","ok":true},`;
  body = body.slice(0, Math.max(1, bodyLen - 1)) + ']';
  return enc.encode(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
}

function winrmRequest(rng: Rng): Uint8Array {
  const body = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">${'x'.repeat(rng.range(200, 900))}</s:Envelope>`;
  return enc.encode(
    `POST /wsman HTTP/1.1\r\nHost: hv01:5985\r\nContent-Type: application/soap+xml;charset=UTF-8\r\n` +
    `Content-Length: ${body.length}\r\n\r\n${body}`,
  );
}

function winrmResponse(rng: Rng): Uint8Array {
  const body = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>${'y'.repeat(rng.range(200, 1000))}</s:Body></s:Envelope>`;
  return enc.encode(`HTTP/1.1 200 \r\nContent-Type: application/soap+xml;charset=UTF-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
}

function tds(rng: Rng, type: number, len: number): Uint8Array {
  const b = rng.bytes(Math.max(len, 8));
  b[0] = type; // 0x01 SQL batch, 0x04 tabular result
  b[1] = 0x01; // end of message
  b[2] = (len >> 8) & 0xff;
  b[3] = len & 0xff;
  b[4] = 0;
  b[5] = 0;
  b[6] = 1;
  b[7] = 0;
  return b.subarray(0, len);
}

function redisCommand(key: string): Uint8Array {
  return enc.encode(`*2\r\n$3\r\nGET\r\n$${key.length}\r\n${key}\r\n`);
}

function redisReply(rng: Rng, len: number): Uint8Array {
  const v = Array.from(rng.bytes(len), (x) => String.fromCharCode(97 + (x % 26))).join('');
  return enc.encode(`$${v.length}\r\n${v}\r\n`);
}

function dnsName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.split('.')) out.push(label.length, ...enc.encode(label));
  out.push(0);
  return out;
}

function dnsQuery(id: number, name: string): Uint8Array {
  return Uint8Array.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, ...dnsName(name), 0, 1, 0, 1]);
}

function dnsResponse(id: number, name: string, addr: string): Uint8Array {
  const a = B.parseIPv4(addr);
  return Uint8Array.from([
    id >> 8, id & 0xff, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, ...dnsName(name), 0, 1, 0, 1,
    0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, ...a,
  ]);
}

// ---------- the generator ----------

class Scene {
  readonly events: Ev[] = [];
  private order = 0;
  constructor(readonly rng: Rng) {}

  push(t: number, path: Path, dir: 0 | 1, inner: B.Layer[], extra: Partial<Pick<Ev, 'snaplen' | 'comment' | 'note'>> = {}): void {
    if (t < 0 || t >= DURATION_NS) return; // outside the capture window
    this.events.push({ t: Math.round(t), order: this.order++, path, dir, inner, ...extra });
  }

  /** Inner TCP/UDP checksum as the capture shows it, decided by the sending host. */
  l4Mode(path: Path, dir: 0 | 1, hasData: boolean): Mode {
    if (path.tenant === null) return 'good';
    const sender = path.hosts[dir];
    if (sender === BEFORE_OFFLOAD) return 'partial';
    if (sender === BAD_NIC && hasData && this.rng.chance(P_BAD)) return 'bad';
    return 'good';
  }
}

interface TcpOptions {
  /** Client is side 0 of the path. */
  ips: [string, string];
  ports: [number, number];
  t0: number;
  /** Round-trip time in ns. */
  rtt: number;
  ttl: [number, number];
  v6?: boolean;
  mss?: number;
}

/** A TCP connection between side 0 (client) and side 1 (server) of a path. */
class Tcp {
  t: number;
  private seq: [number, number];
  private ipId: [number, number];
  private readonly mss: number;
  constructor(private readonly s: Scene, private readonly path: Path, private readonly o: TcpOptions) {
    this.t = o.t0;
    this.seq = [s.rng.u32(), s.rng.u32()];
    this.ipId = [s.rng.int(65536), s.rng.int(65536)];
    this.mss = o.mss ?? 1400;
  }

  private seg(t: number, dir: 0 | 1, flags: string, seq: number, ack: number, data: Uint8Array | null,
    mode: Mode, options?: Uint8Array, window = 8212): void {
    const { ips, ports, ttl, v6 } = this.o;
    const ip: B.Layer = v6
      ? B.ipv6({ src: ips[dir], dst: ips[1 - dir], hopLimit: ttl[dir] })
      : B.ipv4({ src: ips[dir], dst: ips[1 - dir], id: this.ipId[dir]++ & 0xffff, ttl: ttl[dir], df: true });
    const l4 = B.tcp({
      sport: ports[dir], dport: ports[1 - dir], seq: seq >>> 0, ack: flags.includes('A') ? ack >>> 0 : 0,
      flags, window, checksum: mode, ...(options ? { options } : {}),
    });
    this.s.push(t, this.path, dir, data ? [ip, l4, B.payload(data)] : [ip, l4]);
  }

  private jitter(ns: number): number {
    return ns * (0.8 + 0.4 * this.s.rng.next());
  }

  open(): this {
    const opts = B.concatBytes(B.tcpMss(this.mss), B.tcpSackPerm(), B.tcpWscale(8));
    this.seg(this.t, 0, 'S', this.seq[0], 0, null, this.s.l4Mode(this.path, 0, false), opts, 64240);
    this.seq[0]++;
    this.t += this.jitter(this.o.rtt / 2);
    this.seg(this.t, 1, 'SA', this.seq[1], this.seq[0], null, this.s.l4Mode(this.path, 1, false), opts, 65535);
    this.seq[1]++;
    this.t += this.jitter(this.o.rtt / 2);
    this.seg(this.t, 0, 'A', this.seq[0], this.seq[1], null, this.s.l4Mode(this.path, 0, false));
    return this;
  }

  /**
   * Sends `data` from `dir` in MSS-sized segments; the peer ACKs every second segment. Segments the
   * bad NIC corrupts are dropped by the receiver (duplicate ACKs) and sent again after a timeout.
   */
  send(dir: 0 | 1, data: Uint8Array, opts: { ackLast?: boolean } = {}): this {
    const peer = (1 - dir) as 0 | 1;
    const base = this.seq[dir];
    const lost: { off: number; len: number }[] = [];
    let acked = base;
    let t = this.t + this.jitter(50_000);
    let nSeg = 0;
    for (let off = 0; off < data.length; off += this.mss) {
      const len = Math.min(this.mss, data.length - off);
      const last = off + len >= data.length;
      const mode = this.s.l4Mode(this.path, dir, true);
      this.seg(t, dir, last ? 'PA' : 'A', base + off, this.seq[peer], data.subarray(off, off + len), mode);
      if (mode === 'bad') lost.push({ off, len });
      nSeg++;
      const tSeg = t;
      t += 1_000 + len * 8 + this.s.rng.int(2_000); // ~1 Gbit/s serialisation plus a little
      if (nSeg % 2 === 0 || (last && opts.ackLast !== false)) {
        // Cumulative ACK: up to the first segment that has not arrived intact.
        const upTo = lost.length > 0 ? base + lost[0].off : base + off + len;
        if (upTo !== acked || lost.length > 0) {
          this.seg(tSeg + this.jitter(this.o.rtt / 2), peer, 'A', this.seq[peer], upTo, null, this.s.l4Mode(this.path, peer, false));
          acked = upTo;
        }
      }
    }
    this.t = t;
    // Retransmit what was lost, after a retransmission timeout.
    while (lost.length > 0) {
      this.t += this.jitter(200_000_000);
      const again: { off: number; len: number }[] = [];
      for (const l of lost) {
        const mode = this.s.l4Mode(this.path, dir, true);
        const last = l.off + l.len >= data.length;
        this.seg(this.t, dir, last ? 'PA' : 'A', base + l.off, this.seq[peer], data.subarray(l.off, l.off + l.len), mode);
        if (mode === 'bad') again.push(l);
        this.t += 1_000 + l.len * 8;
      }
      const upTo = again.length > 0 ? base + again[0].off : base + data.length;
      this.t += this.jitter(this.o.rtt / 2);
      this.seg(this.t, peer, 'A', this.seq[peer], upTo, null, this.s.l4Mode(this.path, peer, false));
      lost.splice(0, lost.length, ...again);
    }
    this.seq[dir] = (base + data.length) >>> 0;
    return this;
  }

  /** Client request, server think time, server response. */
  exchange(req: Uint8Array, resp: Uint8Array, thinkNs: number): this {
    this.send(0, req, { ackLast: false });
    this.t += this.jitter(thinkNs);
    this.send(1, resp);
    return this;
  }

  idle(ns: number): this {
    this.t += this.jitter(ns);
    return this;
  }

  close(first: 0 | 1 = 0): this {
    const second = (1 - first) as 0 | 1;
    this.t += this.jitter(200_000);
    this.seg(this.t, first, 'FA', this.seq[first], this.seq[second], null, this.s.l4Mode(this.path, first, false));
    this.seq[first]++;
    this.t += this.jitter(this.o.rtt / 2);
    this.seg(this.t, second, 'FA', this.seq[second], this.seq[first], null, this.s.l4Mode(this.path, second, false));
    this.seq[second]++;
    this.t += this.jitter(this.o.rtt / 2);
    this.seg(this.t, first, 'A', this.seq[first], this.seq[second], null, this.s.l4Mode(this.path, first, false));
    return this;
  }

  reset(dir: 0 | 1): this {
    this.t += this.jitter(100_000);
    this.seg(this.t, dir, 'RA', this.seq[dir], this.seq[1 - dir], null, this.s.l4Mode(this.path, dir, false), undefined, 0);
    return this;
  }
}

function udpExchange(s: Scene, path: Path, ips: [string, string], ports: [number, number], t: number, rtt: number,
  req: Uint8Array, resp: Uint8Array | null, ttl: [number, number], modes?: [Mode, Mode]): void {
  const ip = (dir: 0 | 1): B.Layer => B.ipv4({ src: ips[dir], dst: ips[1 - dir], id: s.rng.int(65536), ttl: ttl[dir] });
  s.push(t, path, 0, [ip(0), B.udp({ sport: ports[0], dport: ports[1], checksum: modes?.[0] ?? s.l4Mode(path, 0, true) }), B.payload(req)]);
  if (resp === null) return;
  s.push(t + rtt * (0.8 + 0.4 * s.rng.next()), path, 1, [
    ip(1), B.udp({ sport: ports[1], dport: ports[0], checksum: modes?.[1] ?? s.l4Mode(path, 1, true) }), B.payload(resp),
  ]);
}

function ping(s: Scene, path: Path, ips: [string, string], t0: number, count: number, rtt: number, v6 = false): void {
  const id = s.rng.int(65536);
  const data = Uint8Array.from({ length: 32 }, (_, i) => 0x61 + (i % 23)); // Windows ping payload
  for (let i = 0; i < count; i++) {
    const t = t0 + i * 1e9;
    for (const dir of [0, 1] as const) {
      const tt = t + dir * rtt * (0.8 + 0.4 * s.rng.next());
      const ip: B.Layer = v6
        ? B.ipv6({ src: ips[dir], dst: ips[1 - dir], hopLimit: 64 })
        : B.ipv4({ src: ips[dir], dst: ips[1 - dir], id: s.rng.int(65536), ttl: 128 });
      const icmp = v6
        ? B.icmpv6Echo({ type: dir === 0 ? 128 : 129, id, seq: i + 1 })
        : B.icmpEcho({ type: dir === 0 ? 8 : 0, id, seq: i + 1 });
      s.push(tt, path, dir, [ip, icmp, B.payload(data)]);
    }
  }
}

function buildScene(rng: Rng): Scene {
  const s = new Scene(rng);
  const ms = 1e6;
  const sec = 1e9;

  // --- NVGRE 5001 and 5002: the same inner addresses and ports in two tenants. ---
  const webMacs5001: [string, string] = ['00:15:5d:51:00:02', '00:15:5d:51:00:01'];
  const webMacs5002: [string, string] = ['00:15:5d:52:00:02', '00:15:5d:52:00:01'];
  const webIps: [string, string] = ['10.0.0.2', '10.0.0.1'];
  const webTenants: [Tenant, Host, [string, string], number][] = [
    [T5001, HV02, webMacs5001, 0x11],
    [T5002, HV03, webMacs5002, 0x22],
  ];
  for (const [tenant, clientHost, macs, flowId] of webTenants) {
    const path = tunnelPath(tenant, [clientHost, HV01], macs, 'web', flowId);
    for (let i = 0; i < 16; i++) {
      // Session i uses the same client port in both tenants, at nearly the same time.
      const cport = 50432 + i * 7;
      const t0 = (1.5 + i * 3.5) * sec + rng.int(300 * ms);
      const c = new Tcp(s, path, { ips: webIps, ports: [cport, 443], t0, rtt: 0.4 * ms, ttl: [128, 128] }).open();
      c.send(0, tlsRecord(rng, rng.range(220, 517))).send(1, tlsRecord(rng, rng.range(1500, 3000)));
      const n = rng.range(2, 4);
      for (let k = 0; k < n; k++) {
        c.idle(rng.range(5, 400) * ms);
        const big = rng.chance(0.1);
        c.exchange(tlsRecord(rng, rng.range(90, 600)), tlsRecord(rng, big ? rng.range(4000, 7000) : rng.range(120, 900)), rng.range(1, 30) * ms);
      }
      if (tenant === T5002 && i === 6) c.reset(1);
      else c.close(rng.chance(0.5) ? 0 : 1);
    }
    ping(s, tunnelPath(tenant, [clientHost, HV01], macs, 'icmp', flowId), webIps, 30 * sec + rng.int(sec), 20, 0.3 * ms);
  }

  // --- NVGRE 5003: DNS, syslog without checksums, ICMP and ICMPv6 between hv04 (client) and hv02. ---
  {
    const macs: [string, string] = ['00:15:5d:53:00:0a', '00:15:5d:53:00:35'];
    const dnsPath = tunnelPath(T5003, [HV04, HV02], macs, 'dns', 0x33);
    const names = ['api.northwind.local', 'db.northwind.local', 'login.microsoftonline.com', 'www.bing.com', 'cache.northwind.local'];
    for (let i = 0; i < 180; i++) {
      const t = rng.int(58 * sec);
      const id = rng.int(65536);
      const name = rng.pick(names);
      const answer = `10.3.${rng.range(0, 3)}.${rng.range(2, 250)}`;
      udpExchange(s, dnsPath, ['10.3.0.10', '10.3.0.53'], [rng.range(49152, 65535), 53], t, 0.5 * ms,
        dnsQuery(id, name), dnsResponse(id, name, answer), [128, 128]);
    }
    // Syslog from the DNS server VM to a collector VM on hv04, sent without a UDP checksum (legal over IPv4).
    const syslogPath = tunnelPath(T5003, [HV04, HV02], ['00:15:5d:53:00:3c', '00:15:5d:53:00:35'], 'syslog', 0x33);
    for (let i = 0; i < 2; i++) {
      const msg = enc.encode(`<134>Nov 24 16:00:${String(10 + i * 20).padStart(2, '0')} dns01 named[812]: client 10.3.0.10#5353: query refused`);
      s.push((10 + i * 20) * sec + rng.int(sec), syslogPath, 1, [
        B.ipv4({ src: '10.3.0.53', dst: '10.3.0.60', id: rng.int(65536), ttl: 128 }),
        B.udp({ sport: 514, dport: 514, checksum: 'zero' }), B.payload(msg),
      ], { note: 'UDP over IPv4 without checksum (legal)' });
    }
    ping(s, tunnelPath(T5003, [HV04, HV02], macs, 'icmp', 0x33), ['10.3.0.10', '10.3.0.53'], 5 * sec, 20, 0.4 * ms);
    ping(s, tunnelPath(T5003, [HV04, HV02], macs, 'icmpv6', 0x33), ['fd03::10', 'fd03::53'], 28 * sec, 16, 0.4 * ms, true);
  }

  // --- NVGRE 6001: an app server on hv04 queries the SQL server on hv03 (bad NIC). FlowID per connection. ---
  {
    const macs: [string, string] = ['00:15:5d:61:00:0a', '00:15:5d:61:00:14'];
    for (let i = 0; i < 9; i++) {
      const cport = 61000 + rng.int(4000);
      const flowId = fnv1a(`6001|${cport}`) & 0xff;
      const path = tunnelPath(T6001, [HV04, HV03], macs, `sql${i}`, flowId);
      const t0 = (1 + i * 6.2) * sec + rng.int(sec);
      const c = new Tcp(s, path, { ips: ['172.16.1.10', '172.16.1.20'], ports: [cport, 1433], t0, rtt: 0.5 * ms, ttl: [128, 128] }).open();
      const q = rng.range(4, 8);
      for (let k = 0; k < q; k++) {
        c.idle(rng.range(20, 600) * ms);
        const big = rng.chance(0.25);
        c.exchange(tds(rng, 0x01, rng.range(60, 400)), tds(rng, 0x04, big ? rng.range(4000, 8000) : rng.range(100, 1000)), rng.range(1, 15) * ms);
      }
      c.close(0);
    }
  }

  // --- VXLAN VNI 300 over VLAN 20: HTTP between two KVM guests, and a ping. ---
  {
    const macs: [string, string] = ['02:42:0a:1e:00:05', '02:42:0a:1e:00:06'];
    const ips: [string, string] = ['10.30.0.5', '10.30.0.6'];
    for (let i = 0; i < 14; i++) {
      const cport = 40000 + rng.int(20000);
      const path = tunnelPath(TVX, [KVMA, KVMB], macs, `http${cport}`);
      const c = new Tcp(s, path, { ips, ports: [cport, 8080], t0: (2 + i * 4) * sec + rng.int(sec), rtt: 0.3 * ms, ttl: [64, 64] }).open();
      const n = rng.range(2, 5);
      for (let k = 0; k < n; k++) {
        c.idle(rng.range(1, 200) * ms);
        c.exchange(httpRequest(`/api/items/${rng.int(500)}`, '10.30.0.6:8080'), httpResponse(rng, rng.chance(0.1) ? rng.range(3000, 5000) : rng.range(80, 700)), rng.range(1, 10) * ms);
      }
      c.close(0);
    }
    ping(s, tunnelPath(TVX, [KVMA, KVMB], macs, 'icmp'), ips, 12 * sec, 15, 0.3 * ms);
  }

  // --- Geneve VNI 0x123456: telemetry over UDP and a Redis client. ovn-b fills outer UDP checksums. ---
  {
    const macs: [string, string] = ['0a:58:0a:28:00:07', '0a:58:0a:28:00:08'];
    const ips: [string, string] = ['10.40.0.7', '10.40.0.8'];
    const telemetry = tunnelPath(TGEN, [OVNA, OVNB], macs, 'telemetry');
    for (let i = 0; i < 240; i++) {
      const line = enc.encode(`cpu,host=app-7 usage_idle=${(90 + rng.next() * 9).toFixed(3)},usage_user=${(rng.next() * 5).toFixed(3)} ${DEMO_START_SEC + Math.floor(i / 4)}000000000\n`);
      udpExchange(s, telemetry, ips, [51234, 8094], i * 0.24 * sec + rng.int(100 * ms), 0.3 * ms, line, null, [64, 64]);
    }
    for (let i = 0; i < 6; i++) {
      const cport = 45000 + rng.int(10000);
      const path = tunnelPath(TGEN, [OVNA, OVNB], macs, `redis${cport}`);
      const c = new Tcp(s, path, { ips, ports: [cport, 6379], t0: (4 + i * 9) * sec + rng.int(sec), rtt: 0.25 * ms, ttl: [64, 64] }).open();
      const n = rng.range(3, 6);
      for (let k = 0; k < n; k++) {
        c.idle(rng.range(1, 100) * ms);
        c.exchange(redisCommand(`session:${rng.int(99999)}`), redisReply(rng, rng.range(20, 600)), 0.1 * ms);
      }
      c.close(0);
    }
  }

  // --- Plain traffic: ARP, WinRM, ping, ICMPv6, DNS, syslog without checksum. ---
  {
    const arpPairs: [Host, Host][] = [[GW, HV01], [GW, HV02], [HV03, GW], [HV04, GW], [ADMIN, HV01], [GW, HV03], [HV01, HV02], [HV02, SYSLOG]];
    arpPairs.forEach(([asker, target], i) => {
      const t = (i * 7 + 0.5) * sec + rng.int(sec);
      const bcast: Path = { tenant: null, hosts: [asker, target], macs: [asker.mac, 'ff:ff:ff:ff:ff:ff'], flowId: 0, entropy: 0 };
      s.push(t, bcast, 0, [B.arp({ op: 1, senderMac: asker.mac, senderIp: asker.ip, targetIp: target.ip })]);
      s.push(t + 0.2 * ms, plainPath(asker, target), 1, [
        B.arp({ op: 2, senderMac: target.mac, senderIp: target.ip, targetMac: asker.mac, targetIp: asker.ip }),
      ]);
    });
    const winrm = plainPath(ADMIN, HV01);
    for (let i = 0; i < 3; i++) {
      const c = new Tcp(s, winrm, { ips: [ADMIN.ip, HV01.ip], ports: [52100 + rng.int(1000), 5985], t0: (4 + i * 19) * sec + rng.int(sec), rtt: 0.6 * ms, ttl: [128, 128] }).open();
      for (let k = 0; k < 3; k++) {
        c.idle(rng.range(10, 300) * ms);
        c.exchange(winrmRequest(rng), winrmResponse(rng), rng.range(5, 50) * ms);
      }
      c.close(0);
    }
    ping(s, plainPath(ADMIN, GW), [ADMIN.ip, GW.ip], 15 * sec, 10, 0.5 * ms);
    ping(s, plainPath(ADMIN, HV01), ['fe80::3eec:efff:fe10:32', 'fe80::215:5dff:fe0a:b'], 33 * sec, 8, 0.4 * ms, true);
    const dnsPlain = plainPath(HV01, GW);
    for (let i = 0; i < 20; i++) {
      const id = rng.int(65536);
      const name = rng.pick(['time.windows.com', 'hv02.fabric.local', 'hv03.fabric.local', 'wsus.fabric.local']);
      udpExchange(s, dnsPlain, [HV01.ip, GW.ip], [rng.range(49152, 65535), 53], (i * 2.8 + 1) * sec + rng.int(sec), 0.7 * ms,
        dnsQuery(id, name), dnsResponse(id, name, `192.168.10.${rng.range(2, 200)}`), [128, 255]);
    }
    const msg = enc.encode('<30>Nov 24 16:00:45 hv02 vmms[2044]: Virtual machine app-7 started');
    s.push(45 * sec + rng.int(sec), plainPath(HV02, SYSLOG), 0, [
      B.ipv4({ src: HV02.ip, dst: SYSLOG.ip, id: rng.int(65536), ttl: 128 }), B.udp({ sport: 514, dport: 514, checksum: 'zero' }), B.payload(msg),
    ], { note: 'UDP over IPv4 without checksum (legal)' });
  }
  return s;
}

// ---------- frame assembly and ground truth ----------

const TUNNEL_KINDS = new Set<B.LayerKind>(['gre', 'vxlan', 'geneve']);

function outerLayers(ev: Ev, outerIds: Map<Host, number>, rng: Rng): B.Layer[] {
  const { path, dir } = ev;
  const src = path.hosts[dir];
  const dst = path.hosts[1 - dir];
  if (path.tenant === null) {
    const l: B.Layer[] = [B.eth({ src: path.macs[dir], dst: path.macs[1 - dir] })];
    return l;
  }
  const l: B.Layer[] = [B.eth({ src: src.mac, dst: dst.mac })];
  if (src.vlan !== undefined) l.push(B.vlan(src.vlan));
  let id = outerIds.get(src);
  if (id === undefined) id = rng.int(65536);
  outerIds.set(src, (id + 1) & 0xffff);
  l.push(B.ipv4({ src: src.ip, dst: dst.ip, id, ttl: src.ttl, df: true }));
  const t = path.tenant;
  if (t.encap === 'nvgre') l.push(B.nvgre({ vsid: t.vnid, flowId: path.flowId }));
  else {
    l.push(B.udp({ sport: path.entropy, checksum: src.outerUdpChecksum ? 'good' : 'zero' }));
    l.push(t.encap === 'vxlan' ? B.vxlan(t.vnid) : B.geneve(t.vnid, { options: t.geneveOptions ?? [] }));
  }
  l.push(B.eth({ src: path.macs[dir], dst: path.macs[1 - dir] }));
  return l;
}

/** Intended verdict of every checksum in a built frame, named like the engine names them. */
export function truthChecks(layers: readonly B.Layer[], f: B.BuiltFrame): Record<string, Verdict> {
  const checks: Record<string, Verdict> = {};
  let depth = 0;
  const contentEnd = f.layers.length > 0 ? f.layers[f.layers.length - 1].offset + f.layers[f.layers.length - 1].headerLength : 0;
  layers.forEach((l, i) => {
    const info = f.layers[i];
    const prefix = 'inner.'.repeat(depth);
    if (info.checksumOffset >= 0) {
      const mode = 'checksum' in l && l.checksum !== undefined ? l.checksum : 'good';
      if (typeof mode === 'number') throw new Error('explicit checksum values have no intended verdict');
      const coveredEnd = l.kind === 'ipv4' ? info.offset + info.headerLength : contentEnd;
      const fieldCaptured = info.checksumOffset + 2 <= f.caplen;
      let v: Verdict = mode;
      if (mode !== 'zero' && coveredEnd > f.caplen) v = 'unverified';
      if (!fieldCaptured) v = 'unverified';
      checks[prefix + l.kind] = v;
    }
    if (TUNNEL_KINDS.has(l.kind)) depth++;
  });
  return checks;
}

export interface DemoOutput {
  pcapng: Uint8Array;
  truth: DemoTruth;
  truthJson: string;
}

export function generateDemo(seed = DEMO_SEED): DemoOutput {
  const rng = new Rng(seed);
  const scene = buildScene(rng);
  const events = scene.events.slice().sort((a, b) => a.t - b.t || a.order - b.order);

  // The one snaplen-truncated frame: the first large Contoso data segment sent by hv01.
  const trunc = events.find((e) => e.path.tenant === T5001 && e.path.hosts[e.dir] === HV01 &&
    e.inner.some((l) => l.kind === 'payload' && l.data.length >= 1200));
  if (trunc === undefined) throw new Error('no frame to truncate');
  trunc.snaplen = 128;
  trunc.comment = 'Captured with a 128-byte snap length on purpose: inner TCP checksum cannot be verified';
  trunc.note = 'snaplen-truncated';

  const chunks: Uint8Array[] = [];
  const w = new PcapngWriter((c) => chunks.push(c), {
    userAppl: 'Tunnelscope gen-demo (deterministic)',
    comment: `Tunnelscope demo capture: NVGRE/VXLAN/Geneve tenants, seed ${seed}, start ${DEMO_START}`,
  });
  const iface = w.addInterface({ linktype: 1, snaplen: 262144, name: 'mirror0', description: 'fabric mirror port', tsResolDigits: 9 });
  const outerIds = new Map<Host, number>();
  const packets: TruthFrame[] = [];
  const tenantFrames = new Map<Tenant, { frames: number; flowIds: Set<number>; underlay: Set<string> }>();
  for (const t of TENANTS) tenantFrames.set(t, { frames: 0, flowIds: new Set(), underlay: new Set() });

  events.forEach((ev, i) => {
    const outer = outerLayers(ev, outerIds, rng);
    let layers = [...outer, ...ev.inner];
    const isArp = ev.inner[0].kind === 'arp';
    const opts: B.BuildOptions = { minLength: 60, ...(ev.snaplen !== undefined ? { snaplen: ev.snaplen } : {}) };
    let f = B.buildFrame(layers, opts);
    // A checksum that happens to equal its pseudo-header sum would read as both good and partial:
    // nudge the TCP window so that no frame is ambiguous.
    for (let k = 0; k < 4 && ambiguous(f); k++) {
      layers = layers.map((l) => (l.kind === 'tcp' ? { ...l, window: (l.window ?? 65535) - 1 } : l));
      f = B.buildFrame(layers, opts);
    }
    if (ambiguous(f)) throw new Error(`frame ${i + 1}: checksum equals its pseudo-header sum`);
    const tsSec = DEMO_START_SEC + Math.floor(ev.t / 1e9);
    const tsNsec = ev.t % 1e9;
    w.writePacket(iface, tsSec, tsNsec, f.data, 0, f.caplen, f.origlen, ev.comment !== undefined ? { comment: ev.comment } : undefined);
    const t = ev.path.tenant;
    const outerIp = layers.find((l): l is B.Ipv4Layer | B.Ipv6Layer => l.kind === 'ipv4' || l.kind === 'ipv6');
    const tf: TruthFrame = {
      n: i + 1,
      encap: t?.encap ?? null,
      vnid: t?.vnid ?? null,
      flowId: t?.encap === 'nvgre' ? ev.path.flowId : null,
      outerSrc: isArp || outerIp === undefined ? null : outerIp.src,
      checks: truthChecks(layers, f),
      caplen: f.caplen,
      origlen: f.origlen,
      ...(ev.note !== undefined ? { note: ev.note } : {}),
    };
    packets.push(tf);
    if (t !== null) {
      const agg = tenantFrames.get(t);
      if (agg !== undefined) {
        agg.frames++;
        if (t.encap === 'nvgre') agg.flowIds.add(ev.path.flowId);
        agg.underlay.add(ev.path.hosts[ev.dir].ip);
      }
    }
  });
  w.close();
  const pcapng = concatBytes(chunks);

  const counts = { bad: 0, partial: 0, zero: 0, unverified: 0, truncated: 0 };
  const checkCounts: Record<string, Partial<Record<Verdict, number>>> = {};
  for (const p of packets) {
    const vs = Object.values(p.checks);
    if (vs.includes('bad')) counts.bad++;
    if (vs.includes('partial')) counts.partial++;
    if (vs.includes('zero')) counts.zero++;
    if (vs.includes('unverified')) counts.unverified++;
    if (p.caplen < p.origlen) counts.truncated++;
    for (const [name, v] of Object.entries(p.checks)) {
      const c = (checkCounts[name] ??= {});
      c[v] = (c[v] ?? 0) + 1;
    }
  }
  const truth: DemoTruth = {
    generator: 'scripts/gen-demo.ts',
    seed,
    start: DEMO_START,
    frames: packets.length,
    bytes: pcapng.length,
    hosts: { badNic: BAD_NIC.ip, beforeOffload: BEFORE_OFFLOAD.ip },
    tenants: TENANTS.map((t) => {
      const agg = tenantFrames.get(t);
      return {
        name: t.name, encap: t.encap, vnid: t.vnid,
        flowIds: [...(agg?.flowIds ?? [])].sort((a, b) => a - b),
        underlay: [...(agg?.underlay ?? [])].sort(),
        frames: agg?.frames ?? 0,
      };
    }),
    counts,
    checkCounts: Object.fromEntries(Object.entries(checkCounts).sort(([a], [b]) => a.localeCompare(b))),
    packets,
  };
  return { pcapng, truth, truthJson: formatTruth(truth) };
}

function ambiguous(f: B.BuiltFrame): boolean {
  return f.layers.some((l) => l.pseudoChecksum >= 0 && l.goodChecksum === l.pseudoChecksum);
}

/** JSON with one packet per line: readable, diffable, still small. */
function formatTruth(t: DemoTruth): string {
  const { packets, ...head } = t;
  const headJson = JSON.stringify(head, null, 2);
  const lines = packets.map((p) => '    ' + JSON.stringify(p));
  return `${headJson.slice(0, -2)},\n  "packets": [\n${lines.join(',\n')}\n  ]\n}\n`;
}


export function writeDemo(outDir: string): DemoOutput {
  const out = generateDemo();
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'demo.pcapng'), out.pcapng);
  writeFileSync(join(outDir, 'demo.truth.json'), out.truthJson);
  return out;
}

export function describeDemo(t: DemoTruth): string {
  const lines = [
    `frames: ${t.frames}, bytes: ${t.bytes}`,
    `tenants:`,
    ...t.tenants.map((x) => `  ${x.encap.padEnd(6)} ${String(x.vnid).padStart(7)} (0x${x.vnid.toString(16)})  ${String(x.frames).padStart(5)} frames` +
      (x.flowIds.length > 0 ? `  flowIds ${x.flowIds.map((f) => '0x' + f.toString(16).padStart(2, '0')).join(',')}` : '') +
      `  underlay ${x.underlay.join(',')}  ${x.name}`),
    `plain (not tunnelled) frames: ${t.packets.filter((p) => p.encap === null).length}`,
    `frames with a deliberately bad checksum: ${t.counts.bad} (all sent by ${t.hosts.badNic})`,
    `frames with a partial checksum: ${t.counts.partial} (sent by ${t.hosts.beforeOffload}, captured before offload)`,
    `frames with a zero checksum: ${t.counts.zero}`,
    `snaplen-truncated frames: ${t.counts.truncated} (unverified checks in ${t.counts.unverified})`,
    `checks:`,
    ...Object.entries(t.checkCounts).map(([k, v]) => `  ${k.padEnd(14)} ${JSON.stringify(v)}`),
  ];
  return lines.join('\n');
}

function main(argv: string[]): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  let outDir = join(root, 'public', 'samples');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out-dir' && argv[i + 1] !== undefined) outDir = resolve(argv[++i]);
    else if (argv[i] === '--help' || argv[i] === '-h') {
      console.log('usage: npx tsx scripts/gen-demo.ts [--out-dir DIR]   (writes DIR/demo.pcapng and DIR/demo.truth.json)');
      return;
    } else throw new Error(`unknown argument ${argv[i]}`);
  }
  const out = writeDemo(outDir);
  console.log(`wrote ${join(outDir, 'demo.pcapng')} and demo.truth.json`);
  console.log(describeDemo(out.truth));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
