// Byte tier: the field occurrences of one frame, read off its detail tree (the same tree the details pane
// shows, so the filter and the tree never disagree). Integer and flag nodes carry `raw`; addresses and
// byte strings are the node's bytes; checksum statuses its verdict; a protocol is its bytes from its
// first byte to the end of the frame (so `udp contains 81:60:03` searches header and payload).

import { FIELDS } from '../fields.ts';
import { VERDICT_NAMES, type TreeNode } from '../summary.ts';
import type { Occ } from './evaluate.ts';

/**
 * Wireshark's value where it differs from the registered bits: header lengths in bytes, fragment offset
 * in bytes.
 */
export const WS_SCALE: Readonly<Record<string, number>> = {
  'ip.hdr_len': 4, 'tcp.hdr_len': 4,
};

const protoCache = new Map<string, string>();

/** The protocol a field belongs to: the longest registered protocol name that prefixes it. */
export function protocolOf(name: string): string {
  let p = protoCache.get(name);
  if (p !== undefined) return p;
  p = name;
  for (let cut = name.length; cut > 0; cut = name.lastIndexOf('.', cut - 1)) {
    const head = name.slice(0, cut);
    if (FIELDS.get(head)?.type === 'protocol') { p = head; break; }
    if (cut <= 0) break;
  }
  protoCache.set(name, p);
  return p;
}

/** Numeric value of an integer/flag node: `raw`, else the leading number of its display text. */
export function nodeNumber(n: TreeNode): number {
  if (n.raw !== undefined) return n.raw;
  const v = n.value ?? '';
  if (v === 'Set') return 1;
  if (v === 'Not set') return 0;
  const m = /^(0x[0-9a-f]+|\d+)/i.exec(v);
  return m ? Number(m[1]) : NaN;
}

const VERDICT_CODE = new Map<string, number>(VERDICT_NAMES.map((n, i) => [n, i]));

/**
 * Occurrences of the wanted fields (and of the protocols they belong to, for layer numbers) in `tree`.
 * `sources[k]` holds the bytes nodes with `src` k point into (0: the frame, from offset 0; then reassembled
 * datagrams); a single array is the frame alone.
 */
export function treeFields(tree: readonly TreeNode[], sources: Uint8Array | readonly Uint8Array[], want: ReadonlySet<string>): Map<string, Occ[]> {
  const srcs = sources instanceof Uint8Array ? [sources] : sources;
  const out = new Map<string, Occ[]>();
  const layers = new Map<string, number>();
  const push = (name: string, occ: Occ): void => {
    const list = out.get(name);
    if (list === undefined) out.set(name, [occ]);
    else list.push(occ);
  };
  const walk = (nodes: readonly TreeNode[]): void => {
    for (const n of nodes) {
      const f = n.field;
      if (f !== undefined) {
        const def = FIELDS.get(f);
        if (def !== undefined) {
          if (def.type === 'protocol') {
            const k = (layers.get(f) ?? 0) + 1;
            layers.set(f, k);
            const bytes = srcs[n.src ?? 0] ?? srcs[0];
            if (want.has(f)) push(f, { v: bytes.subarray(Math.min(n.start, bytes.length)), layer: k });
          } else if (want.has(f)) {
            const layer = layers.get(protocolOf(f)) ?? 1;
            const v = fieldValue(n, def.type, srcs[n.src ?? 0] ?? srcs[0]);
            if (v !== null) push(f, { v, layer });
          }
        }
      }
      if (n.children) walk(n.children);
    }
  };
  walk(tree);
  return out;
}

function fieldValue(n: TreeNode, type: string, bytes: Uint8Array): number | Uint8Array | string | null {
  switch (type) {
    case 'int': return n.raw ?? null;
    case 'uint': case 'bool': {
      const v = nodeNumber(n);
      if (Number.isNaN(v)) return null;
      const scale = WS_SCALE[n.field ?? ''];
      return scale !== undefined ? v * scale : v;
    }
    case 'verdict': {
      const code = n.verdict !== undefined ? VERDICT_CODE.get(n.verdict) : undefined;
      return code ?? null;
    }
    case 'ipv4': {
      const p = n.start;
      if (p + 4 > bytes.length) return null;
      return ((bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3]) >>> 0;
    }
    case 'ipv6': case 'ether': case 'bytes':
      return bytes.subarray(n.start, Math.min(bytes.length, n.start + n.length));
    case 'string': case 'check':
      return n.value ?? null;
    default:
      return null;
  }
}
