// The fields a frame's TCP and UDP get from its conversation, written into its details tree as Wireshark shows
// them with its default preferences: tcp.stream / udp.stream, sequence and acknowledgment numbers relative to
// the connection's initial ones (tcp.seq, tcp.ack; the bytes' values as tcp.seq_raw, tcp.ack_raw), tcp.nxtseq,
// and the window scaled by the factor the SYNs agreed on (tcp.window_size). The decoders read one frame alone;
// these need the frames before it (decoders/analysis/streams.ts, tcp-analysis.ts).

import type { TreeNode } from '../summary.ts';
import type { FrameIndex } from './frame-index.ts';

const SYN = 0x02, FIN = 0x01, ACK = 0x10;

/** What the TCP of a frame reads relative to its connection (Info column, details). */
export interface TcpNumbers {
  stream: number;
  seq: number;
  seqRaw: number;
  /** -1 when the ACK flag is off. */
  ack: number;
  ackRaw: number;
  nxtseq: number;
  len: number;
  flags: number;
  winRaw: number;
  /** The window as the receiver reads it (scaled, except on a SYN). */
  win: number;
  /** Window scale shift of the sender: -1 unknown, -2 no scaling, else 0..14. */
  shift: number;
  /** The other direction's base sequence number (SACK edges are relative to it), NaN when unknown. */
  peerBase: number;
}

const scratch = new Float64Array(2);

/** The innermost node of `field` in a tree, or null. */
export function lastNodeOf(nodes: readonly TreeNode[], field: string): TreeNode | null {
  let found: TreeNode | null = null;
  for (const n of nodes) {
    if (n.field === field) found = n;
    if (n.children) found = lastNodeOf(n.children, field) ?? found;
  }
  return found;
}

function child(node: TreeNode, field: string): TreeNode | undefined {
  return node.children?.find((c) => c.field === field);
}

/** The relative numbers of store index i's TCP (its node `tcp` in its details tree), or null when it has no stream. */
export function tcpNumbers(e: FrameIndex, i: number, tcp: TreeNode): TcpNumbers | null {
  const stream = e.streams.tcpOf(i);
  const seqN = child(tcp, 'tcp.seq'), ackN = child(tcp, 'tcp.ack'), flagsN = child(tcp, 'tcp.flags');
  const lenN = child(tcp, 'tcp.len'), winN = child(tcp, 'tcp.window_size_value');
  if (stream < 0 || seqN?.raw === undefined || ackN?.raw === undefined || flagsN?.raw === undefined) return null;
  const dir = e.store.dir[i];
  if (!e.streams.numbering(i, dir, scratch)) return null;
  const base = scratch[0], shift = scratch[1];
  e.streams.numbering(i, dir ^ 1, scratch);
  const peerBase = scratch[0];
  const flags = flagsN.raw, seqRaw = seqN.raw, ackRaw = ackN.raw;
  const len = lenN?.raw ?? 0;
  const seq = Number.isNaN(base) ? seqRaw : (seqRaw - base) >>> 0;
  const ack = (flags & ACK) === 0 ? -1 : Number.isNaN(peerBase) ? ackRaw : (ackRaw - peerBase) >>> 0;
  const winRaw = winN?.raw ?? 0;
  const win = (flags & SYN) === 0 && shift >= 0 ? winRaw * 2 ** shift : winRaw;
  const nxtseq = (seq + len + ((flags & SYN) !== 0 ? 1 : 0) + ((flags & FIN) !== 0 ? 1 : 0)) >>> 0;
  return { stream, seq, seqRaw, ack, ackRaw, nxtseq, len, flags, winRaw, win, shift, peerBase };
}

const meta = (label: string, field: string, v: number): TreeNode => ({ label, field, value: String(v), raw: v, start: 0, length: 0 });

/** Adds the conversation's fields to store index i's innermost TCP or UDP node in `tree`. */
export function annotateStreams(e: FrameIndex, i: number, tree: TreeNode[]): void {
  const udpStream = e.streams.udpOf(i);
  if (udpStream >= 0) {
    const udp = lastNodeOf(tree, 'udp');
    if (udp?.children !== undefined) insertAfter(udp.children, 'udp.dstport', meta(`[Stream index: ${udpStream}]`, 'udp.stream', udpStream));
    return;
  }
  const tcp = lastNodeOf(tree, 'tcp');
  if (tcp?.children === undefined) return;
  const t = tcpNumbers(e, i, tcp);
  if (t === null) return;
  const kids = tcp.children;
  insertAfter(kids, 'tcp.dstport', meta(`[Stream index: ${t.stream}]`, 'tcp.stream', t.stream));
  const seqN = child(tcp, 'tcp.seq');
  if (seqN !== undefined) {
    seqN.value = String(t.seq);
    seqN.raw = t.seq;
    seqN.label = `Sequence Number: ${t.seq}    (relative sequence number)`;
    insertAfter(kids, 'tcp.seq', { ...meta(`Sequence Number (raw): ${t.seqRaw}`, 'tcp.seq_raw', t.seqRaw), start: seqN.start, length: seqN.length, src: seqN.src });
    insertAfter(kids, 'tcp.seq_raw', meta(`[Next Sequence Number: ${t.nxtseq}    (relative sequence number)]`, 'tcp.nxtseq', t.nxtseq));
  }
  const ackN = child(tcp, 'tcp.ack');
  if (ackN !== undefined) {
    // Without the ACK flag the field is shown as it is (and should be 0).
    if (t.ack >= 0) {
      ackN.value = String(t.ack);
      ackN.raw = t.ack;
      ackN.label = `Acknowledgment Number: ${t.ack}    (relative ack number)`;
    }
    insertAfter(kids, 'tcp.ack', { ...meta(`Acknowledgment number (raw): ${t.ackRaw}`, 'tcp.ack_raw', t.ackRaw), start: ackN.start, length: ackN.length, src: ackN.src });
  }
  if ((t.flags & SYN) === 0) {
    const factor = t.shift >= 0 ? 2 ** t.shift : t.shift;
    const why = t.shift === -1 ? ' (unknown)' : t.shift === -2 ? ' (no window scaling used)' : '';
    insertAfter(kids, 'tcp.window_size_value', meta(`[Window size scaling factor: ${factor}${why}]`, 'tcp.window_size_scalefactor', factor));
  }
  insertAfter(kids, 'tcp.window_size_value', meta(`[Calculated window size: ${t.win}]`, 'tcp.window_size', t.win));
  tcp.label = tcp.label.replace(/, Seq: \d+/, `, Seq: ${t.seq}`).replace(/, Ack: \d+/, t.ack >= 0 ? `, Ack: ${t.ack}` : '');
}

function insertAfter(kids: TreeNode[], field: string, node: TreeNode): void {
  const at = kids.findIndex((c) => c.field === field);
  kids.splice(at < 0 ? kids.length : at + 1, 0, node);
}
