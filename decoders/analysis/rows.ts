// Packet-list rows: formatting one stored frame as a row, and the ordered/narrowed index of a view.
import {
  checkName, CHECK_SLOTS, P_ARP, P_ETH, P_ICMP, P_ICMPV6, P_LLC, P_SLL, P_TCP, P_UDP, N_FRAGMENT, N_TRUNCATED,
  N_MALFORMED,
  V_NONE, VERDICT_NAMES,
} from '../summary.ts';
import type { FrameIndex } from './frame-index.ts';
import type { FilterSet } from '../filter/runner.ts';
import { diffSeconds } from './time.ts';
import type { DatagramRecord } from './fragments.ts';
import { protoName, transportOf } from '../layers/index.ts';
import { SUPERFRAME_MARK } from './superframe.ts';
import { tcpInfoPrefix } from './tcp-analysis.ts';

export type ColumnId = 'no' | 'time' | 'src' | 'dst' | 'protocol' | 'length' | 'tenant' | 'flowId' | 'checks' | 'info';

export interface RowView {
  /** Tenant key (`nvgre:5001`) to narrow to, or null for all frames. */
  tenant: string | null;
  sort: { column: ColumnId; desc: boolean } | null;
  /** Display filter text; empty for none. */
  filter: string;
  /**
   * pktmon copies folded: each packet once, at its last point (the frames that are copies of a packet shown at
   * a later point of the capture are left out; see paths-fold.ts). Nothing changes for a capture without copies.
   */
  fold?: boolean;
}

export interface PacketRow {
  /** Frame number, 1-based. */
  n: number;
  /** Seconds since the first frame (Wireshark's default Time column). */
  time: number | null;
  /** The timestamp itself (whole seconds since 1970, nanoseconds), for the absolute time formats. */
  epoch: { sec: number; nsec: number } | null;
  /** Seconds since the frame before it in the file (0 for the first), Wireshark's frame.time_delta. */
  delta: number | null;
  /** Seconds since the frame shown before it, in file order whatever the sort (frame.time_delta_displayed). */
  deltaShown: number | null;
  src: string;
  dst: string;
  /** Outer (underlay) addresses for tunnelled frames, else empty. */
  outerSrc: string;
  outerDst: string;
  protocol: string;
  length: number;
  /** `NVGRE 5001 (0x001389)`, `VXLAN 300 (0x00012c)`, `GRE`, or empty. */
  tenant: string;
  tenantKey: string | null;
  flowId: number | null;
  /** Compact verdict list, e.g. `inner.tcp bad`, or `ok` when every check is good, or empty. */
  checks: string;
  info: string;
  /** Worst verdict of the frame, for row colour. */
  severity: 'bad' | 'partial' | 'zero' | null;
}

/** A window of a view's rows (Engine.rows); the worker's rows carry more (its PacketRow). */
export interface RowsResult<Row extends PacketRow = PacketRow> {
  /** Frames matching the view (the Shown count). */
  total: number;
  start: number;
  rows: Row[];
}

const TCP_FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];
const ICMP_TYPES: Record<number, string> = {
  0: 'Echo (ping) reply', 3: 'Destination unreachable', 4: 'Source quench', 5: 'Redirect',
  8: 'Echo (ping) request', 11: 'Time-to-live exceeded', 12: 'Parameter problem', 13: 'Timestamp request',
  14: 'Timestamp reply',
};
const ICMPV6_TYPES: Record<number, string> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem',
  128: 'Echo (ping) request', 129: 'Echo (ping) reply', 133: 'Router Solicitation', 134: 'Router Advertisement',
  135: 'Neighbor Solicitation', 136: 'Neighbor Advertisement', 137: 'Redirect',
};

/** Worst verdict of frame i, for the row colour. */
export function severity(e: FrameIndex, i: number): 'bad' | 'partial' | 'zero' | null {
  const st = e.store;
  if (st.badMaskOf(i) !== 0) return 'bad';
  if (st.partialMaskOf(i) !== 0) return 'partial';
  if (st.zeroMaskOf(i) !== 0 && e.notableZeroMask(i) !== 0) return 'zero';
  return null;
}

/**
 * `inner.tcp bad, inner.udp partial`, or `ok` when every check is good, or empty when there are none.
 * A zero that is UDP-over-IPv4 "no checksum" reads `udp no checksum`: it is no finding (not coloured).
 */
