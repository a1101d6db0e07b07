// Packing a chunk's Engine into plain, transferable data (exportPart, in the worker) and appending it
// to the main Engine in frame order (mergePart). Address, tenant and flow ids are re-interned in the
// chunk's first-seen order, which is the order a single reader would have met them in: the merged
// Engine is the one a single reader builds, id for id. Store columns are copied by their list in the
// store (COLUMN_NAMES), so a column added to FrameStore later is carried over without a change here.

import type { Engine } from '../analysis/engine.ts';
import type { CaptureWarning } from '../capture/types.ts';
import { COLUMN_NAMES, type Column, type ColumnName, type StoreSide } from '../store.ts';
import type { MtuPart } from '../analysis/mtu.ts';
import { CHECK_SLOTS } from '../summary.ts';
import type { DirectionCode } from '../analysis/host-table.ts';
import type { ExtrasPart } from '../analysis/frame-extras.ts';
import { TCP_WORDS, TcpRecords, TW_HAS_ID, type TcpRecordData } from '../analysis/tcp-records.ts';
import type { TcpSegment } from '../analysis/tcp-analysis.ts';

export interface PartData {
  frames: number;
  /** Store columns, each sliced to the frames kept (empty when the chunk kept aggregates only). */
  columns: Partial<Record<ColumnName, Column>>;
  addrFamily: Uint8Array;
  /** 16 bytes per address id. */
  addrBytes: Uint8Array;
  tenantEncap: Int32Array;
  /** Tenant ids 0..2^32-1, or -1 for none: more than an Int32Array or a Uint32Array holds. */
  tenantVnid: Float64Array;
  /** Per tenant: frames, bytes, bad, partial, firstSec, firstNsec, lastSec, lastNsec, hasTime (0/1). */
  tenantStats: Float64Array;
  /** Per host: its address id, direction; HS stats; its verdict counts; the tenant ids behind it (-1 ends a host's). */
  hostAddr: Int32Array;
  hostDir: Uint8Array;
  hostStats: Float64Array;
  hostVerdicts: Float64Array;
  hostTenants: Int32Array;
  /** Sample frames (chunk-local numbers) by the host table's (host, check, verdict) key. */
  hostSamples: Array<[number, number[]]>;
  /** 6 words per flow: tenant, proto, src, sport, dst, dport (first-seen direction). */
  flowKeys: Int32Array;
  /** Per flow: frames, bytes, bad, partial, firstFrame, lastFrame. */
  flowStats: Float64Array;
  checkCounts: Float64Array;
  noChecksumCounts: Float64Array;
  /** totalBytes, badFrames, partialFrames, minSec, minNsec, maxSec, maxNsec, refSec, refNsec. */
  totals: Float64Array;
  flagged: Float64Array;
  /** Packet block options (flags, comments, drop counts, packet ids, queues, hashes, verdicts) by store index. */
  extras: ExtrasPart;
  ifaceRuns: number[];
  /** The store's side tables (odd endpoints, offset high words, time base and odd times). */
  side: StoreSide;
  /**
   * IP fragment frames, for the merging engine to reassemble (Engine.replayFragment): 8 numbers each (n,
   * caplen, origlen, linktype, hasTime, sec, nsec, direction), their bytes one after another, and where each
   * starts.
   */
  fragMeta: Float64Array;
  fragBytes: Uint8Array;
  fragStarts: Uint32Array;
  /** The chunk's MTU tally: its ICMP messages (its fragments are reassembled by the merging engine). */
  mtu: MtuPart;
  /** The chunk's TCP segments, for the merging engine to analyse in frame order (tcp-records.ts). */
  tcp: TcpRecordData;
}

const TS = 9;
const FS = 6;
/** Numbers per deferred fragment frame (Engine.deferredFragments.meta). */
const FM = 8;
/** Per host: frames, bytes, bad, partial, firstBad, lastBad, expected partial. */
const HS = 7;

