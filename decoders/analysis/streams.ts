// TCP and UDP conversations as Wireshark numbers them (tcp.stream, udp.stream): from 0, in the order of their
// first frame. Ours are tenant-aware: a stream is a flow (tenant + inner 5-tuple) of TCP or UDP, so two tenants
// reusing the same inner addresses and ports are two streams where Wireshark merges them into one. A TCP SYN
// with a new initial sequence number on a flow's ports starts a new stream, as in Wireshark (the TCP analysis
// notes where: TcpAnalyzer.epochs).
//
// Nothing is kept per frame: a frame's stream is its flow's (the store's flow column) and, for the few flows
// whose ports were reused, the connection its frame number falls in. The numbering is derived when asked,
// after the frames it covers changed: two words per flow and a sort of the flows.

import { N_FRAGMENT, P_TCP, P_UDP } from '../summary.ts';
import { transportOf } from '../layers/registry.ts';
import type { FrameStore } from '../store.ts';
import type { FlowTable } from './flow-table.ts';
import { EPOCH_WORDS, type TcpAnalyzer } from './tcp-analysis.ts';

/** What the numbering is derived from (Engine has these). */
export interface StreamSource {
  readonly store: FrameStore;
  readonly flows: FlowTable;
  readonly tcp: TcpAnalyzer;
  readonly fragments: { fragmentOf(n: number): unknown };
  readonly settledCount: number;
  readonly version: number;
}

export type StreamKind = 'tcp' | 'udp';

export class StreamIndex {
  /** What the numbering was derived from: version, settled frames, flows, reused-ports entries. */
  private readonly key = new Float64Array(4).fill(-1);
  /** Per flow: the stream of its first (TCP: or only) connection, -1 for other protocols. */
  private first = new Int32Array(0);
  /** Per flow: the offset in tcp.epochs of its first reused-ports entry, -1 for none. */
  private flowEpoch = new Int32Array(0);
  /** Per epochs entry (offset / EPOCH_WORDS): the stream of the connection it started, and the flow's next entry. */
  private epochStream = new Int32Array(0);
  private epochNext = new Int32Array(0);
  /** Per stream: its flow and the frame that started it. */
  private tcpFlow: number[] = [];
  private tcpStart: number[] = [];
  private udpFlow: number[] = [];
  /** resolve()'s answers: stream, and the epochs entry holding its numbering (-1: the flow's current one). */
  private rStream = -1;
  private rEpoch = -1;

  constructor(private readonly src: StreamSource) {}

  /** How many TCP and UDP streams the settled frames have. */
  count(kind: StreamKind): number {
    this.build();
    return kind === 'tcp' ? this.tcpFlow.length : this.udpFlow.length;
  }

  /** tcp.stream of store index i, or -1 when it has no TCP layer (as the frame's transport). */
  tcpOf(i: number): number {
    const st = this.src.store;
    if (transportOf(st.topProto[i], st.tcpFlags[i]) !== P_TCP || this.fragmentOnly(i)) return -1;
    return this.resolve(i) ? this.rStream : -1;
  }

  /** udp.stream of store index i (its innermost UDP), or -1. */
  udpOf(i: number): number {
    const st = this.src.store;
    if (transportOf(st.topProto[i], st.tcpFlags[i]) !== P_UDP || this.fragmentOnly(i)) return -1;
    const f = st.flow[i];
    if (f < 0 || this.src.flows.proto(f) !== 17) return -1;
    this.build();
    return f < this.first.length ? this.first[f] : -1;
  }

  /**
   * The relative numbering of store index i's TCP connection in direction `dir` (0: from the flow's first-seen
   * endpoint): base sequence number (NaN: none) and window scale shift into out (TcpAnalyzer.numbering).
   */
  numbering(i: number, dir: number, out: Float64Array): boolean {
    if (!this.resolve(i)) return false;
    this.src.tcp.numbering(this.src.store.flow[i], dir, this.rEpoch, out);
    return true;
  }

  /** The flow of a stream and the frame range its frames are in ([first, last] frame numbers); null when none. */
  streamFlow(kind: StreamKind, stream: number): { flow: number; from: number; to: number } | null {
    this.build();
    const flows = kind === 'tcp' ? this.tcpFlow : this.udpFlow;
    if (!Number.isInteger(stream) || stream < 0 || stream >= flows.length) return null;
    const f = flows[stream];
    const fl = this.src.flows;
    if (kind === 'udp') return { flow: f, from: fl.firstFrame[f], to: fl.lastFrame[f] };
    // A flow whose ports were reused holds several streams: this one runs to the next one's start.
    let to = fl.lastFrame[f];
    const from = this.tcpStart[stream];
    const ep = this.src.tcp.epochs;
    for (let e = this.flowEpoch[f]; e >= 0; e = this.epochNext[e / EPOCH_WORDS]) {
      if (ep[e + 1] > from) { to = ep[e + 1] - 1; break; }
    }
    return { flow: f, from, to };
  }

