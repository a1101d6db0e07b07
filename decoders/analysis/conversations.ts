// Statistics ▸ Conversations and Endpoints: per tenant, pairs of addresses (and ports) with their packets and
// bytes each way, as Wireshark's tables count them (bytes are frame lengths on the wire; a TCP or UDP
// conversation counts the frames whose transport header is there, so IP fragments after the first are in the
// IPv4 tab only). Two layers: `outer` is the underlay's headers (a tunnelled frame's first IP header and its
// tunnel's UDP ports), `inner` the tenant's (the innermost ones); plain traffic reads the same in both.
// IP, TCP and UDP come from the frame index (addresses and ports via the flows); Ethernet needs the frames'
// bytes (proto-hierarchy.ts's pass feeds an EthTally). Memory: a record per conversation, none per frame.

import { grown } from '../bytes.ts';
import { FlowTable } from './flow-table.ts';
import type { FrameIndex } from './frame-index.ts';

export type ConvKind = 'eth' | 'ipv4' | 'ipv6' | 'tcp' | 'udp';
export type ConvLayer = 'outer' | 'inner';

export interface ConversationRow {
  /** Tenant key (`vxlan:300`), or null for traffic outside any tunnel. */
  tenant: string | null;
  a: string;
  aPort: number | null;
  b: string;
  bPort: number | null;
  packets: number;
  bytes: number;
  packetsAB: number;
  bytesAB: number;
  packetsBA: number;
  bytesBA: number;
  /** Seconds from frame 1 to the conversation's first frame, and to its last from there (0 without times). */
  relStart: number;
  duration: number;
}

export interface EndpointRow {
  tenant: string | null;
  address: string;
  port: number | null;
  packets: number;
  bytes: number;
  txPackets: number;
  txBytes: number;
  rxPackets: number;
  rxBytes: number;
}

export interface ConversationTable {
  kind: ConvKind;
  layer: ConvLayer;
  conversations: ConversationRow[];
  endpoints: EndpointRow[];
}

/** Conversations keyed by tenant and both endpoints (a FlowTable with protocol 0), A the first-seen source. */
export class ConvTally {
  private readonly t = new FlowTable();
  private pAB = new Float64Array(256);
  private bAB = new Float64Array(256);
  private pBA = new Float64Array(256);
  private bBA = new Float64Array(256);
  private first = new Float64Array(256);
  private last = new Float64Array(256);

  /** One frame of `len` bytes from (src, sport) to (dst, dport); `t` seconds from frame 1, NaN without a time. */
  add(tenant: number, src: number, sport: number, dst: number, dport: number, len: number, t: number): void {
    const fl = this.t;
    const before = fl.count;
    const id = fl.lookup(tenant, 0, src, sport, dst, dport);
    if (id >= this.pAB.length) this.grow();
    if (fl.count !== before) {
      this.first[id] = NaN;
      this.last[id] = NaN;
    }
    if (fl.addrA(id) === src && fl.portA(id) === sport) {
      this.pAB[id]++;
      this.bAB[id] += len;
    } else {
      this.pBA[id]++;
      this.bBA[id] += len;
    }
    if (!Number.isNaN(t)) {
      if (!(t >= this.first[id])) this.first[id] = t;
      if (!(t <= this.last[id])) this.last[id] = t;
    }
  }

  private grow(): void {
    const n = this.pAB.length * 2;
    this.pAB = grown(this.pAB, n); this.bAB = grown(this.bAB, n); this.pBA = grown(this.pBA, n); this.bBA = grown(this.bBA, n);
    this.first = grown(this.first, n); this.last = grown(this.last, n);
  }

