// Captures of the same packets at several points, for "where did it break?" (decoders/analysis/paths.ts): a
// sender-side and a receiver-side capture, a triple with a mirror port between, and a pktmon-style single
// pcapng (one interface per stack component, the same epb_packetid on every copy of a packet). Every packet
// is built with what happens to it at each point (its checksum left partial on the sending host, filled in,
// turned bad by an offload with the bytes unchanged, its payload corrupted under the original checksum, not
// seen), and says which finding it makes: the scenario's expected findings are the sum of what was built.
// Clocks of the captures are off by seconds, arrivals reordered, TCP segments retransmitted with the same
// bytes. Deterministic.

import { concatBytes } from '../../decoders/bytes.ts';
import { epb, idb, shb } from '../../decoders/capture/test-bytes.ts';
import { buildFrame, eth, icmpEcho, ipv4, nvgre, payload, tcp, udp, vxlan, type ChecksumMode, type Layer } from './packet-builder.ts';
import { Rng } from './rng.ts';

export type Cause = 'sender' | 'offload' | 'path' | 'lost';

export interface ExpectedFinding {
  cause: Cause;
  from: string | null;
  to: string;
  tenant: string | null;
  check: string | null;
  count: number;
}

/** What happens to a packet at one point of its path. */
export type Fate =
  | 'ok' // as it should be: partial on the sending host (TCP), good elsewhere
  | 'bad' // the checksum field wrong, every other byte as sent (the sender's stack, or an offload)
  | 'corrupt' // a payload byte flipped, the checksum computed over the original bytes
  | 'missing'; // not seen here

export interface Tenant {
  key: string;
  encap: 'nvgre' | 'vxlan';
  id: number;
}

export interface Vm {
  ip: string;
  mac: string;
  /** Underlay address and MAC of the host it runs on. */
  host: string;
  hostMac: string;
}

/** A point: a capture file, and an interface of it. */
export interface PointSpec {
  capture: number;
  iface: number;
  /** Copies here carry the tunnel (a vmNIC sees the tenant's frame alone). */
  encap: boolean;
  /** Outer TTL seen here. */
  ttl: number;
}

export interface CaptureSpec {
  name: string;
  /** Interface names (pcapng if_name); one unnamed interface when empty. */
  interfaces: string[];
  /** How far this capture's clock is ahead of the true time, in nanoseconds. */
  skewNs: number;
}

/** One packet as sent, and where it is seen. */
export interface PacketSpec {
  tenant: Tenant;
  src: Vm;
  dst: Vm;
  proto: 'tcp' | 'icmp';
  ipId: number;
  seq: number;
  ack: number;
  flags: string;
  data: Uint8Array;
  /** True send time (ns). */
  t: number;
  /** The points it passes in order, with the delay after sending (ns) and what happens there. */
  path: Array<{ point: number; delay: number; fate: Fate; sending: boolean }>;
  packetId?: bigint;
  /** What it should show: [cause, from point, to point, check] (from -1 for sender). */
  expect: Array<[Cause, number, number, string | null]>;
}

export interface Scenario {
  captures: Array<{ name: string; bytes: Uint8Array }>;
  specs: CaptureSpec[];
  points: PointSpec[];
  packets: PacketSpec[];
  /** Point labels as the analysis names them. */
  labels: string[];
  findings: ExpectedFinding[];
  /** Packets seen in two captures or more; per capture, packets seen only there. */
  matched: number;
  unmatched: Record<string, number>;
  /** Per packet (index in `packets`), per point: the frame number of its copy there, 0 when not seen. */
  frameOf: number[][];
}

const EPOCH = 1_764_000_000n * 1_000_000_000n;

function innerLayers(p: PacketSpec, mode: ChecksumMode, data: Uint8Array): Layer[] {
  const l4: Layer = p.proto === 'tcp'
    ? tcp({ sport: 40000 + (p.tenant.id % 1000), dport: 443, seq: p.seq, ack: p.ack, flags: p.flags, checksum: mode })
    : icmpEcho({ type: 8, id: 7, seq: p.seq, checksum: mode });
  return [eth({ src: p.src.mac, dst: p.dst.mac }), ipv4({ src: p.src.ip, dst: p.dst.ip, id: p.ipId, df: true, ttl: 64 }), l4, payload(data)];
}

/** The good checksum of the packet's transport as sent (what a NIC writes before the payload is corrupted). */
function goodChecksum(p: PacketSpec): number {
  const f = buildFrame(innerLayers(p, 'good', p.data));
  return f.layers[2].goodChecksum;
}

