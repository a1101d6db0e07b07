// The Analyzer, exposed to the UI with Comlink: a thin wrapper over the analysis Engine reading a
// Blob/File by slices (BlobSource). One analysis is active at a time. A load becomes active only when the
// UI says so (activate), which it does at the load's first frame if the user has not asked for another
// capture since: the worker cannot tell, as a newer open() may still be queued behind this load's
// progress, and a load the UI no longer shows must never answer its queries. So a file that is not a
// capture leaves the previous analysis in place, and so does a load the user replaced before it showed.
import * as Comlink from 'comlink';
import { fillSuperframeRows } from '../decoders/analysis/superframe.ts';
import { Engine } from '../decoders/analysis/engine.ts';
import { exportPcapng, flowsCsv, flowsJson, tenantsCsv, tenantsJson } from '../decoders/analysis/export.ts';
import { fillLayerRows } from '../decoders/analysis/layer-rows.ts';
import { flaggedFrames } from '../decoders/analysis/report.ts';
import { frameFacts } from '../decoders/analysis/frame-facts.ts';
import { followStream, type FollowResult } from '../decoders/analysis/follow.ts';
import { customCells } from '../decoders/filter/custom-columns.ts';
import { BlobSource } from '../decoders/capture/blob-source.ts';
import { loadParallel } from '../decoders/parallel/load.ts';
import { blobPool, browserJobs } from './decode-pool.ts';
import { InflatedCopy } from './inflated-copy.ts';
import type { ByteSource } from '../decoders/capture/types.ts';
import { annotateFilters, checkFilter, filterFields, FilterError, indexNode, readFrames, resolvePending } from '../decoders/filter/index.ts';
import { hostTimelines, type HostStats, type HostTimelines } from '../decoders/analysis/hosts.ts';
import { ipConversations } from '../decoders/analysis/conversations.ts';
import { byteStatistics, type ByteStatistics } from '../decoders/analysis/proto-hierarchy.ts';
import { expertInfo } from '../decoders/analysis/expert.ts';
import { fileProperties } from '../decoders/analysis/file-properties.ts';
import { PathsService } from './paths-service.ts';
import { MergedView } from './merged-rows.ts';
import type { FoldedCounts, MergedRows, PacketPath, PathDiff, PathsProgress, PathsReport, PathsScope } from './paths-api.ts';
import type {
  Analyzer, ConversationTable, ConvKind, ConvLayer, ExpertInfo, FileProperties, HierarchyNode, CustomCell, FilterCheck, FilterErrorInfo, FilterField, FilterProgress, FilterResolved, FlowStats, FrameDetail, FrameFacts, FrameSet, MtuFinding,
  OffloadReport, OpenProgress, OpenResult, PcapngExport, RowsResult, RowView, StatusCounts, TableFormat, TableName,
  TenantStats, TimeSeries, VerdictCounts,
} from './api.ts';

interface Session {
  engine: Engine;
  /** Where detail() re-reads frame bytes: the file itself, or its decompressed copy for gzip input. */
  frames: RandomAccess;
  name: string;
  /** The byte pass's statistics (protocol hierarchy, Ethernet conversations), once asked for after the load. */
  byteStats?: Promise<ByteStatistics>;
}

interface RandomAccess {
  read(offset: number, length: number): Promise<Uint8Array>;
}

interface PendingLoad {
  /** The UI's number for this load (open, activate, cancel). */
  id: number;
  session: Session;
  abort: AbortController;
  /** Settles when its open() has ended. */
  ended: Promise<void>;
  /** Joins the open captures when activated, instead of replacing them (several files opened together). */
  add: boolean;
}

/** Size of the Blob parts an export is gathered into. */
const EXPORT_PART_BYTES = 32 * 1024 * 1024;

/** Progress messages to the UI at most this often (the last one, done, always goes). */
const PROGRESS_INTERVAL_MS = 100;