export function exportPart(e: Engine): PartData {
  const st = e.store;
  const columns: Partial<Record<ColumnName, Column>> = {};
  // A view, not a copy: the whole buffer is transferred to the merging thread (no second copy at the peak).
  for (const name of COLUMN_NAMES) columns[name] = st[name].subarray(0, st.count);
  const a = e.addrs;
  const addrFamily = new Uint8Array(a.count);
  const addrBytes = new Uint8Array(a.count * 16);
  for (let id = 0; id < a.count; id++) {
    addrFamily[id] = a.family(id);
    addrBytes.set(a.bytesOf(id), id * 16);
  }
  const t = e.tenants;
  const tenantStats = new Float64Array(t.count * TS);
  for (let id = 0; id < t.count; id++) {
    tenantStats.set([t.frames[id], t.bytes[id], t.bad[id], t.partial[id], t.firstSec[id], t.firstNsec[id],
      t.lastSec[id], t.lastNsec[id], t.hasTime[id] ? 1 : 0], id * TS);
  }
  const h = e.hosts;
  const hostStats = new Float64Array(h.count * HS);
  const hostTenants: number[] = [];
  for (let id = 0; id < h.count; id++) {
    hostStats.set([h.frames[id], h.bytes[id], h.bad[id], h.partial[id], h.firstBad[id], h.lastBad[id], h.expected[id]], id * HS);
    hostTenants.push(...h.tenants[id], -1);
  }
  const f = e.flows;
  const flowKeys = new Int32Array(f.count * 6);
  const flowStats = new Float64Array(f.count * FS);
  for (let id = 0; id < f.count; id++) {
    flowKeys.set([f.tenant(id), f.proto(id), f.addrA(id), f.portA(id), f.addrB(id), f.portB(id)], id * 6);
    flowStats.set([f.frames[id], f.bytes[id], f.bad[id], f.partial[id], f.firstFrame[id], f.lastFrame[id]], id * FS);
  }
  const { extras, ifaceRuns } = e.mergeState();
  const deferred = e.deferredFragments ?? { meta: [], bytes: [] };
  const fragStarts = new Uint32Array(deferred.bytes.length + 1);
  for (let k = 0; k < deferred.bytes.length; k++) fragStarts[k + 1] = fragStarts[k] + deferred.bytes[k].length;
  const fragBytes = new Uint8Array(fragStarts[deferred.bytes.length]);
  deferred.bytes.forEach((b, k) => fragBytes.set(b, fragStarts[k]));
  return {
    frames: e.frames,
    columns,
    addrFamily, addrBytes,
    tenantEncap: Int32Array.from(t.encap), tenantVnid: Float64Array.from(t.vnid), tenantStats,
    hostAddr: Int32Array.from(h.addr), hostDir: Uint8Array.from(h.dir), hostStats,
    hostVerdicts: h.verdicts.slice(0, h.count * CHECK_SLOTS * 6), hostTenants: Int32Array.from(hostTenants),
    hostSamples: [...h.samples].map(([k, v]) => [k, v.slice()]),
    flowKeys, flowStats,
    checkCounts: e.checkCounts.slice(),
    noChecksumCounts: e.noChecksumCounts.slice(),
    totals: Float64Array.from([e.totalBytes, e.badFrames, e.partialFrames, e.minSec, e.minNsec, e.maxSec, e.maxNsec, e.refSec, e.refNsec]),
    flagged: Float64Array.from(e.flagged),
    extras: extras.part(st.count),
    ifaceRuns: ifaceRuns.slice(),
    side: st.side(),
    fragMeta: Float64Array.from(deferred.meta),
    fragBytes,
    fragStarts,
    mtu: e.fragments.mtu.part(),
    tcp: (e.deferredTcp ?? new TcpRecords()).data(),
  };
}

/** The buffers of a part, for postMessage's transfer list. */
export function partTransfer(p: PartData): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const add = (v: ArrayBufferView): void => {
    if (v.buffer instanceof ArrayBuffer && v.byteLength > 0 && !out.includes(v.buffer)) out.push(v.buffer);
  };
  for (const c of Object.values(p.columns)) add(c);
  for (const v of [p.addrFamily, p.addrBytes, p.tenantEncap, p.tenantVnid, p.tenantStats, p.hostAddr, p.hostDir, p.hostStats,
    p.hostVerdicts, p.hostTenants, p.flowKeys, p.flowStats,
    p.checkCounts, p.noChecksumCounts, p.totals, p.flagged, p.extras.nums, p.fragMeta, p.fragBytes, p.fragStarts,
    p.tcp.words, p.tcp.sec, p.tcp.nsec]) add(v);
  return out;
}

