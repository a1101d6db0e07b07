// Custom columns ("Apply as column"): the value of a details field for each of some frames, read off the
// frames' details trees as the filter's byte tier reads them (tree-fields.ts), with the filter that
// selects the value. Only for the rows on screen: every frame is read back from the file.
import type { FrameIndex } from '../analysis/frame-index.ts';
import { readBatch } from '../analysis/read-batch.ts';
import type { TreeNode } from '../summary.ts';
import { filterForNode, indexNode } from './index.ts';
import { readFrames, type FrameBytesSource } from './runner.ts';

export interface CustomCell {
  /** The field's display values, comma-separated when it occurs more than once (as Wireshark); '' when absent. */
  text: string;
  /** The filter that selects the first value, or null when the field is absent. */
  filter: string | null;
}

/** At most this many frames per call: the rows of a screen or two. */
export const MAX_CUSTOM_FRAMES = 512;

/**
 * The cells of `fields` for `frames` (frame numbers; cells come back in the order asked). Throws for a
 * frame that does not exist and for more than MAX_CUSTOM_FRAMES frames.
 */
export async function customCells(e: FrameIndex, src: FrameBytesSource, frames: readonly number[], fields: readonly string[]): Promise<CustomCell[][]> {
  if (frames.length > MAX_CUSTOM_FRAMES) throw new RangeError(`custom columns are read for at most ${MAX_CUSTOM_FRAMES} frames at a time, not ${frames.length}`);
  for (const n of frames) e.checkFrame(n);
  const out = new Map<number, CustomCell[]>();
  if (fields.length === 0) return frames.map(() => []);
  const list = [...new Set(frames)].sort((a, b) => a - b);
  const st = e.store;
  let k = 0;
  while (k < list.length) {
    const { end, start, stop } = readBatch(st, list, k, 1, 64 << 10, 4 << 20);
    const buf = await src.read(start, stop - start);
    for (let q = k; q < end; q++) {
      const n = list[q];
      const at = st.offsetOf(n - 1) - start;
      const bytes = buf.subarray(at, Math.min(buf.length, at + st.caplen[n - 1]));
      const need = e.detailFrames(n);
      const others = need.length > 0 ? await readFrames(e, src, need) : undefined;
      out.set(n, cellsOf(e, n, bytes, others, fields));
    }
    k = end;
  }
  return frames.map((n) => out.get(n) ?? []);
}

function cellsOf(e: FrameIndex, n: number, bytes: Uint8Array, others: ReadonlyMap<number, Uint8Array> | undefined, fields: readonly string[]): CustomCell[] {
  const { tree, sources } = e.detailOf(n, bytes, others);
  const extra = indexNode(e, n);
  if (extra !== null) tree.splice(1, 0, extra);
  const found = new Map<string, TreeNode[]>();
  const want = new Set(fields);
  const walk = (nodes: readonly TreeNode[]): void => {
    for (const node of nodes) {
      if (node.field !== undefined && want.has(node.field)) {
        const list = found.get(node.field);
        if (list === undefined) found.set(node.field, [node]);
        else list.push(node);
      }
      if (node.children) walk(node.children);
    }
  };
  walk(tree);
  return fields.map((f) => {
    const nodes = found.get(f);
    if (nodes === undefined) return { text: '', filter: null };
    const first = nodes[0];
    const src = sources[first.src ?? 0]?.bytes ?? bytes;
    return { text: nodes.map(displayValue).join(','), filter: filterForNode(first, src) };
  });
}

/** A field's value as the details show it: its value, else what its label says after the name. */
export function displayValue(n: TreeNode): string {
  if (n.value !== undefined) return n.value;
  const i = n.label.indexOf(': ');
  return i >= 0 ? n.label.slice(i + 2) : n.label;
}
