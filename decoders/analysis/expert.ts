// Analyze ▸ Expert Information: what the engine already flags on frames, grouped by severity and kind as
// Wireshark groups its expert items: TCP analysis notes (Wireshark's messages and severities, packet-tcp.c),
// checksum findings per check (bad, partial, zero where it is a finding, unverified), and the decoders' notes
// (malformed, truncated, IP fragments, NVGRE conformance, super-frames, ICMP MTU signals). Read from the index
// columns only: one pass over the frames, a counter and a capped frame list per group. Each item is also a
// display filter field, as Wireshark's: `_ws.expert` (the frame has one), `_ws.expert.message == "…"` (one
// occurrence per item), `_ws.malformed`; every group's filter selects exactly its frames.

import { registerFields, type FieldSpec } from '../layers/registry.ts';
import {
  CHECK_NAMES, CHECK_SLOTS, N_DEPTH_LIMIT, N_FRAGMENT, N_MALFORMED, N_MTU_SIGNAL, N_NVGRE_CSUM_BIT, N_NVGRE_INNER_VLAN, N_NVGRE_RESERVED_VSID, N_NVGRE_SEQ_BIT,
  N_SUPERFRAME, N_TRUNCATED, N_UNKNOWN_LINKTYPE,
} from '../summary.ts';
import type { FrameIndex } from './frame-index.ts';
import {
  TA_ACK_LOST_PACKET, TA_DUPLICATE_ACK, TA_FAST_RETRANSMISSION, TA_KEEP_ALIVE, TA_KEEP_ALIVE_ACK, TA_LOST_PACKET, TA_OUT_OF_ORDER,
  TA_ANY_RETRANSMISSION, TA_REUSED_PORTS, TA_SPURIOUS_RETRANSMISSION, TA_WINDOW_FULL, TA_WINDOW_UPDATE, TA_ZERO_WINDOW, TA_ZERO_WINDOW_PROBE,
  TA_ZERO_WINDOW_PROBE_ACK,
} from './tcp-analysis.ts';

export type Severity = 'error' | 'warning' | 'note' | 'chat';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note', 'chat'];

export interface ExpertGroup {
  severity: Severity;
  /** Wireshark's group: Checksum, Sequence, Malformed, Protocol, Reassemble, Comment. */
  group: string;
  /** What the frames have (`This frame is a (suspected) retransmission`, `Bad checksum [inner.tcp]`). */
  summary: string;
  protocol: string;
  /** The display filter that selects these frames: a field of its own where one says this, else its message's. */
  filter: string;
  count: number;
  /** Frame numbers, ascending, at most `limit` of them (ExpertInfo.limit). */
  frames: number[];
}

export interface ExpertInfo {
  groups: ExpertGroup[];
  /** Most frame numbers listed per group. */
  limit: number;
}

type Spec = [bit: number, severity: Severity, group: string, protocol: string, summary: string, filter: string | null];

