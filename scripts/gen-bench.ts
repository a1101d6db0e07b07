// Generates a large deterministic NVGRE capture for benchmarks.
//
//   npx tsx scripts/gen-bench.ts [--size-mb 1024] [--out bench/data/nvgre-1g.pcapng] [--seed N]
//                                [--tenants 64] [--underlay-mtu N] [--force] [--quiet]
//
// --underlay-mtu N: the hosts fragment every encapsulated packet larger than N bytes (outer IP), as a
// host does when the underlay's MTU is smaller than the tenant's MTU plus the encapsulation: with 1400,
// every full-size frame leaves as two IP fragments (the IP reassembly benchmark).
//
// 64 tenants (VSIDs) spread over 16 Hyper-V hosts, each tenant with two TCP flows and one UDP flow,
// IPv4 outside and inside. Frame sizes mix like real traffic: many pure ACKs (96 bytes), many
// full-size segments (1514 bytes = 1500-byte outer IP MTU), and a spread in between. About 1% of the
// frames carry a bad inner TCP/UDP checksum; everything else is correct.
//
// Speed: a few hundred template frames are built once (with correct checksums, by packet-builder);
// each output frame is a template with a few fields patched (outer and inner IPv4 ID, TCP seq/ack),
// the checksums updated incrementally (RFC 1624), and streamed through PcapngWriter in 8 MiB chunks.
//
// A sidecar <out>.json records the parameters and results; when it matches and the file has the
// recorded size, the run is skipped (use --force to regenerate).

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PcapngWriter } from '../decoders/capture/pcapng-writer.ts';
import * as B from './lib/packet-builder.ts';
import { fragmentFrame } from './lib/fragment.ts';
import { Rng } from './lib/rng.ts';

const VERSION = 1;
export const BENCH_START = '2025-11-24T16:00:00Z';
const START_SEC = Date.parse(BENCH_START) / 1000;

export interface BenchParams {
  sizeMb: number;
  seed: number;
  tenants: number;
  /** Fragment outer IP packets larger than this (absent: never). */
  underlayMtu?: number;
}

export interface BenchStamp {
  generator: string;
  version: number;
  params: BenchParams;
  /** File size in bytes. */
  bytes: number;
  frames: number;
  tenants: number;
  /** VSIDs used (first, last: consecutive). */
  vsids: [number, number];
  /** Frames per tenant, in VSID order. */
  framesPerTenant: number[];
  /** Frames with a deliberately bad checksum, per check name ('inner.tcp', 'inner.udp'). */
  bad: Record<string, number>;
  badFrames: number;
  minFrame: number;
  maxFrame: number;
  /** First and last timestamp, seconds since 1970 with 9 decimals. */
  firstTime: string;
  lastTime: string;
}

export interface BenchResult {
  stamp: BenchStamp;
  skipped: boolean;
  seconds: number;
  out: string;
}

interface Flow {
  tenant: number;
  tcp: boolean;
  /** Next sequence number the server (data sender) will use, and the client's. */
  srvSeq: number;
  cliSeq: number;
  ipId: [number, number];
}

interface Template {
  bytes: Uint8Array;
  len: number;
  flow: Flow;
  /** 0 client -> server, 1 server -> client. */
  dir: 0 | 1;
  /** Underlay host index of the sender. */
  host: number;
  payloadLen: number;
  /** Value 'partial' would write (a bad checksum must not equal it). */
  pseudo: number;
}

// Frame layout: Ethernet 14 | outer IPv4 20 | GRE 8 | inner Ethernet 14 | inner IPv4 20 | L4.
const O_IP = 14;
const I_IP = 56;
const L4 = 76;
const HDR_TCP = L4 + 20; // 96: a pure ACK
const HDR_UDP = L4 + 8;
const FULL = 1514;

const MASKS = [0x5a5a, 0x0f0f, 0x3333, 0x00ff];

function get16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}
function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 8;
  b[o + 1] = v & 0xff;
}
function get32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

/** Replace a 16-bit field and fix the checksum at csumOff (RFC 1624). */
function patch16(b: Uint8Array, off: number, csumOff: number, v: number): void {
  const old = get16(b, off);
  put16(b, off, v);
  put16(b, csumOff, B.updateChecksum16(get16(b, csumOff), old, v));
}
/** Replace a 32-bit field and fix the checksum at csumOff (RFC 1624). */
function patch32(b: Uint8Array, off: number, csumOff: number, v: number): void {
  const old = get32(b, off);
  put32(b, off, v);
  put16(b, csumOff, B.updateChecksum32(get16(b, csumOff), old, v));
}

