// The Hosts report: per sending host (outer source address, direction), its verdict counts per check and a
// diagnosis in words from the verdict pattern, telling a host whose NIC computes checksums wrongly from one
// captured before its NIC filled them in, from what the RFCs allow. Each finding names the frames it rests on.
import { CHECK_KINDS, CHECK_NAMES, CHECK_SLOTS, CK_IPV4, CK_TCP, CK_UDP, V_BAD, V_GOOD, V_PARTIAL, V_UNVERIFIED, V_ZERO } from '../summary.ts';
import type { FrameIndex } from './frame-index.ts';
import { directionOf, HostTable } from './host-table.ts';
import { PF_CHECKSUM_NOT_READY, PF_TSO } from './frame-meta.ts';
import { badSegmentSamples, retransmittedByHostKey } from './retransmitted.ts';
import { NO_FIGURES, type RetransmitFigures } from './tcp-retransmit.ts';
import type { HostJson, VerdictCounts } from './types.ts';

export type FindingKind = 'offload-suspect' | 'bad-common' | 'tx-offload' | 'rx-unfilled' | 'zero-header' | 'zero-required'
  | 'no-checksum' | 'unverified' | 'clean' | 'retransmitted';

export interface HostFinding {
  kind: FindingKind;
  /** The check it is about (`inner.tcp`), or null for the host as a whole. */
  check: string | null;
  text: string;
  /** The first frames it rests on. */
  frames: number[];
}

export interface HostStats {
  address: string;
  direction: 'in' | 'out' | null;
  frames: number;
  bytes: number;
  /** Frames with a bad verdict, with a partial one (as the status bar counts). */
  bad: number;
  partial: number;
  checks: Record<string, VerdictCounts>;
  /** Bad frames over all frames. */
  badRate: number;
  firstBad: number | null;
  lastBad: number | null;
  /** Tenant keys seen behind this host. */
  tenants: string[];
  diagnosis: HostFinding[];
  /** Of the TCP segments with a bad checksum this host sent, how many were sent again, and the median delay. */
  retransmitted: RetransmitFigures;
  /** The display filter that selects this host's frames. */
  filter: string;
}

const DIR_TEXT = [null, 'in', 'out'] as const;

function pct(part: number, whole: number): string {
  const p = (100 * part) / Math.max(1, whole);
  return p >= 99.95 ? '100%' : p >= 10 ? `${p.toFixed(0)}%` : `${p.toFixed(1)}%`;
}

function counts(t: HostTable, h: number, slot: number): VerdictCounts {
  const v = t.slotCounts(h, slot);
  return { good: v[V_GOOD], bad: v[V_BAD], partial: v[V_PARTIAL], zero: v[V_ZERO], unverified: v[V_UNVERIFIED], noChecksum: v[0] };
}

/** The display filter of a host's frames: its address as the first IP layer's source, and its direction. */
export function hostFilter(address: string, direction: 'in' | 'out' | null): string {
  const f = `${address.includes(':') ? 'ipv6' : 'ip'}.src#1 == ${address}`;
  return direction === null ? f : `${f} && frame.packet_flags_direction == ${direction === 'in' ? 1 : 2}`;
}

/**
 * Every host, worst first: by bad frames, then partial frames, then frames (of `t`: the engine's by default);
 * `match` (store index -> 1), when given, is the display filter `t` was counted from.
 */
