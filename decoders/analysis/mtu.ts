// MTU diagnosis: which hosts send encapsulated packets the underlay has to fragment, by how much they are too
// big, and what would fix it. Encapsulation adds 42 bytes (NVGRE over IPv4: outer IPv4 20 + GRE with key 8 +
// inner Ethernet 14) or 50 (VXLAN/Geneve over IPv4: 20 + UDP 8 + 8 + 14; Geneve options add to it; over IPv6
// 20 more): where the underlay has no jumbo frames and the tenants keep an MTU of 1500, the encapsulating host
// fragments the outer packet.
//
// Definitions (README "MTU diagnosis"):
// - host: the outer (underlay) source address of the encapsulated packet, the host that encapsulated it;
// - fragmented: datagrams fragmented at tunnel depth 0 (the underlay's IP layer) whose reassembled content
//   carries a tunnel; incomplete: such datagrams that never completed (only those whose first fragment came,
//   since it alone shows the tunnel header); tenantFragmented: datagrams fragmented inside a tunnel (depth >= 1),
//   a tenant's packets arriving already fragmented, complete or not;
// - overhead: the outer IP packet's length minus the innermost IP packet's, per reassembled datagram (the most
//   common value per host); largestInner: the largest innermost IP packet among them; needed: the largest
//   outer IP packet among them (largestInner + overhead for a host with one encapsulation);
// - underlayMtu: the largest fragment (its IP total length) of the host's fragmented datagrams, complete or not;
// - icmp: ICMP "fragmentation needed" and ICMPv6 "packet too big" outside any tunnel, whose IP header is the
//   frame's first (no tunnel, no AH or IPv6 extension header in front), per destination (the host being told),
//   with the MTUs they report (0, "not given" by routers older than RFC 1191, is not listed).
// Only fragment frames and such ICMP messages come here: nothing on the per-frame path allocates.

import type { EncapName, Summary } from '../summary.ts';
import { encapName } from '../layers/index.ts';
import { ipv4Str, ipv6Str } from '../layers/tree.ts';
import type { MtuFinding } from './types.ts';

export type MtuKind = 'underlay' | 'incomplete' | 'tenant';

/** What one fragmented datagram says about its host (kept on DatagramRecord.mtu for --filter summaries). */
export interface MtuObservation {
  kind: MtuKind;
  host: string;
  /** Sorts hosts by family, then address bytes. */
  key: string;
  encap: EncapName | null;
  /** The outer IP packet as sent before fragmentation, and the innermost IP packet it carries; -1 unknown. */
  outerLen: number;
  innerLen: number;
  /** The largest fragment's IP total length (underlay kinds); -1 for tenant fragments. */
  maxFragment: number;
  /** Frames that held its fragments (what tunnel.fragmented.* marks). */
  frames: number;
}

/** The parts of a fragment's decode an observation reads (FragmentStage's Decoded). */
export interface FragmentDecode {
  s: Summary;
  buf: Uint8Array;
}

interface HostTally {
  host: string;
  key: string;
  fragmented: number;
  incomplete: number;
  tenant: number;
  /** Frames of those datagrams, per kind. */
  fragmentedFrames: number;
  incompleteFrames: number;
  tenantFrames: number;
  /** Encapsulation name ('' for none known) and overhead -> datagrams. */
  encaps: Map<string, number>;
  overheads: Map<number, number>;
  largestInner: number;
  needed: number;
  underlayMtu: number;
  icmp: number;
  icmpMtus: Map<number, number>;
}

/** A tally as plain data (a parallel chunk's, for the merging engine), ICMP messages by frame included. */
export interface MtuPart {
  hosts: Array<{
    host: string; key: string; fragmented: number; incomplete: number; tenant: number;
    fragmentedFrames: number; incompleteFrames: number; tenantFrames: number; encaps: Array<[string, number]>;
    overheads: Array<[number, number]>; largestInner: number; needed: number; underlayMtu: number; icmp: number; icmpMtus: Array<[number, number]>;
  }>;
  icmpLog: IcmpEntry[];
}

export interface IcmpEntry {
  n: number;
  host: string;
  key: string;
  mtu: number;
}

export class MtuTally {
  private readonly hosts = new Map<string, HostTally>();
  /** Every ICMP message counted, by frame: only when frames are kept (a --filter summary selects them). */
  readonly icmpLog: IcmpEntry[] = [];