function hostIp(h: number): string {
  return `192.168.100.${h + 11}`;
}
function hostMac(h: number): string {
  return `00:15:5d:64:00:${(h + 11).toString(16).padStart(2, '0')}`;
}

/** Builds the templates: per TCP flow an ACK, a full-size segment and three medium sizes; per UDP flow three sizes. */
function buildTemplates(rng: Rng, tenants: number): { templates: Template[]; weights: number[] } {
  const hosts = 16;
  const templates: Template[] = [];
  const weights: number[] = [];
  for (let t = 0; t < tenants; t++) {
    const vsid = 7001 + t;
    // Tenant popularity: Zipf-like, so a few tenants carry most of the traffic but all appear.
    const tenantWeight = 1 / Math.pow(t + 1, 0.8);
    for (let f = 0; f < 3; f++) {
      const tcp = f < 2;
      const client = (t * 3 + f) % hosts;
      let server = (t * 7 + f * 5 + 1) % hosts;
      if (server === client) server = (server + 1) % hosts;
      const flow: Flow = { tenant: t, tcp, srvSeq: rng.u32(), cliSeq: rng.u32(), ipId: [rng.int(65536), rng.int(65536)] };
      const flowId = rng.int(256);
      const cIp = `10.${t >> 4}.${(t & 15) * 16 + f}.10`;
      const sIp = `10.${t >> 4}.${(t & 15) * 16 + f}.20`;
      const cPort = 49152 + rng.int(16000);
      const sPort = tcp ? (f === 0 ? 443 : 1433) : 53;
      const cMac = `00:15:5d:${(t + 0x10).toString(16).padStart(2, '0')}:0${f}:0a`;
      const sMac = `00:15:5d:${(t + 0x10).toString(16).padStart(2, '0')}:0${f}:14`;
      const make = (dir: 0 | 1, frameLen: number, weight: number): void => {
        const [sh, dh] = dir === 0 ? [client, server] : [server, client];
        const hdr = tcp ? HDR_TCP : HDR_UDP;
        const payloadLen = frameLen - hdr;
        const inner: B.Layer[] = [
          B.eth({ src: dir === 0 ? cMac : sMac, dst: dir === 0 ? sMac : cMac }),
          B.ipv4({ src: dir === 0 ? cIp : sIp, dst: dir === 0 ? sIp : cIp, ttl: 128, df: true }),
          tcp
            ? B.tcp({
              sport: dir === 0 ? cPort : sPort, dport: dir === 0 ? sPort : cPort,
              seq: dir === 0 ? flow.cliSeq : flow.srvSeq, ack: dir === 0 ? flow.srvSeq : flow.cliSeq,
              flags: payloadLen > 0 ? 'PA' : 'A', window: 8212,
            })
            : B.udp({ sport: dir === 0 ? cPort : sPort, dport: dir === 0 ? sPort : cPort }),
        ];
        if (payloadLen > 0) inner.push(B.payload(rng.bytes(payloadLen)));
        const frame = B.buildFrame([
          B.eth({ src: hostMac(sh), dst: hostMac(dh) }),
          B.ipv4({ src: hostIp(sh), dst: hostIp(dh), ttl: 128, df: true }),
          B.nvgre({ vsid, flowId }),
          ...inner,
        ]);
        if (frame.data.length !== frameLen) throw new Error(`template length ${frame.data.length} != ${frameLen}`);
        templates.push({ bytes: frame.data, len: frameLen, flow, dir, host: sh, payloadLen, pseudo: frame.layers[5].pseudoChecksum });
        weights.push(weight * tenantWeight);
      };
      if (tcp) {
        make(0, HDR_TCP, 0.4); // client ACKs
        make(1, FULL, 0.35); // full-size data
        for (let k = 0; k < 3; k++) make(k === 0 ? 0 : 1, HDR_TCP + 40 + rng.int(1300), 0.25 / 3); // requests, short responses
      } else {
        make(0, HDR_UDP + 30 + rng.int(40), 0.5); // queries
        make(1, HDR_UDP + 80 + rng.int(300), 0.4); // answers
        make(1, HDR_UDP + 500 + rng.int(900), 0.1); // large answers
      }
    }
  }
  return { templates, weights };
}