export function checksText(e: FrameIndex, i: number): string {
  const st = e.store;
  const notGood = st.badMaskOf(i) | st.partialMaskOf(i) | st.zeroMaskOf(i) | st.unverMaskOf(i);
  if (st.checkMaskOf(i) === 0) return '';
  if (notGood === 0) return 'ok';
  const parts: string[] = [];
  for (let slot = 0; slot < CHECK_SLOTS; slot++) {
    const bit = 1 << slot;
    if ((notGood & bit) === 0) continue;
    const v = st.badMaskOf(i) & bit ? 2 : st.partialMaskOf(i) & bit ? 3 : st.zeroMaskOf(i) & bit ? 4 : 5;
    parts.push(`${checkName(slot)} ${v === 4 && e.benignZero(i, slot) ? NO_CHECKSUM : VERDICT_NAMES[v]}`);
  }
  return parts.join(', ');
}

/** How the Checksums column names a zero that is UDP-over-IPv4 "no checksum". */
export const NO_CHECKSUM = 'no checksum';

export function infoText(e: FrameIndex, i: number): string {
  const st = e.store;
  // An application layer (DNS, HTTP, ...) writes its own Info from the bytes (layer-rows.ts); the index
  // alone says what its transport says.
  const top = transportOf(st.topProto[i], st.tcpFlags[i]);
  let s: string;
  if (top === P_TCP) {
    const f = st.tcpFlags[i];
    const names: string[] = [];
    for (let k = 0; k < 8; k++) if (f >= 0 && f & (1 << k)) names.push(TCP_FLAG_NAMES[k]);
    // Wireshark order: SYN, ACK first is what users scan for; keep bit order but ACK after SYN reads naturally.
    // No flag set at all: Wireshark writes [<None>].
    s = `${st.sportOf(i)} → ${st.dportOf(i)}${names.length ? ` [${names.join(', ')}]` : f === 0 ? ' [<None>]' : ''}`;
    const a = st.tcpAnalysis[i];
    if (a !== 0) {
      const dup = e.dupAcks.get(i);
      s = tcpInfoPrefix(a, dup?.[0] ?? 0, dup?.[1] ?? 0) + s;
    }
  } else if (top === P_UDP) {
    s = `${st.sportOf(i)} → ${st.dportOf(i)}`;
  } else if (top === P_ICMP) {
    s = ICMP_TYPES[st.icmpType[i]] ?? `Type ${st.icmpType[i]}, code ${st.icmpCode[i]}`;
  } else if (top === P_ICMPV6) {
    s = ICMPV6_TYPES[st.icmpType[i]] ?? `Type ${st.icmpType[i]}, code ${st.icmpCode[i]}`;
  } else {
    s = protoName(top);
    // A link-layer protocol on top is past any IP header (ARP or a bare frame inside a tunnel): the IP
    // protocol would be the tunnel's, not this frame's (ARP in VXLAN read "ARP (IP protocol 17)").
    if (st.protoOf(i) >= 0 && !LINK_TOPS.has(top)) s += ` (IP protocol ${st.protoOf(i)})`;
  }
  const notes = st.notes[i];
  const frag = notes & N_FRAGMENT ? e.fragments.fragmentOf(i + 1) : null;
  // Reassembled elsewhere: Wireshark's line. Never reassembled: what the fragment itself shows, and that.
  if (frag !== null && frag.record.completedIn >= 0) return fragmentInfo(frag.record, frag.offset, frag.more) + noteSuffix(notes & ~N_FRAGMENT);
  if (frag !== null) return `${s} [IP fragment; datagram incomplete]${noteSuffix(notes & ~N_FRAGMENT)}`;
  return s + noteSuffix(notes) + (e.isSuperframe(i) ? SUPERFRAME_MARK : '');
}

const LINK_TOPS: ReadonlySet<number> = new Set([P_ARP, P_ETH, P_LLC, P_SLL]);

/** ` [IP fragment]`, ` [truncated]`, ` [malformed]` for a frame's note bits, or empty. */
export function noteSuffix(notes: number): string {
  let s = '';
  if (notes & N_FRAGMENT) s += ' [IP fragment]';
  if (notes & N_TRUNCATED) s += ' [truncated]';
  if (notes & N_MALFORMED) s += ' [malformed]';
  return s;
}

const FRAG_PROTOS: Record<number, string> = {
  1: 'Internet Control Message Protocol', 2: 'Internet Group Management Protocol', 4: 'IPv4', 6: 'Transmission Control Protocol',
  17: 'User Datagram Protocol', 41: 'IPv6', 47: 'Generic Routing Encapsulation', 50: 'Encap Security Payload',
  51: 'Authentication Header', 58: 'ICMPv6',
};

/** Info of a fragment reassembled in another frame, as Wireshark writes it. */
function fragmentInfo(r: DatagramRecord, offset: number, more: boolean): string {
  const where = ` [Reassembled in #${r.completedIn}]`;
  if (r.family === 6) {
    return `IPv6 fragment (off=${offset} more=${more ? 'y' : 'n'} ident=0x${r.ident.toString(16).padStart(8, '0')} nxt=${r.proto})${where}`;
  }
  const name = FRAG_PROTOS[r.proto] ?? 'Unknown';
  return `Fragmented IP protocol (proto=${name} ${r.proto}, off=${offset}, ID=${r.ident.toString(16).padStart(4, '0')})${where}`;
}

