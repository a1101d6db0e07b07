// The one seam between the UI and the engine. web/ imports only types from here; the worker
// (analyzer.worker.ts) implements Analyzer over decoders/ and exposes it with Comlink. Shapes the
// engine already defines are re-exported from decoders/, not declared again.
import type { CaptureFormat, CaptureWarning } from '../decoders/capture/types.ts';
import type { TreeNode } from '../decoders/summary.ts';
import type { DataSource } from '../decoders/analysis/frame-tree.ts';
import type { LoadProgressInfo } from '../decoders/analysis/engine.ts';
import type { PacketRow as EnginePacketRow, RowsResult as EngineRowsResult, RowView } from '../decoders/analysis/rows.ts';
import type { FlowStats, MtuFinding, OffloadGroup, OffloadReport, StatusCounts, TenantStats, TimeSeries, VerdictCounts } from '../decoders/analysis/types.ts';
import type { FilterCheck, FilterErrorInfo, FilterField } from '../decoders/filter/index.ts';
import type { HostStats, HostTimelines } from '../decoders/analysis/hosts.ts';

export type { HostFinding, HostStats, HostTimelines } from '../decoders/analysis/hosts.ts';
import type { FrameFacts } from '../decoders/analysis/frame-facts.ts';
import type { CustomCell } from '../decoders/filter/custom-columns.ts';
import type { FollowResult } from '../decoders/analysis/follow.ts';
export type { FollowChunk, FollowResult } from '../decoders/analysis/follow.ts';
import type { ConversationTable, ConvKind, ConvLayer } from '../decoders/analysis/conversations.ts';
import type { HierarchyNode } from '../decoders/analysis/proto-hierarchy.ts';
import type { ExpertInfo } from '../decoders/analysis/expert.ts';
import type { FileProperties } from '../decoders/analysis/file-properties.ts';

export type { ConversationRow, ConversationTable, ConvKind, ConvLayer, EndpointRow } from '../decoders/analysis/conversations.ts';
export type { HierarchyNode } from '../decoders/analysis/proto-hierarchy.ts';
export type { ExpertGroup, ExpertInfo, Severity } from '../decoders/analysis/expert.ts';
export type { FileProperties, InterfaceProperties } from '../decoders/analysis/file-properties.ts';
export type { InterfaceStatistics, SectionInfo } from '../decoders/capture/isb.ts';
import type { PathsAnalyzer } from './paths-api.ts';

export type { CaptureWarning, TreeNode, FlowStats, MtuFinding, OffloadGroup, OffloadReport, StatusCounts, TenantStats, TimeSeries, VerdictCounts };
export type { DataSource, FilterCheck, FilterErrorInfo, FilterField, FrameFacts, CustomCell };

export type LoadProgress = LoadProgressInfo;

/** Progress as the worker reports it to the UI during open(). */
export type OpenProgress = LoadProgress;

export interface OpenResult {
  name: string;
  size: number;
  format: CaptureFormat;
  gzip: boolean;
  frames: number;
  bytes: number;
  firstTime: string | null;
  lastTime: string | null;
  warnings: CaptureWarning[];
  /** A fatal error that stopped reading part-way; frames before it are kept. */
  error: CaptureWarning | null;
  cancelled: boolean;
}

/** Columns, views and rows as the engine defines them (decoders/analysis/rows.ts); the worker adds the colouring rule. */
export type { ColumnId, RowView } from '../decoders/analysis/rows.ts';

export interface PacketRow extends EnginePacketRow {
  /** Index of the first colouring rule (setColourRules) the frame matches, or null. */
  rule?: number | null;
}

export type RowsResult = EngineRowsResult<PacketRow>;

export interface FrameDetail {
  n: number;
  tree: TreeNode[];
  /** The frame's captured bytes. */
  bytes: Uint8Array;
  /**
   * Reassembled datagrams the tree's nodes point into with `src` 1, 2, ... (IP fragments this frame completed).
   * `bytes` begin with the completing frame's headers; the datagram's data starts at `start`.
   */
  sources?: DataSource[];
}

/** Which frames an export writes (always in file order). */
export type FrameSet = { kind: 'all' } | { kind: 'flagged' } | { kind: 'view'; view: RowView } | { kind: 'marked'; frames: number[] };

export interface PcapngExport {
  /** The pcapng file (application/vnd.tcpdump.pcap). */
  blob: Blob;
  frames: number;
  /** The number, in the exported file, of the frame asked about with `keep`; null when it is not in it. */
  keptFrame: number | null;
}

export interface FilterProgress {
  /** Frames read and decided by the byte tier so far, of `total`. */
  done: number;
  total: number;
}

export interface FilterResolved {
  /** Frames matching the filter (all frames, no tenant narrowing). */
  matched: number;
  /** Frames still undecided (a newer call took over, or a load is still adding frames). */
  pending: number;
  /** Frames decided from their bytes by this call. */
  read: number;
}

export type TableName = 'tenants' | 'flows';
export type TableFormat = 'csv' | 'json';