function readStamp(path: string): BenchStamp | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BenchStamp;
  } catch {
    return null;
  }
}

export function generateBench(opts: { out: string; params: BenchParams; force?: boolean; log?: (s: string) => void }): BenchResult {
  const { out, params } = opts;
  const log = opts.log ?? ((): void => {});
  const stampPath = `${out}.json`;
  const t0 = performance.now();
  if (!opts.force && existsSync(out)) {
    const old = readStamp(stampPath);
    if (old !== null && old.version === VERSION && JSON.stringify(old.params) === JSON.stringify(params) &&
      statSync(out).size === old.bytes) {
      log(`${out} is up to date (${old.frames} frames, ${old.bytes} bytes); use --force to regenerate`);
      return { stamp: old, skipped: true, seconds: 0, out };
    }
  }

  const rng = new Rng(params.seed);
  const { templates, weights } = buildTemplates(rng, params.tenants);
  // 64 Ki-entry lookup table: uniform random -> template index, following the weights.
  const LUT_BITS = 16;
  const lut = new Uint16Array(1 << LUT_BITS);
  {
    const total = weights.reduce((a, b) => a + b, 0);
    let acc = 0;
    let k = 0;
    for (let i = 0; i < templates.length; i++) {
      acc += weights[i];
      const end = Math.round((acc / total) * lut.length);
      for (; k < end; k++) lut[k] = i;
    }
    for (; k < lut.length; k++) lut[k] = templates.length - 1;
  }

  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.tmp`;
  const fd = openSync(tmp, 'w');
  const target = params.sizeMb * 1024 * 1024;
  const w = new PcapngWriter((chunk) => {
    writeSync(fd, chunk);
  }, { chunkSize: 8 << 20, userAppl: 'Tunnelscope gen-bench (deterministic)' });
  const iface = w.addInterface({ linktype: 1, snaplen: 262144, name: 'bench0', tsResolDigits: 9 });

  const outerId = new Uint16Array(16);
  for (let h = 0; h < 16; h++) outerId[h] = rng.int(65536);
  const perTenant = new Array<number>(params.tenants).fill(0);
  let badTcp = 0;
  let badUdp = 0;
  let frames = 0;
  let minFrame = Infinity;
  let maxFrame = 0;
  let sec = START_SEC;
  let nsec = 0;
  const firstTime = `${sec}.${String(nsec).padStart(9, '0')}`;
  let lastTime = firstTime;

  // EPB overhead is 32 bytes + padding; stop once the next frame would pass the target.
  while (w.bytesWritten + 32 + FULL + 4 <= target) {
    const r = rng.u32();
    const tp = templates[lut[r >>> (32 - LUT_BITS)]];
    const b = tp.bytes;
    const flow = tp.flow;
    // Outer IPv4 ID (per underlay host) and inner IPv4 ID (per flow direction), checksums updated.
    const oid = outerId[tp.host];
    outerId[tp.host] = (oid + 1) & 0xffff;
    patch16(b, O_IP + 4, O_IP + 10, oid);
    const iid = flow.ipId[tp.dir];
    flow.ipId[tp.dir] = (iid + 1) & 0xffff;
    patch16(b, I_IP + 4, I_IP + 10, iid);
    let csumOff: number;
    if (flow.tcp) {
      csumOff = L4 + 16;
      const seq = tp.dir === 0 ? flow.cliSeq : flow.srvSeq;
      const ack = tp.dir === 0 ? flow.srvSeq : flow.cliSeq;
      patch32(b, L4 + 4, csumOff, seq);
      patch32(b, L4 + 8, csumOff, ack);
      if (tp.dir === 0) flow.cliSeq = (seq + tp.payloadLen) >>> 0;
      else flow.srvSeq = (seq + tp.payloadLen) >>> 0;
    } else {
      csumOff = L4 + 6; // UDP: nothing covered by its checksum changes
    }
    // About 1% bad inner L4 checksums: write a wrong value for this frame only.
    const bad = (r & 0x3ff) < 10;
    let good = 0;
    if (bad) {
      good = get16(b, csumOff);
      let v = good;
      for (const m of MASKS) {
        v = (good ^ m) & 0xffff;
        if (v !== 0 && v !== tp.pseudo && !(good === 0 && v === 0xffff) && !(good === 0xffff && v === 0)) break;
      }
      put16(b, csumOff, v);
      if (flow.tcp) badTcp++;
      else badUdp++;
    }
    const mtu = params.underlayMtu ?? 0;
    let written = 1;
    if (mtu > 0 && tp.len - O_IP > mtu) {
      // The pieces follow each other, a few microseconds apart, as they leave the host.
      const pieces = fragmentFrame(b.subarray(0, tp.len), O_IP, mtu - 20);
      for (const f of pieces) {
        w.writePacket(iface, sec, nsec, f, 0, f.length, f.length);
        nsec += 1200;
        if (nsec >= 1e9) {
          nsec -= 1e9;
          sec++;
        }
      }
      written = pieces.length;
    } else {
      w.writePacket(iface, sec, nsec, b, 0, tp.len, tp.len);
    }
    if (bad) put16(b, csumOff, good);
    frames += written;
    perTenant[flow.tenant] += written;
    if (tp.len < minFrame) minFrame = tp.len;
    if (tp.len > maxFrame) maxFrame = tp.len;
    // ~7 µs between frames on average (about 1 Gbit/s with bursts).
    nsec += tp.len + (rng.u32() % 12000);
    if (nsec >= 1e9) {
      nsec -= 1e9;
      sec++;
    }
  }
  lastTime = `${sec}.${String(nsec).padStart(9, '0')}`;
  w.close();
  closeSync(fd);
  renameSync(tmp, out);
  const bytes = statSync(out).size;
  const stamp: BenchStamp = {
    generator: 'scripts/gen-bench.ts',
    version: VERSION,
    params,
    bytes,
    frames,
    tenants: perTenant.filter((n) => n > 0).length,
    vsids: [7001, 7000 + params.tenants],
    framesPerTenant: perTenant,
    bad: { 'inner.tcp': badTcp, 'inner.udp': badUdp },
    badFrames: badTcp + badUdp,
    minFrame: frames > 0 ? minFrame : 0,
    maxFrame,
    firstTime,
    lastTime,
  };
  writeFileSync(stampPath, JSON.stringify(stamp, null, 2) + '\n');
  const seconds = (performance.now() - t0) / 1000;
  return { stamp, skipped: false, seconds, out };
}

function main(argv: string[]): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  let out = join(root, 'bench/data/nvgre-1g.pcapng');
  const params: BenchParams = { sizeMb: 1024, seed: 20251124, tenants: 64 };
  let force = false;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const num = (lo: number, hi: number): number => {
      const n = Number(val());
      if (!Number.isInteger(n) || n < lo || n > hi) throw new Error(`${a} must be an integer ${lo}..${hi}`);
      return n;
    };
    if (a === '--size-mb') params.sizeMb = num(1, 1 << 20);
    else if (a === '--out') out = resolve(val());
    else if (a === '--seed') params.seed = num(0, 0xffffffff);
    else if (a === '--tenants') params.tenants = num(1, 240);
    else if (a === '--underlay-mtu') params.underlayMtu = num(576, 65535);
    else if (a === '--force') force = true;
    else if (a === '--quiet') quiet = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: npx tsx scripts/gen-bench.ts [--size-mb 1024] [--out bench/data/nvgre-1g.pcapng] [--seed N] [--tenants 64] [--underlay-mtu N] [--force] [--quiet]');
      return;
    } else throw new Error(`unknown argument ${a}`);
  }
  const r = generateBench({ out, params, force, log: (s) => console.log(s) });
  if (r.skipped || quiet) return;
  const s = r.stamp;
  console.log(`wrote ${out}`);
  console.log(`  frames ${s.frames}, bytes ${s.bytes} (${(s.bytes / 1048576).toFixed(1)} MiB), frame sizes ${s.minFrame}..${s.maxFrame}`);
  console.log(`  tenants ${s.tenants} (VSID ${s.vsids[0]}..${s.vsids[1]}), bad inner checksums ${s.badFrames} (tcp ${s.bad['inner.tcp']}, udp ${s.bad['inner.udp']}; ${(100 * s.badFrames / Math.max(1, s.frames)).toFixed(2)}%)`);
  console.log(`  time ${r.seconds.toFixed(2)} s (${(s.bytes / 1048576 / r.seconds).toFixed(0)} MiB/s)`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