const NO_STATUS: StatusCounts = { frames: 0, shown: 0, tenants: 0, bad: 0, partial: 0 };

export class AnalyzerWorker implements Analyzer {
  private active: Session | null = null;
  /** The captures open together (several files opened at once), in order; `active` is one of them. */
  private captures: Session[] = [];
  private readonly merged = new MergedView(() => this.captures);
  private readonly compare = new PathsService(() => this.captures, () => this.pending !== null && this.captures.includes(this.pending.session));
  /** The load still reading, if any. */
  private pending: PendingLoad | null = null;
  /** The newest open(), reading or done: the only load activate() may make active. */
  private latest: PendingLoad | null = null;
  /** Colouring rules (display filter texts; '' for a rule that does not compile). */
  private rules: string[] = [];
  /** The byte-tier pass running per filter text, so a newer call can take over. */
  private resolving = new Map<string, AbortController>();

  async open(id: number, file: Blob, name: string, onProgress?: (p: OpenProgress) => void, add = false): Promise<OpenResult> {
    const before = this.pending;
    before?.abort.abort();
    const source: ByteSource = new BlobSource(file);
    let ended = (): void => undefined;
    const load: PendingLoad = {
      id,
      session: { engine: new Engine(), frames: source, name },
      abort: new AbortController(),
      ended: new Promise<void>((r) => { ended = r; }),
      add,
    };
    this.pending = load;
    this.latest = load;
    let lastSent = -Infinity;
    // Frame offsets of a gzip capture are offsets into the inflated bytes: details read from this copy.
    const inflated = new InflatedCopy();
    try {
      // The load this one stops ends first: its decoders are gone before this one's start, and its answer
      // (whose promise settles right after `ended`) goes out before anything of this one, which has yet
      // to read. So the UI learns how a load it showed ended before it learns that the next one failed.
      await before?.ended;
      const engine = load.session.engine;
      const { result } = await loadParallel(engine, source, name, {
        jobs: browserJobs(),
        pool: (n) => blobPool(file, n),
        signal: load.abort.signal,
        onInflated: (b) => {
          // gzip: frame offsets are offsets into the inflated bytes, from the first frame on.
          load.session.frames = inflated;
          inflated.add(b);
        },
        onProgress: (p) => {
          const now = performance.now();
          if (!onProgress || (!p.done && now - lastSent < PROGRESS_INTERVAL_MS)) return;
          lastSent = now;
          void onProgress(p);
        },
      });
      if (result.frames === 0) {
        if (result.error) throw new Error(`${result.error.message} (at byte ${result.error.offset}); no frame could be read`);
        if (result.cancelled) throw new Error('cancelled before any frame was read');
      }
      // Replaced before the UI showed it: nobody will ask about it.
      if (this.latest !== load && !this.captures.includes(load.session)) throw new Error('superseded by another capture');
      return {
        name,
        size: file.size,
        format: result.format,
        gzip: result.gzip,
        frames: result.frames,
        bytes: engine.totalBytes,
        firstTime: engine.firstTime(),
        lastTime: engine.lastTime(),
        warnings: result.warnings,
        error: result.error,
        cancelled: result.cancelled,
      };
    } catch (e) {
      if (this.latest === load) this.latest = null;
      throw e;
    } finally {
      if (this.pending === load) this.pending = null;
      ended();
      // The UI's callback arrives as a Comlink proxy: release its MessagePort once the load is over.
      if (onProgress) (onProgress as Partial<Comlink.ProxyMethods>)[Comlink.releaseProxy]?.();
    }
  }

  activate(id: number): void {
    const l = this.latest;
    if (l?.id !== id) return;
    if (l.add && this.active !== null) {
      if (!this.captures.includes(l.session)) this.captures = [...this.captures, l.session];
    } else if (this.active !== l.session) {
      this.active = l.session;
      this.captures = [l.session];
      this.compare.forget();
    }
  }