/** The bytes of a packet at one point, given what happened to it up to there. */
export function copyAt(p: PacketSpec, pt: PointSpec, fate: Fate, sending: boolean): Uint8Array {
  let mode: ChecksumMode = p.proto === 'tcp' && sending ? 'partial' : 'good';
  let data = p.data;
  if (fate === 'bad') mode = 'bad';
  if (fate === 'corrupt') {
    mode = goodChecksum(p);
    data = p.data.slice();
    data[10] ^= 0x01;
  }
  const inner = innerLayers(p, mode, data);
  if (!pt.encap) return buildFrame(inner).data;
  const outer: Layer[] = [eth({ src: p.src.hostMac, dst: p.dst.hostMac }), ipv4({ src: p.src.host, dst: p.dst.host, ttl: pt.ttl, id: p.ipId ^ 0x5555 })];
  const tunnel: Layer[] = p.tenant.encap === 'nvgre'
    ? [nvgre({ vsid: p.tenant.id, flowId: 3 })]
    : [udp({ sport: 49152 + (p.ipId & 0xfff), dport: 4789, checksum: 'zero' }), vxlan(p.tenant.id)];
  return buildFrame([...outer, ...tunnel, ...inner]).data;
}

/** Writes the captures and sums up what the packets expect. */
export function assemble(specs: CaptureSpec[], points: PointSpec[], packets: PacketSpec[]): Scenario {
  const labels = points.map((pt) => {
    const c = specs[pt.capture];
    return c.interfaces.length <= 1 ? c.name : `${c.name}:${c.interfaces[pt.iface]}`;
  });
  const rows = specs.map(() => [] as Array<{ ts: number; iface: number; data: Uint8Array; packetId?: bigint; packet: number; point: number }>);
  packets.forEach((p, k) => {
    for (const step of p.path) {
      if (step.fate === 'missing') continue;
      const pt = points[step.point];
      rows[pt.capture].push({
        ts: p.t + step.delay + specs[pt.capture].skewNs, iface: pt.iface, data: copyAt(p, pt, step.fate, step.sending),
        packetId: p.packetId, packet: k, point: step.point,
      });
    }
  });
  const frameOf = packets.map(() => points.map(() => 0));
  const captures = specs.map((spec, c) => {
    // Stable: copies with one timestamp stay in the order they were logged.
    const list = rows[c].map((r, k) => ({ r, k })).sort((a, b) => a.r.ts - b.r.ts || a.k - b.k).map((x) => x.r);
    const ifs = spec.interfaces.length === 0 ? [undefined] : spec.interfaces;
    const blocks = [shb(true), ...ifs.map((name) => idb(true, { linktype: 1, tsresol: 9, ...(name !== undefined ? { name } : {}) }))];
    list.forEach((r, n) => {
      frameOf[r.packet][r.point] = n + 1;
      blocks.push(epb(true, { ifId: r.iface, ts: EPOCH + BigInt(Math.round(r.ts)), data: r.data, ...(r.packetId !== undefined ? { packetId: r.packetId } : {}) }));
    });
    return { name: spec.name, bytes: concatBytes(blocks) };
  });
  const sums = new Map<string, ExpectedFinding>();
  for (const p of packets) {
    for (const [cause, from, to, check] of p.expect) {
      const f = { cause, from: from >= 0 ? labels[from] : null, to: labels[to], tenant: p.tenant.key, check, count: 0 };
      const id = JSON.stringify([f.cause, f.from, f.to, f.tenant, f.check]);
      const s = sums.get(id) ?? f;
      s.count++;
      sums.set(id, s);
    }
  }
  let matched = 0;
  const unmatched: Record<string, number> = Object.fromEntries(specs.map((s) => [s.name, 0]));
  for (const p of packets) {
    const seen = new Set(p.path.filter((s) => s.fate !== 'missing').map((s) => points[s.point].capture));
    if (seen.size > 1) matched++;
    else if (seen.size === 1) unmatched[specs[[...seen][0]].name]++;
  }
  return { captures, specs, points, packets, labels, findings: [...sums.values()], matched, unmatched, frameOf };
}

const A_HOST = { host: '192.168.20.11', hostMac: '00:15:5d:20:00:11' };
const B_HOST = { host: '192.168.20.12', hostMac: '00:15:5d:20:00:12' };
const vm = (ip: string, mac: string, h: typeof A_HOST): Vm => ({ ip, mac, ...h });