const TCP: Spec[] = [
  // As the filter field (and Wireshark's expert items): fast and spurious retransmissions are retransmissions too.
  [TA_ANY_RETRANSMISSION, 'note', 'Sequence', 'TCP', 'This frame is a (suspected) retransmission', 'tcp.analysis.retransmission'],
  [TA_FAST_RETRANSMISSION, 'note', 'Sequence', 'TCP', 'This frame is a (suspected) fast retransmission', 'tcp.analysis.fast_retransmission'],
  [TA_SPURIOUS_RETRANSMISSION, 'note', 'Sequence', 'TCP', 'This frame is a (suspected) spurious retransmission', 'tcp.analysis.spurious_retransmission'],
  [TA_OUT_OF_ORDER, 'warning', 'Sequence', 'TCP', 'This frame is a (suspected) out-of-order segment', 'tcp.analysis.out_of_order'],
  [TA_LOST_PACKET, 'warning', 'Sequence', 'TCP', 'Previous segment(s) not captured (common at capture start)', 'tcp.analysis.lost_segment'],
  [TA_ACK_LOST_PACKET, 'warning', 'Sequence', 'TCP', "ACKed segment that wasn't captured (common at capture start)", 'tcp.analysis.ack_lost_segment'],
  [TA_DUPLICATE_ACK, 'note', 'Sequence', 'TCP', 'Duplicate ACK', 'tcp.analysis.duplicate_ack'],
  [TA_ZERO_WINDOW, 'warning', 'Sequence', 'TCP', 'TCP Zero Window segment', 'tcp.analysis.zero_window'],
  [TA_ZERO_WINDOW_PROBE, 'note', 'Sequence', 'TCP', 'TCP Zero Window Probe', 'tcp.analysis.zero_window_probe'],
  [TA_ZERO_WINDOW_PROBE_ACK, 'note', 'Sequence', 'TCP', 'TCP Zero Window Probe Ack', 'tcp.analysis.zero_window_probe_ack'],
  [TA_WINDOW_FULL, 'warning', 'Sequence', 'TCP', 'TCP window specified by the receiver is now completely full', 'tcp.analysis.window_full'],
  [TA_WINDOW_UPDATE, 'chat', 'Sequence', 'TCP', 'TCP window update', 'tcp.analysis.window_update'],
  [TA_KEEP_ALIVE, 'note', 'Sequence', 'TCP', 'TCP keep-alive segment', 'tcp.analysis.keep_alive'],
  [TA_KEEP_ALIVE_ACK, 'note', 'Sequence', 'TCP', 'ACK to a TCP keep-alive segment', 'tcp.analysis.keep_alive_ack'],
  [TA_REUSED_PORTS, 'note', 'Sequence', 'TCP', 'A new tcp session is started with the same ports as an earlier session in this trace', 'tcp.analysis.reused_ports'],
];

const NOTES: Spec[] = [
  [N_MALFORMED, 'error', 'Malformed', 'Frame', 'Malformed packet: a length or version field makes no sense', '_ws.malformed'],
  [N_TRUNCATED, 'warning', 'Malformed', 'Frame', 'Frame ends before a layer does (snaplen or short frame)', null],
  [N_FRAGMENT, 'chat', 'Reassemble', 'IP', 'IP fragment', null],
  [N_NVGRE_CSUM_BIT, 'warning', 'Protocol', 'NVGRE', 'NVGRE: the C (checksum present) bit must be 0 (RFC 7637)', null],
  [N_NVGRE_SEQ_BIT, 'warning', 'Protocol', 'NVGRE', 'NVGRE: the S (sequence number present) bit must be 0 (RFC 7637)', null],
  [N_NVGRE_RESERVED_VSID, 'warning', 'Protocol', 'NVGRE', 'NVGRE: reserved VSID (0-0xFFF or 0xFFFFFF)', null],
  [N_NVGRE_INNER_VLAN, 'warning', 'Protocol', 'NVGRE', 'NVGRE: the inner frame carries an 802.1Q tag (RFC 7637 forbids it)', null],
  [N_DEPTH_LIMIT, 'note', 'Undecoded', 'Frame', 'Tunnels nested deeper than decoded', null],
  [N_UNKNOWN_LINKTYPE, 'note', 'Undecoded', 'Frame', 'Link type not decoded', null],
  [N_SUPERFRAME, 'note', 'Protocol', 'IP', 'Super-frame: larger than the link carries (TSO/GSO or GRO/LRO)', 'frame.superframe'],
  [N_MTU_SIGNAL, 'warning', 'Protocol', 'ICMP', 'ICMP fragmentation needed / packet too big sent to a host', null],
];

const CHECKS: Array<[kind: 'bad' | 'partial' | 'zero' | 'unverified', severity: Severity, text: string]> = [
  ['bad', 'error', 'Bad checksum'],
  ['partial', 'warning', 'Partial checksum: the pseudo-header sum only (offload pending)'],
  ['zero', 'warning', 'Zero checksum: never filled in'],
  ['unverified', 'chat', 'Checksum not verified (bytes missing)'],
];

type Item = Omit<ExpertGroup, 'count' | 'frames'>;
const item = ([, severity, group, protocol, summary, filter]: Spec): Item => ({ severity, group, protocol, summary, filter: filter ?? messageFilter(summary) });

function messageFilter(summary: string): string {
  return `_ws.expert.message == "${summary}"`;
}

