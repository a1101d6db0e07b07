// Result shapes of the analysis engine (decoders/analysis/engine.ts). Plain data: they cross the
// worker boundary by structured clone and are printed by the CLI as JSON.
import type { CaptureFormat, CaptureWarning } from '../capture/types.ts';
import type { EncapName, VerdictName } from '../summary.ts';
import type { RetransmitFigures } from './tcp-retransmit.ts';

export interface VerdictCounts {
  good: number; bad: number; partial: number; zero: number; unverified: number;
  /** Of the `zero` verdicts, those that are UDP-over-IPv4 "no checksum" (allowed, no finding). */
  noChecksum: number;
}

/** The status bar's counts (Engine.status). */
export interface StatusCounts {
  frames: number;
  /** Frames matching the view. */
  shown: number;
  tenants: number;
  /** Frames with at least one bad verdict / at least one partial verdict. */
  bad: number;
  partial: number;
}

export interface TenantStats {
  /** Stable key `<encap>:<vnid>`, e.g. `nvgre:5001`. */
  key: string;
  encap: EncapName;
  /** VSID/VNI; null for plain GRE (which has no tenant id). */
  vnid: number | null;
  frames: number;
  bytes: number;
  flows: number;
  /** Frames with at least one bad verdict / at least one partial verdict. */
  bad: number;
  partial: number;
  /** ISO times with nanoseconds, or null when the capture has no timestamps. */
  firstTime: string | null;
  lastTime: string | null;
  /** Of its TCP segments with a bad checksum, those sent again and the median delay (retransmitted.ts). */
  retransmitted: RetransmitFigures;
}

export interface FlowStats {
  tenant: string | null; // tenant key, null for plain traffic
  /** Both directions together; a/b are the endpoints as first seen. */
  proto: string; // 'tcp' | 'udp' | 'icmp' | 'icmpv6' | number as text
  a: string;
  aPort: number | null;
  b: string;
  bPort: number | null;
  frames: number;
  bytes: number;
  bad: number;
  partial: number;
  firstFrame: number;
  lastFrame: number;
}

export interface OffloadGroup {
  /** Check name, e.g. `inner.tcp`. */
  check: string;
  verdict: 'bad' | 'partial' | 'zero';
  /** Outer source address (the sending host / NIC), or the IP source for plain traffic. */
  source: string;
  frames: number;
  /** First few frame numbers, for jumping there. */
  sample: number[];
}

export interface OffloadReport {
  /** Checks with a finding: bad, partial, or a zero that is not UDP-over-IPv4 "no checksum". */
  groups: OffloadGroup[];
  /**
   * Frames with at least one such verdict (a frame with two counts once): `bad` are the flagged frames
   * (Export > Flagged frames, the CLI's `flagged`).
   */
  frames: { bad: number; partial: number; zero: number };
  /** UDP-over-IPv4 checksums of 0 ("no checksum", allowed): no finding, in no group. */
  noChecksum: number;
  /**
   * What the capture says itself: frames with a partial checksum whose pcapng epb_flags mark the checksum "not
   * ready" (offload pending: expected, `checksum.partial && frame.flags.checksum_not_ready == 1`), and super-frames
   * (`frame.superframe`: larger than the link carries, captured before segmentation offload or after receive
   * coalescing).
   */
  capture: { notReady: number; superframes: number };
  /** One line per verdict explaining what it means. */
  explanations: Record<'bad' | 'partial' | 'zero' | 'noChecksum' | 'unverified', string>;
}

export interface TimeSeries {
  /** Bucket width in seconds and start time (seconds since epoch, float). */
  bucketSec: number;
  startSec: number;
  /** The start exactly: the earliest timestamp, ISO 8601 with nanoseconds (null without timestamps). */
  startTime: string | null;
  /** Tenant keys shown as their own series (top N by bytes); everything else is `other`. */
  series: string[];
  /** buckets[i] = { t: seconds from start, bytes per series key, bad, partial }. */
  buckets: Array<{ t: number; bytes: Record<string, number>; bad: number; partial: number }>;
}

