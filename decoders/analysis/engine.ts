// The analysis engine: reads a capture, dissects every frame into the columnar store and keeps the
// aggregates (tenants, flows, checksum counts) up to date in the same pass. The worker and the CLI
// are thin wrappers around it. Queries work while a load is still running (on the frames so far).
import { readCapture } from '../capture/sniff.ts';
import type { ByteSource, CaptureResult, FrameRecord, InterfaceInfo } from '../capture/types.ts';
import { detail as detailTree, dissect } from '../dissect.ts';
import { FrameStore } from '../store.ts';
import {
  CHECK_NAMES, CHECK_SLOTS, newSummary, V_UNVERIFIED, zeroAllowed,
} from '../summary.ts';
import type { Summary, TreeNode } from '../summary.ts';
import { AddressTable } from './address-table.ts';
import { FlowTable } from './flow-table.ts';
import { TenantTable } from './tenant-table.ts';
import { isoNanos } from './time.ts';
import { formatRow, ViewIndex } from './rows.ts';
import type { PacketRow, RowView } from './rows.ts';
import { checkCounts, flowStats, tallyReport, tenantStats, timeSeries } from './report.ts';
import { OffloadTally } from './offload-tally.ts';
import { FilterSet } from '../filter/runner.ts';
import type { FlowStats, OffloadReport, TenantStats, TimeSeries, VerdictCounts } from './types.ts';

export interface LoadProgressInfo {
  bytesRead: number;
  totalBytes: number;
  frames: number;
  done: boolean;
}

export interface LoadOptions {
  signal?: AbortSignal;
  onProgress?: (p: LoadProgressInfo) => void;
  /** gzip input: each inflated piece as it is read (ReadOptions.onInflated). */
  onInflated?: (bytes: Uint8Array) => void;
}

export interface EngineOptions {
  /**
   * Keep every frame in the columnar store (the app needs it for rows and details). The CLI's summary
   * only needs the aggregates: with false, memory stays flat whatever the file size.
   */
  retainFrames?: boolean;
  /** Called after each frame is added; its columns are at store index i until the next frame. */
  onFrame?: (i: number, n: number) => void;
}

export interface LoadOutcome {
  name: string;
  size: number;
  result: CaptureResult;
}

export class Engine {
  readonly store = new FrameStore();
  readonly addrs = new AddressTable();
  readonly flows = new FlowTable();
  readonly tenants = new TenantTable();
  /** Verdict counts: index slot * 6 + verdict. */
  readonly checkCounts = new Float64Array(CHECK_SLOTS * 6);
  /** Per slot: the zero verdicts that are UDP-over-IPv4 "no checksum" (zeroAllowed), counted in checkCounts too. */
  readonly noChecksumCounts = new Float64Array(CHECK_SLOTS);
  totalBytes = 0;
  badFrames = 0;
  partialFrames = 0;
  /** Earliest and latest timestamps seen (seconds, nanoseconds); NaN when none. */
  minSec = NaN; minNsec = 0; maxSec = NaN; maxNsec = 0;
  /** Time of frame 1, the zero of the relative Time column. */
  refSec = NaN; refNsec = 0;
  name = '';
  size = -1;
  result: CaptureResult | null = null;
  /** Bumped on every appended batch so view caches know to refresh. */
  version = 0;

  /** Frame numbers with at least one bad verdict, ascending. */
  readonly flagged: number[] = [];
  private frameTotal = 0;
  private readonly retain: boolean;
  private readonly frameHook: ((i: number, n: number) => void) | null;
  private readonly s: Summary = newSummary();
  private readonly view = new ViewIndex(this);
  /** Display filters over the frames (views, colouring rules), compiled once per text. */
  readonly filters = new FilterSet(this);
  /** Packet-block extras kept for export: EPB flags and comments, only for frames that have them. */
  private readonly extras = new FrameExtras();
  private readonly offloadTally = new OffloadTally();
  /**
   * Interface numbering restarts in every pcapng section: runs of [first frame index, global index of
   * the section's interface 0], appended when it changes (once per section, not per frame).
   */
  private readonly ifaceRuns: number[] = [];
  private ifaceBase = -1;