export function hostStats(e: FrameIndex, t: HostTable = e.hosts, match?: Uint8Array): HostStats[] {
  const out: HostStats[] = [];
  const retx = retransmittedByHostKey(e, match);
  const retxFrames = badSegmentSamples(e, match);
  // Which hosts carry each check, and which of them have it bad: "this host alone" needs the others.
  const carriers = new Float64Array(CHECK_SLOTS);
  const badHosts = new Float64Array(CHECK_SLOTS);
  for (let h = 0; h < t.count; h++) {
    for (let slot = 0; slot < CHECK_SLOTS; slot++) {
      const v = t.slotCounts(h, slot);
      if (v[V_GOOD] + v[V_BAD] + v[V_PARTIAL] + v[V_ZERO] + v[V_UNVERIFIED] > 0) carriers[slot]++;
      if (v[V_BAD] > 0) badHosts[slot]++;
    }
  }
  for (let h = 0; h < t.count; h++) {
    const address = e.addrs.text(t.addr[h]);
    const direction = DIR_TEXT[t.dir[h]];
    const checks: Record<string, VerdictCounts> = {};
    for (let slot = 0; slot < CHECK_SLOTS; slot++) {
      const c = counts(t, h, slot);
      if (c.good + c.bad + c.partial + c.zero + c.unverified > 0) checks[CHECK_NAMES[slot]] = c;
    }
    out.push({
      address, direction, frames: t.frames[h], bytes: t.bytes[h], bad: t.bad[h], partial: t.partial[h], checks,
      badRate: t.frames[h] > 0 ? t.bad[h] / t.frames[h] : 0,
      firstBad: t.firstBad[h] > 0 ? t.firstBad[h] : null, lastBad: t.lastBad[h] > 0 ? t.lastBad[h] : null,
      tenants: [...t.tenants[h]].map((id) => e.tenants.key(id)).sort(),
      diagnosis: diagnose(t, h, direction, carriers, badHosts),
      retransmitted: retx.get(t.addr[h] * 4 + t.dir[h]) ?? { ...NO_FIGURES },
      filter: hostFilter(address, direction),
    });
  }
  for (let h = 0; h < out.length; h++) costOf(out[h], retxFrames.get(t.addr[h] * 4 + t.dir[h]) ?? []);
  return out.sort((a, b) => b.bad - a.bad || b.partial - a.partial || b.frames - a.frames
    || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0) || (a.direction ?? '').localeCompare(b.direction ?? ''));
}

/** What the host's bad TCP checksums cost, after the finding about them (none without a bad segment). */
function costOf(h: HostStats, frames: number[]): void {
  const r = h.retransmitted;
  if (r.badSegments === 0) return;
  const segs = `${r.badSegments} TCP segment${r.badSegments === 1 ? '' : 's'} with a bad checksum`;
  const text = r.retransmitted === 0 || r.medianDelayMs === null
    ? `none of its ${segs} was sent again in this capture`
    : `of its ${segs}, ${r.retransmitted} ${r.retransmitted === 1 ? 'was' : 'were'} retransmitted (the receiver dropped ${r.retransmitted === 1 ? 'it' : 'them'}), adding ${msText(r.medianDelayMs)} in the median`;
  const at = h.diagnosis.findIndex((f) => f.kind !== 'offload-suspect' && f.kind !== 'bad-common');
  h.diagnosis.splice(at < 0 ? h.diagnosis.length : at, 0, { kind: 'retransmitted', check: null, frames, text });
}

function msText(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10000 ? 0 : 1)} s` : ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(ms >= 1 ? 1 : 3)} ms`;
}

function checkText(slot: number): string {
  const kind = slot % CHECK_KINDS;
  const depth = Math.floor(slot / CHECK_KINDS);
  const name = kind === CK_IPV4 ? 'IPv4 header' : ['', 'TCP', 'UDP', 'GRE', 'ICMP', 'ICMPv6'][kind];
  return `${depth === 0 ? '' : depth === 1 ? 'inner ' : 'inner-inner '}${name}`;
}

