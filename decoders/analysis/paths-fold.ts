// Copies of one packet inside one capture: Windows Packet Monitor (pktmon) logs a packet at every component of
// the stack it crosses (vmNIC, vSwitch, NIC driver) and, converted to pcapng, gives every copy the same
// epb_packetid, one interface per component. Grouped here by packet id, each group in path order (time, then
// file order); "folding" shows a packet once, at its last point, with its copies one click away, and counts
// each packet once. The engine's own counts stay per frame.

import { EPB_HAS_PACKET_ID } from '../capture/types.ts';
import type { FrameIndex } from './frame-index.ts';

/** Seconds of store index i since second `base` (NaN without a time). */
export function frameSeconds(e: FrameIndex, i: number, base: number): number {
  const st = e.store;
  return st.hasTimeOf(i) ? (st.secOf(i) - base) + st.nsecOf(i) / 1e9 : NaN;
}

/** Groups of frames sharing a packet id, in compressed rows. */
export interface CopyGroups {
  /** Per store index: its group, or -1 (no packet id, or no other frame with it). */
  group: Int32Array;
  /** Group g's members are members[start[g] .. start[g + 1]) (store indices, path order). */
  start: Int32Array;
  members: Int32Array;
  count: number;
}

/** Groups the settled frames of a capture by epb_packetid (frames alone with their id form no group). */
export function copyGroups(e: FrameIndex): CopyGroups {
  const n = e.settledCount;
  const group = new Int32Array(n).fill(-1);
  if (!e.extras.any(EPB_HAS_PACKET_ID)) return { group, start: new Int32Array(1), members: new Int32Array(0), count: 0 };
  const first = new Map<number, number>();
  let count = 0;
  const size: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = e.extras.packetId(i);
    if (id !== id) continue;
    const f = first.get(id);
    if (f === undefined) { first.set(id, i); continue; }
    let g = group[f];
    if (g < 0) { g = group[f] = count++; size.push(1); }
    group[i] = g;
    size[g]++;
  }
  const start = new Int32Array(count + 1);
  for (let g = 0; g < count; g++) start[g + 1] = start[g] + size[g];
  const members = new Int32Array(start[count]);
  const fill = start.slice(0, count);
  for (let i = 0; i < n; i++) if (group[i] >= 0) members[fill[group[i]]++] = i;
  const base = e.store.tBase;
  for (let g = 0; g < count; g++) {
    const part = members.subarray(start[g], start[g + 1]);
    // File order is pktmon's order of traversal; times only move a copy when they say it came later.
    let inOrder = true;
    for (let m = 1; m < part.length && inOrder; m++) inOrder = !(frameSeconds(e, part[m], base) < frameSeconds(e, part[m - 1], base));
    if (!inOrder) part.set(Array.from(part).sort((a, b) => (frameSeconds(e, a, base) - frameSeconds(e, b, base)) || a - b));
  }
  return { group, start, members, count };
}

export interface FoldedTenant {
  key: string;
  encap: string;
  vnid: number | null;
  /** Packets (each once), the bytes of their shown copies, those whose shown copy has a bad / partial checksum. */
  packets: number;
  bytes: number;
  bad: number;
  partial: number;
}

export interface FoldedCounts {
  /** Frames in all, packets (each once), frames that are copies shown at another point. */
  frames: number;
  packets: number;
  folded: number;
  /** Packets whose shown copy (the last point) has a bad / partial checksum. */
  bad: number;
  partial: number;
  tenants: FoldedTenant[];
}

/** A capture with its copies folded: each packet shown once, at its last point. */
export class Folding {
  readonly groups: CopyGroups;
  /** Per store index: 1 when the frame is a copy shown at a later point of its packet (hidden when folded). */
  readonly folded: Uint8Array;

  constructor(private readonly e: FrameIndex) {
    this.groups = copyGroups(e);
    const g = this.groups;
    this.folded = new Uint8Array(g.group.length);
    for (let k = 0; k < g.count; k++) for (let m = g.start[k]; m < g.start[k + 1] - 1; m++) this.folded[g.members[m]] = 1;
  }

  /** Whether the capture has copies to fold at all. */
  get any(): boolean {
    return this.groups.count > 0;
  }

  /** Frame numbers of every copy of frame n's packet, in path order (just [n] for a frame alone). */
  copiesOf(n: number): number[] {
    const i = this.e.checkFrame(n);
    const g = this.groups.group[i] ?? -1;
    if (g < 0) return [n];
    return Array.from(this.groups.members.subarray(this.groups.start[g], this.groups.start[g + 1]), (m) => m + 1);
  }

  /** The frame that shows frame n's packet when folded (its last point). */
  shownOf(n: number): number {
    const c = this.copiesOf(n);
    return c[c.length - 1];
  }

  /** The tenant of a packet: of its first copy that has one (a vmNIC copy is not encapsulated yet). */
  tenantOf(i: number): number {
    const st = this.e.store;
    const g = this.groups.group[i] ?? -1;
    if (g < 0) return st.tenant[i];
    for (let m = this.groups.start[g]; m < this.groups.start[g + 1]; m++) {
      const t = st.tenant[this.groups.members[m]];
      if (t >= 0) return t;
    }
    return -1;
  }

  /** Counts over packets: each once, as its shown copy says. */
  counts(): FoldedCounts {
    const e = this.e;
    const st = e.store;
    const n = this.folded.length;
    const tt = e.tenants;
    const per = new Map<number, FoldedTenant>();
    let packets = 0, bad = 0, partial = 0;
    for (let i = 0; i < n; i++) {
      if (this.folded[i] === 1) continue;
      packets++;
      const isBad = st.badMaskOf(i) !== 0, isPartial = st.partialMaskOf(i) !== 0;
      if (isBad) bad++;
      if (isPartial) partial++;
      const t = this.tenantOf(i);
      if (t < 0) continue;
      let row = per.get(t);
      if (row === undefined) {
        row = { key: tt.key(t), encap: tt.encapName(t), vnid: tt.vnidOrNull(t), packets: 0, bytes: 0, bad: 0, partial: 0 };
        per.set(t, row);
      }
      row.packets++;
      row.bytes += st.caplen[i];
      if (isBad) row.bad++;
      if (isPartial) row.partial++;
    }
    const tenants = tt.sortedIds().filter((t) => per.has(t)).map((t) => per.get(t) as FoldedTenant);
    return { frames: n, packets, folded: n - packets, bad, partial, tenants };
  }
}
