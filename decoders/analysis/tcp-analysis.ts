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

import type { Summary, TreeNode } from '../summary.ts';

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
/**
 * Segments Wireshark does not hand to the protocol above TCP (decode_tcp_ports): their payload is TCP data. A
 * fast or spurious retransmission is handed on (its flag is not the plain one; tshark 4.0 decodes it).
 */
export const TA_NO_APP = TA_RETRANSMISSION | TA_OUT_OF_ORDER | TA_KEEP_ALIVE;

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
const SFR = SYN | FIN | RST;

/** What TCP analysis reads of a segment: a frame's Summary has these fields (decoders/summary.ts). */
export type TcpSegment = Pick<Summary, 'tcpSeq' | 'tcpAck' | 'tcpWin' | 'tcpSegLen' | 'tcpFlags' | 'tcpHdrLen' | 'tcpHdrCut' | 'tcpWscale'>;

/** Sequence-space comparisons modulo 2^32 (Wireshark's GT_SEQ, LT_SEQ, LE_SEQ). */
function gtSeq(x: number, y: number): boolean { return ((y - x) | 0) < 0; }
function ltSeq(x: number, y: number): boolean { return ((x - y) | 0) < 0; }
function leSeq(x: number, y: number): boolean { return ((x - y) | 0) <= 0; }

// One 128-byte record per flow (two cache lines), read through an Int32Array and a Float64Array over the same
// buffer. Int32 words 0-7 for direction 0, 8-15 for direction 1 (U_*): next expected sequence number (0 while
// none is known, as in Wireshark), highest contiguous sequence number to be acknowledged, last ACK, window
// field as last sent (unscaled; 0xffffffff before any), the base (initial) sequence number, the duplicate ACK
// count (-1 once an ACKed unseen segment is noted; tshark 4.0 compares it unsigned), bits (BIT_*: base known,
// a SYN was the last handshake segment, the window scale, the flags of the last segment) and the last frame
// that was no duplicate ACK. Sequence numbers are kept as int32 (x | 0): compares stay on small integers.
// Then doubles 8-9 and 10-11 (T_*): each direction's times of its next sequence number and its last ACK; 12
// the latest SYN's time (NaN: none), 13 the handshake's round trip (0: not known).
const U_NEXT = 0, U_MAX = 1, U_ACK = 2, U_WIN = 3, U_BASE = 4, U_DUP = 5, U_BITS = 6, U_LND = 7, U_WORDS = 8;
const T_NEXT = 0, T_ACK = 1, T_WORDS = 2;
const INTS_PER_FLOW = 32, DOUBLES_PER_FLOW = 16, T_AT = 8, SYN_AT = 12, RTT_AT = 13;
const BIT_BASE = 1, BIT_FIRST_ACK = 2;
/** Window scale in bits 2-6 as shift + 2: 0 no scaling (-2), 1 unknown (-1), 2..16 a shift of 0..14. */
const WS_SHIFT = 2, WS_MASK = 0x1f << WS_SHIFT;
const FLAGS_SHIFT = 16;
const BITS_INIT = 1 << WS_SHIFT;
const NO_DUP = -1;
/** Numbers per TcpAnalyzer.epochs entry. */
export const EPOCH_WORDS = 6;

export class TcpAnalyzer {
  private flowCap = 0;
  private u = new Int32Array(0);
  private t = new Float64Array(0);
  /** Second the analysis times count from (the first frame's), so that nanoseconds stay exact. */
  private tBase = NaN;
  /** For the last analyse() that flagged a duplicate ACK: its number and the frame it duplicates. */
  dupNum = 0;
  dupFrame = 0;
  /**
   * A connection a SYN with a new sequence number replaced on its flow (Wireshark: a new conversation and
   * tcp.stream), EPOCH_WORDS numbers each: flow, the new SYN's frame, and the old connection's base sequence
   * number and bits per direction, so its frames keep their relative numbers (decoders/analysis/streams.ts).
   * Appended in frame order; ports are seldom reused, so this stays short.
   */
  readonly epochs: number[] = [];

  /** Bytes of state per flow (both directions), for the memory budget. */
  static bytesPerFlow(): number {
    return INTS_PER_FLOW * 4;
  }

