// TCP sequence analysis per flow, with Wireshark's rules and names (tshark 4.0, epan/dissectors/packet-tcp.c:
// tcp_analyze_sequence_number and the conversation handling in dissect_tcp before it): retransmission, fast
// and spurious retransmission, out-of-order, previous segment not captured, ACKed unseen segment, duplicate
// ACK (numbered), zero window (and its probe and probe ACK), window full, window update, keep-alive (and its
// ACK), port numbers reused. Flows are ours: tenant + inner 5-tuple, so two tenants reusing the same inner
// addresses are analysed apart (Wireshark merges them into one tcp.stream).
//
// State is a few numbers per flow direction in typed arrays indexed by flow id * 2 + direction (direction 0:
// from the flow's A endpoint), grown with the flow table: the per-frame cost is a few compares and writes, and
// nothing is allocated. Wireshark's list of unacknowledged segments (for RTT, bytes in flight, the RTO frame)
// is not kept: no flag depends on it.

import type { TreeNode } from '../summary.ts';

/** Analysis flags, Wireshark's TCP_A_* values. */
export const TA_RETRANSMISSION = 0x0001;
export const TA_LOST_PACKET = 0x0002;
export const TA_ACK_LOST_PACKET = 0x0004;
export const TA_KEEP_ALIVE = 0x0008;
export const TA_DUPLICATE_ACK = 0x0010;
export const TA_ZERO_WINDOW = 0x0020;
export const TA_ZERO_WINDOW_PROBE = 0x0040;
export const TA_ZERO_WINDOW_PROBE_ACK = 0x0080;
export const TA_KEEP_ALIVE_ACK = 0x0100;
export const TA_OUT_OF_ORDER = 0x0200;
export const TA_FAST_RETRANSMISSION = 0x0400;
export const TA_WINDOW_UPDATE = 0x0800;
export const TA_WINDOW_FULL = 0x1000;
export const TA_REUSED_PORTS = 0x2000;
export const TA_SPURIOUS_RETRANSMISSION = 0x4000;

/** Segments that occupy sequence space but repeat some of it (the retransmission kinds). */
export const TA_ANY_RETRANSMISSION = TA_RETRANSMISSION | TA_FAST_RETRANSMISSION | TA_SPURIOUS_RETRANSMISSION;

export interface TcpFlagInfo {
  bit: number;
  /** Filter field (`tcp.analysis.retransmission`), with Wireshark's description as its label. */
  field: string;
  label: string;
  /** Wireshark's expert severity (its group is Sequence). */
  severity: 'Chat' | 'Note' | 'Warning';
  /** What Wireshark puts before the Info column ('' for duplicate ACKs, which carry their numbers). */
  info: string;
}

