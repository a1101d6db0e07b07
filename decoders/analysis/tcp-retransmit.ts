// What bad checksums cost: of the TCP segments with a bad checksum (at whatever tunnel depth the TCP is),
// which were sent again, and how long after. A segment occupies sequence space (payload, SYN or FIN); it
// was retransmitted when a later segment of the same flow and direction carries its first sequence number
// (so a retransmission that repacketizes the data counts too). The receiver dropped the bad copy: the delay
// between the two is what the bad checksum added.
//
// Only bad segments are kept (a few dozen bytes each, like the flagged frame list). While waiting for its
// retransmission a segment is on a short list of its flow direction; it leaves the list when a later segment
// carries it, when the other direction acknowledges past it (it was accepted, or its retransmission was not
// captured), or when more than MAX_PENDING wait in that direction (the oldest gives up). Frames come in frame
// order; nothing is allocated per frame.

const MAX_PENDING = 64;

export interface RetransmitFigures {
  /** Segments with a bad TCP checksum. */
  badSegments: number;
  /** Of those, the ones a later segment of the same flow and direction carried again. */
  retransmitted: number;
  /** Median time from the bad segment to its retransmission, in milliseconds (microsecond precision); null without any. */
  medianDelayMs: number | null;
}

function ltSeq(x: number, y: number): boolean { return ((x - y) | 0) < 0; }
function leSeq(x: number, y: number): boolean { return ((x - y) | 0) <= 0; }

export class BadSegments {
  /** Bad segments recorded, in frame order. */
  count = 0;
  /** Of those, the ones still waiting for a retransmission (0: a segment can change nothing here). */
  waiting = 0;
  private cap = 0;
  /** Per segment: frame number, flow, direction, first sequence number and the one after it, sending host (address id). */
  frame = new Float64Array(0);
  flow = new Int32Array(0);
  private dir = new Uint8Array(0);
  private seq = new Uint32Array(0);
  private end = new Uint32Array(0);
  host = new Int32Array(0);
  /** The capture direction of its frame (pcapng epb_flags: 0 not said, 1 in, 2 out): hosts are split by it. */
  hostDir = new Uint8Array(0);
  /** Frame that retransmitted it (0: none), and how many nanoseconds later. */
  retxFrame = new Float64Array(0);
  delayNs = new Float64Array(0);
  private sec = new Float64Array(0);
  private nsec = new Float64Array(0);
  private next = new Int32Array(0);
  // Per flow direction: the pending list and its length.
  private head = new Int32Array(0);
  private size = new Uint16Array(0);

  /** Whether a segment of `flow` can change anything here when it is not bad itself: one of its directions has a pending segment. */
  pendingIn(flow: number): boolean {
    const f = flow * 2;
    return f + 1 < this.head.length && (this.head[f] >= 0 || this.head[f + 1] >= 0);
  }

  private ensureFlow(flow: number): void {
    const need = flow * 2 + 2;
    if (need <= this.head.length) return;
    const n = Math.max(2048, this.head.length * 2, need);
    const h = new Int32Array(n).fill(-1);
    h.set(this.head);
    this.head = h;
    const s = new Uint16Array(n);
    s.set(this.size);
    this.size = s;
  }

  private grow(): void {
    const n = Math.max(256, this.cap * 2);
    const g = <T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(a: T): T => {
      const x = new (a.constructor as new (k: number) => T)(n);
      x.set(a as never);
      return x;
    };
    this.frame = g(this.frame); this.flow = g(this.flow); this.dir = g(this.dir); this.seq = g(this.seq); this.end = g(this.end);
    this.host = g(this.host); this.hostDir = g(this.hostDir); this.retxFrame = g(this.retxFrame); this.delayNs = g(this.delayNs); this.sec = g(this.sec);
    this.nsec = g(this.nsec); this.next = g(this.next);
    this.cap = n;
  }