  private ensure(flow: number): void {
    if (flow < this.flowCap) return;
    const n = Math.max(1024, this.flowCap * 2, flow + 1);
    const buf = new ArrayBuffer(n * INTS_PER_FLOW * 4);
    const u = new Int32Array(buf);
    u.set(this.u);
    this.u = u;
    this.t = new Float64Array(buf);
    for (let fl = this.flowCap; fl < n; fl++) this.reset(fl);
    this.flowCap = n;
  }

  /** A new connection on the flow's addresses and ports (Wireshark: a new conversation): everything anew. */
  private reset(flow: number): void {
    const u = this.u, t = this.t;
    const i = flow * INTS_PER_FLOW, d = flow * DOUBLES_PER_FLOW;
    u.fill(0, i, i + 2 * U_WORDS);
    for (let k = 0; k < 2; k++) {
      u[i + k * U_WORDS + U_WIN] = -1;
      u[i + k * U_WORDS + U_BITS] = BITS_INIT;
    }
    t.fill(-Infinity, d + T_AT, d + T_AT + 2 * T_WORDS);
    t[d + SYN_AT] = NaN;
    t[d + RTT_AT] = 0;
  }

  /**
   * The relative numbering of a direction (0: from the flow's A endpoint) of the flow's current connection, or
   * of the one an epochs entry (its index) recorded: the base sequence number (NaN while none is known) and the
   * window scale shift (-1 unknown, -2 no scaling, else 0..14), into out[0], out[1].
   */
  numbering(flow: number, dir: number, epoch: number, out: Float64Array): void {
    let base: number, bits: number;
    if (epoch >= 0) {
      base = this.epochs[epoch + 2 + dir * 2];
      bits = this.epochs[epoch + 3 + dir * 2];
    } else if (flow < this.flowCap) {
      const o = flow * INTS_PER_FLOW + dir * U_WORDS;
      base = this.u[o + U_BASE];
      bits = this.u[o + U_BITS];
    } else {
      out[0] = NaN;
      out[1] = -1;
      return;
    }
    out[0] = (bits & BIT_BASE) !== 0 ? base >>> 0 : NaN;
    out[1] = ((bits & WS_MASK) >>> WS_SHIFT) - 2;
  }

  /** The flow's A and B endpoints were swapped (Engine.orient): so are its two directions' states. */
  swap(flow: number): void {
    const ep = this.epochs;
    for (let k = 0; k < ep.length; k += EPOCH_WORDS) {
      if (ep[k] !== flow) continue;
      const b = ep[k + 2], t = ep[k + 3];
      ep[k + 2] = ep[k + 4]; ep[k + 3] = ep[k + 5];
      ep[k + 4] = b; ep[k + 5] = t;
    }
    if (flow >= this.flowCap) return;
    const i = flow * INTS_PER_FLOW, d = flow * DOUBLES_PER_FLOW + T_AT;
    for (let k = 0; k < U_WORDS; k++) {
      const x = this.u[i + k];
      this.u[i + k] = this.u[i + U_WORDS + k];
      this.u[i + U_WORDS + k] = x;
    }
    for (let k = 0; k < T_WORDS; k++) {
      const x = this.t[d + k];
      this.t[d + k] = this.t[d + T_WORDS + k];
      this.t[d + T_WORDS + k] = x;
    }
  }