  showCapture(index: number): void {
    const s = this.captures[index];
    if (s === undefined) throw new RangeError(`no capture ${index}: ${this.captures.length} are open`);
    this.active = s;
  }

  async pathsScope(): Promise<PathsScope> {
    return this.compare.scope();
  }

  async paths(window: number, onProgress?: (p: PathsProgress) => void): Promise<PathsReport> {
    try {
      return await this.compare.report(window, onProgress);
    } finally {
      if (onProgress) (onProgress as Partial<Comlink.ProxyMethods>)[Comlink.releaseProxy]?.();
    }
  }

  async pathOf(capture: number, frame: number): Promise<PacketPath | null> {
    return this.compare.pathOf(capture, frame);
  }

  async pathDiff(a: [number, number], b: [number, number]): Promise<PathDiff> {
    return this.compare.diff(a, b);
  }

  async foldedCounts(capture: number): Promise<FoldedCounts | null> {
    const f = this.compare.folding(capture);
    return f.any ? f.counts() : null;
  }

  async mergedRows(start: number, count: number, shifts: number[]): Promise<MergedRows> {
    return this.merged.rows(start, count, shifts);
  }

  async mergedIndexOf(capture: number, frame: number, shifts: number[]): Promise<number> {
    return this.merged.indexOf(capture, frame, shifts);
  }

  async copiesOf(capture: number, frame: number): Promise<number[]> {
    return this.compare.folding(capture).copiesOf(frame);
  }

  cancel(id: number): void {
    if (this.pending?.id === id) this.pending.abort.abort();
  }

  async rows(start: number, count: number, view: RowView): Promise<RowsResult> {
    if (!this.active) return { total: 0, start: 0, rows: [] };
    const s = this.active;
    const e = s.engine;
    const res = filterErrors(() => e.rows(start, count, view));
    // The index holds no ARP, DNS, HTTP, TLS... fields: those rows on screen are completed from their bytes.
    await fillLayerRows(e, res.rows, s.frames);
    // Likewise the super-frames: how many segments they would leave as comes from their bytes.
    await fillSuperframeRows(e, res.rows, s.frames);
    if (this.rules.length > 0) {
      // First matching colouring rule per row (rules that do not compile are '' and never match).
      const states = this.rules.map((r) => (r === '' ? null : e.filters.get(r).update()));
      for (const row of res.rows) {
        const k = states.findIndex((st) => st !== null && st[row.n - 1] === 1);
        (row as RowsResult['rows'][number]).rule = k >= 0 ? k : null;
      }
    }
    return res;
  }

  async status(view: RowView): Promise<StatusCounts> {
    const e = this.active?.engine;
    return e ? filterErrors(() => e.status(view)) : NO_STATUS;
  }

  async indexOf(n: number, view: RowView): Promise<number> {
    const e = this.active?.engine;
    return e ? filterErrors(() => e.indexOf(n, view)) : -1;
  }

  async detail(n: number): Promise<FrameDetail> {
    const s = this.need();
    const loc = s.engine.frameLocation(n);
    const bytes = await s.frames.read(loc.offset, loc.caplen);
    // A frame that reassembled IP fragments shows the datagram: its fragments' bytes are read too.
    const need = s.engine.detailFrames(n);
    const others = need.length > 0 ? await readFrames(s.engine, s.frames, need) : undefined;
    const { tree, sources } = s.engine.detailOf(n, bytes, others);
    // Tenant and checksum flags (index fields) as a node of their own, after the frame node.
    const extra = indexNode(s.engine, n);
    if (extra !== null) tree.splice(1, 0, extra);
    annotateFilters(tree, sources.map((x) => x.bytes));
    return { n, tree, bytes, sources: sources.slice(1) };
  }

  async frameFacts(n: number): Promise<FrameFacts> {
    return frameFacts(this.need().engine, n);
  }

