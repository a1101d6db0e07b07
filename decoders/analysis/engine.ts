// The analysis engine: reads a capture, dissects every frame into the columnar store and keeps the
// aggregates (tenants, flows, checksum counts) up to date in the same pass. The worker and the CLI
// are thin wrappers around it. Queries work while a load is still running (on the frames so far).
import { readCapture } from '../capture/sniff.ts';
import { EPB_HAS_PACKET_ID, type ByteSource, type CaptureResult, type CaptureWarning, type EpbOptions, type FrameRecord, type InterfaceInfo } from '../capture/types.ts';
import { dissect } from '../dissect.ts';
import { frameTree, treeFrames, type FrameBytes, type FrameTree } from './frame-tree.ts';
import { FrameStore } from '../store.ts';
import {
  CHECK_KINDS, CHECK_NAMES, CHECK_SLOTS, CK_TCP, MAX_DEPTH, N_MTU_SIGNAL, N_SUPERFRAME, newSummary, P_TCP, V_UNVERIFIED, zeroAllowed,
} from '../summary.ts';
import type { Summary, TreeNode } from '../summary.ts';
import { KIND_APP, LAYER_KIND, layerByName } from '../layers/index.ts';
import { AddressTable } from './address-table.ts';
import { FlowTable } from './flow-table.ts';
import { TenantTable } from './tenant-table.ts';
import { directionOf, HostTable, type DirectionCode } from './host-table.ts';
import { isoNanos } from './time.ts';
import { deltaSince, formatRow, ViewIndex } from './rows.ts';
import { Folding } from './paths-fold.ts';
import type { PacketRow, RowsResult, RowView } from './rows.ts';
import { checkCounts, flowStats, tallyReport, tenantStats, timeSeries } from './report.ts';
import { OffloadTally } from './offload-tally.ts';
import { FrameExtras, type PacketExtras } from './frame-extras.ts';
import { checksumNote, directionSuffix, metaNodes, PF_CHECKSUM_NOT_READY, PF_TSO } from './frame-meta.ts';
import { peerSynFrame, superframeNode, superframeOf } from './superframe.ts';
import { FilterSet } from '../filter/runner.ts';
import { DEFAULT_LIMITS, FragmentStage, type Decoded, type FragmentLimits, type FragmentSink, type Member } from './fragments.ts';
import type { FrameIndex, FrameLocation } from './frame-index.ts';
import type { FlowStats, MtuFinding, OffloadReport, StatusCounts, TenantStats, TimeSeries, VerdictCounts } from './types.ts';
import { hostStats, subsetHosts, type HostStats } from './hosts.ts';
import { DupAckNotes, TA_DUPLICATE_ACK, TA_NO_APP, TcpAnalyzer, tcpAnalysisNode, type TcpSegment } from './tcp-analysis.ts';
import { BadSegments } from './tcp-retransmit.ts';
import { TcpRecords } from './tcp-records.ts';
import { PacketCopies } from './packet-copies.ts';
import { StreamIndex } from './streams.ts';
import { annotateStreams } from './stream-fields.ts';

/** Progress of a load (the app's progress bar). gzip input counts compressed bytes in both. */
export interface LoadProgressInfo {
  bytesRead: number;
  /** Total bytes of the input, or -1 when unknown (a stream). */
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
  /**
   * Called once for every frame when its row is final: at once for most, for an IP fragment when its datagram
   * settles (complete or given up: after frames that follow it). Its columns are at store index i (without
   * retainFrames, a scratch row) and its decode in Engine.decoded, both until the hook returns. Streams the
   * frames out (the CLI's --parquet) without keeping them.
   */
  onFrame?: (i: number, n: number) => void;
  /**
   * A parallel chunk's engine: fragment frames are stored as decoded alone, not counted, and their bytes kept
   * (deferredFragments) for the merging engine to reassemble in frame order with every other chunk's; TCP
   * segments are not analysed but kept (deferredTcp) for the merging engine to analyse in frame order.
   */
  deferFragments?: boolean;
  fragmentLimits?: FragmentLimits;
}

/** The decode behind the row an onFrame hook is given (offsets in the Summary are from `base` in `buf`). */
export interface FrameDecode {
  s: Summary;
  buf: Uint8Array;
  base: number;
  /**
   * Whether the decode covers the frame's whole packet: false for a fragment whose row is its own cut decode
   * (its datagram is counted once, with the frame whose decode is the reassembled one).
   */
  whole: boolean;
  /** The bytes are a reassembled datagram (its IP header's length fields are a fragment's). */
  reassembled: boolean;
}

/** Fragment frames a chunk left for the merge: their record fields and bytes, in frame order. */
export interface DeferredFragments {
  /** Per frame: n, caplen, origlen, linktype, hasTime, sec, nsec, direction. */
  meta: number[];
  bytes: Uint8Array[];
}