function before(s1: number, n1: number, s2: number, n2: number): boolean {
  return s1 < s2 || (s1 === s2 && n1 < n2);
}

const ID_COLUMNS = ['tenant', 'flow', 'outerSrc', 'outerDst'] as const;

/** Appends a decoded chunk to `e` (frames continue e's numbering). */
export function mergePart(e: Engine, p: PartData): void {
  const frameBase = e.frames;
  // Addresses, in the chunk's first-seen order.
  const nAddr = p.addrFamily.length;
  const addrMap = new Int32Array(nAddr);
  for (let id = 0; id < nAddr; id++) addrMap[id] = e.addrs.intern(p.addrBytes, id * 16, p.addrFamily[id]);
  // Tenants.
  const tt = e.tenants;
  const nTen = p.tenantEncap.length;
  const tenantMap = new Int32Array(nTen);
  for (let id = 0; id < nTen; id++) {
    const g = tt.lookup(p.tenantEncap[id], p.tenantVnid[id]);
    tenantMap[id] = g;
    const s = p.tenantStats;
    const o = id * TS;
    tt.frames[g] += s[o]; tt.bytes[g] += s[o + 1]; tt.bad[g] += s[o + 2]; tt.partial[g] += s[o + 3];
    if (s[o + 8] === 1) {
      if (!tt.hasTime[g] || before(s[o + 4], s[o + 5], tt.firstSec[g], tt.firstNsec[g])) { tt.firstSec[g] = s[o + 4]; tt.firstNsec[g] = s[o + 5]; }
      if (!tt.hasTime[g] || before(tt.lastSec[g], tt.lastNsec[g], s[o + 6], s[o + 7])) { tt.lastSec[g] = s[o + 6]; tt.lastNsec[g] = s[o + 7]; }
      tt.hasTime[g] = true;
    }
  }
  // Hosts: addresses and tenants remapped, counts added.
  const hs = e.hosts;
  const hostMap = new Int32Array(p.hostAddr.length);
  let tk = 0;
  for (let id = 0; id < p.hostAddr.length; id++) {
    const g = hs.lookup(addrMap[p.hostAddr[id]], p.hostDir[id] as DirectionCode);
    const o = id * HS;
    const st = p.hostStats;
    hs.frames[g] += st[o]; hs.bytes[g] += st[o + 1]; hs.bad[g] += st[o + 2]; hs.partial[g] += st[o + 3]; hs.expected[g] += st[o + 6];
    if (st[o + 4] > 0 && (hs.firstBad[g] === 0 || st[o + 4] + frameBase < hs.firstBad[g])) hs.firstBad[g] = st[o + 4] + frameBase;
    if (st[o + 5] > 0) hs.lastBad[g] = Math.max(hs.lastBad[g], st[o + 5] + frameBase);
    const vo = id * CHECK_SLOTS * 6;
    const go = g * CHECK_SLOTS * 6;
    for (let k = 0; k < CHECK_SLOTS * 6; k++) hs.verdicts[go + k] += p.hostVerdicts[vo + k];
    for (; p.hostTenants[tk] !== -1; tk++) hs.tenants[g].add(tenantMap[p.hostTenants[tk]]);
    tk++;
    hostMap[id] = g;
  }
  for (const [k, frames] of p.hostSamples) {
    const per = CHECK_SLOTS * 6;
    const g = hostMap[Math.floor(k / per)];
    hs.addSamples(g * per + (k % per), frames.map((n) => n + frameBase));
  }
  // Flows: keys remapped; a flow new to e counts towards its tenant and keeps this chunk's first frame.
  const fl = e.flows;
  const nFlow = p.flowKeys.length / 6;
  const flowMap = new Int32Array(nFlow);
  // The store keeps a frame's direction relative to its flow's first-seen direction: flip it where e
  // first saw the flow the other way round.
  const flip = new Uint8Array(nFlow);
  for (let id = 0; id < nFlow; id++) {
    const k = p.flowKeys;
    const o = id * 6;
    const ten = k[o] >= 0 ? tenantMap[k[o]] : -1;
    const before0 = fl.count;
    const g = fl.lookup(ten, k[o + 1], addrMap[k[o + 2]], k[o + 3], addrMap[k[o + 4]], k[o + 5]);
    flowMap[id] = g;
    if (fl.addrA(g) !== addrMap[k[o + 2]] || fl.portA(g) !== k[o + 3]) flip[id] = 1;
    const s = p.flowStats;
    const q = id * FS;
    if (fl.count !== before0) {
      fl.firstFrame[g] = s[q + 4] + frameBase;
      if (ten >= 0) tt.flows[ten]++;
    }
    fl.frames[g] += s[q]; fl.bytes[g] += s[q + 1]; fl.bad[g] += s[q + 2]; fl.partial[g] += s[q + 3];
    fl.lastFrame[g] = Math.max(fl.lastFrame[g], s[q + 5] + frameBase);
  }
  // Store columns.
  const st = e.store;
  const rowBase = st.count;
  const rows = Object.values(p.columns)[0]?.length ?? 0;
  if (rows > 0) {
    st.reserve(rowBase + rows, true);
    // 16-bit id columns widen first when a remapped id will not fit.
    const top = (m: Int32Array): number => m.reduce((a, b) => Math.max(a, b), -1);
    const addrTop = top(addrMap);
    st.widenFor(top(tenantMap), top(flowMap), addrTop, addrTop);
    for (const name of COLUMN_NAMES) {
      const col = p.columns[name];
      if (col !== undefined) st[name].set(col, rowBase);
    }
    const maps: Record<(typeof ID_COLUMNS)[number], Int32Array> = {
      tenant: tenantMap, flow: flowMap, outerSrc: addrMap, outerDst: addrMap,
    };
    const dir = st.dir;
    const flows = st.flow;
    for (let i = rowBase, end = rowBase + rows; i < end; i++) {
      const f = flows[i];
      if (f >= 0 && flip[f] === 1) dir[i] ^= 1;
    }
    for (const name of ID_COLUMNS) {
      const d = st[name];
      const map = maps[name];
      for (let i = rowBase, end = rowBase + rows; i < end; i++) {
        const v = d[i];
        if (v >= 0) d[i] = map[v];
      }
    }
    st.count = rowBase + rows;
    st.appendSide(p.side, rowBase, rows, addrMap);
  }
  // Aggregates.
  const cc = e.checkCounts;
  for (let i = 0; i < cc.length && i < p.checkCounts.length; i++) cc[i] += p.checkCounts[i];
  const nc = e.noChecksumCounts;
  for (let i = 0; i < nc.length && i < p.noChecksumCounts.length; i++) nc[i] += p.noChecksumCounts[i];
  const t = p.totals;
  e.totalBytes += t[0];
  e.badFrames += t[1];
  e.partialFrames += t[2];
  if (!Number.isNaN(t[3])) {
    if (Number.isNaN(e.minSec) || before(t[3], t[4], e.minSec, e.minNsec)) { e.minSec = t[3]; e.minNsec = t[4]; }
    if (Number.isNaN(e.maxSec) || before(e.maxSec, e.maxNsec, t[5], t[6])) { e.maxSec = t[5]; e.maxNsec = t[6]; }
  }
  if (Number.isNaN(e.refSec) && !Number.isNaN(t[7])) { e.refSec = t[7]; e.refNsec = t[8]; }
  for (let i = 0; i < p.flagged.length; i++) e.flagged.push(p.flagged[i] + frameBase);
  const { extras, ifaceRuns } = e.mergeState();
  extras.merge(p.extras, rowBase);
  let lastBase = ifaceRuns.length > 0 ? ifaceRuns[ifaceRuns.length - 1] : -1;
  for (let r = 0; r < p.ifaceRuns.length; r += 2) {
    if (p.ifaceRuns[r + 1] !== lastBase) {
      lastBase = p.ifaceRuns[r + 1];
      ifaceRuns.push(p.ifaceRuns[r] + rowBase, lastBase);
    }
  }
  e.fragments.mtu.merge(p.mtu, frameBase);
  e.noteMerged(frameBase + p.frames, lastBase);
  // The chunk's fragments and TCP segments, in frame order, as the single reader meets them (their rows are
  // merged above): a datagram completed by a fragment is analysed where that frame is.
  const m = p.fragMeta;
  const nFrag = m.length / FM;
  const tw = p.tcp.words;
  const nTcp = p.tcp.sec.length;
  const retain = e.retainsFrames;
  const seg: TcpSegment = { tcpSeq: 0, tcpAck: 0, tcpWin: 0, tcpSegLen: -2, tcpFlags: 0, tcpHdrLen: 0, tcpHdrCut: false, tcpWscale: -1 };
  for (let k = 0, j = 0; k < nFrag || j < nTcp;) {
    if (j < nTcp && (k >= nFrag || tw[j * TCP_WORDS] < m[k * FM])) {
      const o = j * TCP_WORDS;
      const n = tw[o] + frameBase;
      const cf = tw[o + 1];
      const g = flowMap[cf];
      // Without rows, a segment that is neither bad nor a pktmon copy matters only to a pending bad segment of its
      // flow (Engine.tcpSegment's own test): most of a chunk's segments stop here, before being read.
      if (!retain && (tw[o + 2] & (2 | TW_HAS_ID)) === 0 && !e.badSegments.pendingIn(g)) {
        j++;
        continue;
      }
      // Direction against the flow's orientation now (a settling datagram may have turned it round since).
      const ko = cf * 6;
      const turned = fl.addrA(g) !== addrMap[p.flowKeys[ko + 2]] || fl.portA(g) !== p.flowKeys[ko + 3] ? 1 : 0;
      const host = tw[o + 9];
      TcpRecords.read(p.tcp, j, seg);
      e.analyseTcp(n, retain ? n - 1 : -1, g, (tw[o + 2] & 1) ^ turned, p.tcp.sec[j], p.tcp.nsec[j], seg, (tw[o + 2] & 2) !== 0, host >= 0 ? addrMap[host] : -1,
        ((tw[o + 2] >> 3) & 3) as DirectionCode, (tw[o + 2] & TW_HAS_ID) !== 0, tw[o + 10], tw[o + 11]);
      j++;
      continue;
    }
    const o = k * FM;
    const n = m[o] + frameBase;
    e.advanceFragments(n);
    e.replayFragment(n, m[o + 1], m[o + 2], m[o + 3], m[o + 4] === 1, m[o + 5], m[o + 6], m[o + 7] as DirectionCode,
      p.fragBytes.subarray(p.fragStarts[k], p.fragStarts[k + 1]));
    k++;
  }
  e.advanceFragments(frameBase + p.frames);
}

/** A chunk's warnings renumbered into the merged frame numbering. */
export function shiftWarnings(ws: readonly CaptureWarning[], frameBase: number): CaptureWarning[] {
  return ws.map((w) => (w.frame > 0 ? { ...w, frame: w.frame + frameBase } : w));
}

const MAX_WARNINGS = 100;

/**
 * Warnings of all chunks in file order, as one reader would report them: "(reported once)" warnings
 * kept once, the list capped with the same closing note.
 */
export function mergeWarnings(ws: readonly CaptureWarning[]): CaptureWarning[] {
  const seen = new Set<string>();
  const out: CaptureWarning[] = [];
  let extra: CaptureWarning | null = null;
  for (const w of ws) {
    if (w.message.includes('further warnings suppressed')) continue;
    if (w.message.endsWith('(reported once)')) {
      const key = w.message.replace(/\d+/g, '#');
      if (seen.has(key)) continue;
      seen.add(key);
    }
    if (out.length < MAX_WARNINGS) out.push(w);
    else if (extra === null) extra = { ...w, message: `more than ${MAX_WARNINGS} warnings; further warnings suppressed` };
  }
  if (extra !== null) out.push(extra);
  return out;
}