  /**
   * One TCP segment of `flow` in direction `dir` (frame n, in frame order): its analysis flags (TA_*); for a
   * duplicate ACK, dupNum and dupFrame say which. `g` holds the segment's fields (a frame's Summary).
   */
  analyse(flow: number, dir: number, n: number, sec: number, nsec: number, g: TcpSegment): number {
    if (flow >= this.flowCap) this.ensure(flow);
    const seq = g.tcpSeq | 0, ack = g.tcpAck | 0, win = g.tcpWin, segLen = g.tcpSegLen, th = g.tcpFlags;
    // A header length below the minimum, or options cut off: Wireshark follows the segment but its dissection
    // stops before it shows anything of the analysis (and, below the minimum, before it notes the handshake).
    const bogus = g.tcpHdrLen < 20;
    const cut = g.tcpHdrCut;
    if (this.tBase !== this.tBase) this.tBase = sec;
    const now = (sec - this.tBase) * 1e9 + nsec;
    const u = this.u, t = this.t;
    const F = flow * INTS_PER_FLOW + dir * U_WORDS, R = flow * INTS_PER_FLOW + (dir ^ 1) * U_WORDS;
    const D = flow * DOUBLES_PER_FLOW, TF = D + T_AT + dir * T_WORDS, TR = D + T_AT + (dir ^ 1) * T_WORDS;
    let A = 0;

    // dissect_tcp: a SYN whose sequence number is not the connection's first is a new connection on the same
    // ports; a SYN-ACK that differs from the first one is flagged (and becomes the base) without a new one.
    const kind = th & (SYN | ACK);
    if ((th & SYN) !== 0 && (u[F + U_BITS] & BIT_BASE) !== 0 && seq !== u[F + U_BASE]) {
      if (kind === SYN) {
        const o = flow * INTS_PER_FLOW;
        this.epochs.push(flow, n, u[o + U_BASE], u[o + U_BITS], u[o + U_WORDS + U_BASE], u[o + U_WORDS + U_BITS]);
        this.reset(flow);
      } else u[F + U_BASE] = seq;
      A = TA_REUSED_PORTS;
    }

    if (segLen >= 0) {
      // tcp_analyze_sequence_number.
      if ((u[F + U_BITS] & BIT_BASE) === 0) {
        u[F + U_BASE] = (th & SYN) !== 0 ? seq : (seq - 1) | 0;
        u[F + U_BITS] |= BIT_BASE;
      }
      if ((u[R + U_BITS] & BIT_BASE) === 0 && (th & ACK) !== 0) {
        u[R + U_BASE] = (ack - 1) | 0;
        u[R + U_BITS] |= BIT_BASE;
      }
      const nextseq = u[F + U_NEXT];
      const lastack = u[F + U_ACK];
      const noSFR = (th & SFR) === 0;
      fwd: {
        if (segLen === 1 && seq === nextseq && u[R + U_WIN] === 0) {
          A |= TA_ZERO_WINDOW_PROBE;
          break fwd;
        }
        if (win === 0 && noSFR) A |= TA_ZERO_WINDOW;
        if (nextseq !== 0 && gtSeq(seq, nextseq) && (th & RST) === 0) A |= TA_LOST_PACKET;
        if ((segLen === 0 || segLen === 1) && seq === ((nextseq - 1) | 0) && noSFR) A |= TA_KEEP_ALIVE;
        const same = segLen === 0 && seq === nextseq && ack === lastack && noSFR;
        if (same && win !== 0 && win !== u[F + U_WIN]) A |= TA_WINDOW_UPDATE;
        const rBits = u[R + U_BITS];
        const rScale = ((rBits & WS_MASK) >>> WS_SHIFT) - 2;
        if (segLen > 0 && rScale !== -1 && noSFR) {
          const shift = (rBits & BIT_FIRST_ACK) !== 0 || rScale === -2 ? 0 : rScale;
          if (((seq + segLen) | 0) === ((u[R + U_ACK] + (u[R + U_WIN] << shift)) | 0)) A |= TA_WINDOW_FULL;
        }
        if (same && win === u[F + U_WIN]) {
          const rFlags = rBits >>> FLAGS_SHIFT;
          if (win !== 0 && (rFlags & TA_KEEP_ALIVE) !== 0) {
            A |= TA_KEEP_ALIVE_ACK;
            break fwd;
          }
          if (win === 0 && (rFlags & TA_ZERO_WINDOW_PROBE) !== 0) {
            A |= TA_ZERO_WINDOW_PROBE_ACK;
            break fwd;
          }
          if (win !== 0) {
            const d = u[F + U_DUP] === NO_DUP ? 1 : u[F + U_DUP] + 1;
            u[F + U_DUP] = d;
            A |= TA_DUPLICATE_ACK;
            this.dupNum = d;
            this.dupFrame = u[F + U_LND];
          }
        }
      }
      if (ack !== lastack) {
        u[F + U_LND] = n;
        u[F + U_DUP] = 0;
      }

      // ACKed unseen segment: acknowledges past what the other direction was seen to send. When that direction
      // sent past a gap, the bound moves up to it; else the same gap is flagged once until that direction
      // changes its own ACK (tshark 4.0 compares `<` here, which the captures bear out; later versions `>`).
      const maxR = u[R + U_MAX];
      if (maxR !== 0 && gtSeq(ack, maxR) && (th & ACK) !== 0) {
        if (maxR >>> 0 < u[R + U_NEXT] >>> 0) {
          u[R + U_MAX] = u[R + U_NEXT];
          A |= TA_ACK_LOST_PACKET;
        } else {
          if (u[R + U_DUP] === 0) A |= TA_ACK_LOST_PACKET;
          u[R + U_DUP] = NO_DUP;
        }
      }

      const synFin = (th & (SYN | FIN)) !== 0;
      if ((segLen > 0 || synFin) && (A & TA_KEEP_ALIVE) === 0) {
        let notAdvanced = nextseq !== 0 && ltSeq(seq, nextseq);
        // One byte below nextseq with new data after it: the previous segment may have been a window probe.
        if (segLen > 1 && ((nextseq - 1) | 0) === seq) notAdvanced = false;
        const lastackR = u[R + U_ACK];
        if (segLen > 0 && lastackR !== 0 && leSeq((seq + segLen) | 0, lastackR)) {
          A |= TA_SPURIOUS_RETRANSMISSION;
        } else if (notAdvanced) {
          // tcp.fastrt_supersedes_ooo (default on): fast retransmission is tested before out-of-order.
          const sinceDupAck = now - t[TR + T_ACK];
          const sinceNext = now - t[TF + T_NEXT];
          const rtt = t[D + RTT_AT];
          // Wireshark compares unsigned nanoseconds: a time that went backwards is never "within".
          const ooo = rtt === 0 ? 3e6 : rtt < 0 ? Infinity : rtt;
          // The count is unsigned in tshark 4.0: -1 (an ACKed unseen segment noted) passes the test too.
          if ((u[R + U_DUP] >= 2 || u[R + U_DUP] === NO_DUP) && lastackR === seq && sinceDupAck >= 0 && sinceDupAck < 20e6) A |= TA_FAST_RETRANSMISSION;
          else if (sinceNext >= 0 && sinceNext < ooo && nextseq !== ((seq + segLen + (synFin ? 1 : 0)) | 0)) A |= TA_OUT_OF_ORDER;
          else A |= TA_RETRANSMISSION;
        }
      }

      let next = (seq + segLen) | 0;
      if (synFin) next = (next + 1) | 0;
      if ((A & TA_ZERO_WINDOW_PROBE) === 0) {
        if (gtSeq(next, nextseq) || nextseq === 0) {
          u[F + U_NEXT] = next;
          t[TF + T_NEXT] = now;
        }
        if (seq === u[F + U_MAX] || u[F + U_MAX] === 0) u[F + U_MAX] = u[F + U_NEXT];
      }
      u[F + U_WIN] = win;
      u[F + U_ACK] = ack;
      t[TF + T_ACK] = now;
      u[F + U_BITS] = (u[F + U_BITS] & 0xffff) | (A << FLAGS_SHIFT);
    }
    if (bogus) return 0;

    // What dissect_tcp notes after the analysis: the SYN's time, the first pure ACK's round trip, and the
    // window scale the SYNs agree on (not after options cut off).
    if ((th & SYN) !== 0) {
      if (kind === SYN) t[D + SYN_AT] = now;
      u[F + U_BITS] |= BIT_FIRST_ACK;
    }
    if (kind === ACK) {
      const syn = t[D + SYN_AT];
      if (syn === syn && t[D + RTT_AT] === 0) t[D + RTT_AT] = now - syn;
      u[F + U_BITS] &= ~BIT_FIRST_ACK;
    }
    if (g.tcpWscale >= 0) setScale(u, F, g.tcpWscale);
    if ((th & SYN) !== 0 && !cut) {
      const fs = scaleOf(u, F);
      if (fs === -1) {
        setScale(u, F, -2);
        setScale(u, R, -2);
      } else if (kind === (SYN | ACK) && scaleOf(u, R) === -2) {
        setScale(u, F, -2);
      }
    }
    return cut ? 0 : A;
  }
}

function scaleOf(u: Int32Array, d: number): number {
  return ((u[d + U_BITS] & WS_MASK) >>> WS_SHIFT) - 2;
}

function setScale(u: Int32Array, d: number, shift: number): void {
  u[d + U_BITS] = (u[d + U_BITS] & ~WS_MASK) | ((shift + 2) << WS_SHIFT);
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
    // Frames are analysed in frame order: an append; anything else is put in its place.
    let k = this.count;
    if (k === 0 || this.at[k - 1] < i) {
      this.at[k] = i; this.num[k] = num; this.frame[k] = frame;
      this.count = k + 1;
      return;
    }
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
