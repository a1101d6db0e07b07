// Helpers over the detail tree (TreeNode from the worker). Nodes are addressed by their index path,
// joined with '.', e.g. '2.0.3'.
import type { TreeNode } from '../workers/api.ts';

export type Verdict = NonNullable<TreeNode['verdict']>;

export function nodeAt(tree: readonly TreeNode[], path: string): TreeNode | null {
  let list: readonly TreeNode[] | undefined = tree;
  let node: TreeNode | null = null;
  for (const part of path.split('.')) {
    const i = Number(part);
    if (!list || !Number.isInteger(i) || i < 0 || i >= list.length) return null;
    node = list[i];
    list = node.children;
  }
  return node;
}

/** Paths of the ancestors of `path` (not including itself), outermost first. */
export function ancestors(path: string): string[] {
  const parts = path.split('.');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('.'));
  return out;
}

/**
 * The deepest node of byte source `src` (0: the frame; k: the k-th reassembled datagram, TreeNode.src) whose
 * byte range covers `offset`, preferring the narrowest when siblings overlap. Returns its path, or null when
 * no node covers the byte.
 */
export function deepestAt(tree: readonly TreeNode[], offset: number, src = 0): string | null {
  let best: string | null = null;
  const walk = (list: readonly TreeNode[], prefix: string): void => {
    let pick = -1;
    let pickLen = Infinity;
    for (let i = 0; i < list.length; i++) {
      const n = list[i];
      if ((n.src ?? 0) === src && n.length > 0 && offset >= n.start && offset < n.start + n.length && n.length < pickLen) {
        pick = i;
        pickLen = n.length;
      }
    }
    if (pick < 0) return;
    const path = prefix ? `${prefix}.${pick}` : String(pick);
    best = path;
    const kids = list[pick].children;
    if (kids) walk(kids, path);
  };
  walk(tree, '');
  return best;
}

const RANK: Record<Verdict, number> = { bad: 4, partial: 3, zero: 2, unverified: 1, good: 0 };

/** Worst checksum verdict among the node's descendants (and itself), ignoring `good` and "no checksum". */
export function worstVerdict(node: TreeNode): Verdict | null {
  let worst: Verdict | null = node.verdict && node.verdict !== 'good' && !node.noChecksum ? node.verdict : null;
  for (const c of node.children ?? []) {
    const w = worstVerdict(c);
    if (w && (!worst || RANK[w] > RANK[worst])) worst = w;
  }
  return worst;
}

/** Text of one tree line: `label: value`, or the label alone. */
export function nodeText(node: TreeNode): string {
  const v = node.value;
  return v !== undefined && v !== '' && !node.label.includes(v) ? `${node.label}: ${v}` : node.label;
}

/** A piece of a tree line's text: plain, or a `#N` that refers to frame N (a link to it). */
export type LinePart = string | { frame: number; text: string };

/**
 * The text of a line cut at its frame references: `#N` where a child of the node refers to frame N (as in
 * "[3 IPv4 Fragments (2062 bytes): #1(1000), #2(1000), #3(62)]", whose children are the fragments).
 */
export function frameRefs(node: TreeNode): LinePart[] {
  const text = nodeText(node);
  const frames = new Set<number>();
  for (const c of node.children ?? []) if (c.frame !== undefined) frames.add(c.frame);
  if (frames.size === 0) return [text];
  const out: LinePart[] = [];
  let last = 0;
  for (const m of text.matchAll(/#(\d+)\b/g)) {
    const n = Number(m[1]);
    if (!frames.has(n)) continue;
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push({ frame: n, text: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** The frames the lines of a tree refer to (TreeNode.frame), but `self`. */
export function referencedFrames(tree: readonly TreeNode[], self: number): Set<number> {
  const out = new Set<number>();
  const walk = (list: readonly TreeNode[]): void => {
    for (const n of list) {
      if (n.frame !== undefined && n.frame !== self) out.add(n.frame);
      if (n.children) walk(n.children);
    }
  };
  walk(tree);
  return out;
}
