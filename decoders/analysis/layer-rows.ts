// Packet-list columns that need the frame's bytes: a row whose highest layer has a `row` in its definition
// (ARP's "Who has 10.0.0.2? Tell 10.0.0.1", DNS's "Standard query 0x1a2b A example.com", HTTP's request
// line, TLS's handshake messages) is completed from its bytes when it is shown. The frame index keeps none of
// these fields, so only the rows on screen are read: nothing is added to the per-frame hot path or the store
// (and sorting by these columns follows the index's values). A frame that completed an IP datagram shows
// the datagram's message, as Wireshark does in the last fragment.

import { detail } from '../dissect.ts';
import { readFrames } from '../filter/runner.ts';
import { N_MALFORMED, type TreeNode } from '../summary.ts';
import { layerDef, type RowText } from '../layers/registry.ts';
import type { FrameIndex } from './frame-index.ts';
import { noteSuffix, type PacketRow } from './rows.ts';
import { fillTcpRows } from './tcp-rows.ts';

/** Where rows re-read frame bytes from (the capture, or its inflated copy for gzip input). */
export interface FrameBytes {
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * Replaces the columns of the rows among `rows` whose highest layer writes its own with what their bytes
 * say (a frame that completed an IP datagram: the reassembled datagram's, so the fragments are read too).
 * Columns a layer leaves out, and every column of a row whose bytes cannot be read, stay as the index gave
 * them.
 */
export async function fillLayerRows(e: FrameIndex, rows: PacketRow[], frames: FrameBytes): Promise<void> {
  // TCP's own Info (sequence numbers, window, options) for rows whose highest layer it is.
  await fillTcpRows(e, rows, frames, (need) => readFrames(e, frames, need));
  await Promise.all(rows.map(async (row) => {
    const def = layerDef(e.store.topProto[row.n - 1]);
    if (def?.row === undefined || def.name === '') return;
    const loc = e.frameLocation(row.n);
    // A row is still worth showing when its bytes cannot be read again (the file changed or went away).
    const bytes = await frames.read(loc.offset, loc.caplen).catch(() => null);
    if (bytes === null) return;
    const need = e.detailFrames(row.n);
    const others = need.length > 0 ? await readFrames(e, frames, need).catch(() => null) : undefined;
    if (others === null) return;
    const { tree, sources } = e.detailOf(row.n, bytes, others);
    const n = lastNode(tree, def.name);
    if (n === null) return;
    const src = sources[n.src ?? 0]?.bytes ?? bytes;
    const cut = n.src === undefined || n.src === 0 ? loc.origlen : src.length;
    const c = def.row({ b: src, start: n.start, end: Math.min(src.length, n.start + n.length), caplen: src.length, origlen: cut, linktype: loc.linktype, tree });
    if (c === null) return;
    if (c.src !== undefined) row.src = c.src;
    if (c.dst !== undefined) row.dst = c.dst;
    if (c.protocol !== undefined) row.protocol = c.protocol;
    // The application's Info replaces TCP's, its analysis notes too (as tshark writes it).
    if (c.info !== undefined) row.info = c.info + noteSuffix(e.store.notes[row.n - 1] | (c.malformed === true ? N_MALFORMED : 0));
  }));
}

/** The last node of a protocol in a tree (the innermost occurrence, the one that is the frame's highest layer). */
function lastNode(tree: readonly TreeNode[], name: string): TreeNode | null {
  for (let i = tree.length - 1; i >= 0; i--) if (tree[i].field === name) return tree[i];
  return null;
}

/**
 * The columns the layer `top` (a layer id, the frame's highest) writes for a frame, from its bytes; null
 * when that layer writes none or is not in the frame.
 */
export function layerColumns(b: Uint8Array, caplen: number, origlen: number, linktype: number, top: number): RowText | null {
  const def = layerDef(top);
  if (def?.row === undefined || def.name === '') return null;
  const tree = detail(b, 0, caplen, origlen, linktype);
  const n = lastNode(tree, def.name);
  if (n === null) return null;
  return def.row({ b, start: n.start, end: Math.min(caplen, n.start + n.length), caplen, origlen, linktype, tree });
}
