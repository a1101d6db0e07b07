// A parallel chunk's TCP segments, kept for the merge: TCP analysis follows each flow from its first frame,
// which a chunk that starts mid-capture has not seen, so the merging engine analyses every segment in frame
// order (Engine.analyseTcp) instead of the chunk. Twelve 32-bit words per segment (plus the seconds as a
// double), transferred with the part and dropped once merged.

import type { TcpSegment } from './tcp-analysis.ts';

/**
 * Words per segment: n, flow, dir | bad << 1 | header cut << 2 | capture direction << 3 | has packet id << 5, seq, ack, win, segLen,
 * tcp flags, header length << 8 | wscale + 1, host, packet id high and low halves (epb_packetid: pktmon copies, packet-copies.ts).
 */
export const TCP_WORDS = 12;
export const TW_HAS_ID = 32;

export interface TcpRecordData {
  words: Int32Array;
  sec: Float64Array;
  nsec: Uint32Array;
}

export class TcpRecords {
  count = 0;
  private words = new Int32Array(0);
  private sec = new Float64Array(0);
  private nsec = new Uint32Array(0);

  add(n: number, flow: number, dir: number, sec: number, nsec: number, g: TcpSegment, bad: boolean, host: number, hostDir: number,
    hasId: boolean, idHi: number, idLo: number): void {
    if (this.count >= this.sec.length) {
      const cap = Math.max(1024, this.sec.length * 2);
      const w = new Int32Array(cap * TCP_WORDS);
      w.set(this.words);
      this.words = w;
      const s = new Float64Array(cap);
      s.set(this.sec);
      this.sec = s;
      const ns = new Uint32Array(cap);
      ns.set(this.nsec);
      this.nsec = ns;
    }
    const k = this.count++;
    const o = k * TCP_WORDS;
    const w = this.words;
    w[o] = n; w[o + 1] = flow; w[o + 2] = dir | (bad ? 2 : 0) | (g.tcpHdrCut ? 4 : 0) | (hostDir << 3) | (hasId ? TW_HAS_ID : 0); w[o + 3] = g.tcpSeq; w[o + 4] = g.tcpAck;
    w[o + 5] = g.tcpWin; w[o + 6] = g.tcpSegLen; w[o + 7] = g.tcpFlags; w[o + 8] = (g.tcpHdrLen << 8) | (g.tcpWscale + 1); w[o + 9] = host;
    w[o + 10] = idHi; w[o + 11] = idLo;
    this.sec[k] = sec;
    this.nsec[k] = nsec;
  }

  /** Segment k's fields into `g` (the merge's scratch). */
  static read(d: TcpRecordData, k: number, g: TcpSegment): void {
    const w = d.words, o = k * TCP_WORDS;
    g.tcpSeq = w[o + 3] >>> 0; g.tcpAck = w[o + 4] >>> 0; g.tcpWin = w[o + 5]; g.tcpSegLen = w[o + 6]; g.tcpFlags = w[o + 7];
    g.tcpHdrLen = w[o + 8] >> 8; g.tcpWscale = (w[o + 8] & 0xff) - 1; g.tcpHdrCut = (w[o + 2] & 4) !== 0;
  }

  /** The segments as transferable arrays (views of the used part). */
  data(): TcpRecordData {
    return { words: this.words.subarray(0, this.count * TCP_WORDS), sec: this.sec.subarray(0, this.count), nsec: this.nsec.subarray(0, this.count) };
  }
}