/** What the verdict pattern of host h says, per check, most urgent first. */
function diagnose(t: HostTable, h: number, direction: 'in' | 'out' | null, carriers: Float64Array, badHosts: Float64Array): HostFinding[] {
  const out: HostFinding[] = [];
  for (let slot = 0; slot < CHECK_SLOTS; slot++) {
    const v = t.slotCounts(h, slot);
    const good = v[V_GOOD], bad = v[V_BAD], partial = v[V_PARTIAL], zero = v[V_ZERO], unver = v[V_UNVERIFIED], allowed = v[0];
    const total = good + bad + partial + zero + unver;
    if (total === 0) continue;
    const name = CHECK_NAMES[slot];
    const what = checkText(slot);
    const kind = slot % CHECK_KINDS;
    if (bad > 0) {
      const frames = t.sampleOf(h, slot, V_BAD);
      const others = carriers[slot] - 1;
      if (badHosts[slot] === 1 && others > 0) {
        out.push({
          kind: 'offload-suspect', check: name, frames,
          text: `bad on ${pct(bad, total)} of ${what} checksums from this host alone (${bad} of ${total}), every other host clean: suspect this host's NIC offload (a capture on the receiving side too tells it from corruption on the path)`,
        });
      } else {
        out.push({
          kind: 'bad-common', check: name, frames,
          text: others > 0
            ? `bad on ${pct(bad, total)} of ${what} checksums (${bad} of ${total}); ${badHosts[slot] - 1} other host${badHosts[slot] === 2 ? '' : 's'} too: a cause they share (a device on the path, the capture point)`
            : `bad on ${pct(bad, total)} of ${what} checksums (${bad} of ${total}): the only host sending them, so this capture alone cannot tell its NIC from the path`,
        });
      }
    }
    if (partial > 0 && (kind === CK_TCP || kind === CK_UDP || kind === 5)) {
      const frames = t.sampleOf(h, slot, V_PARTIAL);
      const share = partial / (good + partial + bad);
      const every = share >= 0.999 ? 'every' : `${pct(partial, good + partial + bad)} of the`;
      const sums = share >= 0.999 ? 'checksum' : 'checksums';
      out.push(t.expected[h] >= t.partial[h]
        ? {
          kind: 'tx-offload', check: name, frames,
          text: `partial on ${every} ${what} ${sums}, on frames the capture marks "checksum not ready" or super-frames (TSO/GSO, captured before the NIC segmented them): expected: not a fault`,
        }
        : direction === 'in'
        ? {
          kind: 'rx-unfilled', check: name, frames,
          text: `partial on ${every} ${what} ${sums} received: they came from a sender whose checksum was never filled in (a virtual switch path with offload), not from the wire: not a fault of this host`,
        }
        : {
          kind: 'tx-offload', check: name, frames,
          text: `partial on ${every} ${what} ${sums}: captured on this host before its NIC filled the checksums in (transmit offload on): not a fault`,
        });
    }
    const required = zero - allowed;
    if (required > 0) {
      const frames = t.sampleOf(h, slot, V_ZERO);
      out.push(kind === CK_IPV4
        ? {
          kind: 'zero-header', check: name, frames,
          text: `${what} checksum zero on ${pct(required, total)} (${required} of ${total}): captured before the NIC computed it (header checksum offload)${direction === 'in' ? '; on received frames this is a fault' : ': not a fault when captured on the sender'}`,
        }
        : {
          kind: 'zero-required', check: name, frames,
          text: `${what} checksum zero on ${required} of ${total} where one is required: never filled in (offload pending), or a sender that skips it`,
        });
    }
    if (allowed > 0) {
      out.push({
        kind: 'no-checksum', check: name, frames: [],
        text: `${what} checksum zero on ${pct(allowed, total)} (${allowed}): "no checksum", which UDP over IPv4 allows (RFC 768; RFC 7348 recommends it for VXLAN, RFC 8926 allows it for Geneve): no finding`,
      });
    }
    if (unver > 0 && unver === total) {
      out.push({
        kind: 'unverified', check: name, frames: t.sampleOf(h, slot, V_UNVERIFIED),
        text: `${what} checksums could not be verified (${unver}): bytes missing (snaplen) or fragments never reassembled`,
      });
    }
  }
  const order: Record<FindingKind, number> = {
    'offload-suspect': 0, 'bad-common': 1, 'zero-required': 2, 'zero-header': 3, 'rx-unfilled': 4, 'tx-offload': 5,
    unverified: 6, 'no-checksum': 7, clean: 8, retransmitted: 1,
  };
  out.sort((a, b) => order[a.kind] - order[b.kind]);
  if (!out.some((f) => order[f.kind] <= order['tx-offload'])) {
    out.unshift({ kind: 'clean', check: null, frames: [], text: `no checksum finding in its ${t.frames[h]} frames` });
  }
  return out;
}