export const TENANTS = {
  blue: { key: 'nvgre:5001', encap: 'nvgre', id: 5001 },
  // Reuses blue's inner addresses: only the tenant tells their packets apart.
  green: { key: 'nvgre:5002', encap: 'nvgre', id: 5002 },
  red: { key: 'vxlan:300', encap: 'vxlan', id: 300 },
} as const satisfies Record<string, Tenant>;

const VMS = {
  blueA: vm('10.1.0.1', '00:1d:d8:01:00:01', A_HOST), blueB: vm('10.1.0.2', '00:1d:d8:01:00:02', B_HOST),
  redA: vm('10.3.0.1', '00:1d:d8:03:00:01', A_HOST), redB: vm('10.3.0.2', '00:1d:d8:03:00:02', B_HOST),
};

/** A traffic generator over points in path order from A to B (reversed for B to A). */
class Traffic {
  readonly packets: PacketSpec[] = [];
  t = 10_000_000;
  private readonly rng = new Rng(7);
  private ipIds = new Map<string, number>();

  /** `hops`: delay in ns from the sending point to each next point (A to B order); `sendingAt`: points on the sending host. */
  constructor(private readonly pathAB: number[], private readonly hops: number[], private readonly sendingA: number, private readonly sendingB: number) {}

  send(o: {
    tenant: Tenant; from: Vm; to: Vm; proto?: 'tcp' | 'icmp'; seq: number; ack?: number; flags?: string; size?: number; ipId?: number;
    reverse?: boolean; fates?: Fate[]; extraDelay?: number; expect?: Array<[Cause, number, number, string | null]>; gap?: number;
  }): PacketSpec {
    const order = o.reverse ? [...this.pathAB].reverse() : this.pathAB;
    const hops = o.reverse ? [...this.hops].reverse() : this.hops;
    const sendingPts = o.reverse ? this.sendingB : this.sendingA;
    const idKey = `${o.tenant.key}/${o.from.ip}`;
    const ipId = o.ipId ?? ((this.ipIds.get(idKey) ?? 0) + 1);
    if (o.ipId === undefined) this.ipIds.set(idKey, ipId);
    let delay = 0;
    const path = order.map((point, k) => {
      if (k > 0) delay += hops[k - 1] + this.rng.int(40_000) + (k === order.length - 1 ? o.extraDelay ?? 0 : 0);
      return { point, delay, fate: o.fates?.[k] ?? 'ok' as Fate, sending: k < sendingPts };
    });
    const p: PacketSpec = {
      tenant: o.tenant, src: o.from, dst: o.to, proto: o.proto ?? 'tcp', ipId, seq: o.seq, ack: o.ack ?? 1, flags: o.flags ?? 'PA',
      data: payload(o.size ?? 100, 0x41 + (o.seq % 26)).data, t: this.t, path, expect: o.expect ?? [],
    };
    this.packets.push(p);
    this.t += o.gap ?? 2_000_000;
    return p;
  }
}

/**
 * Two captures, the sender host's (before its NIC: TCP checksums partial) and the receiver host's (3.7 s ahead
 * unless told):
 * blue (NVGRE 5001) data with 3 sender, 5 offload, 4 path and 3 lost packets; red (VXLAN 300) with 2 offload,
 * 1 ICMP path and 1 lost ACK the other way; green (NVGRE 5002, blue's inner addresses, IP id 0) with two
 * retransmitted segments, one whose original was lost and one spurious; every seventh blue segment reordered;
 * a TSO super-frame at the sender that the receiver sees as two segments (no finding).
 */