// Every item a frame can have, by key: the TCP notes, the decoders' notes, then per check kind one per check slot.
const K_NOTES = TCP.length;
const K_CHECKS = K_NOTES + NOTES.length;
const ITEMS: readonly Item[] = [
  ...TCP.map(item),
  ...NOTES.map(item),
  ...CHECKS.flatMap(([kind, severity, text]) => CHECK_NAMES.map((name): Item => ({
    severity, group: 'Checksum', protocol: name.slice(name.lastIndexOf('.') + 1).toUpperCase(), summary: `${text} [${name}]`,
    filter: `checksum.${kind}.check == "${name}"`,
  }))),
];
const TCP_BITS = TCP.map((x) => x[0]);
const NOTE_BITS = NOTES.map((x) => x[0]);

/** Most expert items one frame can have. */
export const EXPERT_KEYS = ITEMS.length;

/** The message of expert item `key` (expertKeys). */
export function expertMessage(key: number): string {
  return ITEMS[key]?.summary ?? '';
}

/**
 * The expert items of store index i: their keys into out[0..cap), the count returned (it may exceed cap).
 * Allocation-free: the filter's column tier calls it per frame.
 */
export function expertKeys(ix: FrameIndex, i: number, out: { [k: number]: number }, cap: number): number {
  const st = ix.store;
  let n = 0;
  const a = st.tcpAnalysis[i];
  if (a !== 0) for (let k = 0; k < TCP_BITS.length; k++) if ((a & TCP_BITS[k]) !== 0) { if (n < cap) out[n] = k; n++; }
  const notes = st.notes[i];
  if (notes !== 0) for (let k = 0; k < NOTE_BITS.length; k++) if ((notes & NOTE_BITS[k]) !== 0) { if (n < cap) out[n] = K_NOTES + k; n++; }
  for (let c = 0; c < 4; c++) {
    let m = c === 0 ? st.badMaskOf(i) : c === 1 ? st.partialMaskOf(i) : c === 2 ? (st.zeroMaskOf(i) !== 0 ? ix.notableZeroMask(i) : 0) : st.unverMaskOf(i);
    while (m !== 0) {
      const slot = 31 - Math.clz32(m);
      m &= ~(1 << slot);
      if (n < cap) out[n] = K_CHECKS + c * CHECK_SLOTS + slot;
      n++;
    }
  }
  return n;
}

/** Whether store index i is malformed (`_ws.malformed`). */
export function isMalformed(ix: FrameIndex, i: number): boolean {
  return (ix.store.notes[i] & N_MALFORMED) !== 0;
}

// Wireshark's names (epan/expert.c, epan/proto.c); answered from the frame index, not the bytes.
export const EXPERT_FIELDS: FieldSpec[] = [
  ['_ws.expert', 'Expert Info', 'protocol'],
  ['_ws.expert.message', 'Message', 'string'],
  ['_ws.malformed', 'Malformed Packet', 'protocol'],
];
registerFields(EXPERT_FIELDS);

/** The occurrence values of an expert field for store index i (empty: absent); null for another field. */
export function expertValues(ix: FrameIndex, i: number, name: string): string[] | number[] | null {
  switch (name) {
    case '_ws.expert': return expertKeys(ix, i, [], 0) > 0 ? [1] : [];
    case '_ws.malformed': return isMalformed(ix, i) ? [1] : [];
    case '_ws.expert.message': {
      const keys: number[] = [];
      const n = expertKeys(ix, i, keys, EXPERT_KEYS);
      return keys.slice(0, n).map(expertMessage);
    }
    default: return null;
  }
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, note: 2, chat: 3 };

/** The expert groups of the settled frames: most severe first, then by count. */
export function expertInfo(ix: FrameIndex, limit = 10_000): ExpertInfo {
  const counts = new Float64Array(EXPERT_KEYS);
  const frames: number[][] = ITEMS.map(() => []);
  const keys = new Int32Array(EXPERT_KEYS);
  const n = ix.settledCount;
  for (let i = 0; i < n; i++) {
    const m = expertKeys(ix, i, keys, EXPERT_KEYS);
    for (let k = 0; k < m; k++) {
      const key = keys[k];
      counts[key]++;
      if (frames[key].length < limit) frames[key].push(i + 1);
    }
  }
  const groups = ITEMS.map((it, key): ExpertGroup => ({ ...it, count: counts[key], frames: frames[key] })).filter((g) => g.count > 0)
    .sort((x, y) => RANK[x.severity] - RANK[y.severity] || y.count - x.count || (x.summary < y.summary ? -1 : 1));
  return { groups, limit };
}