  constructor(opts: EngineOptions = {}) {
    this.retain = opts.retainFrames ?? true;
    this.store.attachFlows(this.flows);
    this.frameHook = opts.onFrame ?? null;
  }

  async load(src: ByteSource, name: string, opts: LoadOptions = {}): Promise<LoadOutcome> {
    this.name = name;
    this.size = src.size;
    // Size the store once from the first window's frames per byte (+5%) rather than doubling it on the
    // way (a doubling holds old and new columns at once). Sizes unknown (a stream) keep doubling. gzip
    // progress is in compressed bytes, as the size is.
    let sized = !this.retain || src.size < 0;
    let lastBytes = 0;
    const result = await readCapture(src, {
      onFrame: (rec) => { this.add(rec); },
      onProgress: (bytesRead, frames) => {
        if (!sized && frames >= 1000 && bytesRead > 0) {
          sized = true;
          this.store.reserve(Math.ceil((frames * src.size * 1.05) / bytesRead), true);
        }
        lastBytes = bytesRead;
        this.version++;
        opts.onProgress?.({ bytesRead, totalBytes: src.size, frames, done: false });
      },
      signal: opts.signal,
      onInflated: opts.onInflated,
    });
    this.result = result;
    this.version++;
    // result.bytesRead counts inflated bytes for gzip: the bar's last step stays in compressed ones.
    const doneBytes = result.gzip ? (result.error === null && !result.cancelled && src.size >= 0 ? src.size : lastBytes) : result.bytesRead;
    opts.onProgress?.({ bytesRead: doneBytes, totalBytes: src.size, frames: result.frames, done: true });
    return { name, size: src.size, result };
  }

