// TCP conversations for tests: segments between a client and a server, plain or inside a tunnel, written as
// pcapng. A segment names its direction, sequence and acknowledgment numbers (relative to each side's ISN),
// flags, payload length, window and the time after the conversation's start; a tenant's tunnel wraps it.

import { writePcapng, type PcapngPacket } from '../../decoders/capture/pcapng-writer.ts';
import { fragmentFrame } from './fragment.ts';
import {
  buildFrame, concatBytes, eth, geneve, ipv4, nvgre, payload, tcp, udp, vxlan, type ChecksumMode, type Ipv4Layer, type Layer,
} from './packet-builder.ts';

export interface Segment {
  /** 'c' client to server, 's' server to client. */
  from: 'c' | 's';
  /** Relative to the sender's ISN (the SYN has 0). */
  seq: number;
  /** Relative to the peer's ISN; absent: the ACK flag is off and the field 0. */
  ack?: number;
  /** Letters as the packet builder takes them; default 'A' (or '' without ack). */
  flags?: string;
  len?: number;
  /** Default 65535 (unscaled). */
  win?: number;
  /** Milliseconds since the first segment. */
  ms: number;
  /** Raw TCP options. */
  options?: Uint8Array;
  checksum?: ChecksumMode;
  /**
   * Sent as IPv4 fragments of the outermost IP header (the underlay's, for a tunnelled segment) carrying at
   * most `max` payload bytes each, in `order` (fragment indices; default in order), a microsecond apart.
   */
  fragment?: { max: number; order?: number[] };
}

export interface Endpoints {
  client: string;
  server: string;
  cport: number;
  sport: number;
  /** Initial sequence numbers of both sides. */
  ciss: number;
  siss: number;
}

export interface Tunnel {
  kind: 'nvgre' | 'vxlan' | 'geneve';
  id: number;
  /** Underlay addresses of the client's and the server's host. */
  chost: string;
  shost: string;
}

export const DEFAULT_ENDPOINTS: Endpoints = { client: '10.0.0.1', server: '10.0.0.2', cport: 40000, sport: 443, ciss: 1000, siss: 5000 };

const MAC_C = '00:15:5d:00:00:01';
const MAC_S = '00:15:5d:00:00:02';

/** The frame's layers: Ethernet, (tunnel,) IPv4, TCP, payload. */
export function segmentLayers(seg: Segment, ep: Endpoints = DEFAULT_ENDPOINTS, tunnel?: Tunnel): Layer[] {
  const c = seg.from === 'c';
  const flags = seg.flags ?? (seg.ack === undefined ? '' : 'A');
  const inner: Layer[] = [
    eth({ src: c ? MAC_C : MAC_S, dst: c ? MAC_S : MAC_C }),
    ipv4({ src: c ? ep.client : ep.server, dst: c ? ep.server : ep.client }),
    tcp({
      sport: c ? ep.cport : ep.sport, dport: c ? ep.sport : ep.cport,
      seq: ((c ? ep.ciss : ep.siss) + seg.seq) >>> 0,
      ack: seg.ack === undefined ? 0 : ((c ? ep.siss : ep.ciss) + seg.ack) >>> 0,
      flags, window: seg.win ?? 65535,
      ...(seg.options !== undefined ? { options: seg.options } : {}),
      ...(seg.checksum !== undefined ? { checksum: seg.checksum } : {}),
    }),
    payload(seg.len ?? 0),
  ];
  if (tunnel === undefined) return inner;
  const src = c ? tunnel.chost : tunnel.shost, dst = c ? tunnel.shost : tunnel.chost;
  const outer: Layer[] = [eth({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }), ipv4({ src, dst })];
  if (tunnel.kind === 'nvgre') return [...outer, nvgre({ vsid: tunnel.id }), ...inner];
  if (tunnel.kind === 'vxlan') return [...outer, udp({ sport: 49152 + (tunnel.id & 0x3fff), dport: 4789, checksum: 'zero' }), vxlan(tunnel.id), ...inner];
  return [...outer, udp({ sport: 49152 + (tunnel.id & 0x3fff), dport: 6081, checksum: 'zero' }), geneve(tunnel.id), ...inner];
}

export interface Conversation {
  segments: readonly Segment[];
  endpoints?: Endpoints;
  tunnel?: Tunnel;
  /** Milliseconds after the capture's start at which the conversation begins. */
  startMs?: number;
}

/** Packets of several conversations, merged by time (stable: equal times keep the order given). */
export function conversationPackets(convs: readonly Conversation[], baseSec = 1764000000): PcapngPacket[] {
  const all: Array<{ t: number; k: number; data: Uint8Array }> = [];
  let k = 0;
  let id = 0x100;
  for (const cv of convs) {
    for (const seg of cv.segments) {
      const layers = segmentLayers(seg, cv.endpoints ?? DEFAULT_ENDPOINTS, cv.tunnel);
      const t = (cv.startMs ?? 0) + seg.ms;
      if (seg.fragment === undefined) {
        all.push({ t, k: k++, data: buildFrame(layers).data });
        continue;
      }
      const outer = layers[1] as Ipv4Layer;
      layers[1] = { ...outer, id: id++ };
      const parts = fragmentFrame(buildFrame(layers).data, 14, seg.fragment.max, id);
      const order = seg.fragment.order ?? parts.map((_, j) => j);
      order.forEach((j, m) => all.push({ t: t + m * 0.001, k: k++, data: parts[j] }));
    }
  }
  all.sort((a, b) => a.t - b.t || a.k - b.k);
  return all.map(({ t, data }) => {
    const ns = Math.round(t * 1e6);
    return { tsSec: baseSec + Math.floor(ns / 1e9), tsNsec: ns % 1e9, data, origlen: data.length };
  });
}

export function conversationPcapng(convs: readonly Conversation[]): Uint8Array {
  return writePcapng([{ linktype: 1, snaplen: 65535, name: 'eth0' }], conversationPackets(convs));
}

/** A three-way handshake, with window scale options when `wscale` is given (both sides). */
export function handshake(wscale?: number, rttMs = 1): Segment[] {
  const opt = wscale === undefined ? undefined : concatBytes(Uint8Array.of(2, 4, 5, 180), Uint8Array.of(1, 3, 3, wscale));
  return [
    { from: 'c', seq: 0, flags: 'S', ms: 0, ...(opt ? { options: opt } : {}) },
    { from: 's', seq: 0, ack: 1, flags: 'SA', ms: rttMs / 2, ...(opt ? { options: opt } : {}) },
    { from: 'c', seq: 1, ack: 1, ms: rttMs },
  ];
}