/** The CLI's default JSON output (issue 2 contract). */
export interface CaptureSummaryJson {
  file: string;
  format: CaptureFormat;
  frames: number;
  bytes: number;
  firstTime: string | null;
  lastTime: string | null;
  tenants: Array<{
    encap: EncapName; vnid: number | null; frames: number; bytes: number; flows: number; bad: number; partial: number;
    retransmitted: RetransmitFigures;
  }>;
  checks: Record<string, VerdictCounts>;
  flagged: number[];
  warnings: CaptureWarning[];
  /**
   * IP reassembly: frames that were fragments, datagrams they made up (complete or not), and how many of
   * those never completed (a fragment missing, the capture ended, a bound reached).
   */
  fragments: { frames: number; datagrams: number; incomplete: number };
  /** MTU diagnosis, one entry per host with findings (decoders/analysis/mtu.ts, README "MTU diagnosis"). */
  mtu: MtuFinding[];
  /** Sending hosts with their verdicts and diagnosis, worst first (decoders/analysis/hosts.ts, README "Hosts"). */
  hosts: HostJson[];
}

/** One host of the CLI summary (decoders/analysis/hosts.ts hostJson): the contract's keys first. */
export interface HostJson {
  address: string;
  direction: 'in' | 'out' | null;
  frames: number;
  bad: number;
  partial: number;
  checks: Record<string, VerdictCounts>;
  diagnosis: Array<{ kind: string; check: string | null; text: string; frames: number[] }>;
  /** Of the TCP segments with a bad checksum it sent, how many were sent again, and the median delay. */
  retransmitted: RetransmitFigures;
  bytes: number;
  badRate: number;
  firstBad: number | null;
  lastBad: number | null;
  tenants: string[];
  filter: string;
}

/**
 * The MTU diagnosis of one host: the outer (underlay) source address of encapsulated packets (for ICMP, the
 * address the message is sent to). Lengths are IP packet lengths in bytes; null where nothing measured them.
 */
export interface MtuFinding {
  host: string;
  /** The encapsulation of its fragmented packets (the most common), null when unknown or IP-in-IP. */
  encap: EncapName | null;
  /** Encapsulated packets the underlay fragmented and that were reassembled; those never completed. */
  fragmented: number;
  incomplete: number;
  /** Tenant packets inside its tunnels that arrived already fragmented (complete or not). */
  tenantFragmented: number;
  /** The largest inner IP packet among the fragmented ones, the encapsulation overhead (most common), the largest outer packet. */
  largestInner: number | null;
  overhead: number | null;
  needed: number | null;
  /** The largest fragment seen: what the underlay carried (a lower bound of its MTU). */
  underlayMtu: number | null;
  /** ICMP "fragmentation needed" / ICMPv6 "packet too big" sent to it, and the distinct MTUs they report. */
  icmp: { count: number; mtus: number[] };
  advice: string;
  /** Frames of each count: what the display filter of that count (mtuFilter) selects. */
  frames: { fragmented: number; incomplete: number; tenantFragmented: number; icmp: number };
}

/** The CLI's --frames NDJSON line (issue 2 contract). */
export interface FrameJson {
  n: number;
  time: string | null;
  caplen: number;
  len: number;
  encap: EncapName | null;
  vnid: number | null;
  flowId: number | null;
  outer: { src: string; dst: string } | null;
  inner: { src: string; dst: string; proto: string; sport: number | null; dport: number | null } | null;
  checks: Record<string, VerdictName>;
  /**
   * For an IP fragment: the frame that reassembled its datagram (this frame's own number when it completed
   * it); null for a frame that is no fragment, or whose datagram never completed.
   */
  reassembledIn: number | null;
  /** The pcapng epb_flags direction: `in`, `out`, or null (no flags word, or no direction in it). */
  direction: 'in' | 'out' | null;
  /** A super-frame: larger than the link carries, captured before the NIC segmented it or after it merged segments. */
  superframe: boolean;
}