/** Every flag, in the order Wireshark prints them (tcp_print_sequence_number_analysis). */
export const TCP_FLAGS: readonly TcpFlagInfo[] = [
  { bit: TA_REUSED_PORTS, field: 'tcp.analysis.reused_ports', label: 'A new tcp session is started with the same ports as an earlier session in this trace', severity: 'Note', info: 'TCP Port numbers reused' },
  { bit: TA_RETRANSMISSION, field: 'tcp.analysis.retransmission', label: 'This frame is a (suspected) retransmission', severity: 'Note', info: 'TCP Retransmission' },
  { bit: TA_FAST_RETRANSMISSION, field: 'tcp.analysis.fast_retransmission', label: 'This frame is a (suspected) fast retransmission', severity: 'Note', info: 'TCP Fast Retransmission' },
  { bit: TA_SPURIOUS_RETRANSMISSION, field: 'tcp.analysis.spurious_retransmission', label: 'This frame is a (suspected) spurious retransmission', severity: 'Note', info: 'TCP Spurious Retransmission' },
  { bit: TA_OUT_OF_ORDER, field: 'tcp.analysis.out_of_order', label: 'This frame is a (suspected) out-of-order segment', severity: 'Warning', info: 'TCP Out-Of-Order' },
  { bit: TA_LOST_PACKET, field: 'tcp.analysis.lost_segment', label: 'Previous segment(s) not captured (common at capture start)', severity: 'Warning', info: 'TCP Previous segment not captured' },
  { bit: TA_ACK_LOST_PACKET, field: 'tcp.analysis.ack_lost_segment', label: "ACKed segment that wasn't captured (common at capture start)", severity: 'Warning', info: 'TCP ACKed unseen segment' },
  { bit: TA_WINDOW_UPDATE, field: 'tcp.analysis.window_update', label: 'TCP window update', severity: 'Chat', info: 'TCP Window Update' },
  { bit: TA_WINDOW_FULL, field: 'tcp.analysis.window_full', label: 'TCP window specified by the receiver is now completely full', severity: 'Warning', info: 'TCP Window Full' },
  { bit: TA_KEEP_ALIVE, field: 'tcp.analysis.keep_alive', label: 'TCP keep-alive segment', severity: 'Note', info: 'TCP Keep-Alive' },
  { bit: TA_KEEP_ALIVE_ACK, field: 'tcp.analysis.keep_alive_ack', label: 'ACK to a TCP keep-alive segment', severity: 'Note', info: 'TCP Keep-Alive ACK' },
  { bit: TA_DUPLICATE_ACK, field: 'tcp.analysis.duplicate_ack', label: 'This is a TCP duplicate ack', severity: 'Note', info: '' },
  { bit: TA_ZERO_WINDOW_PROBE, field: 'tcp.analysis.zero_window_probe', label: 'TCP Zero Window Probe', severity: 'Note', info: 'TCP ZeroWindowProbe' },
  { bit: TA_ZERO_WINDOW, field: 'tcp.analysis.zero_window', label: 'TCP Zero Window segment', severity: 'Warning', info: 'TCP ZeroWindow' },
  { bit: TA_ZERO_WINDOW_PROBE_ACK, field: 'tcp.analysis.zero_window_probe_ack', label: 'ACK to a TCP Zero Window Probe', severity: 'Note', info: 'TCP ZeroWindowProbeAck' },
];

/** The filter fields TCP analysis adds (registered by the TCP layer, decoders/layers/tcp.ts). */
export const TCP_ANALYSIS_FIELDS: ReadonlyArray<readonly [string, string, 'bool' | 'uint']> = [
  ['tcp.analysis', 'SEQ/ACK analysis', 'bool'],
  ['tcp.analysis.flags', 'TCP Analysis Flags', 'bool'],
  ...TCP_FLAGS.map((f) => [f.field, f.bit === TA_DUPLICATE_ACK ? 'Duplicate ACK' : f.label, 'bool'] as const),
  ['tcp.analysis.duplicate_ack_num', 'Duplicate ACK #', 'uint'],
  ['tcp.analysis.duplicate_ack_frame', 'Duplicate to the ACK in frame', 'uint'],
];

const RETRANSMISSION = TCP_FLAGS[1];

/**
 * The details of a frame's analysis as Wireshark shows them under TCP: `[SEQ/ACK analysis]`, `[TCP Analysis
 * Flags]` with an expert line per flag (a fast or spurious retransmission is a retransmission too), and a
 * duplicate ACK's number and the frame it repeats (a link).
 */
export function tcpAnalysisNode(flags: number, dup: [number, number] | null): TreeNode {
  const flagKids: TreeNode[] = [];
  const expert = (f: TcpFlagInfo, text = f.label): TreeNode => ({
    label: `[Expert Info (${f.severity}/Sequence): ${text}]`, field: f.field, raw: 1, start: 0, length: 0,
  });
  for (const f of TCP_FLAGS) {
    if ((flags & f.bit) === 0) continue;
    if (f.bit === TA_DUPLICATE_ACK) {
      flagKids.push({ label: `[${f.label}]`, field: f.field, raw: 1, start: 0, length: 0 });
      continue;
    }
    flagKids.push(expert(f));
    // As in Wireshark, tcp.analysis.retransmission selects fast and spurious retransmissions too.
    if (f.bit === TA_FAST_RETRANSMISSION || f.bit === TA_SPURIOUS_RETRANSMISSION) flagKids.push(expert(RETRANSMISSION));
  }
  const kids: TreeNode[] = [{ label: '[TCP Analysis Flags]', field: 'tcp.analysis.flags', raw: 1, start: 0, length: 0, children: flagKids }];
  if ((flags & TA_DUPLICATE_ACK) !== 0 && dup !== null) {
    kids.push({ label: `[Duplicate ACK #: ${dup[0]}]`, field: 'tcp.analysis.duplicate_ack_num', value: String(dup[0]), raw: dup[0], start: 0, length: 0 });
    kids.push({
      label: `[Duplicate to the ACK in frame: ${dup[1]}]`, field: 'tcp.analysis.duplicate_ack_frame', value: String(dup[1]), raw: dup[1],
      start: 0, length: 0, frame: dup[1],
      children: [{ label: `[Expert Info (Note/Sequence): Duplicate ACK (#${dup[0]})]`, start: 0, length: 0 }],
    });
  }
  return { label: '[SEQ/ACK analysis]', field: 'tcp.analysis', raw: 1, start: 0, length: 0, children: kids };
}

