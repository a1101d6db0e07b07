// Follow TCP/UDP stream: the payload of one conversation (decoders/analysis/streams.ts) in the order the
// application read it, each side's data apart, as Wireshark's Follow Stream shows it. TCP data is put in
// sequence order per direction: a retransmission adds only the bytes not yet delivered, a segment past a gap
// waits for the gap to fill (and is delivered as it stands at the end). The client is the side that sent the
// stream's first frame. Frame bytes are re-read from the source, only for the stream's frames.

import { readFrames } from '../filter/runner.ts';
import type { TreeNode } from '../summary.ts';
import type { FrameIndex } from './frame-index.ts';
import { lastNodeOf } from './stream-fields.ts';
import type { StreamKind } from './streams.ts';

export interface FollowChunk {
  /** 0 from the client (Node 0), 1 from the server. */
  dir: 0 | 1;
  /** The frame that carried the bytes. */
  frame: number;
  data: Uint8Array;
}

export interface FollowResult {
  kind: StreamKind;
  stream: number;
  /** The display filter selecting the stream's frames (`tcp.stream eq 3`). */
  filter: string;
  /** `address:port` of the client and the server ([::1]:80 for IPv6). */
  nodes: [string, string];
  /** The tenant's label when the stream is inside a tunnel, else ''. */
  tenant: string;
  chunks: FollowChunk[];
  /** Bytes each side sent. */
  bytes: [number, number];
  /** The stream has more payload than `limit`: only the first `limit` bytes are here. */
  truncated: boolean;
}