  /**
   * A TCP segment of `flow` in direction `dir` (frame n): it may carry a pending bad segment again, its ACK
   * may settle the other direction's, and when `bad` (and it occupies sequence space, seqLen > 0) it waits
   * for its own retransmission. `host` is the address that sent it (the outer source of a tunnelled frame),
   * `hostDir` its frame's capture direction.
   */
  segment(flow: number, dir: number, n: number, sec: number, nsec: number, seq: number, seqLen: number,
    ack: number, hasAck: boolean, bad: boolean, host: number, hostDir = 0): void {
    if (!bad && this.waiting === 0) return;
    this.ensureFlow(flow);
    const f = flow * 2 + dir;
    if (seqLen > 0 && this.head[f] >= 0) this.carried(f, seq, (seq + seqLen) >>> 0, n, sec, nsec);
    if (hasAck && this.head[f ^ 1] >= 0) this.acked(f ^ 1, ack);
    if (!bad || seqLen <= 0) return;
    if (this.count >= this.cap) this.grow();
    const k = this.count++;
    this.frame[k] = n; this.flow[k] = flow; this.dir[k] = dir; this.seq[k] = seq; this.end[k] = (seq + seqLen) >>> 0;
    this.host[k] = host; this.hostDir[k] = hostDir; this.retxFrame[k] = 0; this.delayNs[k] = NaN; this.sec[k] = sec; this.nsec[k] = nsec;
    if (this.size[f] >= MAX_PENDING) this.dropOldest(f);
    this.next[k] = this.head[f];
    this.head[f] = k;
    this.size[f]++;
    this.waiting++;
  }

  /** Pending segments of direction f whose first sequence number is in [seq, end): retransmitted in frame n. */
  private carried(f: number, seq: number, end: number, n: number, sec: number, nsec: number): void {
    let prev = -1;
    for (let k = this.head[f]; k >= 0;) {
      const nx = this.next[k];
      if (leSeq(seq, this.seq[k]) && ltSeq(this.seq[k], end)) {
        this.retxFrame[k] = n;
        this.delayNs[k] = (sec - this.sec[k]) * 1e9 + (nsec - this.nsec[k]);
        this.unlink(f, prev, nx);
      } else {
        prev = k;
      }
      k = nx;
    }
  }

  /** Pending segments of direction f that `ack` acknowledges whole: no retransmission will come for them. */
  private acked(f: number, ack: number): void {
    let prev = -1;
    for (let k = this.head[f]; k >= 0;) {
      const nx = this.next[k];
      if (leSeq(this.end[k], ack)) this.unlink(f, prev, nx);
      else prev = k;
      k = nx;
    }
  }

  private unlink(f: number, prev: number, next: number): void {
    if (prev < 0) this.head[f] = next;
    else this.next[prev] = next;
    this.size[f]--;
    this.waiting--;
  }

  /** The list is newest first: the oldest is its last entry. */
  private dropOldest(f: number): void {
    let prev = -1;
    let k = this.head[f];
    while (this.next[k] >= 0) { prev = k; k = this.next[k]; }
    if (prev < 0) this.head[f] = -1;
    else this.next[prev] = -1;
    this.size[f]--;
    this.waiting--;
  }

  /** The flow's A and B endpoints were swapped (Engine.orient): so are its directions. */
  swap(flow: number): void {
    const a = flow * 2;
    if (a + 1 >= this.head.length) return;
    const h = this.head[a]; this.head[a] = this.head[a + 1]; this.head[a + 1] = h;
    const s = this.size[a]; this.size[a] = this.size[a + 1]; this.size[a + 1] = s;
    for (let k = 0; k < this.count; k++) if (this.flow[k] === flow) this.dir[k] ^= 1;
  }

  /**
   * Figures per group: `groupOf(k)` names segment k's group (a tenant id, a host address id), or -1 to leave
   * it out; `keep(k)`, when given, selects the segments to count (a display filter's frames).
   */
  figures(groupOf: (k: number) => number, keep?: (k: number) => boolean): Map<number, RetransmitFigures> {
    const delays = new Map<number, number[]>();
    const out = new Map<number, RetransmitFigures>();
    for (let k = 0; k < this.count; k++) {
      if (keep !== undefined && !keep(k)) continue;
      const g = groupOf(k);
      if (g < 0) continue;
      let fig = out.get(g);
      if (fig === undefined) {
        fig = { badSegments: 0, retransmitted: 0, medianDelayMs: null };
        out.set(g, fig);
        delays.set(g, []);
      }
      fig.badSegments++;
      if (this.retxFrame[k] > 0) {
        fig.retransmitted++;
        (delays.get(g) as number[]).push(this.delayNs[k]);
      }
    }
    for (const [g, fig] of out) fig.medianDelayMs = medianMs(delays.get(g) as number[]);
    return out;
  }
}

/** Median of nanosecond delays, in milliseconds rounded to the microsecond; null for none. */
export function medianMs(ns: number[]): number | null {
  if (ns.length === 0) return null;
  const s = ns.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  const m = s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
  return Math.round(m / 1e3) / 1e3;
}

export const NO_FIGURES: RetransmitFigures = { badSegments: 0, retransmitted: 0, medianDelayMs: null };