export interface LoadOutcome {
  name: string;
  size: number;
  result: CaptureResult;
}

export class Engine implements FrameIndex, FragmentSink {
  readonly store = new FrameStore();
  readonly addrs = new AddressTable();
  readonly flows = new FlowTable();
  readonly tenants = new TenantTable();
  /** Sending hosts (outer source address and direction) with their verdict counts. */
  readonly hosts = new HostTable();
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
  /** For the onFrame hook: the decode of the frame it is given. */
  readonly decoded: FrameDecode = { s: this.s, buf: new Uint8Array(0), base: 0, whole: true, reassembled: false };
  /** Display filters over the frames (views, colouring rules), compiled once per text. */
  readonly filters = new FilterSet(this);
  private readonly view = new ViewIndex(this, this.filters, () => this.folding().folded);
  private foldingOf: Folding | null = null;
  /** Packet block options (flags, comments, drop count, packet id, queue, hashes, verdicts) of the frames that have them. */
  readonly extras = new FrameExtras();
  /** The reader's interfaces while a load runs (CaptureResult.interfaces once it has ended). */
  private liveIfaces: readonly InterfaceInfo[] = [];
  private readonly offloadTally = new OffloadTally();
  /** IP reassembly (fragments.ts); deferredFragments instead in a parallel chunk's engine. */
  readonly fragments: FragmentStage;
  readonly deferredFragments: DeferredFragments | null;
  /** TCP analysis (per flow, in frame order), and the duplicate ACK numbers of the frames it flagged so. */
  readonly tcp = new TcpAnalyzer();
  readonly dupAcks = new DupAckNotes();
  /** Segments with a bad TCP checksum and their retransmissions (tcp-retransmit.ts). */
  readonly badSegments = new BadSegments();
  /** pktmon copies of one packet (the same epb_packetid): TCP analysis takes each packet once per flow (packet-copies.ts). */
  readonly tcpCopies = new PacketCopies();
  /** tcp.stream and udp.stream, and TCP's relative sequence numbers (streams.ts). */
  readonly streams = new StreamIndex(this);
  /** A parallel chunk's TCP segments, for the merging engine to analyse (EngineOptions.deferFragments). */
  readonly deferredTcp: TcpRecords | null;
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
    // A hook is given fragment rows as the app shows them (cut decodes), without the app's datagram records.
    this.fragments = new FragmentStage(this, opts.fragmentLimits ?? DEFAULT_LIMITS, this.retain, this.retain || this.frameHook !== null);
    this.deferredFragments = opts.deferFragments === true ? { meta: [], bytes: [] } : null;
    this.deferredTcp = opts.deferFragments === true ? new TcpRecords() : null;
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
    this.finishFragments();
    result.warnings.push(...this.fragmentWarnings());
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
    if (s.fragDepth >= 0) {
      this.addFragment(rec, s);
      return;
    }
    if (this.fragments.size !== 0) this.fragments.advance(rec.n);
    const base = rec.dataOffset;
    const b = rec.buf;
    this.attribute(s, b, base, rec.n);
    const tenant = this.aTenant, flow = this.aFlow;
    const dir = directionOf(rec.epbFlags);
    const host = this.hostOf(s, b, base, dir);
    const unver = this.count(s, rec.n, rec.caplen, rec.hasTime, rec.tsSec, rec.tsNsec, tenant, flow, host, rec.epbFlags);
    // Without retention and without a hook nothing reads the columns (CLI summary): outer addresses are only
    // ever read from there, so they are not interned at all.
    const columns = this.retain || this.frameHook !== null;
    let outerSrc = -1, outerDst = -1;
    if (columns && s.depth > 0 && s.outerFamily !== 0) {
      outerSrc = this.addrs.intern(b, base + s.outerSrcOff, s.outerFamily);
      outerDst = this.addrs.intern(b, base + s.outerDstOff, s.outerFamily);
    }
    this.totalBytes += rec.caplen;
    if (rec.hasTime) this.noteTime(rec.tsSec, rec.tsNsec, rec.n);
    const i = columns ? this.store.push(rec, s, tenant, flow, outerSrc, outerDst, this.aInnerSrc, this.aInnerDst, unver) : 0;
    // Flags are kept only in retained rows (a hook's rows are recycled: nothing would read them). tcpSegment's
    // own first test, as far as it can be made here without its arguments: most segments of the CLI summary
    // stop there, and the call (not inlined: add is too large) costs more than the test.
    if (s.tcpSegLen >= -1 && flow >= 0 && (this.retain || this.deferredTcp !== null || (s.badMask & TCP_SLOTS) !== 0
      || rec.epb.has !== 0 || this.badSegments.pendingIn(flow))) this.tcpSegment(s, b, base, rec.n, i, this.retain, flow, outerSrc, rec.hasTime, rec.tsSec, rec.tsNsec, dir, rec.epb);
    // The one test the MTU diagnosis adds per frame: the ICMP decoders set the note only for its messages.
    if ((s.notes & N_MTU_SIGNAL) !== 0) this.fragments.mtu.addIcmp(rec.n, s, b, base);
    this.finishRecord(rec, i);
    if (this.frameHook !== null) {
      const d = this.decoded;
      d.s = s;
      d.buf = b;
      d.base = base;
      d.whole = true;
      d.reassembled = false;
      this.frameHook(i, rec.n);
    }
    if (!this.retain) this.store.recycle();
  }

  /**
   * A TCP segment of `flow` (frame n, store index i when `columns`), analysed in frame order: its flags go
   * to the store, and a bad checksum to the bad-segment list. A parallel chunk only keeps it for the merge.
   * `outerSrc` is the outer source's id when already interned, else -1. `epb`: the frame's packet block options
   * (its packet id), null for a reassembled datagram.
   */
  private tcpSegment(s: Summary, b: Uint8Array, base: number, n: number, i: number, columns: boolean, flow: number,
    outerSrc: number, hasTime: boolean, sec: number, nsec: number, hostDir: DirectionCode, epb: EpbOptions | null): void {
    const bad = s.tcpSegLen >= 0 && (s.badMask & TCP_SLOTS) !== 0;
    const d = this.deferredTcp;
    const hasId = epb !== null && (epb.has & EPB_HAS_PACKET_ID) !== 0;
    // Without rows (the CLI summary) the flags have no reader: only bad segments and what may resend or
    // acknowledge them, which only a segment of a flow with one pending can do. A frame with a packet id is
    // noted all the same, so that its copies are known as such whatever comes between.
    if (d === null && !columns && !bad && !hasId && (this.badSegments.waiting === 0 || !this.badSegments.pendingIn(flow))) return;
    const fl = this.flows;
    const dir = fl.addrA(flow) === this.aInnerSrc && fl.portA(flow) === s.sport ? 0 : 1;
    // The host that sent a bad segment: the outer source of a tunnelled frame (interned only for these).
    let host = -1;
    if (bad) host = s.depth > 0 && s.outerFamily !== 0 ? (outerSrc >= 0 ? outerSrc : this.addrs.intern(b, base + s.outerSrcOff, s.outerFamily)) : this.aInnerSrc;
    if (!hasTime) { sec = 0; nsec = 0; }
    if (d !== null) {
      d.add(n, flow, dir, sec, nsec, s, bad, host, hostDir, hasId, hasId ? epb.packetIdHi : 0, hasId ? epb.packetIdLo : 0);
      return;
    }
    this.analyseTcp(n, columns ? i : -1, flow, dir, sec, nsec, s, bad, host, hostDir, hasId, hasId ? epb.packetIdHi : 0, hasId ? epb.packetIdLo : 0);
  }

  /**
   * One segment's analysis (a frame of this engine, a settled datagram or a chunk's record at the merge): its
   * flags into store row `row` (-1: no rows kept, and then no flags either: nothing would read them), and
   * the bad-segment tracking. `host` and `hostDir` are the sending host's address id and the frame's capture
   * direction (the host table's key). With a packet id (`hasId`; idHi, idLo its halves), a later copy of a packet
   * already analysed in this flow (pktmon) is not analysed again: it takes the first copy's flags, and goes to the
   * bad-segment tracking only when it is the packet's first bad copy (so a packet counts once, bad if any copy is).
   */
  analyseTcp(n: number, row: number, flow: number, dir: number, sec: number, nsec: number, g: TcpSegment, bad: boolean, host: number,
    hostDir: DirectionCode, hasId = false, idHi = 0, idLo = 0): void {
    let entry = -1;
    const c = this.tcpCopies;
    if (hasId) {
      entry = c.note(idHi, idLo, flow);
      if (!c.fresh) {
        if (row >= 0 && c.flags[entry] !== 0) this.markTcp(row, c.flags[entry], c.dupNum[entry], c.dupFrame[entry]);
        if (!bad || c.bad[entry] !== 0) return;
        c.bad[entry] = 1;
        this.badSegment(flow, dir, n, sec, nsec, g, true, host, hostDir);
        return;
      }
      if (bad) c.bad[entry] = 1;
    }
    if (row >= 0) {
      const a = this.tcp.analyse(flow, dir, n, sec, nsec, g);
      // The row was written with no flags (FrameStore.write): most segments have none.
      if (a !== 0) {
        const t = this.tcp;
        this.markTcp(row, a, t.dupNum, t.dupFrame);
        if (entry >= 0) { c.flags[entry] = a; c.dupNum[entry] = t.dupNum; c.dupFrame[entry] = t.dupFrame; }
      }
    }
    if (g.tcpSegLen >= 0 && (bad || this.badSegments.waiting !== 0)) this.badSegment(flow, dir, n, sec, nsec, g, bad, host, hostDir);
  }

  /** TCP analysis flags `a` into store row `row` (with the duplicate ACK's number and frame when it is one). */
  private markTcp(row: number, a: number, dupNum: number, dupFrame: number): void {
    this.store.tcpAnalysis[row] = a;
    // Wireshark hands no retransmitted or out-of-order segment to the protocol above TCP
    // (tcp.no_subdissector_on_error, on by default) and a keep-alive's byte is data: TCP is the highest layer.
    if ((a & TA_NO_APP) !== 0 && LAYER_KIND[this.store.topProto[row]] === KIND_APP) this.store.topProto[row] = P_TCP;
    if ((a & TA_DUPLICATE_ACK) !== 0) this.dupAcks.add(row, dupNum, dupFrame);
  }

  private badSegment(flow: number, dir: number, n: number, sec: number, nsec: number, g: TcpSegment, bad: boolean, host: number,
    hostDir: DirectionCode): void {
    this.badSegments.segment(flow, dir, n, sec, nsec, g.tcpSeq, g.tcpSegLen + ((g.tcpFlags & 0x03) !== 0 ? 1 : 0), g.tcpAck, (g.tcpFlags & 0x10) !== 0, bad, host, hostDir);
  }

  // attribute()'s answers, in fields so that the per-frame path allocates nothing.
  private aTenant = -1;
  private aFlow = -1;
  private aInnerSrc = -1;
  private aInnerDst = -1;

  /**
   * The tenant and flow of a decode, and its inner address ids (aTenant, aFlow, aInnerSrc, aInnerDst); a new
   * flow starts at frame n and counts towards its tenant.
   */
  private attribute(s: Summary, b: Uint8Array, base: number, n: number): void {
    let innerSrc = -1, innerDst = -1;
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
    if (flow >= 0 && fl.count !== flowsBefore) {
      fl.firstFrame[flow] = n;
      fl.lastFrame[flow] = n;
      if (tenant >= 0) tt.flows[tenant]++;
    }
    this.aTenant = tenant;
    this.aFlow = flow;
    this.aInnerSrc = innerSrc;
    this.aInnerDst = innerDst;
  }

  /**
   * Counts frame n, decoded as s, towards its flow, its tenant and the verdict totals. Returns the mask of its
   * unverified checks (the store keeps it).
   */
  /** The sending host of a decode: its outer (first) IP source, in the direction the capture gives; -1 without IP. */
  private hostOf(s: Summary, b: Uint8Array, base: number, dir: DirectionCode): number {
    if (s.outerFamily === 4) return this.hosts.lookup4(this.addrs, b, base + s.outerSrcOff, dir);
    if (s.outerFamily === 6) return this.hosts.lookup(this.addrs.intern(b, base + s.outerSrcOff, 6), dir);
    return -1;
  }

  private count(
    s: Summary, n: number, caplen: number, hasTime: boolean, sec: number, nsec: number, tenant: number, flow: number, host: number,
    pf: number,
  ): number {
    const tt = this.tenants;
    if (flow >= 0) {
      const fl = this.flows;
      fl.frames[flow]++;
      fl.bytes[flow] += caplen;
      // Fragment frames are counted when their datagram settles, after frames that follow them.
      if (n > fl.lastFrame[flow]) fl.lastFrame[flow] = n;
      if (n < fl.firstFrame[flow]) fl.firstFrame[flow] = n;
      if (s.badMask !== 0) fl.bad[flow]++;
      if (s.partialMask !== 0) fl.partial[flow]++;
    }
    let zero = s.zeroMask;
    let allowed = 0;
    while (zero !== 0) {
      const slot = 31 - Math.clz32(zero);
      zero &= ~(1 << slot);
      if (zeroAllowed(slot, s.depth, s.outerFamily, s.innerFamily)) {
        this.noChecksumCounts[slot]++;
        allowed |= 1 << slot;
      }
    }
    // Verdict counts per check (the totals and the host's, as HostTable.note counts them: in one loop), and which
    // checks could not be verified.
    const hosts = this.hosts;
    const hs = host * CHECK_SLOTS;
    let unver = 0;
    let mask = s.checkMask;
    while (mask !== 0) {
      const slot = 31 - Math.clz32(mask);
      const bit = 1 << slot;
      mask &= ~bit;
      const v = s.checks[slot];
      this.checkCounts[slot * 6 + v]++;
      if (v === V_UNVERIFIED) unver |= bit;
      if (host >= 0) hosts.verdict(hs + slot, v, (allowed & bit) !== 0, n);
    }
    if (host >= 0) {
      // A partial checksum the capture marks "not ready", or on a super-frame, is what it should be before offload.
      const expected = s.partialMask !== 0 && ((pf & (PF_CHECKSUM_NOT_READY | PF_TSO)) !== 0 || (s.notes & N_SUPERFRAME) !== 0);
      hosts.noteFrame(host, n, caplen, s.badMask !== 0, s.partialMask !== 0, expected, tenant);
    }
    if (s.badMask !== 0) {
      this.badFrames++;
      const f = this.flagged;
      if (f.length === 0 || f[f.length - 1] < n) f.push(n);
      else f.splice(sortedIndex(f, n), 0, n);
    }
    if (s.partialMask !== 0) this.partialFrames++;
    if (tenant >= 0) {
      tt.frames[tenant]++;
      tt.bytes[tenant] += caplen;
      if (s.badMask !== 0) tt.bad[tenant]++;
      if (s.partialMask !== 0) tt.partial[tenant]++;
      if (hasTime) {
        if (!tt.hasTime[tenant] || before(sec, nsec, tt.firstSec[tenant], tt.firstNsec[tenant])) {
          tt.firstSec[tenant] = sec; tt.firstNsec[tenant] = nsec;
        }
        if (!tt.hasTime[tenant] || before(tt.lastSec[tenant], tt.lastNsec[tenant], sec, nsec)) {
          tt.lastSec[tenant] = sec; tt.lastNsec[tenant] = nsec;
        }
        tt.hasTime[tenant] = true;
      }
    }
    return unver;
  }

  /** Interface runs, packet extras and the frame count: what every frame adds after its row. */
  private finishRecord(rec: FrameRecord, i: number): void {
    const ifaceBase = rec.interfaceIndex - rec.interfaceId;
    if (ifaceBase !== this.ifaceBase) {
      this.ifaceBase = ifaceBase;
      this.ifaceRuns.push(i, ifaceBase);
    }
    if ((rec.epb.has !== 0 || rec.comment !== null) && this.retain) this.extras.note(i, rec);
    if (rec.interfaces !== this.liveIfaces) this.liveIfaces = rec.interfaces;
    this.frameTotal = rec.n;
  }

  /**
   * An IP fragment: its row as decoded alone, attributed to nothing and counted nowhere until its datagram
   * settles (complete, or given up); then settle() counts it. A parallel chunk leaves that to the merge.
   */
  private addFragment(rec: FrameRecord, s: Summary): void {
    const columns = this.retain || this.frameHook !== null;
    const b = rec.buf, base = rec.dataOffset;
    let outerSrc = -1, outerDst = -1;
    if (columns && s.depth > 0 && s.outerFamily !== 0) {
      outerSrc = this.addrs.intern(b, base + s.outerSrcOff, s.outerFamily);
      outerDst = this.addrs.intern(b, base + s.outerDstOff, s.outerFamily);
    }
    this.totalBytes += rec.caplen;
    if (rec.hasTime) this.noteTime(rec.tsSec, rec.tsNsec, rec.n);
    const i = columns ? this.store.push(rec, s, -1, -1, outerSrc, outerDst, -1, -1, unverifiedMask(s)) : 0;
    const frame = b.subarray(base, base + Math.min(rec.caplen, b.length - base));
    const d = this.deferredFragments;
    if (d !== null) {
      d.meta.push(rec.n, rec.caplen, rec.origlen, rec.linktype, rec.hasTime ? 1 : 0, rec.tsSec, rec.tsNsec, rec.epbFlags & 3);
      d.bytes.push(frame.slice());
    } else {
      const m: Member = { n: rec.n, caplen: rec.caplen, origlen: rec.origlen, hasTime: rec.hasTime, sec: rec.tsSec, nsec: rec.tsNsec, dir: directionOf(rec.epbFlags), row: null };
      this.fragments.addFrame(m, frame, rec.caplen, rec.origlen, rec.linktype, s);
    }
    this.finishRecord(rec, i);
    if (!this.retain) this.store.recycle();
  }

  /**
   * A fragment frame a parallel chunk deferred (its row is already in the store): reassembled here, in frame
   * order, exactly as add() does for the single reader.
   */
  replayFragment(
    n: number, caplen: number, origlen: number, linktype: number, hasTime: boolean, sec: number, nsec: number, dir: DirectionCode,
    frame: Uint8Array,
  ): void {
    const s = this.s;
    dissect(frame, 0, caplen, origlen, linktype, s);
    const m: Member = { n, caplen, origlen, hasTime, sec, nsec, dir, row: null };
    // The stage copies what must wait: the chunk's buffer of fragment bytes is not kept alive by it.
    this.fragments.addFrame(m, frame, caplen, origlen, linktype, s);
  }

  /** Frames up to n are in (parallel merge: a chunk merged): as add() does frame by frame. */
  advanceFragments(n: number): void {
    if (this.fragments.size !== 0) this.fragments.advance(n);
  }

  /** End of the capture: datagrams still waiting never completed. */
  finishFragments(): void {
    this.fragments.flush();
    this.version++;
  }

  /** What the reassembly has to say about the whole capture: datagrams its memory bound dropped. */
  fragmentWarnings(): CaptureWarning[] {
    const f = this.fragments;
    if (f.dropped === 0) return [];
    const n = f.firstDropN;
    const offset = this.retain && n >= 1 && n <= this.store.count ? this.store.offsetOf(n - 1) : 0;
    return [{
      offset, frame: n,
      message: `IP reassembly dropped ${f.dropped} incomplete datagram${f.dropped === 1 ? '' : 's'}: more fragments were waiting than its memory bound allows; their frames are counted as decoded alone`,
    }];
  }

  /** FragmentSink: members of a settled datagram count towards target's tenant and flow; their rows are rewritten. */
  settle(members: readonly Member[], target: Decoded): void {
    let first = Infinity;
    for (const m of members) if (m.n < first) first = m.n;
    this.attribute(target.s, target.buf, 0, first);
    const tenant = this.aTenant, flow = this.aFlow;
    if (flow >= 0 && this.flows.firstFrame[flow] > first) this.orient(flow, target.s);
    let completing: Member | null = null;
    const hook = this.frameHook;
    for (const m of members) {
      const r = m.row ?? target;
      if (r === target && completing === null) completing = m;
      const rs = r.s;
      const host = this.hostOf(rs, r.buf, 0, m.dir);
      const unver = this.count(rs, m.n, m.caplen, m.hasTime, m.sec, m.nsec, tenant, flow, host, 0);
      if (!this.retain && hook === null) continue;
      let outerSrc = -1, outerDst = -1, innerSrc = -1, innerDst = -1;
      if (rs.depth > 0 && rs.outerFamily !== 0) {
        outerSrc = this.addrs.intern(r.buf, rs.outerSrcOff, rs.outerFamily);
        outerDst = this.addrs.intern(r.buf, rs.outerDstOff, rs.outerFamily);
      }
      if (rs.innerFamily !== 0) {
        innerSrc = this.addrs.intern(r.buf, rs.innerSrcOff, rs.innerFamily);
        innerDst = this.addrs.intern(r.buf, rs.innerDstOff, rs.innerFamily);
      }
      let i = m.n - 1;
      if (this.retain) this.store.rewrite(i, rs, tenant, flow, outerSrc, outerDst, innerSrc, innerDst, unver);
      else i = this.store.writeAside(m, rs, tenant, flow, outerSrc, outerDst, innerSrc, innerDst, unver);
      if (hook === null) continue;
      const d = this.decoded;
      d.s = rs;
      d.buf = r.buf;
      d.base = 0;
      d.reassembled = r.level > 0;
      d.whole = r === m.row && r === target && d.reassembled;
      hook(i, m.n);
      if (!this.retain) this.store.forget(i);
    }
    // The frame that completed the datagram carries its TCP segment: analysed now, which is in frame order
    // (a datagram completes while its last fragment is added).
    const ts = target.s;
    if (completing !== null && flow >= 0 && ts.tcpSegLen >= -1 && ts.fragDepth < 0) {
      const m = completing;
      const row = this.retain && m.n - 1 < this.store.count ? m.n - 1 : -1;
      let outerSrc = -1;
      if (row >= 0 && ts.depth > 0) outerSrc = this.store.outerSrc[row];
      this.tcpSegment(ts, target.buf, 0, m.n, row, row >= 0, flow, outerSrc, m.hasTime, m.sec, m.nsec, m.dir, null);
    }
  }

  /**
   * A flow first met in frames after `first`, a fragment frame of a datagram settling now: a flow's A side is
   * the source of its earliest frame whatever order the frames were counted in, so turn it round if needed.
   */
  private orient(flow: number, s: Summary): void {
    const fl = this.flows;
    if (fl.addrA(flow) === this.aInnerSrc && fl.portA(flow) === s.sport) return;
    const from = fl.firstFrame[flow] - 1;
    fl.swap(flow);
    this.tcp.swap(flow);
    this.badSegments.swap(flow);
    if (!this.retain) return;
    const st = this.store;
    for (let i = Math.max(0, from); i < st.count; i++) if (st.flow[i] === flow) st.dir[i] ^= 1;
  }

  /**
   * Frames whose rows are final: all of them but from the first fragment still waiting for its datagram on.
   * Views, filters and reports read these (a settling datagram rewrites the rows of its fragments).
   */
  get settledCount(): number {
    const n = this.store.count;
    const p = this.fragments.minPendingFrame();
    return p - 1 < n ? p - 1 : n;
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
  frameLocation(n: number): FrameLocation {
    const i = this.checkFrame(n);
    const st = this.store;
    return { offset: st.offsetOf(i), caplen: st.caplen[i], origlen: st.origlen[i], linktype: st.linktype[i] };
  }

  /** Interfaces of the capture (all pcapng sections together); while a load runs, those read so far. */
  interfaces(): readonly InterfaceInfo[] {
    return this.result?.interfaces ?? this.liveIfaces;
  }

  /** The interface of store index i (its name and description), or undefined when unknown. */
  interfaceOf(i: number): InterfaceInfo | undefined {
    return this.interfaces()[this.interfaceIndex(i + 1)];
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

  /** The packet block options of frame n, as read from the capture. */
  packetExtras(n: number): PacketExtras {
    return this.extras.of(this.checkFrame(n));
  }

  /** pktmon copies grouped by packet id over the settled frames (RowView.fold), built when first asked for. */
  folding(): Folding {
    if (this.foldingOf === null || this.foldingOf.folded.length !== this.settledCount) this.foldingOf = new Folding(this);
    return this.foldingOf;
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

  /**
   * Frames besides n whose bytes detail(n) needs: the fragments of the datagrams frame n reassembled, and for a
   * super-frame the SYN that announced the MSS its segments would carry.
   */
  detailFrames(n: number): number[] {
    const i = this.checkFrame(n);
    const frames = treeFrames(this.fragments, n);
    const syn = this.isSuperframe(i) ? peerSynFrame(this, i) : -1;
    if (syn > 0 && !frames.includes(syn)) frames.push(syn);
    return frames;
  }

  /**
   * Whether store index i is a super-frame (N_SUPERFRAME): larger than the link carries, captured before the
   * NIC segmented it or after it merged segments; the pcapng TSO flag says so too.
   */
  isSuperframe(i: number): boolean {
    return (this.store.notes[i] & N_SUPERFRAME) !== 0 || (this.extras.flags(i) & PF_TSO) !== 0;
  }

  /** Detail tree of frame n from its bytes (re-read by the caller from the source); see detailOf. */
  detail(n: number, bytes: Uint8Array, others?: ReadonlyMap<number, Uint8Array>): TreeNode[] {
    return this.detailOf(n, bytes, others).tree;
  }

  /**
   * Detail tree of frame n and the byte sources its nodes point into: `bytes` are frame n's, `others` those of
   * detailFrames(n) (a frame that reassembled IP fragments shows the reassembled datagram).
   */
  detailOf(n: number, bytes: Uint8Array, others?: ReadonlyMap<number, Uint8Array>): FrameTree {
    const i = this.checkFrame(n);
    const st = this.store;
    const caplen = Math.min(st.caplen[i], bytes.length);
    const frame = (m: number): FrameBytes => {
      const j = this.checkFrame(m);
      const b = m === n ? bytes : others?.get(m);
      if (b === undefined) throw new Error(`frame ${n}'s details need the bytes of frame ${m}`);
      return { bytes: b.subarray(0, Math.min(st.caplen[j], b.length)), origlen: st.origlen[j], linktype: st.linktype[j] };
    };
    const layers = frameTree(this.fragments, n, frame);
    const meta = metaNodes(this, i);
    const ifName = this.interfaceOf(i)?.name;
    const ifaceNode: TreeNode = { label: `Interface id: ${st.iface[i]}${ifName != null ? ` (${ifName})` : ''}`, field: 'frame.interface_id', value: String(st.iface[i]), start: 0, length: 0 };
    if (meta.iface.length > 0) ifaceNode.children = meta.iface;
    const on = ifName != null ? ` on interface ${ifName}, id ${st.iface[i]}` : '';
    const frameNode: TreeNode = {
      label: `Frame ${n}: ${st.origlen[i]} bytes on wire, ${st.caplen[i]} bytes captured${on}${directionSuffix(this, i)}`,
      start: 0,
      length: caplen,
      children: [
        ...(st.hasTimeOf(i) ? [{ label: `Arrival Time: ${isoNanos(st.secOf(i), st.nsecOf(i))}`, field: 'frame.time', value: isoNanos(st.secOf(i), st.nsecOf(i)), start: 0, length: 0 }] : []),
        { label: `Frame Number: ${n}`, field: 'frame.number', value: String(n), start: 0, length: 0 },
        { label: `Frame Length: ${st.origlen[i]} bytes`, field: 'frame.len', value: String(st.origlen[i]), start: 0, length: 0 },
        { label: `Capture Length: ${st.caplen[i]} bytes`, field: 'frame.cap_len', value: String(st.caplen[i]), start: 0, length: 0 },
        ifaceNode,
        { label: `Link type: ${st.linktype[i]}`, start: 0, length: 0 },
        ...meta.rest,
      ],
    };
    if (this.isSuperframe(i)) {
      const synN = peerSynFrame(this, i);
      const synBytes = synN > 0 ? others?.get(synN) : undefined;
      const sf = superframeOf(this, i, bytes, synBytes !== undefined ? { n: synN, bytes: synBytes } : null);
      // Right under the lengths it explains.
      const at = (frameNode.children ?? []).findIndex((c) => c.field === 'frame.cap_len') + 1;
      if (sf !== null) frameNode.children?.splice(at, 0, superframeNode(sf));
    }
    if (st.zeroMaskOf(i) !== 0) this.markNoChecksum(i, layers.tree);
    if ((st.partialMaskOf(i) | st.badMaskOf(i)) !== 0 && this.extras.numericHas(i) !== 0) this.markCaptureVerdicts(i, layers.tree);
    annotateStreams(this, i, layers.tree);
    const a = st.tcpAnalysis[i];
    if (a !== 0) lastTcpNode(layers.tree)?.children?.push(tcpAnalysisNode(a, this.dupAcks.get(i)));
    // As the row says (analyseTcp): such a segment's payload is TCP's data, not the application's message.
    const tree = (a & TA_NO_APP) !== 0 ? layers.tree.filter((l) => layerByName(l.field ?? '')?.kind !== 'app') : layers.tree;
    return { tree: [frameNode, ...tree], sources: layers.sources };
  }

  /** A partial or bad checksum whose frame the capture marks "checksum not ready" or "valid" says so (checksumNote). */
  private markCaptureVerdicts(i: number, nodes: TreeNode[]): void {
    for (const n of nodes) {
      if (n.verdict !== undefined && n.check !== undefined && n.field?.endsWith('.checksum.status')) {
        const note = checksumNote(this, i, n.verdict);
        if (note !== null) n.label += ` [${note}]`;
      }
      if (n.children) this.markCaptureVerdicts(i, n.children);
    }
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

  rows(start: number, count: number, view: RowView): RowsResult {
    const total = this.prepare(view);
    const from = Math.max(0, Math.min(Math.floor(start), total));
    const to = Math.min(total, from + Math.max(0, Math.floor(count)));
    const rows: PacketRow[] = [];
    for (let p = from; p < to; p++) {
      const i = this.view.frameAt(p);
      const row = formatRow(this, i);
      row.deltaShown = deltaSince(this, i, this.view.previousShown(p, view));
      rows.push(row);
    }
    return { total, start: from, rows };
  }

  status(view: RowView): StatusCounts {
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

  /** Per tenant; `fold`: with pktmon copies folded (RowView.fold), each packet counted once. */
  tenantStats(fold = false): TenantStats[] {
    const f = fold ? this.folding() : null;
    return tenantStats(this, f !== null && f.any ? f.counts() : null);
  }
  flowStats(tenant: string | null): FlowStats[] { return flowStats(this, tenant); }
  offload(): OffloadReport {
    this.offloadTally.update(this);
    return tallyReport(this.offloadTally);
  }
  checks(): Record<string, VerdictCounts> { return checkCounts(this); }
  /** MTU diagnosis per host (decoders/analysis/mtu.ts): complete once the load has ended. */
  mtu(): MtuFinding[] { return this.fragments.mtu.report(); }
  /** Per sending host; `fold`: with pktmon copies folded (RowView.fold), each packet counted once, at its shown copy. */
  hostStats(fold = false): HostStats[] {
    const f = fold ? this.folding() : null;
    if (f === null || !f.any) return hostStats(this);
    const shown = new Uint8Array(f.folded.length);
    for (let i = 0; i < shown.length; i++) shown[i] = f.folded[i] ^ 1;
    return subsetHosts(this, shown);
  }
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

/** The innermost TCP layer of a details tree (the one the analysis is about). */
function lastTcpNode(nodes: readonly TreeNode[]): TreeNode | null {
  let found: TreeNode | null = null;
  for (const n of nodes) {
    if (n.field === 'tcp') found = n;
    if (n.children) found = lastTcpNode(n.children) ?? found;
  }
  return found;
}

/** Check slots of TCP at every tunnel depth (a frame's TCP is its innermost layer: one of them at most). */
const TCP_SLOTS = Array.from({ length: MAX_DEPTH }, (_, d) => 1 << (d * CHECK_KINDS + CK_TCP)).reduce((a, b) => a | b, 0);

/** Mask of the unverified checks of a decode. */
function unverifiedMask(s: Summary): number {
  let unver = 0;
  let mask = s.checkMask;
  while (mask !== 0) {
    const slot = 31 - Math.clz32(mask);
    mask &= ~(1 << slot);
    if (s.checks[slot] === V_UNVERIFIED) unver |= 1 << slot;
  }
  return unver;
}

/** Where n goes in an ascending list. */
function sortedIndex(list: readonly number[], n: number): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function before(s1: number, n1: number, s2: number, n2: number): boolean {
  return s1 < s2 || (s1 === s2 && n1 < n2);
}