  /** Dissects one record and appends it. Public so parallel/merging paths and tests can feed frames. */
  add(rec: FrameRecord): void {
    const s = this.s;
    dissect(rec.buf, rec.dataOffset, rec.caplen, rec.origlen, rec.linktype, s);
    const base = rec.dataOffset;
    const b = rec.buf;
    let outerSrc = -1, outerDst = -1, innerSrc = -1, innerDst = -1;
    let tenant = -1;
    const tt = this.tenants;
    if (s.encap !== 0) tenant = tt.lookup(s.encap, s.vnid);
    const fl = this.flows;
    const flowsBefore = fl.count;
    let flow = -1;
    if (s.innerFamily === 4 && s.innerProto >= 0) {
      // The common case in one step: inner addresses interned and the flow found (see FlowTable.lookup4).
      flow = fl.lookup4(this.addrs, tenant, s.innerProto, b, base + s.innerSrcOff, s.sport, base + s.innerDstOff, s.dport);
      innerSrc = fl.srcId;
      innerDst = fl.dstId;
    } else if (s.innerFamily !== 0) {
      innerSrc = this.addrs.intern(b, base + s.innerSrcOff, s.innerFamily);
      innerDst = this.addrs.intern(b, base + s.innerDstOff, s.innerFamily);
      if (s.innerProto >= 0) flow = fl.lookup(tenant, s.innerProto, innerSrc, s.sport, innerDst, s.dport);
    }
    // Without retention and without a hook nothing reads the columns (CLI summary): outer addresses are only
    // ever read from there, so they are not interned at all.
    const columns = this.retain || this.frameHook !== null;
    if (columns && s.depth > 0 && s.outerFamily !== 0) {
      outerSrc = this.addrs.intern(b, base + s.outerSrcOff, s.outerFamily);
      outerDst = this.addrs.intern(b, base + s.outerDstOff, s.outerFamily);
    }
    if (flow >= 0) {
      if (fl.count !== flowsBefore) {
        fl.firstFrame[flow] = rec.n;
        if (tenant >= 0) tt.flows[tenant]++;
      }
      fl.frames[flow]++;
      fl.bytes[flow] += rec.caplen;
      fl.lastFrame[flow] = rec.n;
      if (s.badMask !== 0) fl.bad[flow]++;
      if (s.partialMask !== 0) fl.partial[flow]++;
    }
    // Verdict counts per check, and which checks could not be verified.
    let unver = 0;
    let mask = s.checkMask;
    while (mask !== 0) {
      const slot = 31 - Math.clz32(mask);
      mask &= ~(1 << slot);
      const v = s.checks[slot];
      this.checkCounts[slot * 6 + v]++;
      if (v === V_UNVERIFIED) unver |= 1 << slot;
    }
    let zero = s.zeroMask;
    while (zero !== 0) {
      const slot = 31 - Math.clz32(zero);
      zero &= ~(1 << slot);
      if (zeroAllowed(slot, s.depth, s.outerFamily, s.innerFamily)) this.noChecksumCounts[slot]++;
    }
    if (s.badMask !== 0) {
      this.badFrames++;
      this.flagged.push(rec.n);
    }
    if (s.partialMask !== 0) this.partialFrames++;
    this.totalBytes += rec.caplen;
    if (rec.hasTime) this.noteTime(rec.tsSec, rec.tsNsec, rec.n);
    if (tenant >= 0) {
      tt.frames[tenant]++;
      tt.bytes[tenant] += rec.caplen;
      if (s.badMask !== 0) tt.bad[tenant]++;
      if (s.partialMask !== 0) tt.partial[tenant]++;
      if (rec.hasTime) {
        if (!tt.hasTime[tenant] || before(rec.tsSec, rec.tsNsec, tt.firstSec[tenant], tt.firstNsec[tenant])) {
          tt.firstSec[tenant] = rec.tsSec; tt.firstNsec[tenant] = rec.tsNsec;
        }
        if (!tt.hasTime[tenant] || before(tt.lastSec[tenant], tt.lastNsec[tenant], rec.tsSec, rec.tsNsec)) {
          tt.lastSec[tenant] = rec.tsSec; tt.lastNsec[tenant] = rec.tsNsec;
        }
        tt.hasTime[tenant] = true;
      }
    }
    const i = columns ? this.store.push(rec, s, tenant, flow, outerSrc, outerDst, innerSrc, innerDst, unver) : 0;
    const ifaceBase = rec.interfaceIndex - rec.interfaceId;
    if (ifaceBase !== this.ifaceBase) {
      this.ifaceBase = ifaceBase;
      this.ifaceRuns.push(i, ifaceBase);
    }
    if (rec.epbFlags !== 0 || rec.comment !== null) this.extras.note(i, rec.epbFlags, rec.comment);
    this.frameTotal = rec.n;
    if (this.frameHook !== null) this.frameHook(i, rec.n);
    if (!this.retain) this.store.count = 0;
  }

  private noteTime(sec: number, nsec: number, n: number): void {
    if (n === 1 || Number.isNaN(this.refSec)) { this.refSec = sec; this.refNsec = nsec; }
    if (Number.isNaN(this.minSec) || before(sec, nsec, this.minSec, this.minNsec)) { this.minSec = sec; this.minNsec = nsec; }
    if (Number.isNaN(this.maxSec) || before(this.maxSec, this.maxNsec, sec, nsec)) { this.maxSec = sec; this.maxNsec = nsec; }
  }

  /** Whether the store keeps every frame (EngineOptions.retainFrames). */
  get retainsFrames(): boolean {
    return this.retain;
  }

  /** Per-frame hook (EngineOptions.onFrame), or null: parallel decoding is only used without one. */
  get hasFrameHook(): boolean {
    return this.frameHook !== null;
  }

  /** For decoders/parallel/merge.ts: the per-load state a merged part extends. */
  mergeState(): { extras: FrameExtras; ifaceRuns: number[] } {
    return { extras: this.extras, ifaceRuns: this.ifaceRuns };
  }

  /** For decoders/parallel/merge.ts: frames appended by a merge (total so far) and the last interface base. */
  noteMerged(frames: number, ifaceBase: number): void {
    this.frameTotal = frames;
    this.ifaceBase = ifaceBase;
    this.version++;
  }

  /** Frames read so far (also when the store does not retain them). */
  get frames(): number {
    return this.frameTotal;
  }

  firstTime(): string | null {
    return Number.isNaN(this.minSec) ? null : isoNanos(this.minSec, this.minNsec);
  }