/** The hosts of the frames `match` selects (match[i] === 1), counted afresh from the frame index. */
export function subsetHosts(e: FrameIndex, match: Uint8Array): HostStats[] {
  const st = e.store;
  const t = new HostTable();
  const checks = new Uint8Array(CHECK_SLOTS);
  for (let i = 0; i < st.count; i++) {
    if (match[i] !== 1) continue;
    const addr = st.depth[i] > 0 ? st.outerSrc[i] : st.innerSrcOf(i);
    if (addr < 0) continue;
    const h = t.lookup(addr, directionOf(e.packetExtras(i + 1).flags));
    const mask = st.checkMaskOf(i);
    const bad = st.badMaskOf(i), partial = st.partialMaskOf(i), zero = st.zeroMaskOf(i), unver = st.unverMaskOf(i);
    let allowed = 0;
    for (let m = mask; m !== 0;) {
      const slot = 31 - Math.clz32(m);
      const bit = 1 << slot;
      m &= ~bit;
      checks[slot] = bad & bit ? V_BAD : partial & bit ? V_PARTIAL : zero & bit ? V_ZERO : unver & bit ? V_UNVERIFIED : V_GOOD;
      if ((zero & bit) !== 0 && e.benignZero(i, slot)) allowed |= bit;
    }
    const pf = e.packetExtras(i + 1).flags;
    const expected = partial !== 0 && ((pf & (PF_CHECKSUM_NOT_READY | PF_TSO)) !== 0 || e.isSuperframe(i));
    t.note(h, i + 1, st.caplen[i], checks, mask, allowed, bad !== 0, partial !== 0, expected, st.tenant[i]);
  }
  return hostStats(e, t, match);
}

/** A host as the CLI's summary writes it: the contract's keys first. */
export function hostJson(h: HostStats): HostJson {
  return {
    address: h.address, direction: h.direction, frames: h.frames, bad: h.bad, partial: h.partial, checks: h.checks,
    diagnosis: h.diagnosis, retransmitted: h.retransmitted, bytes: h.bytes, badRate: h.badRate, firstBad: h.firstBad, lastBad: h.lastBad, tenants: h.tenants,
    filter: h.filter,
  };
}

export interface HostTimelines {
  /** Start of the first bucket (seconds since 1970) and the bucket width. */
  startSec: number;
  bucketSec: number;
  /** Per host, in hostStats order: bad frames per bucket. */
  hosts: Array<{ address: string; direction: 'in' | 'out' | null; bad: number[] }>;
}

/** Bad frames per time bucket for every host (a scan of the frame index: call it when shown, not per frame). */
export function hostTimelines(e: FrameIndex, buckets: number): HostTimelines {
  const hosts = hostStats(e);
  const n = Math.max(1, Math.min(200, Math.floor(buckets)));
  if (Number.isNaN(e.minSec) || !e.retainsFrames) return { startSec: 0, bucketSec: 0, hosts: hosts.map((h) => ({ address: h.address, direction: h.direction, bad: [] })) };
  const start = e.minSec + e.minNsec / 1e9;
  const span = Math.max(1e-9, e.maxSec + e.maxNsec / 1e9 - start);
  const width = span / n;
  const rowOf = new Map<number, number>();
  const t = e.hosts;
  const order = new Map(hosts.map((h, k) => [`${h.address}/${h.direction}`, k]));
  for (let h = 0; h < t.count; h++) rowOf.set(h, order.get(`${e.addrs.text(t.addr[h])}/${DIR_TEXT[t.dir[h]]}`) ?? -1);
  const out = hosts.map((h) => ({ address: h.address, direction: h.direction, bad: new Array<number>(n).fill(0) }));
  const st = e.store;
  const count = e.settledCount;
  for (let i = 0; i < count; i++) {
    if (st.badMaskOf(i) === 0 || !st.hasTimeOf(i)) continue;
    const addr = st.depth[i] > 0 ? st.outerSrc[i] : st.innerSrcOf(i);
    if (addr < 0) continue;
    const h = t.lookup(addr, directionOf(e.packetExtras(i + 1).flags));
    const row = rowOf.get(h) ?? -1;
    if (row < 0) continue;
    const b = Math.min(n - 1, Math.floor((st.secOf(i) + st.nsecOf(i) / 1e9 - start) / width));
    out[row].bad[b]++;
  }
  return { startSec: start, bucketSec: width, hosts: out };
}
