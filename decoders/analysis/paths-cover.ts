// What a checksum covers, compared between two copies of one packet: "offload" (the covered bytes are the same
// apart from the checksum field: the device between the points computed it wrongly) or "path" (they changed on
// the way). And the byte diff of two copies for the path view. Works from the details tree (dissect.ts detail),
// so every encapsulation the decoders know is handled; only frames whose verdict changed are read this way.

import { detail, dissect } from '../dissect.ts';
import { newSummary, type TreeNode } from '../summary.ts';
import { Hash53 } from './paths-hash.ts';

const h = new Hash53();
const scratch = newSummary();

/** The bytes of one copy: captured bytes from offset 0, the length on the wire and the link type. */
export interface CopyBytes {
  bytes: Uint8Array;
  origlen: number;
  linktype: number;
}

const IP_LAYERS = new Set(['ip', 'ipv6']);

function findCheck(n: TreeNode, check: string): TreeNode | null {
  if (n.check === check && n.field !== undefined && n.field.endsWith('.checksum')) return n;
  for (const c of n.children ?? []) {
    const f = findCheck(c, check);
    if (f !== null) return f;
  }
  return null;
}

function child(n: TreeNode, field: string): TreeNode | undefined {
  return n.children?.find((c) => c.field === field);
}

/** End of the IP packet whose header is node `ip` (its declared length; the captured end for 0). */
function ipEnd(ip: TreeNode, caplen: number): number {
  const v6 = ip.field === 'ipv6';
  const len = child(ip, v6 ? 'ipv6.plen' : 'ip.len')?.raw;
  if (len === undefined || len === 0) return caplen;
  return ip.start + (v6 ? 40 : 0) + len;
}

/**
 * A hash of the bytes check `check` (a check name: `inner.tcp`) covers in one copy, its checksum field read as
 * 0: the IPv4 header for `ipv4`, else the transport message to the end of its IP packet, with the
 * pseudo-header's addresses for TCP, UDP and ICMPv6. NaN when the copy lacks the check or bytes of it.
 */
export function coverHash(c: CopyBytes, check: string): number {
  const caplen = c.bytes.length;
  const tree = detail(c.bytes, 0, caplen, c.origlen, c.linktype);
  for (let k = 0; k < tree.length; k++) {
    const field = findCheck(tree[k], check);
    if (field === null || (field.src ?? 0) !== 0) continue;
    const layer = tree[k];
    const kind = check.slice(check.lastIndexOf('.') + 1);
    const cs = field.start;
    if (kind === 'ipv4') {
      const end = layer.start + layer.length;
      return end > caplen ? NaN : h.reset(3).bytes(c.bytes, layer.start, end, cs, cs + 2).value53();
    }
    let j = k - 1;
    while (j >= 0 && !IP_LAYERS.has(tree[j].field ?? '')) j--;
    if (j < 0) return NaN;
    const ip = tree[j];
    const end = ipEnd(ip, caplen);
    if (end > caplen || end <= layer.start) return NaN;
    h.reset(4).bytes(c.bytes, layer.start, end, cs, cs + 2);
    if (kind === 'tcp' || kind === 'udp' || kind === 'icmpv6') {
      const v6 = ip.field === 'ipv6';
      const src = child(ip, v6 ? 'ipv6.src' : 'ip.src'), dst = child(ip, v6 ? 'ipv6.dst' : 'ip.dst');
      if (src === undefined || dst === undefined) return NaN;
      h.bytes(c.bytes, src.start, src.start + src.length).bytes(c.bytes, dst.start, dst.start + dst.length);
    }
    return h.value53();
  }
  return NaN;
}

/** One run of differing bytes: at `a` (aLength bytes) in the first copy, at `b` (bLength) in the second. */
export interface DiffRange {
  a: number;
  aLength: number;
  b: number;
  bLength: number;
}

export interface CopyDiff {
  /** Where the copies are aligned: the innermost IP header of each (0 for frames without IP). */
  alignA: number;
  alignB: number;
  /** Whether the bytes before the alignment (outer headers) are the same. */
  outerSame: boolean;
  /** Differing runs from the alignment on (a run past the shorter copy's end has length 0 on that side). */
  ranges: DiffRange[];
  /** Fields of the second copy the differing runs touch (`tcp.checksum`, `data.data`), outermost first. */
  fields: string[];
  /** Every differing byte from the alignment on lies in a checksum field. */
  checksumOnly: boolean;
}

function innerIp(c: CopyBytes): number {
  dissect(c.bytes, 0, c.bytes.length, c.origlen, c.linktype, scratch);
  if (scratch.innerFamily === 4) return scratch.innerSrcOff - 12;
  if (scratch.innerFamily === 6) return scratch.innerSrcOff - 8;
  return 0;
}

function leaves(nodes: readonly TreeNode[], from: number, to: number, out: Set<string>, checksum: { only: boolean }): void {
  for (const n of nodes) {
    if ((n.src ?? 0) !== 0 || n.start >= to || n.start + n.length <= from) continue;
    // Of the fields over the same bytes (a field, its status, its bits), the first names them.
    const hit = n.children?.find((c) => c.field !== undefined && c.length > 0 && (c.src ?? 0) === 0 && c.start < to && c.start + c.length > from);
    if (hit !== undefined) leaves([hit], from, to, out, checksum);
    else if (n.field !== undefined) {
      out.add(n.field);
      if (!n.field.endsWith('.checksum') || n.start > from || n.start + n.length < to) checksum.only = false;
    } else checksum.only = false;
  }
}

/** The byte diff of two copies of one packet, aligned at their innermost IP headers. */
export function copyDiff(a: CopyBytes, b: CopyBytes): CopyDiff {
  const alignA = innerIp(a), alignB = innerIp(b);
  let outerSame = alignA === alignB;
  for (let k = 0; outerSame && k < alignA; k++) outerSame = a.bytes[k] === b.bytes[k];
  const ranges: DiffRange[] = [];
  const la = a.bytes.length - alignA, lb = b.bytes.length - alignB;
  const common = Math.min(la, lb);
  for (let k = 0; k < common;) {
    if (a.bytes[alignA + k] === b.bytes[alignB + k]) { k++; continue; }
    const s = k;
    while (k < common && a.bytes[alignA + k] !== b.bytes[alignB + k]) k++;
    ranges.push({ a: alignA + s, aLength: k - s, b: alignB + s, bLength: k - s });
  }
  if (la !== lb) ranges.push({ a: alignA + common, aLength: la - common, b: alignB + common, bLength: lb - common });
  const tree = detail(b.bytes, 0, b.bytes.length, b.origlen, b.linktype);
  const fields = new Set<string>();
  const checksum = { only: ranges.length > 0 };
  for (const r of ranges) {
    if (r.bLength === 0) { checksum.only = false; continue; }
    // Byte by byte, so that a run over two fields names both, each checked for being a checksum on its own.
    for (let q = r.b; q < r.b + r.bLength; q++) leaves(tree, q, q + 1, fields, checksum);
  }
  return { alignA, alignB, outerSame, ranges, fields: [...fields], checksumOnly: checksum.only };
}