  async follow(kind: 'tcp' | 'udp', stream: number): Promise<FollowResult> {
    const s = this.need();
    return followStream(s.engine, s.frames, kind, stream);
  }

  async customCells(frames: number[], fields: string[]): Promise<CustomCell[][]> {
    const s = this.need();
    return customCells(s.engine, s.frames, frames, fields);
  }

  async checkFilter(text: string): Promise<FilterCheck> {
    return checkFilter(text);
  }

  async resolveFilter(text: string, onProgress?: (p: FilterProgress) => void): Promise<FilterResolved> {
    const key = text.trim();
    try {
      if (!this.active || key === '') return { matched: 0, pending: 0, read: 0 };
      const s = this.active;
      const run = filterErrors(() => s.engine.filters.get(key));
      this.resolving.get(key)?.abort();
      const abort = new AbortController();
      this.resolving.set(key, abort);
      let last = -Infinity;
      const read = await resolvePending(s.engine, run, s.frames, {
        signal: abort.signal,
        onProgress: (done, total) => {
          const now = performance.now();
          if (!onProgress || (done < total && now - last < PROGRESS_INTERVAL_MS)) return;
          last = now;
          void onProgress({ done, total });
        },
      });
      if (this.resolving.get(key) === abort) this.resolving.delete(key);
      return { matched: run.matched, pending: run.pending, read };
    } finally {
      if (onProgress) (onProgress as Partial<Comlink.ProxyMethods>)[Comlink.releaseProxy]?.();
    }
  }

  async filterFields(): Promise<FilterField[]> {
    return filterFields();
  }

  async conversations(kind: ConvKind, layer: ConvLayer): Promise<ConversationTable> {
    const s = this.need();
    if (kind !== 'eth') return ipConversations(s.engine, kind, layer);
    const b = await this.byteStats(s);
    return layer === 'outer' ? b.ethOuter : b.ethInner;
  }

  async protocolHierarchy(): Promise<{ packets: number; bytes: number; hierarchy: HierarchyNode[] }> {
    const { packets, bytes, hierarchy } = await this.byteStats(this.need());
    return { packets, bytes, hierarchy };
  }

  async expertInfo(): Promise<ExpertInfo> {
    return expertInfo(this.need().engine);
  }

  async fileProperties(): Promise<FileProperties> {
    const s = this.need();
    return fileProperties(s.engine, s.name, s.engine.size);
  }

  /** The byte pass, run once per capture after its load (while it loads, over the frames so far, not kept). */
  private byteStats(s: Session): Promise<ByteStatistics> {
    if (s.engine.result === null) return byteStatistics(s.engine, s.frames);
    s.byteStats ??= byteStatistics(s.engine, s.frames).catch((err: unknown) => {
      s.byteStats = undefined;
      throw err;
    });
    return s.byteStats;
  }

  async setColourRules(filters: string[]): Promise<(FilterErrorInfo | null)[]> {
    const errors = filters.map((f) => checkFilter(f).error);
    this.rules = filters.map((f, i) => (errors[i] === null && f.trim() !== '' ? f.trim() : ''));
    return errors;
  }

  async tenants(fold = false): Promise<TenantStats[]> {
    return this.active ? this.active.engine.tenantStats(fold) : [];
  }

  async flows(tenant: string | null): Promise<FlowStats[]> {
    return this.active ? this.active.engine.flowStats(tenant) : [];
  }

  async offload(): Promise<OffloadReport> {
    return this.need().engine.offload();
  }

  async mtu(): Promise<MtuFinding[]> {
    return this.active ? this.active.engine.mtu() : [];
  }

  async hosts(fold = false): Promise<HostStats[]> {
    return this.active ? this.active.engine.hostStats(fold) : [];
  }

  async hostTimelines(buckets: number): Promise<HostTimelines> {
    return this.active ? hostTimelines(this.active.engine, buckets) : { startSec: 0, bucketSec: 0, hosts: [] };
  }