export function pairScenario(receiverSkewNs = 3_700_000_000): Scenario {
  const specs: CaptureSpec[] = [{ name: 'sender.pcapng', interfaces: [], skewNs: 0 }, { name: 'receiver.pcapng', interfaces: [], skewNs: receiverSkewNs }];
  const points: PointSpec[] = [{ capture: 0, iface: 0, encap: true, ttl: 64 }, { capture: 1, iface: 0, encap: true, ttl: 63 }];
  const tr = new Traffic([0, 1], [250_000], 1, 1);
  const { blue, green, red } = TENANTS;
  const { blueA, blueB, redA, redB } = VMS;
  const blueCase = (k: number): { fates?: Fate[]; expect?: Array<[Cause, number, number, string | null]> } => {
    if (k % 10 === 3 && k < 30) return { fates: ['bad', 'bad'], expect: [['sender', -1, 0, 'inner.tcp']] };
    if (k % 10 === 5 && k < 50) return { fates: ['ok', 'bad'], expect: [['offload', 0, 1, 'inner.tcp']] };
    if (k % 10 === 8 && k < 40) return { fates: ['ok', 'corrupt'], expect: [['path', 0, 1, 'inner.tcp']] };
    if (k % 10 === 1 && k > 10 && k < 41) return { fates: ['ok', 'missing'], expect: [['lost', 0, 1, null]] };
    return {};
  };
  for (let k = 0; k < 60; k++) {
    tr.send({ tenant: blue, from: blueA, to: blueB, seq: 1000 + k * 100, ack: 5000, ...blueCase(k), extraDelay: k % 7 === 6 ? 3_000_000 : 0 });
    if (k % 2 === 1) tr.send({ tenant: blue, from: blueB, to: blueA, seq: 5000, ack: 1000 + (k + 1) * 100, flags: 'A', size: 0, reverse: true });
    if (k % 4 === 0) {
      const j = k / 4;
      const fates: Fate[] | undefined = j === 3 || j === 9 ? ['ok', 'bad'] : undefined;
      tr.send({ tenant: red, from: redA, to: redB, seq: 70_000 + j * 500, ack: 9000, size: 500, fates, expect: fates ? [['offload', 0, 1, 'inner.tcp']] : [] });
      const lostAck = j === 5;
      tr.send({
        tenant: red, from: redB, to: redA, seq: 9000, ack: 70_000 + (j + 1) * 500, flags: 'A', size: 0, reverse: true,
        fates: lostAck ? ['ok', 'missing'] : undefined, expect: lostAck ? [['lost', 1, 0, null]] : [],
      });
      const corrupt = j === 7;
      tr.send({ tenant: red, from: redA, to: redB, proto: 'icmp', seq: j, size: 56, fates: corrupt ? ['ok', 'corrupt'] : undefined, expect: corrupt ? [['path', 0, 1, 'inner.icmp']] : [] });
      tr.send({ tenant: red, from: redB, to: redA, proto: 'icmp', seq: j, size: 56, reverse: true });
    }
    if (k === 20 || k === 30) {
      // Green, IP id 0: a segment and, 200 ms later, its retransmission with the same bytes (the same key). At
      // k = 20 the original never arrives; at k = 30 both do (a spurious retransmission).
      const seg = { tenant: green, from: blueA, to: blueB, seq: 800_000 + k * 1000, ack: 1, ipId: 0, size: 300 };
      const t0 = tr.t;
      tr.send({ ...seg, fates: k === 20 ? ['ok', 'missing'] : undefined, expect: k === 20 ? [['lost', 0, 1, null]] : [], gap: 0 });
      tr.t = t0 + 200_000_000;
      tr.send({ ...seg, gap: 0 });
      tr.t = t0 + 2_000_000;
      tr.send({ tenant: green, from: blueB, to: blueA, seq: 1, ack: 800_000 + k * 1000 + 300, ipId: 0, flags: 'A', size: 0, reverse: true });
    }
  }
  // A TSO super-frame on the sender (3,000 bytes, checksum partial) that the receiver sees as two segments:
  // three packets, each seen at one point, none of them lost.
  tr.send({ tenant: blue, from: blueA, to: blueB, seq: 900_000, ack: 5000, size: 2920, fates: ['ok', 'missing'] });
  tr.send({ tenant: blue, from: blueA, to: blueB, seq: 900_000, ack: 5000, size: 1460, fates: ['missing', 'ok'], ipId: 700 });
  tr.send({ tenant: blue, from: blueA, to: blueB, seq: 901_460, ack: 5000, size: 1460, fates: ['missing', 'ok'], ipId: 701 });
  // Keep both captures running 2 s past the last case, so a packet missing at the receiver was lost there.
  for (let j = 0; j < 20; j++) {
    tr.send({ tenant: red, from: redA, to: redB, proto: 'icmp', seq: 1000 + j, size: 56, gap: 100_000_000 });
  }
  return assemble(specs, points, tr.packets.sort((a, b) => a.t - b.t));
}

/**
 * Three captures along one path: the sending host (before its NIC), a mirror port behind it (+1.5 s), the
 * receiving host (-2.25 s). Blue data: 3 offload and 1 path between host and mirror, 2 path between mirror and
 * receiver, 2 lost before the mirror and 2 after it, 1 sender, 1 that the mirror missed (seen before and
 * after: no loss); ACKs the other way.
 */