  lastTime(): string | null {
    return Number.isNaN(this.maxSec) ? null : isoNanos(this.maxSec, this.maxNsec);
  }

  /** Where frame n (1-based) is in the source. */
  frameLocation(n: number): { offset: number; caplen: number; origlen: number; linktype: number } {
    const i = this.checkFrame(n);
    const st = this.store;
    return { offset: st.offsetOf(i), caplen: st.caplen[i], origlen: st.origlen[i], linktype: st.linktype[i] };
  }

  /** Interfaces of the capture (all pcapng sections together); empty until the load has ended. */
  interfaces(): readonly InterfaceInfo[] {
    return this.result?.interfaces ?? [];
  }

  /** Index in interfaces() of frame n's interface. */
  interfaceIndex(n: number): number {
    const i = this.checkFrame(n);
    const runs = this.ifaceRuns;
    // Last run starting at or before i (runs are few: one per pcapng section).
    let lo = 0, hi = runs.length / 2 - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (runs[mid * 2] <= i) lo = mid;
      else hi = mid - 1;
    }
    return runs[lo * 2 + 1] + this.store.iface[i];
  }

  /** EPB flags (0 when absent) and comment (null when absent) of frame n, as read from the capture. */
  packetExtras(n: number): { flags: number; comment: string | null } {
    const i = this.checkFrame(n);
    return { flags: this.extras.flags(i), comment: this.extras.comment(i) };
  }

  /** Frame numbers of a view (its tenant and filter; the sort is ignored) in file order. */
  viewFrames(view: RowView): Uint32Array {
    const total = this.prepare(view);
    const out = new Uint32Array(total);
    for (let p = 0; p < total; p++) out[p] = this.view.frameAt(p) + 1;
    if (view.sort) out.sort();
    return out;
  }

  checkFrame(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > this.store.count) {
      throw new RangeError(`no frame ${n}: the capture has ${this.store.count} frames`);
    }
    return n - 1;
  }

  /** Detail tree of frame n from its bytes (re-read by the caller from the source). */
  detail(n: number, bytes: Uint8Array): TreeNode[] {
    const i = this.checkFrame(n);
    const st = this.store;
    const caplen = Math.min(st.caplen[i], bytes.length);
    const frameNode: TreeNode = {
      label: `Frame ${n}: ${st.origlen[i]} bytes on wire, ${st.caplen[i]} bytes captured`,
      start: 0,
      length: caplen,
      children: [
        ...(st.hasTimeOf(i) ? [{ label: `Arrival Time: ${isoNanos(st.secOf(i), st.nsecOf(i))}`, field: 'frame.time', value: isoNanos(st.secOf(i), st.nsecOf(i)), start: 0, length: 0 }] : []),
        { label: `Frame Number: ${n}`, field: 'frame.number', value: String(n), start: 0, length: 0 },
        { label: `Frame Length: ${st.origlen[i]} bytes`, field: 'frame.len', value: String(st.origlen[i]), start: 0, length: 0 },
        { label: `Capture Length: ${st.caplen[i]} bytes`, field: 'frame.cap_len', value: String(st.caplen[i]), start: 0, length: 0 },
        { label: `Interface id: ${st.iface[i]}`, field: 'frame.interface_id', value: String(st.iface[i]), start: 0, length: 0 },
        { label: `Link type: ${st.linktype[i]}`, start: 0, length: 0 },
      ],
    };
    const layers = detailTree(bytes, 0, caplen, st.origlen[i], st.linktype[i]);
    if (st.zeroMaskOf(i) !== 0) this.markNoChecksum(i, layers);
    return [frameNode, ...layers];
  }

  /** Marks the zero verdicts of frame i that are "no checksum" (benignZero), so the details do not show them as findings. */
  private markNoChecksum(i: number, nodes: TreeNode[]): void {
    for (const n of nodes) {
      if (n.verdict === 'zero' && n.check !== undefined && this.benignZero(i, CHECK_NAMES.indexOf(n.check))) {
        n.noChecksum = true;
        if (n.field?.endsWith('.checksum.status')) {
          n.value = 'Not present (0: no checksum, allowed over IPv4)';
          n.label = `${n.label.slice(0, n.label.indexOf(':'))}: ${n.value}`;
        }
      }
      if (n.children) this.markNoChecksum(i, n.children);
    }
  }

  rows(start: number, count: number, view: RowView): { total: number; start: number; rows: PacketRow[] } {
    const total = this.prepare(view);
    const from = Math.max(0, Math.min(Math.floor(start), total));
    const to = Math.min(total, from + Math.max(0, Math.floor(count)));
    const rows: PacketRow[] = [];
    for (let p = from; p < to; p++) rows.push(formatRow(this, this.view.frameAt(p)));
    return { total, start: from, rows };
  }

  status(view: RowView): { frames: number; shown: number; tenants: number; bad: number; partial: number } {
    return { frames: this.frames, shown: this.prepare(view), tenants: this.tenants.count, bad: this.badFrames, partial: this.partialFrames };
  }

  /** Position of frame n in the view, or -1. */
  indexOf(n: number, view: RowView): number {
    this.prepare(view);
    if (!Number.isInteger(n) || n < 1 || n > this.frames) return -1;
    return this.view.positionOf(n - 1);
  }

  private prepare(view: RowView): number {
    return this.view.prepare(view);
  }

  tenantStats(): TenantStats[] { return tenantStats(this); }
  flowStats(tenant: string | null): FlowStats[] { return flowStats(this, tenant); }
  offload(): OffloadReport {
    this.offloadTally.update(this);
    return tallyReport(this.offloadTally);
  }
  checks(): Record<string, VerdictCounts> { return checkCounts(this); }
  timeSeries(maxBuckets: number, topTenants: number): TimeSeries { return timeSeries(this, maxBuckets, topTenants); }

  /** Whether a zero verdict of frame i in `slot` is UDP-over-IPv4 "no checksum" (zeroAllowed), not a finding. */
  benignZero(i: number, slot: number): boolean {
    const st = this.store;
    const outer = st.depth[i] > 0 ? st.outerSrc[i] : -1;
    const inner = st.innerSrcOf(i);
    return zeroAllowed(slot, st.depth[i], outer < 0 ? 0 : this.addrs.family(outer), inner < 0 ? 0 : this.addrs.family(inner));
  }

  /** Zero-verdict bits of frame i that point at a problem (not UDP-over-IPv4 "no checksum"). */
  notableZeroMask(i: number): number {
    let z = this.store.zeroMaskOf(i);
    let out = 0;
    while (z !== 0) {
      const slot = 31 - Math.clz32(z);
      z &= ~(1 << slot);
      if (!this.benignZero(i, slot)) out |= 1 << slot;
    }
    return out;
  }
}

