// The details tree of a frame that IP reassembly touched, as Wireshark shows it:
// - a fragment reassembled in another frame: its layers up to the fragmented IP header, the payload as
//   Data, and "[Reassembled IPv4 in frame: N]" (ip.reassembled_in);
// - the frame that completed a datagram: its own layers up to that header (their checksums over its own
//   bytes), "[K IPv4 Fragments (X bytes): #a(1480), #b(1000)]" (ip.fragments, ip.fragment, ...), then the
//   layers of the reassembled datagram, whose bytes are a data source of their own (node.src);
// - a fragment of a datagram that never completed: its layers as far as they go, and what is missing.
// The reassembled bytes are rebuilt from the frames the reassembly recorded (FragmentStage.records).

import { detail, detailReassembled } from '../dissect.ts';
import type { TreeNode } from '../summary.ts';
import { FragmentStage, type DatagramRecord } from './fragments.ts';

export interface DataSource {
  label: string;
  bytes: Uint8Array;
  /**
   * Where the source's own data begins in `bytes`: 0 for the frame; for a reassembled datagram the offset of
   * its payload, after the headers of the completing frame that its decode starts from (nodes' offsets count
   * from bytes[0]; Wireshark's "Reassembled IPv4" tab shows bytes from here).
   */
  start: number;
}

export interface FrameTree {
  tree: TreeNode[];
  /** Byte sources the nodes point into by `src`: 0 the frame, 1.. reassembled datagrams. */
  sources: DataSource[];
}

/** A frame's captured bytes and lengths, as the caller read them. */
export interface FrameBytes {
  bytes: Uint8Array;
  origlen: number;
  linktype: number;
}

/** Frames (besides n) whose bytes the tree of frame n is built from: the fragments of what it completed. */
export function treeFrames(stage: FragmentStage, n: number): number[] {
  const out = new Set<number>();
  const visit = (m: number, level: number): void => {
    for (const r of completedBy(stage, m)) {
      if (r.level >= level) continue;
      for (const f of r.fragments) {
        if (f.n !== n) out.add(f.n);
        if (f.level > 0) visit(f.n, f.level);
      }
    }
  };
  visit(n, Infinity);
  return [...out].sort((a, b) => a - b);
}

function completedBy(stage: FragmentStage, n: number): DatagramRecord[] {
  const ids = stage.byFrame.get(n);
  if (ids === undefined) return [];
  return ids.map((id) => stage.records[id]).filter((r) => r.completedIn === n).sort((a, b) => a.level - b.level);
}

/**
 * The tree of frame n: `frame(m)` gives the captured bytes of frame m (n itself, and every frame
 * treeFrames names).
 */
export function frameTree(stage: FragmentStage, n: number, frame: (m: number) => FrameBytes): FrameTree {
  const own = frame(n);
  const ids = stage.byFrame.get(n);
  if (ids === undefined) {
    return { tree: detail(own.bytes, 0, own.bytes.length, own.origlen, own.linktype), sources: [{ label: 'Frame', bytes: own.bytes, start: 0 }] };
  }
  const cache = new Map<string, Uint8Array>();
  const levelBytes = (m: number, level: number): Uint8Array => {
    if (level === 0) return frame(m).bytes;
    const key = `${m}/${level}`;
    let b = cache.get(key);
    if (b === undefined) {
      const r = completedBy(stage, m).find((x) => x.level === level - 1);
      if (r === undefined) throw new Error(`frame ${m} completed no datagram at level ${level - 1}`);
      const parts = r.fragments.map((f) => ({ bytes: levelBytes(f.n, f.level), payOff: f.payOff, offset: f.offset, len: f.len }));
      b = FragmentStage.rebuild(levelBytes(m, level - 1), r.payOff, parts, r.total);
      // As FragmentStage decoded it: an IPv6 datagram's next header is its first fragment's (RFC 8200 4.5).
      if (r.family === 6) b[r.at] = r.proto;
      cache.set(key, b);
    }
    return b;
  };
  const done = completedBy(stage, n);
  const L = done.length;
  const at = done.map((r) => r.at);
  const len = done.map((r) => r.total);
  // The deepest decode: cut at a fragment reassembled elsewhere, whole when its datagram never completed.
  const mine = ids.map((id) => stage.records[id]).find((r) => r.completedIn !== n && r.fragments.some((f) => f.n === n && f.level === L));
  const cut = mine !== undefined && mine.completedIn >= 0;
  const trees: TreeNode[][] = [];
  for (let k = 0; k <= L; k++) {
    const b = levelBytes(n, k);
    const points = { at: at.slice(0, k), len: len.slice(0, k), cut: k < L ? true : cut };
    trees.push(k === 0 ? detailReassembled(b, 0, b.length, own.origlen, own.linktype, points) : detailReassembled(b, 0, b.length, b.length, own.linktype, points));
  }
  const out: TreeNode[] = [];
  const sources: DataSource[] = [{ label: 'Frame', bytes: own.bytes, start: 0 }];
  for (let k = 0; k <= L; k++) {
    const from = k === 0 ? 0 : done[k - 1].payOff;
    const to = k < L ? done[k].payOff : Infinity;
    if (k > 0) sources.push({ label: `Reassembled ${done[k - 1].family === 6 ? 'IPv6' : 'IPv4'} (${done[k - 1].total} bytes)`, bytes: levelBytes(n, k), start: from });
    for (const node of trees[k]) {
      const expert = node.label.startsWith('[Expert:');
      // Expert notes come from the deepest decode, which walked every layer.
      if (expert ? k !== L : node.start < from || node.start >= to) continue;
      if (k > 0 && !expert) markSource(node, k);
      out.push(node);
      if (k < L && node.start === done[k].ipOff) {
        out.push(fragmentsNode(done[k]));
      }
    }
  }
  // Wireshark's note that a fragment's transport cannot be checked holds only where it never was.
  const settled = new Set(done.map((r) => `${r.ipOff}/${r.level}`));
  if (mine !== undefined && mine.completedIn >= 0) settled.add(`${mine.ipOff}/${mine.level}`);
  for (const node of out) {
    if (node.children !== undefined && settled.has(`${node.start}/${node.src ?? 0}`)) {
      node.children = node.children.filter((c) => !c.label.startsWith('[Fragment: transport checksum'));
    }
  }
  if (cut) {
    const k = out.findIndex((x) => x.label.startsWith('[Expert: IP fragment'));
    if (k >= 0) out.splice(k, 1);
  }
  if (mine !== undefined) annotateFragment(out, mine, L);
  return { tree: out, sources };
}