  constructor(private readonly keepLog = true) {}

  /** Counts a fragmented datagram (FragmentStage, when it completes or is given up). */
  addDatagram(o: MtuObservation): void {
    const h = this.host(o.host, o.key);
    bump(h.encaps, o.encap ?? '', 1);
    if (o.kind === 'tenant') {
      h.tenant++;
      h.tenantFrames += o.frames;
      return;
    }
    if (o.kind === 'underlay') { h.fragmented++; h.fragmentedFrames += o.frames; }
    else { h.incomplete++; h.incompleteFrames += o.frames; }
    if (o.maxFragment > h.underlayMtu) h.underlayMtu = o.maxFragment;
    if (o.kind !== 'underlay' || o.outerLen < 0) return;
    if (o.outerLen > h.needed) h.needed = o.outerLen;
    if (o.innerLen >= 0) {
      if (o.innerLen > h.largestInner) h.largestInner = o.innerLen;
      bump(h.overheads, o.outerLen - o.innerLen, 1);
    }
  }

  /**
   * Frame n is an N_MTU_SIGNAL message, decoded as s from b (offsets from `base`): counted when its IP header is
   * the frame's first, for the address it is sent to.
   */
  addIcmp(n: number, s: Summary, b: Uint8Array, base: number): void {
    if (s.outerProto !== (s.outerFamily === 6 ? 58 : 1)) return;
    const { host, key } = address(b, base + s.outerDstOff, s.outerFamily);
    this.icmp(n, host, key, s.icmpMtu);
  }

  private icmp(n: number, host: string, key: string, mtu: number): void {
    const h = this.host(host, key);
    h.icmp++;
    if (mtu > 0) bump(h.icmpMtus, mtu, 1);
    if (this.keepLog) this.icmpLog.push({ n, host, key, mtu });
  }

  /** An entry of another tally's log (a --filter summary rebuilds the tally of the frames it selects). */
  addIcmpEntry(e: IcmpEntry): void {
    this.icmp(e.n, e.host, e.key, e.mtu);
  }

  get empty(): boolean {
    return this.hosts.size === 0;
  }

  part(): MtuPart {
    return {
      hosts: [...this.hosts.values()].map((h) => ({
        ...h, encaps: [...h.encaps], overheads: [...h.overheads], icmpMtus: [...h.icmpMtus],
      })),
      icmpLog: this.icmpLog.slice(),
    };
  }

  /** Adds a chunk's tally; its frames are numbered from frameBase + 1 here. */
  merge(p: MtuPart, frameBase: number): void {
    for (const x of p.hosts) {
      const h = this.host(x.host, x.key);
      h.fragmented += x.fragmented;
      h.incomplete += x.incomplete;
      h.tenant += x.tenant;
      h.fragmentedFrames += x.fragmentedFrames;
      h.incompleteFrames += x.incompleteFrames;
      h.tenantFrames += x.tenantFrames;
      for (const [k, v] of x.encaps) bump(h.encaps, k, v);
      for (const [k, v] of x.overheads) bump(h.overheads, k, v);
      h.largestInner = Math.max(h.largestInner, x.largestInner);
      h.needed = Math.max(h.needed, x.needed);
      h.underlayMtu = Math.max(h.underlayMtu, x.underlayMtu);
      h.icmp += x.icmp;
      for (const [k, v] of x.icmpMtus) bump(h.icmpMtus, k, v);
    }
    if (this.keepLog) for (const e of p.icmpLog) this.icmpLog.push({ ...e, n: e.n + frameBase });
  }