export function formatRow(e: FrameIndex, i: number): PacketRow {
  const st = e.store;
  const tenant = st.tenant[i];
  const tunnelled = st.depth[i] > 0;
  return {
    n: i + 1,
    time: st.hasTimeOf(i) && !Number.isNaN(e.refSec) ? diffSeconds(st.secOf(i), st.nsecOf(i), e.refSec, e.refNsec) : null,
    epoch: st.hasTimeOf(i) ? { sec: st.secOf(i), nsec: st.nsecOf(i) } : null,
    delta: deltaSince(e, i, i - 1),
    deltaShown: null,
    src: e.addrs.text(st.innerSrcOf(i)),
    dst: e.addrs.text(st.innerDstOf(i)),
    outerSrc: tunnelled ? e.addrs.text(st.outerSrc[i]) : '',
    outerDst: tunnelled ? e.addrs.text(st.outerDst[i]) : '',
    protocol: protoName(st.topProto[i]),
    length: st.origlen[i],
    tenant: tenant >= 0 ? e.tenants.label(tenant) : '',
    tenantKey: tenant >= 0 ? e.tenants.key(tenant) : null,
    flowId: st.flowId[i] >= 0 ? st.flowId[i] : null,
    checks: checksText(e, i),
    info: infoText(e, i),
    severity: severity(e, i),
  };
}

/** Seconds from store index `prev` (-1: none, the frame is the first: 0) to i; null when either has no time. */
export function deltaSince(e: FrameIndex, i: number, prev: number): number | null {
  const st = e.store;
  if (!st.hasTimeOf(i)) return null;
  if (prev < 0) return 0;
  return st.hasTimeOf(prev) ? diffSeconds(st.secOf(i), st.nsecOf(i), st.secOf(prev), st.nsecOf(prev)) : null;
}

/** Ordered frame indices of a view, rebuilt when the view or the store changes. */
export class ViewIndex {
  private key = '';
  private builtCount = -1;
  /** null = identity (all frames in file order). */
  private idx: Int32Array | null = null;
  private len = 0;

  /** `folded`: per store index, 1 for a copy shown at a later point (RowView.fold). */
  constructor(private readonly e: FrameIndex, private readonly filters: FilterSet, private readonly folded: () => Uint8Array = () => new Uint8Array(0)) {}

  /** Number of frames in the view, building the index when needed. Throws FilterError for a bad filter. */
  prepare(view: RowView): number {
    // The byte tier of a filter changes frames already in the index: that rebuilds it (resolved is in the key).
    const run = view.filter.trim() !== '' ? this.filters.get(view.filter) : null;
    const key = `${view.tenant ?? ''}\u0000${view.sort ? `${view.sort.column}:${view.sort.desc}` : ''}\u0000${view.filter}\u0000${run?.resolved ?? 0}\u0000${view.fold ? 1 : 0}`;
    const count = this.e.settledCount;
    if (key === this.key && count === this.builtCount) return this.len;
    // Folded, a new frame may be a later copy of one already shown: the view is built again.
    if (key === this.key && !view.sort && !view.fold && this.idx !== null && count > this.builtCount) {
      this.extend(view, this.builtCount, count);
    } else {
      this.build(view, count);
    }
    this.key = key;
    this.builtCount = count;
    return this.len;
  }

  frameAt(pos: number): number {
    return this.idx === null ? pos : this.idx[pos];
  }

  /**
   * The store index of the frame the view shows before the one at `pos` in file order (Wireshark's
   * "previous displayed" ignores the sort), or -1. In file order that is the row above; a sorted view
   * looks back through the file for the nearest frame of the view.
   */
  previousShown(pos: number, view: RowView): number {
    if (!view.sort) return pos > 0 ? this.frameAt(pos - 1) : -1;
    const tenant = view.tenant === null ? -2 : this.e.tenants.idOfKey(view.tenant);
    const col = this.e.store.tenant;
    const match = view.filter.trim() !== '' ? this.filters.get(view.filter).update() : null;
    const hide = view.fold ? this.folded() : null;
    for (let j = this.frameAt(pos) - 1; j >= 0; j--) {
      if (tenant !== -2 && col[j] !== tenant) continue;
      if (hide !== null && hide[j] === 1) continue;
      if (match !== null && match[j] !== 1) continue;
      return j;
    }
    return -1;
  }