function markSource(node: TreeNode, src: number): void {
  node.src = src;
  for (const c of node.children ?? []) markSource(c, src);
}

function proto(r: DatagramRecord): { p: string; v: string } {
  return r.family === 6 ? { p: 'ipv6', v: 'IPv6' } : { p: 'ip', v: 'IPv4' };
}

/** "[3 IPv4 Fragments (2062 bytes): #1(1000), #2(1000), #3(62)]" with a line per fragment, as Wireshark has it. */
function fragmentsNode(r: DatagramRecord): TreeNode {
  const { p, v } = proto(r);
  const frags = [...r.fragments].sort((a, b) => a.offset - b.offset || a.n - b.n);
  const kids: TreeNode[] = frags.map((f) => ({
    label: `[Frame: ${f.n}, payload: ${f.offset}-${f.offset + f.len - 1} (${f.len} bytes)]`,
    field: `${p}.fragment`, value: String(f.n), raw: f.n, start: 0, length: 0, frame: f.n,
  }));
  if (r.overlap) kids.push({ label: '[Fragment overlap: True]', field: `${p}.fragment.overlap`, value: 'True', raw: 1, start: 0, length: 0 });
  if (r.conflict) {
    kids.push({
      label: '[Conflicting data in fragment overlap: True] [Expert: kept are the bytes of the fragment that starts lowest (of those starting at the same byte, the first received), as Wireshark keeps them]',
      field: `${p}.fragment.overlap.conflict`, value: 'True', raw: 1, start: 0, length: 0,
    });
  }
  if (r.tunnel) kids.push(tunnelNode(r));
  kids.push({ label: `[Fragment count: ${frags.length}]`, field: `${p}.fragment.count`, value: String(frags.length), raw: frags.length, start: 0, length: 0 });
  kids.push({ label: `[Reassembled ${v} length: ${r.total}]`, field: `${p}.reassembled.length`, value: String(r.total), raw: r.total, start: 0, length: 0 });
  const list = frags.map((f) => `#${f.n}(${f.len})`).join(', ');
  return { label: `[${frags.length} ${v} Fragments (${r.total} bytes): ${list}]`, field: `${p}.fragments`, start: 0, length: 0, children: kids };
}

/** On a fragment frame: where its datagram was reassembled, or what it still lacks. */
function annotateFragment(tree: TreeNode[], r: DatagramRecord, level: number): void {
  const { p, v } = proto(r);
  const ipNode = tree.find((x) => x.start === r.ipOff && (x.src ?? 0) === level && x.field === (r.family === 6 ? 'ipv6' : 'ip'));
  const into = ipNode?.children ?? tree;
  const src = level > 0 ? { src: level } : {};
  // Where it was reassembled first, right under the addresses, as Wireshark puts it; then ours.
  if (r.completedIn >= 0) {
    into.push({
      label: `[Reassembled ${v} in frame: ${r.completedIn}]`, field: r.family === 6 ? 'ipv6.reassembled.in' : 'ip.reassembled_in', value: String(r.completedIn),
      raw: r.completedIn, start: 0, length: 0, frame: r.completedIn, ...src,
    });
  } else {
    into.push({ label: `[Fragment of an incomplete ${v} datagram: missing ${r.missing.join(', ')}]`, start: 0, length: 0, ...src });
  }
  if (r.tunnel) {
    const t = tunnelNode(r);
    into.push(level > 0 ? { ...t, src: level, children: t.children?.map((c) => ({ ...c, src: level })) } : t);
  }
}

/**
 * "[Fragment of an overlay packet]" and who fragmented it, for the MTU diagnosis's filters: the underlay (tunnel
 * depth 0: the encapsulating host, reassembled or incomplete) or the tenant (inside a tunnel). A frame holds at
 * most one underlay fragment, so underlay and incomplete never meet on one frame.
 */
function tunnelNode(r: DatagramRecord): TreeNode {
  const [field, label] = r.depth > 0
    ? ['tunnel.fragmented.tenant', '[Fragmented by the tenant, before encapsulation: True]']
    : r.completedIn >= 0
      ? ['tunnel.fragmented.underlay', '[Fragmented by the underlay, after encapsulation: True]']
      : ['tunnel.fragmented.incomplete', '[Fragmented by the underlay, after encapsulation, never reassembled: True]'];
  return {
    label: '[Fragment of an overlay packet: True]', field: 'tunnel.fragmented', value: 'True', raw: 1, start: 0, length: 0,
    children: [{ label, field, value: 'True', raw: 1, start: 0, length: 0 }],
  };
}