  /** One entry per host, most fragmented first (then incomplete, tenant fragments, ICMP; then by address). */
  report(): MtuFinding[] {
    const hs = [...this.hosts.values()].sort((a, b) => b.fragmented - a.fragmented || b.incomplete - a.incomplete
      || b.tenant - a.tenant || b.icmp - a.icmp || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return hs.map(finding);
  }

  private host(host: string, key: string): HostTally {
    let h = this.hosts.get(key);
    if (h === undefined) {
      h = {
        host, key, fragmented: 0, incomplete: 0, tenant: 0, fragmentedFrames: 0, incompleteFrames: 0, tenantFrames: 0, encaps: new Map(), overheads: new Map(),
        largestInner: -1, needed: -1, underlayMtu: -1, icmp: 0, icmpMtus: new Map(),
      };
      this.hosts.set(key, h);
    }
    return h;
  }
}

function bump<K>(m: Map<K, number>, k: K, by: number): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

/** The most frequent key; ties go to the larger key (the safer overhead, a fixed order for names). */
function mostCommon<K extends string | number>(m: Map<K, number>): K | null {
  let best: K | null = null, count = 0;
  for (const [k, v] of m) if (v > count || (v === count && best !== null && k > best)) { best = k; count = v; }
  return best;
}

/** Address text and sort key of the family-`family` address at b[off]. */
function address(b: Uint8Array, off: number, family: number): { host: string; key: string } {
  const len = family === 6 ? 16 : 4;
  let key = `${family}:`;
  for (let i = 0; i < len; i++) key += b[off + i].toString(16).padStart(2, '0');
  return { host: family === 6 ? ipv6Str(b, off) : ipv4Str(b, off), key };
}

/** Total length of the IP packet whose source address is at b[srcOff] (IPv4: at 12; IPv6: at 8). */
function ipLength(b: Uint8Array, srcOff: number, family: number): number {
  if (family === 6) {
    const p = srcOff - 8;
    return p >= 0 && p + 6 <= b.length ? 40 + ((b[p + 4] << 8) | b[p + 5]) : -1;
  }
  const p = srcOff - 12;
  return p >= 0 && p + 4 <= b.length ? (b[p + 2] << 8) | b[p + 3] : -1;
}

/** A fragment's IP total length: its header (and IPv6 extension headers) and the payload it declares. */
function fragmentLength(s: Summary): number {
  return s.fragPayOff - s.fragIpOff + s.fragDeclLen;
}

/**
 * What a datagram that completed says: `frags` are its fragments' decodes, `whole` the decode of the
 * reassembled buffer `buf`, `total` the reassembled payload length. Null when it tells nothing about MTUs
 * (an underlay datagram that carries no tunnel).
 */
export function completedObservation(frags: readonly FragmentDecode[], frames: number, whole: Summary, buf: Uint8Array, total: number): MtuObservation | null {
  const first = frags[0];
  const s = first.s;
  if (s.fragDepth > 0) return tenantObservation(first, frames);
  if (whole.depth <= s.fragDepth) return null;
  const { host, key } = address(first.buf, s.fragSrcOff, s.fragFamily);
  // The unfragmented packet's header: without the IPv6 fragment header the fragments carry.
  const header = s.fragPayOff - s.fragIpOff - (s.fragFamily === 6 ? 8 : 0);
  const inner = whole.innerFamily !== 0 && whole.innerSrcOff !== whole.outerSrcOff ? ipLength(buf, whole.innerSrcOff, whole.innerFamily) : -1;
  let maxFragment = 0;
  for (const f of frags) maxFragment = Math.max(maxFragment, fragmentLength(f.s));
  return { kind: 'underlay', host, key, encap: encapName(whole.encap), outerLen: header + total, innerLen: inner, maxFragment, frames };
}

/**
 * What a datagram that never completed says: for the underlay's, only when its first fragment came (it alone
 * shows whether a tunnel header follows), with the largest fragment.
 */
export function incompleteObservation(frags: readonly FragmentDecode[], frames: number): MtuObservation | null {
  const s0 = frags[0].s;
  if (s0.fragDepth > 0) return tenantObservation(frags[0], frames);
  const first = frags.find((f) => f.s.fragOffset === 0);
  if (first === undefined || first.s.depth <= first.s.fragDepth) return null;
  const { host, key } = address(first.buf, first.s.fragSrcOff, first.s.fragFamily);
  let maxFragment = 0;
  for (const f of frags) maxFragment = Math.max(maxFragment, fragmentLength(f.s));
  return { kind: 'incomplete', host, key, encap: encapName(first.s.encap), outerLen: -1, innerLen: -1, maxFragment, frames };
}

/** A tenant's fragment inside a tunnel: the host is the frame's outer source. */
function tenantObservation(f: FragmentDecode, frames: number): MtuObservation | null {
  const s = f.s;
  if (s.outerFamily === 0) return null;
  const { host, key } = address(f.buf, s.outerSrcOff, s.outerFamily);
  return { kind: 'tenant', host, key, encap: encapName(s.encap), outerLen: -1, innerLen: -1, maxFragment: -1, frames };
}

const ENCAP_TEXT: Record<string, string> = { nvgre: 'NVGRE', vxlan: 'VXLAN', geneve: 'Geneve', gre: 'GRE', '': 'IP-in-IP' };

function finding(h: HostTally): MtuFinding {
  const encap = mostCommon(h.encaps);
  const overhead = mostCommon(h.overheads);
  const mtus = [...h.icmpMtus.keys()].sort((a, b) => a - b);
  const f: MtuFinding = {
    host: h.host,
    encap: encap === null || encap === '' ? null : encap as EncapName,
    fragmented: h.fragmented,
    incomplete: h.incomplete,
    tenantFragmented: h.tenant,
    largestInner: h.largestInner >= 0 ? h.largestInner : null,
    overhead,
    underlayMtu: h.underlayMtu >= 0 ? h.underlayMtu : null,
    needed: h.needed >= 0 ? h.needed : null,
    icmp: { count: h.icmp, mtus },
    advice: '',
    frames: { fragmented: h.fragmentedFrames, incomplete: h.incompleteFrames, tenantFragmented: h.tenantFrames, icmp: h.icmp },
  };
  f.advice = adviceFor(f, encap !== null ? `${ENCAP_TEXT[encap] ?? encap} over ${h.host.includes(':') ? 'IPv6' : 'IPv4'}` : 'encapsulation');
  return f;
}

const TYPICAL = 'e.g. 1542 for NVGRE, 1550 for VXLAN over IPv4 with 1500-byte tenant packets';
const OVERHEADS = '42 for NVGRE, 50 for VXLAN or Geneve over IPv4, 20 more over IPv6';

/** What would stop the fragmentation: a bigger underlay MTU, or a smaller tenant MTU. */
export function adviceFor(f: MtuFinding, encapText: string): string {
  const out: string[] = [];
  // The largest packet known to pass: the fragments the underlay carried, or what a router reported.
  const passes = Math.min(f.underlayMtu ?? Infinity, f.icmp.mtus.length > 0 ? f.icmp.mtus[0] : Infinity);
  const tenantMax = Number.isFinite(passes)
    ? (f.overhead !== null ? `${passes - f.overhead}` : `${passes} minus the encapsulation overhead (${OVERHEADS})`)
    : null;
  if (f.fragmented > 0 && f.needed !== null && f.largestInner !== null && f.overhead !== null) {
    out.push(`Underlay MTU of at least ${f.needed} (${f.largestInner}-byte inner packets + ${f.overhead} bytes of ${encapText}) or jumbo frames; or a tenant MTU of at most ${tenantMax}.`);
  } else if (f.fragmented > 0 || f.incomplete > 0 || f.icmp.count > 0) {
    out.push(`Underlay MTU of at least the tenant MTU + the encapsulation overhead (${TYPICAL}) or jumbo frames${tenantMax !== null ? `; or a tenant MTU of at most ${tenantMax}` : ''}.`);
  }
  if (f.icmp.count > 0) {
    out.push(f.icmp.mtus.length > 0
      ? `Routers on the underlay reported a next-hop MTU of ${f.icmp.mtus.join(', ')} to this host.`
      : 'Routers on the underlay told this host its packets are too big (no MTU given).');
  }
  if (f.tenantFragmented > 0) {
    out.push('Tenant packets arrive already fragmented: the tenants\' own stacks fragment them before encapsulation (an application sending more than the tenant MTU); the underlay is not the cause.');
  }
  return out.join(' ');
}

/** The display filter selecting the frames a count of a finding stands for (README "MTU diagnosis"). */
export function mtuFilter(what: 'fragmented' | 'incomplete' | 'tenantFragmented' | 'icmp', host: string): string {
  const v6 = host.includes(':');
  const ip = v6 ? 'ipv6' : 'ip';
  switch (what) {
    case 'fragmented': return `tunnel.fragmented.underlay && ${ip}.src#1 == ${host}`;
    case 'incomplete': return `tunnel.fragmented.incomplete && ${ip}.src#1 == ${host}`;
    case 'tenantFragmented': return `tunnel.fragmented.tenant && ${ip}.src#1 == ${host}`;
    case 'icmp': return v6
      ? `icmpv6.type == 2 && ipv6.nxt#1 == 58 && ipv6.dst#1 == ${host}`
      : `icmp.type == 3 && icmp.code == 4 && ip.proto#1 == 1 && ip.dst#1 == ${host}`;
  }
}
