// The byte sources of a frame's details, as the tabs of Wireshark's bytes pane: "Frame (96 bytes)", then
// one per datagram the frame reassembled from IP fragments, "Reassembled IPv4 (2062 bytes)". A tree node's
// bytes are in source `src` (absent: the frame), at offsets counted from the start of the buffer its
// decode read; a reassembled source's buffer begins with the completing frame's headers, and its tab shows
// the datagram's data from `start` on, so tab offsets are node offsets minus `start`.
import type { FrameDetail, TreeNode } from '../workers/api.ts';
import { deepestAt } from './tree.ts';

export interface ByteTab {
  label: string;
  /** The bytes the tab shows. */
  bytes: Uint8Array;
  /** Node offset of bytes[0]. */
  start: number;
}

export function byteTabs(detail: FrameDetail): ByteTab[] {
  const tabs: ByteTab[] = [{ label: `Frame (${detail.bytes.length} bytes)`, bytes: detail.bytes, start: 0 }];
  for (const s of detail.sources ?? []) {
    const start = Math.min(Math.max(0, s.start), s.bytes.length);
    tabs.push({ label: s.label, bytes: s.bytes.subarray(start), start });
  }
  return tabs;
}

/** The tab that holds a node's bytes. */
export function tabOf(node: TreeNode): number {
  return node.src ?? 0;
}

/** A node's bytes as offsets in its tab (end exclusive), or null when it has none to show there. */
export function rangeInTab(node: TreeNode, tabs: readonly ByteTab[]): { tab: number; start: number; end: number } | null {
  const tab = tabOf(node);
  const t = tabs[tab];
  if (t === undefined || node.length <= 0) return null;
  const start = Math.max(0, node.start - t.start);
  const end = Math.min(t.bytes.length, node.start + node.length - t.start);
  return end > start ? { tab, start, end } : null;
}

/** Path of the field at byte `offset` of tab `tab`: the deepest node of that source covering it. */
export function fieldAtByte(tree: readonly TreeNode[], tabs: readonly ByteTab[], tab: number, offset: number): string | null {
  const t = tabs[tab];
  if (t === undefined || offset < 0 || offset >= t.bytes.length) return null;
  return deepestAt(tree, offset + t.start, tab);
}