/**
 * The Info column's prefix for a frame's flags, as Wireshark builds it: each note is prepended in print
 * order, so the last printed comes first (`[TCP Window Full] [TCP Retransmission] `).
 */
export function tcpInfoPrefix(flags: number, dupNum: number, dupFrame: number): string {
  if (flags === 0) return '';
  let s = '';
  for (const f of TCP_FLAGS) {
    if ((flags & f.bit) === 0) continue;
    const note = f.bit === TA_DUPLICATE_ACK ? `TCP Dup ACK ${dupFrame}#${dupNum}` : f.info;
    s = `[${note}] ${s}`;
  }
  return s;
}

const FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10;
/**
 * Added to the TCP flags (12 bits) of a segment whose header length is below 20: Wireshark follows its
 * sequence but stops dissecting before it notes the handshake or shows any flag.
 */
export const TH_BOGUS = 0x1000;
/**
 * Added for a segment whose options go past the captured bytes: Wireshark notes the handshake up to them, stops
 * in them (no window scale check after a SYN's options) and shows no flag.
 */
export const TH_CUT = 0x2000;
const SFR = SYN | FIN | RST;

/** Sequence-space comparisons modulo 2^32 (Wireshark's GT_SEQ, LT_SEQ, LE_SEQ). */
function gtSeq(x: number, y: number): boolean { return ((y - x) | 0) < 0; }
function ltSeq(x: number, y: number): boolean { return ((x - y) | 0) < 0; }
function leSeq(x: number, y: number): boolean { return ((x - y) | 0) <= 0; }

export class TcpAnalyzer {
  private flowCap = 0;
  // Per direction (flow * 2 + dir).
  private baseSet = new Uint8Array(0);
  private baseSeq = new Uint32Array(0);
  /** Next expected sequence number, 0 while none is known (as in Wireshark). */
  private nextseq = new Uint32Array(0);
  private nextseqTime = new Float64Array(0);
  private maxseqtobeacked = new Uint32Array(0);
  private lastack = new Uint32Array(0);
  private lastackTime = new Float64Array(0);
  /** Window field as last sent (unscaled); 0xffffffff before any. */
  private window = new Uint32Array(0);
  /** Window scale shift, -1 unknown (no SYN seen), -2 no scaling. */
  private winScale = new Int8Array(0);
  private firstAck = new Uint8Array(0);
  private lastFlags = new Uint16Array(0);
  private dupacks = new Int32Array(0);
  private lastNonDup = new Float64Array(0);
  // Per flow: time of the latest SYN (NaN: none) and the handshake's round trip (0: not known).
  private mruSyn = new Float64Array(0);
  private firstRtt = new Float64Array(0);
  /** Second the analysis times count from (the first frame's), so that nanoseconds stay exact. */
  private tBase = NaN;
  /** For the last analyse() that flagged a duplicate ACK: its number and the frame it duplicates. */
  dupNum = 0;
  dupFrame = 0;

  /** Bytes of state per flow (both directions), for the memory budget. */
  static bytesPerFlow(): number {
    return 2 * (1 + 4 + 4 + 8 + 4 + 4 + 8 + 4 + 1 + 1 + 2 + 4 + 8) + 8 + 8;
  }