  async checks(): Promise<Record<string, VerdictCounts>> {
    return this.active ? this.active.engine.checks() : {};
  }

  async timeSeries(maxBuckets: number, topTenants: number): Promise<TimeSeries> {
    return this.need().engine.timeSeries(maxBuckets, topTenants);
  }

  async exportPcapng(set: FrameSet, keep: number | null = null): Promise<PcapngExport> {
    const s = this.need();
    const frames = this.frameSet(s.engine, set);
    // Chunks are gathered into Blobs of EXPORT_PART_BYTES as they come, so the browser may keep a large
    // export on disk instead of holding every chunk in the worker's memory.
    const parts: Blob[] = [];
    let chunks: Uint8Array<ArrayBuffer>[] = [];
    let pending = 0;
    const what = set.kind === 'all' ? 'all frames' : set.kind === 'flagged' ? 'frames with a bad checksum' : set.kind === 'marked' ? 'marked frames' : 'frames shown';
    await exportPcapng(s.engine, frames, s.frames, (c) => {
      // The writer's chunks are fresh ArrayBuffer views: wrap them without copying.
      const b = c.buffer;
      chunks.push(b instanceof ArrayBuffer ? new Uint8Array(b, c.byteOffset, c.length) : new Uint8Array(c));
      pending += c.length;
      if (pending >= EXPORT_PART_BYTES) {
        parts.push(new Blob(chunks));
        chunks = [];
        pending = 0;
      }
    }, {
      comment: `${what} of ${s.name}, exported by Tunnelscope`,
    });
    if (chunks.length > 0) parts.push(new Blob(chunks));
    return {
      blob: new Blob(parts, { type: 'application/vnd.tcpdump.pcap' }),
      frames: frames.length,
      keptFrame: keep === null ? null : positionIn(frames, keep),
    };
  }

  async estimateExport(set: FrameSet): Promise<number> {
    const e = this.need().engine;
    const st = e.store;
    let n = 64 + 256 * e.interfaces().length;
    if (set.kind === 'all') return n + 36 * e.frames + e.totalBytes;
    for (const f of this.frameSet(e, set)) n += 32 + ((st.caplen[f - 1] + 3) & ~3);
    return n;
  }

  async exportTable(table: TableName, format: TableFormat, tenant: string | null = null): Promise<string> {
    const e = this.need().engine;
    if (table === 'tenants') return format === 'csv' ? tenantsCsv(e.tenantStats()) : tenantsJson(e.tenantStats());
    const flows = e.flowStats(tenant);
    return format === 'csv' ? flowsCsv(flows) : flowsJson(flows);
  }

  private frameSet(e: Engine, set: FrameSet): Uint32Array {
    if (set.kind === 'all') return Uint32Array.from({ length: e.frames }, (_, i) => i + 1);
    if (set.kind === 'flagged') return Uint32Array.from(flaggedFrames(e));
    if (set.kind === 'marked') return markedFrames(e, set.frames);
    return e.viewFrames(set.view);
  }

  private need(): Session {
    if (!this.active) throw new Error('no capture is open');
    return this.active;
  }
}

/** Runs fn; a display-filter error becomes a plain Error whose message says what is wrong and where. */
function filterErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof FilterError) throw new Error(`display filter: ${err.message} (at character ${err.start + 1})`);
    throw err;
  }
}

/** Marked frame numbers, checked (a number the capture does not have is an error), ascending, once each. */
export function markedFrames(e: Engine, frames: readonly number[]): Uint32Array {
  for (const n of frames) e.checkFrame(n);
  return Uint32Array.from(new Set(frames)).sort();
}

/** 1-based position of frame n in an ascending list, or null. */
function positionIn(frames: Uint32Array, n: number): number | null {
  let lo = 0, hi = frames.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (frames[mid] === n) return mid + 1;
    if (frames[mid] < n) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

Comlink.expose(new AnalyzerWorker());
