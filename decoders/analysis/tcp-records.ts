// A parallel chunk's TCP segments, kept for the merge: TCP analysis follows each flow from its first frame,
// which a chunk that starts mid-capture has not seen, so the merging engine analyses every segment in frame
// order (Engine.analyseTcp) instead of the chunk. Ten 32-bit words per segment (plus the seconds as a
// double), transferred with the part and dropped once merged.

/** Words per segment: n, flow, dir | bad << 1, seq, ack, win, segLen, tcp flags, wscale, host. */
export const TCP_WORDS = 10;

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

  add(n: number, flow: number, dir: number, sec: number, nsec: number, seq: number, ack: number, win: number, segLen: number,
    th: number, wscale: number, bad: boolean, host: number): void {
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
    w[o] = n; w[o + 1] = flow; w[o + 2] = dir | (bad ? 2 : 0); w[o + 3] = seq; w[o + 4] = ack; w[o + 5] = win;
    w[o + 6] = segLen; w[o + 7] = th; w[o + 8] = wscale; w[o + 9] = host;
    this.sec[k] = sec;
    this.nsec[k] = nsec;
  }

  /** The segments as transferable arrays (views of the used part). */
  data(): TcpRecordData {
    return { words: this.words.subarray(0, this.count * TCP_WORDS), sec: this.sec.subarray(0, this.count), nsec: this.nsec.subarray(0, this.count) };
  }
}