/** Where frame bytes are re-read from (the capture, or its inflated copy). */
export interface FollowBytes {
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Payload kept at most (the dialog shows it whole): 16 MiB. */
export const FOLLOW_LIMIT = 16 << 20;

function child(n: TreeNode, field: string): number | undefined {
  return n.children?.find((c) => c.field === field)?.raw;
}

/** The payload of frame n's transport (its innermost TCP or UDP node), with its relative sequence number for TCP. */
function payloadOf(tree: readonly TreeNode[], sources: readonly { bytes: Uint8Array }[], bytes: Uint8Array, kind: StreamKind):
  { data: Uint8Array; seq: number; syn: boolean } | null {
  const node = lastNodeOf(tree, kind);
  if (node === null) return null;
  const src = sources[node.src ?? 0]?.bytes ?? bytes;
  let start: number, len: number;
  if (kind === 'tcp') {
    const hl = (child(node, 'tcp.hdr_len') ?? 5) * 4;
    start = node.start + hl;
    len = child(node, 'tcp.len') ?? 0;
  } else {
    start = node.start + 8;
    len = (child(node, 'udp.length') ?? 8) - 8;
  }
  const end = Math.min(src.length, start + Math.max(0, len));
  return { data: src.subarray(Math.min(start, end), end), seq: child(node, 'tcp.seq') ?? 0, syn: ((child(node, 'tcp.flags') ?? 0) & 0x02) !== 0 };
}

/** The stream's payload; throws RangeError for a stream the capture does not have. */
export async function followStream(e: FrameIndex, src: FollowBytes, kind: StreamKind, stream: number, limit = FOLLOW_LIMIT): Promise<FollowResult> {
  const frames = e.streams.frames(kind, stream);
  if (frames.length === 0) {
    throw new RangeError(`no ${kind.toUpperCase()} stream ${stream}: the capture has ${e.streams.count(kind)} (numbered from 0)`);
  }
  const st = e.store;
  const first = frames[0] - 1;
  const clientDir = st.dir[first];
  const ends = [[st.innerSrcOf(first), st.sportOf(first)], [st.innerDstOf(first), st.dportOf(first)]];
  const node = ([a, p]: number[]): string => {
    const t = e.addrs.text(a);
    return t.includes(':') ? `[${t}]:${p}` : `${t}:${p}`;
  };
  const tenant = st.tenant[first] >= 0 ? e.tenants.label(st.tenant[first]) : '';
  const chunks: FollowChunk[] = [];
  const sent: [number, number] = [0, 0];
  let truncated = false;
  // Per direction: the next relative sequence number to deliver (NaN until the first segment), and the
  // segments waiting past a gap.
  const next = [NaN, NaN];
  const waiting: Array<Array<{ frame: number; seq: number; data: Uint8Array }>> = [[], []];
  const deliver = (dir: 0 | 1, frame: number, data: Uint8Array): void => {
    if (data.length === 0 || truncated) return;
    const room = limit - sent[0] - sent[1];
    if (data.length > room) {
      truncated = true;
      data = data.subarray(0, room);
    }
    sent[dir] += data.length;
    if (data.length > 0) chunks.push({ dir, frame, data: data.slice() });
  };
  const flush = (dir: 0 | 1): void => {
    const w = waiting[dir];
    for (let again = true; again;) {
      again = false;
      for (let k = 0; k < w.length; k++) {
        const s = w[k];
        if (((s.seq - next[dir]) | 0) > 0) continue;
        w.splice(k, 1);
        take(dir, s.frame, s.seq, s.data);
        again = true;
        break;
      }
    }
  };
  const take = (dir: 0 | 1, frame: number, seq: number, data: Uint8Array): void => {
    const skip = (next[dir] - seq) >>> 0;
    if (skip >= data.length && skip < 0x80000000) return; // all of it was delivered already
    deliver(dir, frame, skip < 0x80000000 ? data.subarray(skip) : data);
    next[dir] = (seq + data.length) >>> 0;
  };
  for (const n of frames) {
    if (truncated) break;
    const loc = e.frameLocation(n);
    const bytes = await src.read(loc.offset, loc.caplen);
    const need = e.detailFrames(n);
    const others = need.length > 0 ? await readFrames(e, src, need) : undefined;
    const { tree, sources } = e.detailOf(n, bytes, others);
    const p = payloadOf(tree, sources, bytes, kind);
    if (p === null) continue;
    const dir = (st.dir[n - 1] === clientDir ? 0 : 1) as 0 | 1;
    if (kind === 'udp') {
      deliver(dir, n, p.data);
      continue;
    }
    const seq = p.syn ? (p.seq + 1) >>> 0 : p.seq;
    if (Number.isNaN(next[dir])) next[dir] = seq;
    if (p.data.length === 0) continue;
    if (((seq - next[dir]) | 0) > 0) {
      waiting[dir].push({ frame: n, seq, data: p.data.slice() });
      continue;
    }
    take(dir, n, seq, p.data);
    flush(dir);
  }
  // What never saw its gap filled comes last, as it stands.
  for (const dir of [0, 1] as const) for (const s of waiting[dir].sort((a, b) => a.frame - b.frame)) deliver(dir, s.frame, s.data);
  return { kind, stream, filter: `${kind}.stream eq ${stream}`, nodes: [node(ends[0]), node(ends[1])], tenant, chunks, bytes: sent, truncated };
}

/** ASCII as Wireshark's Follow shows it: printable characters and line ends as they are (a tab too is a dot), other bytes as dots. */
export function asciiText(data: Uint8Array): string {
  let s = '';
  for (const c of data) s += (c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d ? String.fromCharCode(c) : '.';
  return s;
}

/**
 * Hex dump lines of one chunk as tshark's `follow,…,hex` writes them: the offset (upper-case hex) counted from
 * the side's first byte, 16 bytes a line in two groups of 8, the printable characters likewise (less one
 * trailing space, as tshark).
 */
export function hexLines(data: Uint8Array, offset: number): string[] {
  const out: string[] = [];
  for (let p = 0; p < data.length; p += 16) {
    let hex = '', text = '';
    for (let k = 0; k < 16; k++) {
      const c = data[p + k];
      hex += (k === 8 ? ' ' : '') + (p + k < data.length ? `${c.toString(16).padStart(2, '0')} ` : '   ');
      if (p + k < data.length) text += (k === 8 ? ' ' : '') + (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.');
    }
    // tshark (ui/cli/tap-follow.c) drops one trailing space, meant for the gap after 8 characters, whatever it is.
    if (text.endsWith(' ')) text = text.slice(0, -1);
    out.push(`${(offset + p).toString(16).toUpperCase().padStart(8, '0')}  ${hex} ${text}`);
  }
  return out;
}

function report(r: FollowResult, mode: 'ascii' | 'hex', body: string[]): string {
  return ['', '='.repeat(67), `Follow: ${r.kind},${mode}`, `Filter: ${r.filter}`, `Node 0: ${r.nodes[0]}`, `Node 1: ${r.nodes[1]}`, ...body, '='.repeat(67), ''].join('\n');
}

/** The text `tshark -q -z follow,<kind>,ascii,<n>` prints for the stream. */
export function followAsciiReport(r: FollowResult): string {
  return report(r, 'ascii', r.chunks.flatMap((c) => [`${c.dir === 1 ? '\t' : ''}${c.data.length}`, asciiText(c.data)]));
}

/**
 * Each chunk's hex dump lines with the offset its side has reached (the server's lines behind a tab, as tshark
 * indents Node 1), in chunk order.
 */
export function followHexChunks(r: FollowResult): Array<{ chunk: FollowChunk; lines: string[] }> {
  const at = [0, 0];
  return r.chunks.map((c) => {
    const lines = hexLines(c.data, at[c.dir]).map((l) => (c.dir === 1 ? `\t${l}` : l));
    at[c.dir] += c.data.length;
    return { chunk: c, lines };
  });
}

/** The text `tshark -q -z follow,<kind>,hex,<n>` prints for the stream. */
export function followHexReport(r: FollowResult): string {
  return report(r, 'hex', followHexChunks(r).flatMap((x) => x.lines));
}