export interface Analyzer extends PathsAnalyzer {
  /**
   * Opens a capture from a File/Blob (its bytes are read by slices inside the worker), as load `id` (the
   * caller's number, rising). A newer open() stops this one. Resolves when the load ends (done, cancelled
   * or stopped by an error part-way). Rejects when the input is not a capture or yields no frame at all,
   * and when a newer open() replaced it before it was activated. `add`: the capture joins the open ones
   * when activated (several files opened together; showCapture() switches between them) instead of
   * replacing them; the one shown stays.
   */
  open(id: number, file: Blob, name: string, onProgress?: (p: OpenProgress) => void, add?: boolean): Promise<OpenResult>;
  /**
   * Makes load `id` the analysis rows()/status()/... answer from, once it has frames (or has resolved).
   * Until then they answer from the previous one. Does nothing when a newer open() has been called since:
   * the caller activates only the load it shows, and calls are handled in the order made.
   */
  activate(id: number): void;
  /** Stops load `id` if it is still reading; frames read so far stay. */
  cancel(id: number): void;
  rows(start: number, count: number, view: RowView): Promise<RowsResult>;
  status(view: RowView): Promise<StatusCounts>;
  /** Position of frame n in the view, or -1. */
  indexOf(n: number, view: RowView): Promise<number>;
  detail(n: number): Promise<FrameDetail>;
  /** What the row menu builds its filters from (tenant, addresses, ports, protocol) and the frame that reassembled it. */
  frameFacts(n: number): Promise<FrameFacts>;
  /** Follow TCP/UDP stream: the payload of tcp.stream / udp.stream `stream` (decoders/analysis/follow.ts). */
  follow(kind: 'tcp' | 'udp', stream: number): Promise<FollowResult>;
  /**
   * Custom columns: the values of details fields (`ip.ttl`) for some frames (those on screen), each read back
   * from the file, with the filter that selects each value. Cells in the order of `frames`, one per field.
   */
  customCells(frames: number[], fields: string[]): Promise<CustomCell[][]>;
  /** Per tenant; `fold`: with pktmon copies folded (RowView.fold), frames, bytes, bad and partial count each packet once. */
  tenants(fold?: boolean): Promise<TenantStats[]>;
  flows(tenant: string | null): Promise<FlowStats[]>;
  offload(): Promise<OffloadReport>;
  /**
   * MTU diagnosis per host (the CLI summary's `mtu`): underlay fragmentation of encapsulated packets, tenant
   * fragments, ICMP "fragmentation needed"/"packet too big", and the advice. Final once the load has ended.
   */
  mtu(): Promise<MtuFinding[]>;
  /** Sending hosts, worst first, with their diagnosis (the CLI summary's `hosts`). */
  /** `fold`: pktmon copies folded (RowView.fold), each packet counted once at its shown copy. */
  hosts(fold?: boolean): Promise<HostStats[]>;
  /** Per host (in hosts() order), bad frames per time bucket over the capture's span: a small timeline. */
  hostTimelines(buckets: number): Promise<HostTimelines>;
  checks(): Promise<Record<string, VerdictCounts>>;
  timeSeries(maxBuckets: number, topTenants: number): Promise<TimeSeries>;
  /**
   * Writes a set of frames as pcapng (interfaces and exact timestamps kept, file order). `keep`: a frame
   * number to look up in the result (a share link's selected frame). Rejects while a load is running.
   */
  exportPcapng(set: FrameSet, keep?: number | null): Promise<PcapngExport>;
  /** Estimated size in bytes of exportPcapng(set), without reading any frame. */
  estimateExport(set: FrameSet): Promise<number>;
  /** The tenant table, or the flows (of one tenant, or all for null), as CSV (RFC 4180) or JSON text. */
  exportTable(table: TableName, format: TableFormat, tenant?: string | null): Promise<string>;
  /** Parses and compiles a display filter without running it. */
  checkFilter(text: string): Promise<FilterCheck>;
  /**
   * Decides, from their bytes, the frames a filter's column tier leaves open (rows/status/indexOf show
   * only decided matches until then). Progress as it goes; a newer call for the same filter takes over.
   * Rejects with the filter's error message when it is not valid.
   */
  resolveFilter(text: string, onProgress?: (p: FilterProgress) => void): Promise<FilterResolved>;
  /** The fields filters may name. */
  filterFields(): Promise<FilterField[]>;
  /**
   * Statistics ▸ Conversations / Endpoints: one tab's table (outer = underlay headers, inner = the tenants').
   * IPv4/IPv6/TCP/UDP come from the index; Ethernet reads every frame's bytes once (then kept for the capture).
   */
  conversations(kind: ConvKind, layer: ConvLayer): Promise<ConversationTable>;
  /** Statistics ▸ Protocol Hierarchy (reads every frame's bytes once, with the Ethernet tables): roots, packets and bytes in all. */
  protocolHierarchy(): Promise<{ packets: number; bytes: number; hierarchy: HierarchyNode[] }>;
  /** Analyze ▸ Expert Information: the flagged frames grouped by severity and kind. */
  expertInfo(): Promise<ExpertInfo>;
  /** Statistics ▸ Capture File Properties. */
  fileProperties(): Promise<FileProperties>;
  /** Colouring rules: display filters, the first that matches colours a row (PacketRow.rule). An error or null per rule. */
  setColourRules(filters: string[]): Promise<(FilterErrorInfo | null)[]>;
}
