// What the code that reads an analysis (rows, reports, the offload tally, filters, export, subsets, ARP
// rows) may see of it: the frames and their columns, the address, flow and tenant tables, the totals and
// the fragment stage's queries. Engine implements it; the readers depend on this file only, so the engine
// can build them (its view index, filters, offload tally) without the modules importing each other in a
// circle (decoders/import-cycles.test.ts).
import type { CaptureResult, InterfaceInfo } from '../capture/types.ts';
import type { FrameStore } from '../store.ts';
import type { AddressTable } from './address-table.ts';
import type { FlowTable } from './flow-table.ts';
import type { TenantTable } from './tenant-table.ts';
import type { HostTable } from './host-table.ts';
import type { FrameExtras, PacketExtras } from './frame-extras.ts';
import type { FragmentStage } from './fragments.ts';
import type { MtuTally } from './mtu.ts';
import type { FrameTree } from './frame-tree.ts';
import type { MtuFinding } from './types.ts';
import type { DupAckNotes } from './tcp-analysis.ts';
import type { BadSegments } from './tcp-retransmit.ts';
import type { StreamIndex } from './streams.ts';

/** What readers ask of the IP reassembly: the datagrams and which frames hold them, not the stage itself. */
export type FragmentQueries = Readonly<Pick<FragmentStage, 'frames' | 'completed' | 'incomplete' | 'records' | 'byFrame'>>
  & Pick<FragmentStage, 'reassembledIn' | 'fragmentOf'>
  & { readonly mtu: Pick<MtuTally, 'icmpLog'> };

/** Where frame n is in the source and how to decode its bytes. */
export interface FrameLocation {
  offset: number;
  caplen: number;
  origlen: number;
  linktype: number;
}

export interface FrameIndex {
  /** The columns, one row per frame (store index = frame number - 1) when the frames are retained. */
  readonly store: FrameStore;
  readonly addrs: AddressTable;
  readonly flows: FlowTable;
  readonly tenants: TenantTable;
  /** Sending hosts and their verdict counts (decoders/analysis/host-table.ts). */
  readonly hosts: HostTable;
  readonly fragments: FragmentQueries;
  /** TCP analysis: the duplicate ACKs' numbers and frames, and the segments with a bad TCP checksum. */
  readonly dupAcks: DupAckNotes;
  readonly badSegments: BadSegments;
  /** tcp.stream / udp.stream of the frames, and TCP's relative numbering. */
  readonly streams: StreamIndex;
  /** Frames read so far (also when the store does not retain them). */
  readonly frames: number;
  /** Frames whose rows are final (see Engine.settledCount): what views, filters and reports read. */
  readonly settledCount: number;
  readonly retainsFrames: boolean;
  /** The load's outcome, or null while it runs. */
  readonly result: CaptureResult | null;

  /** Verdict counts: index slot * 6 + verdict; "no checksum" zeros per slot. */
  readonly checkCounts: Float64Array;
  readonly noChecksumCounts: Float64Array;
  /** Frame numbers with at least one bad verdict, ascending. */
  readonly flagged: readonly number[];
  readonly totalBytes: number;
  /** Earliest and latest timestamps (NaN seconds when none) and the time of frame 1 (the Time column's zero). */
  readonly minSec: number;
  readonly minNsec: number;
  readonly maxSec: number;
  readonly maxNsec: number;
  readonly refSec: number;
  readonly refNsec: number;
  firstTime(): string | null;
  lastTime(): string | null;
  mtu(): MtuFinding[];

  /** Store index of frame n; throws RangeError for a frame the store does not hold. */
  checkFrame(n: number): number;
  frameLocation(n: number): FrameLocation;
  interfaces(): readonly InterfaceInfo[];
  /** Index in interfaces() of frame n's interface. */
  interfaceIndex(n: number): number;
  packetExtras(n: number): PacketExtras;
  /** The packet block options of the frames that have them (sparse). */
  readonly extras: FrameExtras;
  /** The interface of frame index i (names are known while the load runs). */
  interfaceOf(i: number): InterfaceInfo | undefined;
  /** Frame index i is a super-frame (decoders/analysis/superframe.ts). */
  isSuperframe(i: number): boolean;
  /** Frames besides n whose bytes detailOf(n) needs. */
  detailFrames(n: number): number[];
  detailOf(n: number, bytes: Uint8Array, others?: ReadonlyMap<number, Uint8Array>): FrameTree;

  /** Whether a zero verdict of frame index i in `slot` is UDP-over-IPv4 "no checksum", not a finding. */
  benignZero(i: number, slot: number): boolean;
  /** Zero-verdict bits of frame index i that point at a problem. */
  notableZeroMask(i: number): number;
}