  /** The table's rows; `text` names an endpoint id, `tenantKey` a tenant id (-1: none); ports < 0 are none. */
  table(kind: ConvKind, layer: ConvLayer, text: (id: number) => string, tenantKey: (id: number) => string | null): ConversationTable {
    const fl = this.t;
    const conversations: ConversationRow[] = [];
    const ends = new Map<string, EndpointRow>();
    const end = (tenant: string | null, address: string, port: number | null): EndpointRow => {
      const k = `${tenant ?? ''}|${address}|${port ?? ''}`;
      let e = ends.get(k);
      if (e === undefined) {
        e = { tenant, address, port, packets: 0, bytes: 0, txPackets: 0, txBytes: 0, rxPackets: 0, rxBytes: 0 };
        ends.set(k, e);
      }
      return e;
    };
    for (let id = 0; id < fl.count; id++) {
      const tenant = fl.tenant(id) >= 0 ? tenantKey(fl.tenant(id)) : null;
      const a = text(fl.addrA(id)), b = text(fl.addrB(id));
      const aPort = fl.portA(id) >= 0 ? fl.portA(id) : null;
      const bPort = fl.portB(id) >= 0 ? fl.portB(id) : null;
      const first = this.first[id], last = this.last[id];
      conversations.push({
        tenant, a, aPort, b, bPort,
        packets: this.pAB[id] + this.pBA[id], bytes: this.bAB[id] + this.bBA[id],
        packetsAB: this.pAB[id], bytesAB: this.bAB[id], packetsBA: this.pBA[id], bytesBA: this.bBA[id],
        relStart: Number.isNaN(first) ? 0 : first, duration: Number.isNaN(first) ? 0 : last - first,
      });
      const ea = end(tenant, a, aPort), eb = end(tenant, b, bPort);
      ea.txPackets += this.pAB[id]; ea.txBytes += this.bAB[id]; ea.rxPackets += this.pBA[id]; ea.rxBytes += this.bBA[id];
      eb.txPackets += this.pBA[id]; eb.txBytes += this.bBA[id]; eb.rxPackets += this.pAB[id]; eb.rxBytes += this.bAB[id];
    }
    const endpoints = [...ends.values()];
    for (const e of endpoints) {
      e.packets = e.txPackets + e.rxPackets;
      e.bytes = e.txBytes + e.rxBytes;
    }
    // Busiest first, as Wireshark's tables open sorted by nothing but users sort them so.
    conversations.sort((x, y) => y.packets - x.packets || x.relStart - y.relStart);
    endpoints.sort((x, y) => y.packets - x.packets);
    return { kind, layer, conversations, endpoints };
  }
}

const IP_PROTO: Record<'tcp' | 'udp', number> = { tcp: 6, udp: 17 };

/** Seconds from frame 1 to store index i, or NaN without a time. */
export function relTime(ix: FrameIndex, i: number): number {
  const st = ix.store;
  if (!st.hasTimeOf(i) || Number.isNaN(ix.refSec)) return NaN;
  return st.secOf(i) - ix.refSec + (st.nsecOf(i) - ix.refNsec) / 1e9;
}

/** IPv4, IPv6, TCP or UDP conversations over the settled frames of the index. */
export function ipConversations(ix: FrameIndex, kind: Exclude<ConvKind, 'eth'>, layer: ConvLayer): ConversationTable {
  const st = ix.store;
  const addrs = ix.addrs;
  const tally = new ConvTally();
  const family = kind === 'ipv6' ? 6 : 4;
  const ipOnly = kind === 'ipv4' || kind === 'ipv6';
  const n = ix.settledCount;
  for (let i = 0; i < n; i++) {
    let src: number, dst: number, sport = -1, dport = -1;
    if (layer === 'outer' && st.depth[i] > 0) {
      src = st.outerSrc[i];
      dst = st.outerDst[i];
      if (src < 0 || dst < 0) continue;
      if (!ipOnly) {
        // The underlay's transport is the tunnel's UDP (VXLAN, Geneve, GRE-in-UDP); GRE has no ports.
        const tp = st.tunPorts[i];
        if (kind !== 'udp' || tp === -1) continue;
        sport = (tp >>> 16) & 0xffff;
        dport = tp & 0xffff;
      }
    } else {
      src = st.innerSrcOf(i);
      dst = st.innerDstOf(i);
      if (src < 0 || dst < 0) continue;
      if (!ipOnly) {
        if (st.protoOf(i) !== IP_PROTO[kind]) continue;
        sport = st.sportOf(i);
        dport = st.dportOf(i);
        if (sport < 0 || dport < 0) continue;
      }
    }
    // A TCP or UDP conversation may be over either IP version (Wireshark's TCP tab has both).
    if (ipOnly && addrs.family(src) !== family) continue;
    tally.add(st.tenant[i], src, sport, dst, dport, st.origlen[i], relTime(ix, i));
  }
  return tally.table(kind, layer, (id) => addrs.text(id), (id) => ix.tenants.key(id));
}
