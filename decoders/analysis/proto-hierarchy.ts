// Statistics ▸ Protocol Hierarchy, and the Ethernet conversations: both need what the frame index does not
// keep (every layer of a frame, its link addresses), so one pass reads every frame's bytes back from the
// source in large reads and walks its layers (dissectTrace, no allocation per frame). The hierarchy is a
// tree of layer paths (eth > ipv4 > udp > vxlan > eth > ...), each node with the frames whose path runs
// through it and their bytes on the wire, as Wireshark's Protocol Hierarchy counts them. A frame is read as
// it decodes alone: an IP fragment that does not complete its datagram ends at IP (data).

import { dissectTrace, TRACE_DATA } from '../dissect.ts';
import { L_ETH } from '../layers/ids.ts';
import { layerDef } from '../layers/registry.ts';
import { newSummary } from '../summary.ts';
import { ConvTally, relTime, type ConversationTable } from './conversations.ts';
import type { FrameIndex } from './frame-index.ts';

export interface HierarchyNode {
  /** The protocol's filter name (`eth`, `ip`, `udp`, `vxlan`, `data`). */
  name: string;
  /** Frames whose layers run through this node, and their lengths on the wire. */
  packets: number;
  bytes: number;
  /** Frames whose last layer this is ("End Packets" in Wireshark). */
  endPackets: number;
  endBytes: number;
  children: HierarchyNode[];
}

export interface ByteStatistics {
  /** Frames read and their bytes on the wire (the percentages' 100%). */
  packets: number;
  bytes: number;
  hierarchy: HierarchyNode[];
  ethOuter: ConversationTable;
  ethInner: ConversationTable;
}

export interface FrameBytesReader {
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface PassOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Largest single read, and the largest gap between frames read through (tests make them small). */
  maxRead?: number;
  maxGap?: number;
}

const TRACE_PAIRS = 64;

/** Links addresses (48-bit numbers) to ids for the Ethernet tallies. */
class MacIds {
  private readonly ids = new Map<number, number>();
  readonly values: number[] = [];
  id(b: Uint8Array, p: number): number {
    const v = ((b[p] << 8) | b[p + 1]) * 4294967296 + (((b[p + 2] << 24) | (b[p + 3] << 16) | (b[p + 4] << 8) | b[p + 5]) >>> 0);
    let id = this.ids.get(v);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(v, id);
      this.values.push(v);
    }
    return id;
  }
  text(id: number): string {
    const v = this.values[id];
    const hi = Math.floor(v / 4294967296), lo = v % 4294967296;
    const hex = hi.toString(16).padStart(4, '0') + lo.toString(16).padStart(8, '0');
    return hex.replace(/(..)(?!$)/g, '$1:');
  }
}

/** Nodes as flat arrays while counting; children found by (parent, layer). */
class Tree {
  readonly name: string[] = [];
  readonly parent: number[] = [];
  readonly packets: number[] = [];
  readonly bytes: number[] = [];
  readonly endPackets: number[] = [];
  readonly endBytes: number[] = [];
  private readonly child = new Map<number, number>();

  node(parent: number, layer: number): number {
    const k = (parent + 1) * 256 + layer;
    let id = this.child.get(k);
    if (id === undefined) {
      id = this.name.length;
      this.child.set(k, id);
      this.name.push(layer === TRACE_DATA ? 'data' : layerDef(layer)?.name || `layer ${layer}`);
      this.parent.push(parent);
      this.packets.push(0); this.bytes.push(0); this.endPackets.push(0); this.endBytes.push(0);
    }
    return id;
  }

  build(): HierarchyNode[] {
    const nodes: HierarchyNode[] = this.name.map((name, id) => ({
      name, packets: this.packets[id], bytes: this.bytes[id], endPackets: this.endPackets[id], endBytes: this.endBytes[id], children: [],
    }));
    const roots: HierarchyNode[] = [];
    nodes.forEach((n, id) => (this.parent[id] < 0 ? roots : nodes[this.parent[id]].children).push(n));
    const order = (list: HierarchyNode[]): void => {
      list.sort((a, b) => b.packets - a.packets || (a.name < b.name ? -1 : 1));
      for (const n of list) order(n.children);
    };
    order(roots);
    return roots;
  }
}

/** Reads every settled frame's bytes from `src` once: the protocol hierarchy and the Ethernet conversations. */
export async function byteStatistics(ix: FrameIndex, src: FrameBytesReader, opts: PassOptions = {}): Promise<ByteStatistics> {
  const st = ix.store;
  const n = ix.settledCount;
  const maxRead = opts.maxRead ?? 4 * 1024 * 1024;
  const maxGap = opts.maxGap ?? 64 * 1024;
  const s = newSummary();
  const trace = new Int32Array(TRACE_PAIRS * 2 + 1);
  const tree = new Tree();
  const macs = new MacIds();
  const outer = new ConvTally();
  const inner = new ConvTally();
  let packets = 0, bytes = 0;
  let i = 0;
  while (i < n) {
    if (opts.signal?.aborted) throw new Error('cancelled');
    // Frames that follow each other in the file are fetched by one read.
    const start = st.offsetOf(i);
    let stop = start + st.caplen[i];
    let j = i + 1;
    while (j < n) {
      const o = st.offsetOf(j), e = o + st.caplen[j];
      if (o < stop || o - stop > maxGap || e - start > maxRead) break;
      stop = e;
      j++;
    }
    const buf = await src.read(start, stop - start);
    for (let k = i; k < j; k++) {
      const off = st.offsetOf(k) - start;
      const cap = Math.min(st.caplen[k], buf.length - off);
      const len = st.origlen[k];
      packets++;
      bytes += len;
      if (cap <= 0) continue;
      const count = dissectTrace(buf, off, cap, len, st.linktype[k], s, trace);
      let node = -1;
      let firstEth = -1, lastEth = -1;
      for (let p = 0; p < count; p++) {
        const layer = trace[2 * p];
        node = tree.node(node, layer);
        tree.packets[node]++;
        tree.bytes[node] += len;
        if (layer === L_ETH && trace[2 * p + 1] + 12 <= cap) {
          if (firstEth < 0) firstEth = trace[2 * p + 1];
          lastEth = trace[2 * p + 1];
        }
      }
      if (node >= 0) {
        tree.endPackets[node]++;
        tree.endBytes[node] += len;
      }
      if (firstEth >= 0) {
        const t = relTime(ix, k), tenant = st.tenant[k];
        const at = off + firstEth;
        outer.add(tenant, macs.id(buf, at + 6), -1, macs.id(buf, at), -1, len, t);
        const bt = off + lastEth;
        inner.add(tenant, macs.id(buf, bt + 6), -1, macs.id(buf, bt), -1, len, t);
      }
    }
    opts.onProgress?.(j, n);
    i = j;
  }
  const text = (id: number): string => macs.text(id);
  const key = (id: number): string | null => ix.tenants.key(id);
  return {
    packets, bytes, hierarchy: tree.build(),
    ethOuter: outer.table('eth', 'outer', text, key),
    ethInner: inner.table('eth', 'inner', text, key),
  };
}