export function tripleScenario(): Scenario {
  const specs: CaptureSpec[] = [
    { name: 'host-a.pcapng', interfaces: [], skewNs: 0 },
    { name: 'mirror.pcapng', interfaces: [], skewNs: 1_500_000_000 },
    { name: 'host-b.pcapng', interfaces: [], skewNs: -2_250_000_000 },
  ];
  const points: PointSpec[] = [{ capture: 0, iface: 0, encap: true, ttl: 64 }, { capture: 1, iface: 0, encap: true, ttl: 64 }, { capture: 2, iface: 0, encap: true, ttl: 63 }];
  const tr = new Traffic([0, 1, 2], [100_000, 150_000], 1, 1);
  const { blue } = TENANTS;
  const { blueA, blueB } = VMS;
  const cases: Record<number, { fates: Fate[]; expect: Array<[Cause, number, number, string | null]> }> = {
    4: { fates: ['ok', 'bad', 'bad'], expect: [['offload', 0, 1, 'inner.tcp']] },
    9: { fates: ['ok', 'bad', 'bad'], expect: [['offload', 0, 1, 'inner.tcp']] },
    14: { fates: ['ok', 'bad', 'bad'], expect: [['offload', 0, 1, 'inner.tcp']] },
    17: { fates: ['ok', 'corrupt', 'corrupt'], expect: [['path', 0, 1, 'inner.tcp']] },
    21: { fates: ['ok', 'ok', 'corrupt'], expect: [['path', 1, 2, 'inner.tcp']] },
    26: { fates: ['ok', 'ok', 'corrupt'], expect: [['path', 1, 2, 'inner.tcp']] },
    30: { fates: ['ok', 'missing', 'missing'], expect: [['lost', 0, 1, null]] },
    33: { fates: ['ok', 'missing', 'missing'], expect: [['lost', 0, 1, null]] },
    36: { fates: ['ok', 'ok', 'missing'], expect: [['lost', 1, 2, null]] },
    39: { fates: ['ok', 'ok', 'missing'], expect: [['lost', 1, 2, null]] },
    42: { fates: ['bad', 'bad', 'bad'], expect: [['sender', -1, 0, 'inner.tcp']] },
    45: { fates: ['ok', 'missing', 'ok'], expect: [] },
  };
  for (let k = 0; k < 60; k++) {
    tr.send({ tenant: blue, from: blueA, to: blueB, seq: 1000 + k * 100, ack: 5000, ...cases[k] });
    if (k % 2 === 1) tr.send({ tenant: blue, from: blueB, to: blueA, seq: 5000, ack: 1000 + (k + 1) * 100, flags: 'A', size: 0, reverse: true });
  }
  for (let j = 0; j < 15; j++) tr.send({ tenant: blue, from: blueB, to: blueA, seq: 5000, ack: 7000, flags: 'A', size: 0, reverse: true, ipId: 1000 + j, gap: 100_000_000 });
  return assemble(specs, points, tr.packets.sort((a, b) => a.t - b.t));
}

/**
 * One pktmon-style pcapng: interfaces vmNIC, vSwitch and NIC (as pktmon names its components), every packet
 * logged at each with one epb_packetid; the vmNIC copy is the tenant's frame alone, the others encapsulated.
 * Outbound blue data: 3 offload and 2 path between vSwitch and NIC, 2 sender, 2 lost after the vSwitch; inbound
 * ACKs (NIC, vSwitch, vmNIC) logged with one timestamp at every component.
 */
