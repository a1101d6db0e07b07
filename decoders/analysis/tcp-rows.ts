// The Info column of a TCP row as Wireshark writes it by default: after the ports and flags, the relative
// sequence and acknowledgment numbers, the window (scaled), the segment length and the options that say
// something (`40000 → 443 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM WS=128`). The frame index keeps none of
// these, so, like the application layers' columns (layer-rows.ts), they are read from the bytes of the rows
// on screen only.

import { P_TCP, type TreeNode } from '../summary.ts';
import type { FrameIndex } from './frame-index.ts';
import type { PacketRow } from './rows.ts';
import { lastNodeOf } from './stream-fields.ts';

/** What the Info gets from the TCP node of an annotated details tree (stream-fields.ts), or null without a stream. */
export function tcpInfoTail(tcp: TreeNode, src: Uint8Array): string | null {
  const v = (f: string): number | undefined => tcp.children?.find((c) => c.field === f)?.raw;
  const seq = v('tcp.seq'), flags = v('tcp.flags'), win = v('tcp.window_size'), len = v('tcp.len');
  if (v('tcp.stream') === undefined || seq === undefined || flags === undefined || win === undefined) return null;
  let s = ` Seq=${seq}`;
  if ((flags & 0x10) !== 0) s += ` Ack=${v('tcp.ack') ?? 0}`;
  s += ` Win=${win}`;
  if ((flags & 0x20) !== 0) s += ` Urg=${v('tcp.urgent_pointer') ?? 0}`;
  s += ` Len=${len ?? 0}`;
  const hl = (v('tcp.hdr_len') ?? 5) * 4;
  // SACK edges are numbers of the other direction: relative as the ACK is.
  const ack = v('tcp.ack'), ackRaw = v('tcp.ack_raw');
  const peerBase = ack !== undefined && ackRaw !== undefined ? (ackRaw - ack) >>> 0 : 0;
  return s + optionsInfo(src, tcp.start + 20, Math.min(src.length, tcp.start + hl), peerBase);
}

/** The options as Wireshark's Info lists them, in their order. */
function optionsInfo(b: Uint8Array, p: number, end: number, peerBase: number): string {
  let s = '';
  const u32 = (q: number): number => ((b[q] << 24) | (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3]) >>> 0;
  while (p < end) {
    const kind = b[p];
    if (kind === 0) break;
    if (kind === 1) { p++; continue; }
    if (p + 1 >= end) break;
    const len = b[p + 1];
    if (len < 2 || p + len > end) break;
    if (kind === 2 && len === 4) s += ` MSS=${(b[p + 2] << 8) | b[p + 3]}`;
    else if (kind === 3 && len === 3) s += ` WS=${2 ** Math.min(b[p + 2], 14)}`;
    else if (kind === 4 && len === 2) s += ' SACK_PERM';
    else if (kind === 8 && len === 10) s += ` TSval=${u32(p + 2)} TSecr=${u32(p + 6)}`;
    else if (kind === 34) s += len === 2 ? ' TFO=R' : ' TFO=C'; // TCP Fast Open: a cookie request, or the cookie
    else if (kind === 5 && (len - 2) % 8 === 0) {
      for (let q = p + 2; q + 8 <= p + len; q += 8) s += ` SLE=${(u32(q) - peerBase) >>> 0} SRE=${(u32(q + 4) - peerBase) >>> 0}`;
    }
    p += len;
  }
  return s;
}

/** Where rows re-read frame bytes from (layer-rows.ts FrameBytes). */
interface Bytes {
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * Completes the Info of the rows among `rows` whose highest layer is TCP with what their bytes and their
 * connection say. Rows whose bytes cannot be read stay as the index gave them.
 */
export async function fillTcpRows(e: FrameIndex, rows: PacketRow[], frames: Bytes, readOthers: (need: number[]) => Promise<Map<number, Uint8Array>>): Promise<void> {
  await Promise.all(rows.map(async (row) => {
    const i = row.n - 1;
    if (e.store.topProto[i] !== P_TCP || e.streams.tcpOf(i) < 0) return;
    const loc = e.frameLocation(row.n);
    const bytes = await frames.read(loc.offset, loc.caplen).catch(() => null);
    if (bytes === null) return;
    const need = e.detailFrames(row.n);
    const others = need.length > 0 ? await readOthers(need).catch(() => null) : undefined;
    if (others === null) return;
    const { tree, sources } = e.detailOf(row.n, bytes, others);
    const tcp = lastNodeOf(tree, 'tcp');
    if (tcp === null) return;
    const tail = tcpInfoTail(tcp, sources[tcp.src ?? 0]?.bytes ?? bytes);
    if (tail === null) return;
    // After the ports and flags the index wrote (and before its notes: [truncated], [super-frame ...]).
    row.info = row.info.replace(/\d+ → \d+( \[[^\]]*\])?/, (core) => core + tail);
  }));
}