/** EPB flags and comments, for the few frames that have them: the flags column exists only once needed. */
export class FrameExtras {
  private flagCol: Uint32Array | null = null;
  private readonly comments = new Map<number, string>();

  /** Every frame index that has flags or a comment, ascending by kind (flags first, then comments). */
  each(fn: (i: number, flags: number, comment: string | null) => void): void {
    const col = this.flagCol;
    if (col !== null) for (let i = 0; i < col.length; i++) if (col[i] !== 0) fn(i, col[i], null);
    for (const [i, c] of this.comments) fn(i, 0, c);
  }

  note(i: number, flags: number, comment: string | null): void {
    if (flags !== 0) {
      let col = this.flagCol;
      if (col === null || i >= col.length) {
        const bigger = new Uint32Array(Math.max(1024, (i + 1) * 2));
        if (col !== null) bigger.set(col);
        col = this.flagCol = bigger;
      }
      col[i] = flags;
    }
    if (comment !== null) this.comments.set(i, comment);
  }

  flags(i: number): number {
    const col = this.flagCol;
    return col !== null && i < col.length ? col[i] : 0;
  }

  comment(i: number): string | null {
    return this.comments.get(i) ?? null;
  }
}

function before(s1: number, n1: number, s2: number, n2: number): boolean {
  return s1 < s2 || (s1 === s2 && n1 < n2);
}