  private ensure(flow: number): void {
    if (flow < this.flowCap) return;
    const n = Math.max(1024, this.flowCap * 2, flow + 1);
    const d = n * 2;
    const grow = <T extends Uint8Array | Uint16Array | Uint32Array | Int8Array | Int32Array | Float64Array>(a: T, len: number, fill: number): T => {
      const x = new (a.constructor as new (k: number) => T)(len);
      x.set(a as never);
      if (fill !== 0) x.fill(fill, a.length);
      return x;
    };
    this.baseSet = grow(this.baseSet, d, 0);
    this.baseSeq = grow(this.baseSeq, d, 0);
    this.nextseq = grow(this.nextseq, d, 0);
    this.nextseqTime = grow(this.nextseqTime, d, -Infinity);
    this.maxseqtobeacked = grow(this.maxseqtobeacked, d, 0);
    this.lastack = grow(this.lastack, d, 0);
    this.lastackTime = grow(this.lastackTime, d, -Infinity);
    this.window = grow(this.window, d, 0xffffffff);
    this.winScale = grow(this.winScale, d, -1);
    this.firstAck = grow(this.firstAck, d, 0);
    this.lastFlags = grow(this.lastFlags, d, 0);
    this.dupacks = grow(this.dupacks, d, 0);
    this.lastNonDup = grow(this.lastNonDup, d, 0);
    this.mruSyn = grow(this.mruSyn, n, NaN);
    this.firstRtt = grow(this.firstRtt, n, 0);
    this.flowCap = n;
  }

  /** A new connection on the flow's addresses and ports (Wireshark: a new conversation): everything anew. */
  private reset(flow: number): void {
    for (let f = flow * 2; f < flow * 2 + 2; f++) {
      this.baseSet[f] = 0; this.baseSeq[f] = 0; this.nextseq[f] = 0; this.nextseqTime[f] = -Infinity;
      this.maxseqtobeacked[f] = 0; this.lastack[f] = 0; this.lastackTime[f] = -Infinity; this.window[f] = 0xffffffff;
      this.winScale[f] = -1; this.firstAck[f] = 0; this.lastFlags[f] = 0; this.dupacks[f] = 0; this.lastNonDup[f] = 0;
    }
    this.mruSyn[flow] = NaN;
    this.firstRtt[flow] = 0;
  }

  /** The flow's A and B endpoints were swapped (Engine.orient): so are its two directions' states. */
  swap(flow: number): void {
    if (flow >= this.flowCap) return;
    const a = flow * 2, b = a + 1;
    for (const arr of [this.baseSet, this.baseSeq, this.nextseq, this.nextseqTime, this.maxseqtobeacked, this.lastack,
      this.lastackTime, this.window, this.winScale, this.firstAck, this.lastFlags, this.dupacks, this.lastNonDup]) {
      const t = arr[a];
      arr[a] = arr[b];
      arr[b] = t;
    }
  }

  /**
   * One TCP segment of `flow` in direction `dir` (frame n, in frame order): its analysis flags (TA_*); for a
   * duplicate ACK, dupNum and dupFrame say which. `seq`, `ack` are uint32, `win` the window field as sent,
   * `segLen` the payload length (-1: unknown, the IP length does not hold the header: only the connection is
   * followed), `th` the TCP flags (with TH_BOGUS), `wscale` the shift a SYN's option announces or -1.
   */
  analyse(flow: number, dir: number, n: number, sec: number, nsec: number, seq: number, ack: number, win: number,
    segLen: number, th: number, wscale: number): number {
    this.ensure(flow);
    const bogus = (th & TH_BOGUS) !== 0;
    const cut = (th & TH_CUT) !== 0;
    th &= 0xfff;
    if (this.tBase !== this.tBase) this.tBase = sec;
    const now = (sec - this.tBase) * 1e9 + nsec;
    const f = flow * 2 + dir, r = f ^ 1;
    let A = 0;

    // dissect_tcp: a SYN whose sequence number is not the connection's first is a new connection on the same
    // ports; a SYN-ACK that differs from the first one is flagged (and becomes the base) without a new one.
    if ((th & (SYN | ACK)) === SYN && this.baseSet[f] !== 0 && seq !== this.baseSeq[f]) {
      this.reset(flow);
      A |= TA_REUSED_PORTS;
    }
    if ((th & (SYN | ACK)) === (SYN | ACK) && this.baseSet[f] !== 0 && seq !== this.baseSeq[f]) {
      this.baseSeq[f] = seq;
      A |= TA_REUSED_PORTS;
    }

    if (segLen >= 0) A = this.sequence(flow, f, r, n, now, seq, ack, win, segLen, th, A);
    if (bogus) return 0;
    this.handshake(flow, f, r, now, th, wscale, cut);
    return cut ? 0 : A;
  }