  /** Frame numbers of a stream, ascending. */
  frames(kind: StreamKind, stream: number): number[] {
    const r = this.streamFlow(kind, stream);
    if (r === null) return [];
    const st = this.src.store;
    const out: number[] = [];
    const end = Math.min(r.to, this.src.settledCount);
    for (let n = r.from; n <= end; n++) {
      const i = n - 1;
      if (st.flow[i] !== r.flow) continue;
      if ((kind === 'tcp' ? this.tcpOf(i) : this.udpOf(i)) === stream) out.push(n);
    }
    return out;
  }

  /** An IP fragment of a datagram another frame completed (or none did): its transport is not in it. */
  private fragmentOnly(i: number): boolean {
    return (this.src.store.notes[i] & N_FRAGMENT) !== 0 && this.src.fragments.fragmentOf(i + 1) !== null;
  }

  /** Sets rStream and rEpoch for store index i's TCP flow; false when its flow is no TCP. */
  private resolve(i: number): boolean {
    const f = this.src.store.flow[i];
    if (f < 0 || this.src.flows.proto(f) !== 6) return false;
    this.build();
    if (f >= this.first.length) return false;
    let s = this.first[f];
    let at = -1;
    const n = i + 1;
    const ep = this.src.tcp.epochs;
    // Entry e holds the numbering of the connection before it; the last one reached is the flow's current.
    for (let e = this.flowEpoch[f]; e >= 0; e = this.epochNext[e / EPOCH_WORDS]) {
      if (ep[e + 1] > n) { at = e; break; }
      s = this.epochStream[e / EPOCH_WORDS];
    }
    this.rStream = s;
    this.rEpoch = at;
    return true;
  }

  private build(): void {
    const { flows: fl, tcp } = this.src;
    const ep = tcp.epochs;
    const k = this.key;
    const v = this.src.version, n = this.src.settledCount;
    if (k[0] === v && k[1] === n && k[2] === fl.count && k[3] === ep.length) return;
    k[0] = v; k[1] = n; k[2] = fl.count; k[3] = ep.length;
    const F = fl.count;
    const E = ep.length / EPOCH_WORDS;
    const first = new Int32Array(F).fill(-1);
    const flowEpoch = new Int32Array(F).fill(-1);
    const epochStream = new Int32Array(E);
    const epochNext = new Int32Array(E).fill(-1);
    // Starts of TCP connections: each TCP flow's first frame, and each SYN that reused a flow's ports.
    const tcpN: number[] = [], tcpWho: number[] = [];
    const udp: number[] = [];
    for (let f = 0; f < F; f++) {
      const p = fl.proto(f);
      if (p === 6) { tcpN.push(fl.firstFrame[f]); tcpWho.push(f); } else if (p === 17) udp.push(f);
    }
    const last = new Int32Array(F).fill(-1);
    for (let k = 0; k < E; k++) {
      const f = ep[k * EPOCH_WORDS];
      if (f >= F) continue;
      tcpN.push(ep[k * EPOCH_WORDS + 1]);
      tcpWho.push(-1 - k);
      if (last[f] < 0) flowEpoch[f] = k * EPOCH_WORDS;
      else epochNext[last[f]] = k * EPOCH_WORDS;
      last[f] = k;
    }
    const order = tcpN.map((_, k) => k).sort((a, b) => tcpN[a] - tcpN[b] || a - b);
    this.tcpFlow = [];
    this.tcpStart = [];
    for (const k of order) {
      const s = this.tcpFlow.length;
      const who = tcpWho[k];
      if (who >= 0) {
        first[who] = s;
        this.tcpFlow.push(who);
      } else {
        epochStream[-1 - who] = s;
        this.tcpFlow.push(ep[(-1 - who) * EPOCH_WORDS]);
      }
      this.tcpStart.push(tcpN[k]);
    }
    udp.sort((a, b) => fl.firstFrame[a] - fl.firstFrame[b] || a - b);
    for (let s = 0; s < udp.length; s++) first[udp[s]] = s;
    this.udpFlow = udp;
    this.first = first;
    this.flowEpoch = flowEpoch;
    this.epochStream = epochStream;
    this.epochNext = epochNext;
  }
}