export function pktmonScenario(): Scenario {
  const specs: CaptureSpec[] = [{ name: 'pktmon.pcapng', interfaces: ['vmNIC', 'vSwitch', 'NIC'], skewNs: 0 }];
  const points: PointSpec[] = [
    { capture: 0, iface: 0, encap: false, ttl: 64 }, { capture: 0, iface: 1, encap: true, ttl: 64 }, { capture: 0, iface: 2, encap: true, ttl: 64 },
  ];
  const tr = new Traffic([0, 1, 2], [4_000, 3_000], 3, 0);
  const { blue } = TENANTS;
  const { blueA, blueB } = VMS;
  const cases: Record<number, { fates: Fate[]; expect: Array<[Cause, number, number, string | null]> }> = {
    3: { fates: ['ok', 'ok', 'bad'], expect: [['offload', 1, 2, 'inner.tcp']] },
    8: { fates: ['ok', 'ok', 'bad'], expect: [['offload', 1, 2, 'inner.tcp']] },
    13: { fates: ['ok', 'ok', 'bad'], expect: [['offload', 1, 2, 'inner.tcp']] },
    16: { fates: ['ok', 'ok', 'corrupt'], expect: [['path', 1, 2, 'inner.tcp']] },
    19: { fates: ['ok', 'ok', 'corrupt'], expect: [['path', 1, 2, 'inner.tcp']] },
    22: { fates: ['bad', 'bad', 'bad'], expect: [['sender', -1, 0, 'tcp']] },
    25: { fates: ['bad', 'bad', 'bad'], expect: [['sender', -1, 0, 'tcp']] },
    28: { fates: ['ok', 'ok', 'missing'], expect: [['lost', 1, 2, null]] },
    31: { fates: ['ok', 'ok', 'missing'], expect: [['lost', 1, 2, null]] },
  };
  let id = 1000n;
  for (let k = 0; k < 50; k++) {
    tr.send({ tenant: blue, from: blueA, to: blueB, seq: 1000 + k * 100, ack: 5000, ...cases[k] }).packetId = id++;
    if (k % 2 === 1) {
      const ack = tr.send({ tenant: blue, from: blueB, to: blueA, seq: 5000, ack: 1000 + (k + 1) * 100, flags: 'A', size: 0, reverse: true });
      ack.packetId = id++;
      for (const s of ack.path) s.delay = 0;
    }
  }
  for (let j = 0; j < 15; j++) {
    tr.send({ tenant: blue, from: blueA, to: blueB, seq: 9000 + j * 100, ack: 5000, gap: 100_000_000 }).packetId = id++;
  }
  return assemble(specs, points, tr.packets.sort((a, b) => a.t - b.t));
}

/**
 * A pktmon-style pcapng of one TCP conversation (blue, NVGRE 5001), every packet logged at vmNIC, vSwitch and NIC
 * with one epb_packetid: 40 data segments A to B, B's ACK after every second one; then segment 40 bad at every
 * point (the sender's stack) and segment 41 bad at the NIC only (its offload), each sent again 200 ms later as a
 * new packet (a new packet id), and B's ACK of both. Analysed once per packet, only the two resends are
 * retransmissions (`retransmissions`: their indices in `packets`).
 */
export function pktmonTcpScenario(): Scenario & { retransmissions: number[]; badSegments: number[] } {
  const specs: CaptureSpec[] = [{ name: 'pktmon-tcp.pcapng', interfaces: ['vmNIC', 'vSwitch', 'NIC'], skewNs: 0 }];
  const points: PointSpec[] = [
    { capture: 0, iface: 0, encap: false, ttl: 64 }, { capture: 0, iface: 1, encap: true, ttl: 64 }, { capture: 0, iface: 2, encap: true, ttl: 64 },
  ];
  const tr = new Traffic([0, 1, 2], [4_000, 3_000], 3, 0);
  const { blue } = TENANTS;
  const { blueA, blueB } = VMS;
  let id = 5000n;
  const ack = (upTo: number): void => {
    const p = tr.send({ tenant: blue, from: blueB, to: blueA, seq: 5000, ack: upTo, flags: 'A', size: 0, reverse: true });
    p.packetId = id++;
  };
  for (let k = 0; k < 40; k++) {
    tr.send({ tenant: blue, from: blueA, to: blueB, seq: 1000 + k * 100, ack: 5000 }).packetId = id++;
    if (k % 2 === 1) ack(1000 + (k + 1) * 100);
  }
  const retransmissions: number[] = [];
  const badSegments: number[] = [];
  for (const [k, fates] of [[40, ['bad', 'bad', 'bad']], [41, ['ok', 'ok', 'bad']]] as Array<[number, Fate[]]>) {
    const t0 = tr.t;
    badSegments.push(tr.packets.length);
    tr.send({ tenant: blue, from: blueA, to: blueB, seq: 1000 + k * 100, ack: 5000, fates, gap: 0 }).packetId = id++;
    tr.t = t0 + 200_000_000;
    retransmissions.push(tr.packets.length);
    tr.send({ tenant: blue, from: blueA, to: blueB, seq: 1000 + k * 100, ack: 5000 }).packetId = id++;
  }
  ack(1000 + 42 * 100);
  const sc = assemble(specs, points, tr.packets);
  return { ...sc, retransmissions, badSegments };
}