  /** Wireshark's tcp_analyze_sequence_number: the flags of one segment (A: those already found), and the state after it. */
  private sequence(flow: number, f: number, r: number, n: number, now: number, seq: number, ack: number, win: number,
    segLen: number, th: number, A: number): number {
    if (this.baseSet[f] === 0) {
      this.baseSeq[f] = (th & SYN) !== 0 ? seq : (seq - 1) >>> 0;
      this.baseSet[f] = 1;
    }
    if (this.baseSet[r] === 0 && (th & ACK) !== 0) {
      this.baseSeq[r] = (ack - 1) >>> 0;
      this.baseSet[r] = 1;
    }
    const nextseq = this.nextseq[f];
    const lastack = this.lastack[f];
    const noSFR = (th & SFR) === 0;
    fwd: {
      if (segLen === 1 && seq === nextseq && this.window[r] === 0) {
        A |= TA_ZERO_WINDOW_PROBE;
        break fwd;
      }
      if (win === 0 && noSFR) A |= TA_ZERO_WINDOW;
      if (nextseq !== 0 && gtSeq(seq, nextseq) && (th & RST) === 0) A |= TA_LOST_PACKET;
      if ((segLen === 0 || segLen === 1) && seq === ((nextseq - 1) >>> 0) && noSFR) A |= TA_KEEP_ALIVE;
      const same = segLen === 0 && seq === nextseq && ack === lastack && noSFR;
      if (same && win !== 0 && win !== this.window[f]) A |= TA_WINDOW_UPDATE;
      if (segLen > 0 && this.winScale[r] !== -1 && noSFR) {
        const shift = this.firstAck[r] !== 0 || this.winScale[r] === -2 ? 0 : this.winScale[r];
        if (((seq + segLen) >>> 0) === ((this.lastack[r] + ((this.window[r] << shift) >>> 0)) >>> 0)) A |= TA_WINDOW_FULL;
      }
      if (same && win === this.window[f]) {
        if (win !== 0 && (this.lastFlags[r] & TA_KEEP_ALIVE) !== 0) {
          A |= TA_KEEP_ALIVE_ACK;
          break fwd;
        }
        if (win === 0 && (this.lastFlags[r] & TA_ZERO_WINDOW_PROBE) !== 0) {
          A |= TA_ZERO_WINDOW_PROBE_ACK;
          break fwd;
        }
        if (win !== 0) {
          const d = this.dupacks[f] === -1 ? 1 : this.dupacks[f] + 1;
          this.dupacks[f] = d;
          A |= TA_DUPLICATE_ACK;
          this.dupNum = d;
          this.dupFrame = this.lastNonDup[f];
        }
      }
    }
    if (ack !== lastack) {
      this.lastNonDup[f] = n;
      this.dupacks[f] = 0;
    }

    // ACKed unseen segment: acknowledges past what the other direction was seen to send. When that direction
    // sent past a gap, the bound moves up to it; else the same gap is flagged once until that direction
    // changes its own ACK (tshark 4.0 compares `<` here, which the captures bear out; later versions `>`).
    const maxR = this.maxseqtobeacked[r];
    if (maxR !== 0 && gtSeq(ack, maxR) && (th & ACK) !== 0) {
      if (maxR < this.nextseq[r]) {
        this.maxseqtobeacked[r] = this.nextseq[r];
        A |= TA_ACK_LOST_PACKET;
      } else {
        if (this.dupacks[r] === 0) A |= TA_ACK_LOST_PACKET;
        this.dupacks[r] = -1;
      }
    }

    const synFin = (th & (SYN | FIN)) !== 0;
    if ((segLen > 0 || synFin) && (A & TA_KEEP_ALIVE) === 0) {
      let notAdvanced = nextseq !== 0 && ltSeq(seq, nextseq);
      // One byte below nextseq with new data after it: the previous segment may have been a window probe.
      if (segLen > 1 && ((nextseq - 1) >>> 0) === seq) notAdvanced = false;
      const lastackR = this.lastack[r];
      if (segLen > 0 && lastackR !== 0 && leSeq((seq + segLen) >>> 0, lastackR)) {
        A |= TA_SPURIOUS_RETRANSMISSION;
      } else if (notAdvanced) {
        // tcp.fastrt_supersedes_ooo (default on): fast retransmission is tested before out-of-order.
        const sinceDupAck = now - this.lastackTime[r];
        const sinceNext = now - this.nextseqTime[f];
        const rtt = this.firstRtt[flow];
        // Wireshark compares unsigned nanoseconds: a time that went backwards is never "within".
        const ooo = rtt === 0 ? 3e6 : rtt < 0 ? Infinity : rtt;
        // The count is unsigned in tshark 4.0: -1 (an ACKed unseen segment noted) passes the test too.
        if ((this.dupacks[r] >>> 0) >= 2 && lastackR === seq && sinceDupAck >= 0 && sinceDupAck < 20e6) A |= TA_FAST_RETRANSMISSION;
        else if (sinceNext >= 0 && sinceNext < ooo && nextseq !== ((seq + segLen + (synFin ? 1 : 0)) >>> 0)) A |= TA_OUT_OF_ORDER;
        else A |= TA_RETRANSMISSION;
      }
    }

    let next = (seq + segLen) >>> 0;
    if (synFin) next = (next + 1) >>> 0;
    if ((A & TA_ZERO_WINDOW_PROBE) === 0) {
      if (gtSeq(next, nextseq) || nextseq === 0) {
        this.nextseq[f] = next;
        this.nextseqTime[f] = now;
      }
      if (seq === this.maxseqtobeacked[f] || this.maxseqtobeacked[f] === 0) this.maxseqtobeacked[f] = this.nextseq[f];
    }
    this.window[f] = win;
    this.lastack[f] = ack;
    this.lastackTime[f] = now;
    this.lastFlags[f] = A;
    return A;
  }