  positionOf(i: number): number {
    if (this.idx === null) return i < this.len ? i : -1;
    for (let p = 0; p < this.len; p++) if (this.idx[p] === i) return p;
    return -1;
  }

  private build(view: RowView, count: number): void {
    const tenant = view.tenant === null ? -2 : this.e.tenants.idOfKey(view.tenant);
    if (tenant === -2 && !view.sort && view.filter.trim() === '' && !view.fold) {
      this.idx = null;
      this.len = count;
      return;
    }
    this.idx = new Int32Array(Math.max(16, count));
    this.len = 0;
    this.extend(view, 0, count);
    if (view.sort) this.sort(view.sort.column, view.sort.desc);
  }

  private extend(view: RowView, from: number, to: number): void {
    const tenant = view.tenant === null ? -2 : this.e.tenants.idOfKey(view.tenant);
    const col = this.e.store.tenant;
    const match = view.filter.trim() !== '' ? this.filters.get(view.filter).update() : null;
    const hide = view.fold ? this.folded() : null;
    let idx = this.idx as Int32Array;
    for (let i = from; i < to; i++) {
      if (tenant !== -2 && col[i] !== tenant) continue;
      if (hide !== null && hide[i] === 1) continue;
      if (match !== null && match[i] !== 1) continue;
      if (this.len >= idx.length) {
        const bigger = new Int32Array(idx.length * 2);
        bigger.set(idx);
        idx = bigger;
      }
      idx[this.len++] = i;
    }
    this.idx = idx;
  }

  private sort(column: ColumnId, desc: boolean): void {
    const idx = (this.idx as Int32Array).subarray(0, this.len);
    const cmp = comparator(this.e, column);
    const dir = desc ? -1 : 1;
    idx.sort((a, b) => (cmp(a, b) * dir) || a - b);
  }
}

function comparator(e: FrameIndex, column: ColumnId): (a: number, b: number) => number {
  const st = e.store;
  switch (column) {
    case 'no': return (a, b) => a - b;
    case 'time': return (a, b) => (st.secOf(a) - st.secOf(b)) || (st.nsecOf(a) - st.nsecOf(b));
    case 'src': { const r = addressRanks(e); return (a, b) => rank(r, st.innerSrcOf(a)) - rank(r, st.innerSrcOf(b)); }
    case 'dst': { const r = addressRanks(e); return (a, b) => rank(r, st.innerDstOf(a)) - rank(r, st.innerDstOf(b)); }
    case 'protocol': return (a, b) => cmpStr(protoName(st.topProto[a]), protoName(st.topProto[b]));
    case 'length': return (a, b) => st.origlen[a] - st.origlen[b];
    case 'tenant': {
      // By the encap as shown, then the id as a number (`VXLAN 99` before `VXLAN 100`).
      const names = Array.from({ length: e.tenants.count }, (_, t) => e.tenants.encapLabel(t));
      const order = names.map((_, t) => t).sort((x, y) => cmpStr(names[x], names[y]) || e.tenants.vnid[x] - e.tenants.vnid[y]);
      const r = new Int32Array(names.length);
      order.forEach((t, k) => { r[t] = k; });
      return (a, b) => (st.tenant[a] < 0 ? -1 : r[st.tenant[a]]) - (st.tenant[b] < 0 ? -1 : r[st.tenant[b]]);
    }
    case 'flowId': return (a, b) => st.flowId[a] - st.flowId[b];
    case 'checks': return (a, b) => sevRank(e, a) - sevRank(e, b);
    case 'info': return (a, b) => (st.topProto[a] - st.topProto[b]) || (st.sportOf(a) - st.sportOf(b)) || (st.dportOf(a) - st.dportOf(b))
      || (st.tcpFlags[a] - st.tcpFlags[b]) || (st.icmpType[a] - st.icmpType[b]);
  }
}

/** Findings first (bad, partial, a zero that matters), then unverified, then "no checksum", then ok. */
function sevRank(e: FrameIndex, i: number): number {
  const st = e.store;
  if (st.badMaskOf(i)) return 5;
  if (st.partialMaskOf(i)) return 4;
  if (st.zeroMaskOf(i) && e.notableZeroMask(i)) return 3;
  if (st.unverMaskOf(i)) return 2;
  if (st.zeroMaskOf(i)) return 1;
  return st.checkMaskOf(i) === V_NONE ? -1 : 0;
}

function addressRanks(e: FrameIndex): Int32Array {
  const n = e.addrs.count;
  const ids = Array.from({ length: n }, (_, i) => i).sort((a, b) => e.addrs.compare(a, b));
  const r = new Int32Array(n);
  ids.forEach((id, k) => { r[id] = k; });
  return r;
}

function rank(r: Int32Array, id: number): number {
  return id < 0 ? -1 : r[id];
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