  /**
   * What dissect_tcp notes after the analysis: the SYN's time, the first pure ACK's round trip, and the window
   * scale the SYNs agree on.
   */
  private handshake(flow: number, f: number, r: number, now: number, th: number, wscale: number, cut: boolean): void {
    const kind = th & (SYN | ACK);
    if ((th & SYN) !== 0) {
      if (kind === SYN) this.mruSyn[flow] = now;
      this.firstAck[f] = 1;
    }
    if (kind === ACK) {
      const syn = this.mruSyn[flow];
      if (syn === syn && this.firstRtt[flow] === 0) this.firstRtt[flow] = now - syn;
      this.firstAck[f] = 0;
    }
    if (wscale >= 0) this.winScale[f] = wscale;
    if ((th & SYN) !== 0 && !cut) {
      if (this.winScale[f] === -1) {
        this.winScale[f] = -2;
        this.winScale[r] = -2;
      } else if (kind === (SYN | ACK) && this.winScale[r] === -2) {
        this.winScale[f] = -2;
      }
    }
  }
}

/**
 * Duplicate ACK numbers and the frames they duplicate, for the frames flagged so (details, Info): only those
 * frames have an entry, appended in frame order (store index), found by binary search.
 */
export class DupAckNotes {
  count = 0;
  private at = new Float64Array(0);
  private num = new Float64Array(0);
  private frame = new Float64Array(0);

  add(i: number, num: number, frame: number): void {
    if (this.count >= this.at.length) {
      const n = Math.max(256, this.at.length * 2);
      const g = (a: Float64Array): Float64Array<ArrayBuffer> => { const x = new Float64Array(n); x.set(a); return x; };
      this.at = g(this.at); this.num = g(this.num); this.frame = g(this.frame);
    }
    // Frames are analysed in frame order (an append); anything else is put in its place.
    let k = this.count;
    while (k > 0 && this.at[k - 1] > i) k--;
    if (k > 0 && this.at[k - 1] === i) {
      this.num[k - 1] = num; this.frame[k - 1] = frame;
      return;
    }
    this.at.copyWithin(k + 1, k, this.count); this.num.copyWithin(k + 1, k, this.count); this.frame.copyWithin(k + 1, k, this.count);
    this.at[k] = i; this.num[k] = num; this.frame[k] = frame;
    this.count++;
  }

  /** [number, frame] of the duplicate ACK at store index i, or null. */
  get(i: number): [number, number] | null {
    const k = this.find(i);
    return k < 0 ? null : [this.num[k], this.frame[k]];
  }

  /** The duplicate ACK's number at store index i, or -1 (no allocation: filters call it per frame). */
  numAt(i: number): number {
    const k = this.find(i);
    return k < 0 ? -1 : this.num[k];
  }

  frameAt(i: number): number {
    const k = this.find(i);
    return k < 0 ? -1 : this.frame[k];
  }

  private find(i: number): number {
    let lo = 0, hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.at[mid];
      if (v === i) return mid;
      if (v < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
