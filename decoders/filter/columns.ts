// Column tier: the fields the frame index already holds, evaluated as tight loops over its typed arrays
// into a three-valued result per frame: 0 no, 1 yes, 2 "the columns cannot tell" (the byte tier decides).
//
// The columns hold the outermost and the innermost IP layer, the innermost transport, the outermost
// tunnel (and the UDP header carrying it), one verdict per (depth, checksum kind). That is every layer of
// a frame with at most one tunnel, nothing truncated, malformed or fragmented, and no ICMP error (whose
// quoted header is another IP layer). For other frames, fields of the layers the columns may miss are
// "cannot tell"; frame.*, tenant.* and checksum.* are exact for every frame. An application layer (DNS, HTTP,
// TLS, ...) is always a frame's highest: its presence is the highest layer's id, and its other fields can only
// be in frames whose highest layer is one (the bytes tell which, for those frames only).

import type { FrameIndex } from '../analysis/frame-index.ts';
import {
  CHECK_KINDS, CHECK_NAMES, CHECK_SLOTS, CK_GRE, CK_ICMP, CK_ICMPV6, CK_IPV4, CK_TCP, CK_UDP, ENC_GENEVE, ENC_GRE, ENC_NVGRE, ENC_VXLAN,
  N_DEPTH_LIMIT, N_FRAGMENT, N_MALFORMED, N_TRUNCATED, P_GENEVE, P_GRE, P_ICMP, P_ICMPV6, P_IGMP,
  P_IPV4, P_IPV6, P_NVGRE, P_OTHER_IP, P_TCP, P_UDP, P_VXLAN, V_BAD, V_GOOD, V_PARTIAL, V_UNVERIFIED, V_ZERO,
} from '../summary.ts';
import type { CExpr, CmpKind, FieldRef, Pred } from './compile.ts';
import {
  encapCode, fieldLayer, KIND_APP, KIND_IP, KIND_TRANSPORT, KIND_TUNNEL, LAYER_KIND, layerByName, protoName, transportOf, tunnelSpecs,
} from '../layers/index.ts';
import { compareLit, equalsLit, parseIpv4, parseIpv6, type Lit } from './values.ts';
import { EPB_HAS_FLAGS, EPB_HAS_HASH, EPB_HAS_VERDICT } from '../capture/types.ts';
import { FLAG_FIELDS, flagValue, metaValues } from '../analysis/frame-meta.ts';
import { TA_ANY_RETRANSMISSION, TA_RETRANSMISSION, TCP_FLAGS } from '../analysis/tcp-analysis.ts';
import { expertKeys, expertMessage, isMalformed } from '../analysis/expert.ts';

/** Frame class bits. */
const C_COMPLEX = 1; // layers beyond the columns: depth > 1, truncated/malformed/fragment, a second tunnel header
const C_QUOTE = 2; // ICMP/ICMPv6 error: its quoted header is one more IP (and TCP/UDP) layer
const C_INNER = 4; // one tunnel with an IP layer inside it (else the inner columns repeat the outer layer)

const HARD_NOTES = N_TRUNCATED | N_MALFORMED | N_DEPTH_LIMIT | N_FRAGMENT;


/** Most occurrences an OccFn writes: one per check slot (checksum.*.check). */
const MAX_OCC = CHECK_SLOTS;

/** Occurrences of a field in frame i: values into vals, layers into lays; -1 when the columns cannot tell. */
type OccFn = (i: number, vals: Float64Array, lays: Int32Array) => number;

/**
 * How the values an OccFn writes are to be read (`check`: a check slot, compared with its name; `proto`: a
 * layer id, compared by its Protocol column; `str`: a key that ColField.text turns into the string).
 */
type ColKind = 'num' | 'addr4' | 'addr6' | 'encap' | 'check' | 'proto' | 'str';

interface ColField {
  kind: ColKind;
  occ: OccFn;
  /** Only presence can be asked (the occurrence count is not exact). */
  presenceOnly?: boolean;
  /**
   * Presence is exact but the values are not in the columns: a comparison is false where the field is absent
   * and left to the index (FilterRun's byte tier) where it is present.
   */
  valuesLater?: boolean;
  /** At most one occurrence per frame (layer 1): the field can be kept as one value per frame. */
  single?: boolean;
  /** For kind `str`: the string a value stands for. */
  text?: (v: number) => string | null;
}

/** Per-engine state shared by every filter: frame classes and address values, grown as frames arrive. */
export class ColumnContext {
  cls = new Uint8Array(0);
  private clsCount = 0;
  private v4 = new Float64Array(0);
  private v6: (Uint8Array | null)[] = [];
  /** Family (4/6) per address id. */
  fam = new Uint8Array(0);
  private addrCount = 0;

  constructor(readonly e: FrameIndex) {}

  /** Computes frame classes up to the settled frames' count. */
  update(): void {
    const st = this.e.store;
    const n = this.e.settledCount;
    if (n > this.cls.length) {
      // Sized like the index (see FilterRun.update).
      const c = new Uint8Array(Math.max(1024, n + (n >> 3), st.capacity));
      c.set(this.cls.subarray(0, this.clsCount));
      this.cls = c;
    }
    if (n < this.clsCount) this.clsCount = 0; // the store was reset (a non-retaining engine)
    for (let i = this.clsCount; i < n; i++) {
      const d = st.depth[i];
      const top = st.topProto[i];
      let c = 0;
      if (d >= 2 || (st.notes[i] & HARD_NOTES) !== 0) c |= C_COMPLEX;
      if (d === 1) {
        // By what the highest layer is (its definition's kind): a tunnel inside, or IP and its transports.
        const kind = LAYER_KIND[top];
        if (kind === KIND_TUNNEL) c |= C_COMPLEX;
        else if (kind === KIND_IP || kind === KIND_TRANSPORT || kind === KIND_APP) c |= C_INNER;
      }
      const t = st.icmpType[i];
      if ((top === P_ICMP && (t === 3 || t === 4 || t === 5 || t === 11 || t === 12)) || (top === P_ICMPV6 && t >= 1 && t <= 4)) c |= C_QUOTE;
      this.cls[i] = c;
    }
    this.clsCount = n;
    const addrs = this.e.addrs;
    if (addrs.count > this.addrCount) {
      const v4 = new Float64Array(Math.max(256, addrs.count * 2));
      v4.set(this.v4.subarray(0, this.addrCount));
      for (let id = this.addrCount; id < addrs.count; id++) {
        if (addrs.family(id) === 4) {
          v4[id] = parseIpv4(addrs.text(id));
          this.v6[id] = null;
        } else {
          v4[id] = NaN;
          this.v6[id] = parseIpv6(addrs.text(id));
        }
      }
      const fam = new Uint8Array(v4.length);
      fam.set(this.fam.subarray(0, this.addrCount));
      for (let id = this.addrCount; id < addrs.count; id++) fam[id] = addrs.family(id);
      this.v4 = v4;
      this.fam = fam;
      this.addrCount = addrs.count;
    }
  }

  private scratch = new Float64Array(0);
  private readonly vals = new Float64Array(MAX_OCC);
  private readonly lays = new Int32Array(MAX_OCC);

  /**
   * A single-valued field as one number per frame for store indices [from, to) (NaN: absent,
   * -Infinity: the columns cannot tell), in a scratch array reused from call to call (valid until the
   * next call), so a filter on it is a plain array loop. Not kept per frame: the columnar index is the
   * only per-frame memory, and a cached copy per field (8 bytes a frame) outgrew it with a few rules.
   */
  valuesOf(col: ColField, from: number, to: number): Float64Array {
    const n = to - from;
    if (n > this.scratch.length) this.scratch = new Float64Array(Math.max(n, 4096));
    const a = this.scratch;
    const { vals, lays } = this;
    const occ = col.occ;
    for (let k = 0; k < n; k++) {
      const c = occ(from + k, vals, lays);
      a[k] = c < 0 ? -Infinity : c === 0 ? NaN : vals[0];
    }
    return a;
  }

  /** Inner endpoint of frame i (0 source address, 1 destination, 2 source port, 3 destination port), or -1. */
  inner(i: number, which: 0 | 1 | 2 | 3): number {
    const st = this.e.store;
    if (st.odd.size !== 0) {
      const o = st.odd.get(i);
      if (o !== undefined) return o[which];
    }
    const f = st.flow[i];
    if (f < 0) return -1;
    // The store keeps inner endpoints as the frame's flow plus a direction bit (flows may be re-keyed
    // by a parallel merge, so they are read from the flow table each time).
    const fl = this.e.flows;
    const a = (which === 0 || which === 2) !== (st.dir[i] === 1);
    if (which < 2) return a ? fl.addrA(f) : fl.addrB(f);
    return a ? fl.portA(f) : fl.portB(f);
  }

  addr4(id: number): number {
    return this.v4[id];
  }

  addr6(id: number): Uint8Array | null {
    return this.v6[id] ?? null;
  }

  get addressCount(): number {
    return this.addrCount;
  }
}

/** Flag bits each tcp.analysis.* presence field tests (retransmission: fast and spurious ones too, as in Wireshark). */
const TCP_ANALYSIS_BITS: ReadonlyMap<string, number> = new Map([
  ['tcp.analysis', 0xffff],
  ['tcp.analysis.flags', 0xffff],
  ...TCP_FLAGS.map((f): [string, number] => [f.field, f.bit === TA_RETRANSMISSION ? TA_ANY_RETRANSMISSION : f.bit]),
]);

/** The column field for a registry name, or null when only the bytes know it. */
function columnField(ctx: ColumnContext, name: string): ColField | null {
  const e = ctx.e;
  const st = e.store;
  const tenants = e.tenants;
  const vnidOf = (i: number): number => {
    const t = st.tenant[i];
    return t >= 0 ? tenants.vnid[t] : -1;
  };
  const one = (v: number, vals: Float64Array, lays: Int32Array): number => { vals[0] = v; lays[0] = 1; return 1; };

  // Exact for every frame.
  switch (name) {
    case 'frame': return { kind: 'num', single: true, occ: (_i, v, l) => one(1, v, l) };
    case 'frame.number': return { kind: 'num', single: true, occ: (i, v, l) => one(i + 1, v, l) };
    case 'frame.len': return { kind: 'num', single: true, occ: (i, v, l) => one(st.origlen[i], v, l) };
    case 'frame.cap_len': return { kind: 'num', single: true, occ: (i, v, l) => one(st.caplen[i], v, l) };
    case 'frame.interface_id': return { kind: 'num', single: true, occ: (i, v, l) => one(st.iface[i], v, l) };
    case '_ws.col.protocol': return { kind: 'proto', occ: (i, v, l) => one(st.topProto[i], v, l) };
    case 'frame.time': case 'frame.time_epoch':
      return { kind: 'num', occ: (i, v, l) => (st.hasTimeOf(i) ? one(st.secOf(i) + st.nsecOf(i) / 1e9, v, l) : 0) };
    case 'frame.time_relative':
      return {
        kind: 'num',
        occ: (i, v, l) => (st.hasTimeOf(i) && !Number.isNaN(e.refSec)
          ? one((st.secOf(i) - e.refSec) + (st.nsecOf(i) - e.refNsec) / 1e9, v, l) : 0),
      };
    // The frame's tenant, not its own tunnel header: an IP fragment belongs to its datagram's tenant.
    case 'tenant': return { kind: 'num', single: true, occ: (i, v, l) => (st.tenant[i] >= 0 ? one(1, v, l) : 0) };
    case 'tenant.encap': return { kind: 'encap', occ: (i, v, l) => { const t = st.tenant[i]; return t >= 0 ? one(e.tenants.encap[t], v, l) : 0; } };
    case 'tenant.vnid': return { kind: 'num', single: true, occ: (i, v, l) => { const x = vnidOf(i); return x >= 0 ? one(x, v, l) : 0; } };
    case 'checksum.bad': return { kind: 'num', single: true, occ: (i, v, l) => (st.badMaskOf(i) !== 0 ? one(1, v, l) : 0) };
    case 'checksum.partial': return { kind: 'num', single: true, occ: (i, v, l) => (st.partialMaskOf(i) !== 0 ? one(1, v, l) : 0) };
    case 'checksum.zero': return { kind: 'num', single: true, occ: (i, v, l) => (st.zeroMaskOf(i) !== 0 && e.notableZeroMask(i) !== 0 ? one(1, v, l) : 0) };
    case 'checksum.unverified': return { kind: 'num', single: true, occ: (i, v, l) => (st.unverMaskOf(i) !== 0 ? one(1, v, l) : 0) };
    case 'checksum.bad.check': return { kind: 'check', occ: (i, v, l) => slots(st.badMaskOf(i), v, l) };
    case 'checksum.partial.check': return { kind: 'check', occ: (i, v, l) => slots(st.partialMaskOf(i), v, l) };
    case 'checksum.zero.check': return { kind: 'check', occ: (i, v, l) => slots(st.zeroMaskOf(i) !== 0 ? e.notableZeroMask(i) : 0, v, l) };
    case 'checksum.unverified.check': return { kind: 'check', occ: (i, v, l) => slots(st.unverMaskOf(i), v, l) };
    // Expert items (decoders/analysis/expert.ts): the engine's flags and notes, exact for every frame; a frame with more
    // messages than an occurrence list holds is left to the byte tier (it reads the same list).
    case '_ws.expert': return { kind: 'num', single: true, occ: (i, v, l) => (expertKeys(e, i, v, 0) > 0 ? one(1, v, l) : 0) };
    case '_ws.malformed': return { kind: 'num', single: true, occ: (i, v, l) => (isMalformed(e, i) ? one(1, v, l) : 0) };
    case '_ws.expert.message':
      return {
        kind: 'str',
        text: expertMessage,
        occ: (i, v, l) => {
          const n = expertKeys(e, i, v, MAX_OCC);
          if (n > MAX_OCC) return -1;
          for (let k = 0; k < n; k++) l[k] = 1;
          return n;
        },
      };
    // TCP analysis: the engine's flags per frame (its innermost TCP), exact for every frame.
    case 'tcp.analysis.duplicate_ack_num': return { kind: 'num', single: true, occ: (i, v, l) => { const x = e.dupAcks.numAt(i); return x >= 0 ? one(x, v, l) : 0; } };
    // Conversations (decoders/analysis/streams.ts): the frame's flow, exact for every frame.
    case 'tcp.stream': return { kind: 'num', single: true, occ: (i, v, l) => { const x = e.streams.tcpOf(i); return x >= 0 ? one(x, v, l) : 0; } };
    case 'udp.stream': return { kind: 'num', single: true, occ: (i, v, l) => { const x = e.streams.udpOf(i); return x >= 0 ? one(x, v, l) : 0; } };
    case 'tcp.analysis.duplicate_ack_frame': return { kind: 'num', single: true, occ: (i, v, l) => { const x = e.dupAcks.frameAt(i); return x >= 0 ? one(x, v, l) : 0; } };
    default: {
      const bits = TCP_ANALYSIS_BITS.get(name);
      if (bits !== undefined) return { kind: 'num', single: true, occ: (i, v, l) => ((st.tcpAnalysis[i] & bits) !== 0 ? one(1, v, l) : 0) };
      break;
    }
  }

  const meta = metaColumn(e, name);
  if (meta !== null) return meta;

  // IP layers: the outer one (one tunnel) and the inner one. No closure is made per frame: this runs
  // a million times per filter.
  const ip = (fam: 4 | 6, what: 'src' | 'dst' | 'addr' | 'proto' | 'any'): ColField => {
    const wSrc = what === 'src' || what === 'addr', wDst = what === 'dst' || what === 'addr';
    const wProto = what === 'proto', wAny = what === 'any';
    return {
      kind: wProto || wAny ? 'num' : fam === 4 ? 'addr4' : 'addr6',
      occ: (i, vals, lays) => {
        const c = ctx.cls[i];
        if ((c & (C_COMPLEX | C_QUOTE)) !== 0) return -1;
        const F = ctx.fam;
        let n = 0, layer = 0;
        let proto: number;
        if (st.depth[i] === 1) {
          const src = st.outerSrc[i];
          if (src >= 0 && F[src] === fam) {
            layer++;
            if (wSrc) { vals[n] = src; lays[n++] = layer; }
            if (wDst) { vals[n] = st.outerDst[i]; lays[n++] = layer; }
            if (wProto) { const p = st.outerProto[i]; if (p < 0) return -1; vals[n] = p; lays[n++] = layer; }
            if (wAny) { vals[n] = 1; lays[n++] = layer; }
          }
          if ((c & C_INNER) === 0) return n;
          // The inner IPv4 protocol is the proto column; an inner IPv6 may have extension headers before it.
          proto = fam === 4 ? st.protoOf(i) : -1;
        } else {
          proto = st.outerProto[i];
        }
        const src = ctx.inner(i, 0);
        if (src >= 0 && F[src] === fam) {
          layer++;
          if (wSrc) { vals[n] = src; lays[n++] = layer; }
          if (wDst) { vals[n] = ctx.inner(i, 1); lays[n++] = layer; }
          if (wProto) { if (proto < 0) return -1; vals[n] = proto; lays[n++] = layer; }
          if (wAny) { vals[n] = 1; lays[n++] = layer; }
        }
        return n;
      },
    };
  };
  const transport = (top: number, what: 'src' | 'dst' | 'port' | 'any' | 'flags' | 'bit', bit = 0): ColField => {
    const w = TW[what];
    return {
      kind: 'num',
      // One TCP layer at most (the innermost); UDP may also carry the tunnel.
      single: top === P_TCP && what !== 'port',
      occ: (i, vals, lays) => {
        if ((ctx.cls[i] & (C_COMPLEX | C_QUOTE)) !== 0) return -1;
        let n = 0, layer = 0;
        if (top === P_UDP) {
          const tp = st.tunPorts[i];
          if (tp !== -1) n = putTransport(vals, lays, n, ++layer, w, bit, tp >>> 16, tp & 0xffff, 0);
        }
        if (transportOf(st.topProto[i], st.tcpFlags[i]) === top) {
          n = putTransport(vals, lays, n, ++layer, w, bit, w & (TW.src | TW.port) ? ctx.inner(i, 2) : 0, w & (TW.dst | TW.port) ? ctx.inner(i, 3) : 0, st.tcpFlags[i]);
        }
        return n;
      },
    };
  };
  const icmp = (top: number, what: 'type' | 'code' | 'any'): ColField => ({
    kind: 'num',
    single: true,
    occ: (i, vals, lays) => {
      if ((ctx.cls[i] & C_COMPLEX) !== 0) return -1;
      if (st.topProto[i] !== top) return 0;
      return one(what === 'type' ? st.icmpType[i] : what === 'code' ? st.icmpCode[i] : 1, vals, lays);
    },
  });
  /** The outermost tunnel header (frames with one tunnel have no other). */
  const tunnel = (encaps: readonly number[], value: (i: number) => number): ColField => ({
    kind: 'num',
    single: true,
    occ: (i, vals, lays) => {
      if ((ctx.cls[i] & C_COMPLEX) !== 0) return -1;
      if (!encaps.includes(st.encap[i])) return 0;
      const v = value(i);
      return v === -2 ? -1 : v < 0 ? 0 : one(v, vals, lays);
    },
  });
  const status = (kind: number): ColField => ({
    kind: 'num',
    occ: (i, vals, lays) => {
      if ((ctx.cls[i] & C_COMPLEX) !== 0) return -1;
      let n = 0;
      for (let d = 0; d < 2; d++) {
        const bit = 1 << (d * CHECK_KINDS + kind);
        if ((st.checkMaskOf(i) & bit) === 0) continue;
        vals[n] = (st.badMaskOf(i) & bit) !== 0 ? V_BAD : (st.partialMaskOf(i) & bit) !== 0 ? V_PARTIAL
          : (st.zeroMaskOf(i) & bit) !== 0 ? V_ZERO : (st.unverMaskOf(i) & bit) !== 0 ? V_UNVERIFIED : V_GOOD;
        lays[n] = n + 1;
        n++;
      }
      return n;
    },
  });
  const TCP_BITS: Record<string, number> = {
    'tcp.flags.fin': 0, 'tcp.flags.syn': 1, 'tcp.flags.reset': 2, 'tcp.flags.push': 3, 'tcp.flags.ack': 4,
    'tcp.flags.urg': 5, 'tcp.flags.ece': 6, 'tcp.flags.cwr': 7, 'tcp.flags.ae': 8,
  };
  if (TCP_BITS[name] !== undefined) return transport(P_TCP, 'bit', TCP_BITS[name]);
  switch (name) {
    case 'ip': return ip(4, 'any');
    case 'ip.src': return ip(4, 'src');
    case 'ip.dst': return ip(4, 'dst');
    case 'ip.addr': return ip(4, 'addr');
    case 'ip.proto': return ip(4, 'proto');
    case 'ipv6': return ip(6, 'any');
    case 'ipv6.src': return ip(6, 'src');
    case 'ipv6.dst': return ip(6, 'dst');
    case 'ipv6.addr': return ip(6, 'addr');
    case 'ipv6.nxt': return ip(6, 'proto');
    case 'tcp': return transport(P_TCP, 'any');
    case 'tcp.srcport': return transport(P_TCP, 'src');
    case 'tcp.dstport': return transport(P_TCP, 'dst');
    case 'tcp.port': return transport(P_TCP, 'port');
    case 'tcp.flags': return transport(P_TCP, 'flags');
    case 'udp': return transport(P_UDP, 'any');
    case 'udp.srcport': return transport(P_UDP, 'src');
    case 'udp.dstport': return transport(P_UDP, 'dst');
    case 'udp.port': return transport(P_UDP, 'port');
    case 'icmp': return icmp(P_ICMP, 'any');
    case 'icmp.type': return icmp(P_ICMP, 'type');
    case 'icmp.code': return icmp(P_ICMP, 'code');
    case 'icmpv6': return icmp(P_ICMPV6, 'any');
    case 'icmpv6.type': return icmp(P_ICMPV6, 'type');
    case 'icmpv6.code': return icmp(P_ICMPV6, 'code');
    case 'gre': return tunnel([ENC_NVGRE, ENC_GRE], () => 1);
    // Plain GRE: whether it has a key, and its protocol, are in the bytes only (-2: cannot tell).
    case 'gre.key': return tunnel([ENC_NVGRE, ENC_GRE], (i) => (st.encap[i] === ENC_GRE ? -2 : vnidOf(i) * 256 + st.flowId[i]));
    case 'gre.proto': return tunnel([ENC_NVGRE, ENC_GRE], (i) => (st.encap[i] === ENC_GRE ? -2 : 0x6558));
    case 'nvgre.flowid': return tunnel([ENC_NVGRE], (i) => st.flowId[i]);
    case 'ip.checksum.status': return status(CK_IPV4);
    case 'tcp.checksum.status': return status(CK_TCP);
    case 'udp.checksum.status': return status(CK_UDP);
    case 'gre.checksum.status': return status(CK_GRE);
    case 'icmp.checksum.status': return status(CK_ICMP);
    case 'icmpv6.checksum.status': return status(CK_ICMPV6);
    case 'eth':
      return {
        kind: 'num',
        presenceOnly: true,
        occ: (i, vals, lays) => {
          if (st.linktype[i] === 1) return one(1, vals, lays);
          if ((ctx.cls[i] & C_COMPLEX) !== 0) return -1;
          if (st.depth[i] === 0) return 0;
          return st.encap[i] === ENC_NVGRE || st.encap[i] === ENC_VXLAN ? one(1, vals, lays) : -1;
        },
      };
    default: {
      const app = layerByName(name);
      if (app !== undefined && app.kind === 'app') {
        const id = app.id;
        return {
          kind: 'num',
          single: true,
          occ: (i, vals, lays) => ((ctx.cls[i] & (C_COMPLEX | C_QUOTE)) !== 0 ? -1 : st.topProto[i] === id ? one(1, vals, lays) : 0),
        };
      }
      // Every registered tunnel (its layer definition): the protocol, and its tenant id field (an id the
      // frame does not carry, VXLAN without the I flag, is for the bytes to tell).
      for (const t of tunnelSpecs()) {
        if (name === t.name) return tunnel([t.encap], () => 1);
        if (name === t.idField) return tunnel([t.encap], (i) => { const v = vnidOf(i); return v < 0 ? -2 : v; });
      }
      return null;
    }
  }
}

/** Capture metadata (decoders/analysis/frame-meta.ts): exact for every frame, from the frame index. */
function metaColumn(e: FrameIndex, name: string): ColField | null {
  const x = e.extras;
  const one = (v: number, vals: Float64Array, lays: Int32Array): number => { vals[0] = v; lays[0] = 1; return 1; };
  const fl = FLAG_FIELDS.get(name);
  if (fl !== undefined) {
    const [mask, shift] = fl;
    return { kind: 'num', single: true, occ: (i, v, l) => ((x.numericHas(i) & EPB_HAS_FLAGS) !== 0 ? one(flagValue(x.flags(i), mask, shift), v, l) : 0) };
  }
  const num = (get: (i: number) => number): ColField => ({
    kind: 'num', single: true, occ: (i, v, l) => { const n = get(i); return Number.isNaN(n) ? 0 : one(n, v, l); },
  });
  // Interface strings: the value is the interface's index (all sections together).
  const iface = (get: (k: number) => string | null): ColField => ({
    kind: 'str',
    single: true,
    text: (k) => get(k),
    occ: (i, v, l) => { const k = e.interfaceIndex(i + 1); return get(k) !== null ? one(k, v, l) : 0; },
  });
  const later = (bit: number): ColField => ({
    kind: 'num',
    valuesLater: true,
    occ: (i, v, l) => {
      if (!x.any(bit)) return 0;
      const n = (metaValues(e, i, name) ?? []).length;
      for (let k = 0; k < n && k < MAX_OCC; k++) { v[k] = 0; l[k] = 1; }
      return Math.min(n, MAX_OCC);
    },
  });
  switch (name) {
    case 'frame.superframe': return { kind: 'num', single: true, occ: (i, v, l) => (e.isSuperframe(i) ? one(1, v, l) : 0) };
    case 'frame.interface_queue': return num((i) => x.queue(i));
    case 'frame.packet_id': return num((i) => x.packetId(i));
    case 'frame.drop_count': return num((i) => x.dropCount(i));
    case 'frame.interface_name': return iface((k) => e.interfaces()[k]?.name ?? null);
    case 'frame.interface_description': return iface((k) => e.interfaces()[k]?.description ?? null);
    case 'frame.comment': return { kind: 'num', valuesLater: true, occ: (i, v, l) => (x.comment(i) !== null ? one(0, v, l) : 0) };
    case 'frame.hash': case 'frame.hash.value': return later(EPB_HAS_HASH);
    case 'frame.verdict': case 'frame.verdict.hw': case 'frame.verdict.ebpf_tc': case 'frame.verdict.ebpf_xdp': case 'frame.verdict.unknown':
      return later(EPB_HAS_VERDICT);
    default: return null;
  }
}

/** The check slots set in `mask` as occurrences (all of layer 1: the checks are the frame's, not a layer's). */
function slots(mask: number, vals: Float64Array, lays: Int32Array): number {
  let n = 0;
  for (let slot = 0; mask >>> slot !== 0; slot++) {
    if ((mask & (1 << slot)) !== 0) { vals[n] = slot; lays[n++] = 1; }
  }
  return n;
}

const TW = { src: 1, dst: 2, port: 4, any: 8, flags: 16, bit: 32 } as const;

function putTransport(vals: Float64Array, lays: Int32Array, n: number, layer: number, w: number, bit: number, sp: number, dp: number, flags: number): number {
  if (w & (TW.src | TW.port)) { vals[n] = sp; lays[n++] = layer; }
  if (w & (TW.dst | TW.port)) { vals[n] = dp; lays[n++] = layer; }
  if (w & TW.any) { vals[n] = 1; lays[n++] = layer; }
  if (w & TW.flags) { vals[n] = flags; lays[n++] = layer; }
  if (w & TW.bit) { vals[n] = (flags >> bit) & 1; lays[n++] = layer; }
  return n;
}

/** Tri-state combination tables: index a * 3 + b. */
const AND3 = Uint8Array.of(0, 0, 0, 0, 1, 2, 0, 2, 2);
const OR3 = Uint8Array.of(0, 1, 2, 1, 1, 1, 2, 1, 2);
const XOR3 = Uint8Array.of(0, 1, 2, 1, 0, 2, 2, 2, 2);
const NOT3 = Uint8Array.of(1, 0, 2);

/**
 * Writes the tri-state result of frames [from, to) into out[0 .. to-from). `mask` (same indexing), when
 * given, says which frames matter: where it is 0 the result is not looked at (and left 0), so `a && b`
 * evaluates b only where a is not false, `a || b` only where a is not true.
 */
export type ColEval = (out: Uint8Array, from: number, to: number, mask: Uint8Array | null) => void;

export interface ColumnPlan {
  eval: (out: Uint8Array, from: number, to: number) => void;
  /** False when some frame may come out "cannot tell" (the filter reads fields the columns lack). */
  exact: boolean;
}

export function planColumns(ctx: ColumnContext, pred: Pred): ColumnPlan {
  let exact = true;
  const scratch: Uint8Array[] = [];
  let depth = 0;
  const buf = (n: number, k: number): Uint8Array => {
    let b = scratch[depth * 2 + k];
    if (b === undefined || b.length < n) b = scratch[depth * 2 + k] = new Uint8Array(Math.max(n, 4096));
    return b;
  };
  const unknown = (): ColEval => {
    exact = false;
    return (out, from, to, mask) => {
      const n = to - from;
      if (mask === null) out.fill(2, 0, n);
      else for (let k = 0; k < n; k++) out[k] = mask[k] !== 0 ? 2 : 0;
    };
  };
  /** `skip`: the left value that decides alone (0 for and, 1 for or); -1: none (xor). */
  const combine = (a: ColEval, b: ColEval, table: Uint8Array, skip: number): ColEval => (out, from, to, mask) => {
    const n = to - from;
    a(out, from, to, mask);
    depth++;
    const tmp = buf(n, 0);
    const mb = buf(n, 1);
    let any = false;
    for (let k = 0; k < n; k++) {
      const m = (mask === null || mask[k] !== 0) && out[k] !== skip ? 1 : 0;
      mb[k] = m;
      if (m !== 0) any = true;
    }
    if (any) b(tmp, from, to, mb);
    depth--;
    if (!any) return;
    for (let k = 0; k < n; k++) if (mb[k] !== 0) out[k] = table[out[k] * 3 + tmp[k]];
  };
  const plan = (p: Pred): ColEval => {
    switch (p.k) {
      case 'and': return combine(plan(p.a), plan(p.b), AND3, 0);
      case 'or': return combine(plan(p.a), plan(p.b), OR3, 1);
      case 'xor': return combine(plan(p.a), plan(p.b), XOR3, -1);
      case 'not': {
        const a = plan(p.a);
        return (out, from, to, mask) => {
          a(out, from, to, mask);
          for (let k = 0, n = to - from; k < n; k++) out[k] = NOT3[out[k]];
        };
      }
      default: {
        const leaf = planLeaf(ctx, p);
        if (leaf !== null) return leaf;
        const gate = appGate(ctx, p);
        if (gate === null) return unknown();
        exact = false;
        return gate;
      }
    }
  };
  const ev = plan(pred);
  return { eval: (out, from, to) => ev(out, from, to, null), exact };
}

/**
 * A leaf on a field of an application layer that the index does not hold (`dns.qry.name == "x"`,
 * `http.request`, `tls contains 16:03`): false in every frame whose highest layer is no application layer
 * (those frames' layers are all in the index, and such a leaf is false without its field); the bytes decide
 * the others. Null for any other leaf.
 */
function appGate(ctx: ColumnContext, p: Pred): ColEval | null {
  const e = p.k === 'exists' ? null : p.k === 'truthy' || p.k === 'cmp' || p.k === 'in' || p.k === 'contains' || p.k === 'matches' ? p.e : undefined;
  if (e === undefined) return null;
  const name = e === null ? (p as { f: FieldRef }).f.name : gatedField(e);
  if (name === null || fieldLayer(name)?.kind !== 'app') return null;
  const st = ctx.e.store;
  return (out, from, to, skip) => {
    ctx.update();
    const cls = ctx.cls, top = st.topProto;
    for (let i = from; i < to; i++) {
      if (skip !== null && skip[i - from] === 0) { out[i - from] = 0; continue; }
      out[i - from] = (cls[i] & (C_COMPLEX | C_QUOTE)) !== 0 || LAYER_KIND[top[i]] === KIND_APP ? 2 : 0;
    }
  };
}

/** The field an expression reads when it is absent exactly where the field is (not `count`, which is 0 then). */
function gatedField(e: CExpr): string | null {
  switch (e.k) {
    case 'field': return e.f.name;
    case 'band': case 'slice': case 'len': case 'case': return gatedField(e.e);
    default: return null;
  }
}

/** A field (or a masked field) the columns hold, with its layer selection and mask. */
function columnExpr(ctx: ColumnContext, e: CExpr): { col: ColField; f: FieldRef; mask: number } | null {
  let mask = -1;
  if (e.k === 'band' && e.e.k === 'field') { mask = e.mask; e = e.e; }
  if (e.k !== 'field') return null;
  const col = columnField(ctx, e.f.name);
  if (col === null) return null;
  if (col.presenceOnly) return null;
  return { col, f: e.f, mask };
}

function planLeaf(ctx: ColumnContext, p: Pred): ColEval | null {
  let src: { col: ColField; f: FieldRef; mask: number } | null;
  let test: ((v: number) => boolean) | null = null;
  let quant: CmpKind | 'exists' | 'truthy' = 'any_eq';
  switch (p.k) {
    case 'exists': {
      const col = columnField(ctx, p.f.name);
      if (col === null || (col.presenceOnly && p.f.layer !== null)) return null;
      src = { col, f: p.f, mask: -1 };
      quant = 'exists';
      break;
    }
    case 'truthy':
      src = columnExpr(ctx, p.e);
      quant = 'truthy';
      break;
    case 'cmp': {
      src = columnExpr(ctx, p.e);
      if (src === null) return null;
      if (src.col.valuesLater) break;
      test = litTest(ctx, src.col, p.lit, p.op);
      quant = p.op;
      break;
    }
    case 'in': {
      src = columnExpr(ctx, p.e);
      if (src === null) return null;
      if (src.col.valuesLater) break;
      const tests = p.items.map((it) => {
        const lo = litTest(ctx, (src as { col: ColField }).col, it.lo, it.hi === null ? 'any_eq' : 'ge');
        const hi = it.hi === null ? null : litTest(ctx, (src as { col: ColField }).col, it.hi, 'le');
        if (lo === null || (it.hi !== null && hi === null)) return null;
        return hi === null ? lo : (v: number) => lo(v) && hi(v);
      });
      if (tests.some((t) => t === null)) return null;
      const ts = tests as ((v: number) => boolean)[];
      test = ts.length === 1 ? ts[0] : (v) => { for (const t of ts) if (t(v)) return true; return false; };
      quant = 'any_eq';
      break;
    }
    default:
      return null;
  }
  if (src === null) return null;
  if (src.col.valuesLater && quant !== 'exists') return laterKernel(ctx, src.col);
  if (test === null && quant !== 'exists' && quant !== 'truthy') return null;
  const { col, f, mask } = src;
  if (col.single && (f.layer === null || f.layer === 1 || f.layer === -1) && mask === -1 && col.kind === 'num') {
    const lit = p.k === 'cmp' && p.lit.vt === 'num' && p.lit.set === null ? p.lit.n : null;
    if (quant === 'exists' || (lit !== null && p.k === 'cmp')) return singleKernel(ctx, col, quant, lit ?? 0);
  }
  const occ = col.occ;
  const layer = f.layer;
  const vals = new Float64Array(MAX_OCC);
  const lays = new Int32Array(MAX_OCC);
  const t = test ?? ((v: number) => v !== 0);
  const q = quant;
  return (out, from, to, skip) => {
    ctx.update();
    for (let i = from; i < to; i++) {
      if (skip !== null && skip[i - from] === 0) { out[i - from] = 0; continue; }
      let n = occ(i, vals, lays);
      if (n < 0) { out[i - from] = 2; continue; }
      if (layer !== null && n > 0) {
        let want = layer;
        if (want < 0) {
          let max = 0;
          for (let k = 0; k < n; k++) if (lays[k] > max) max = lays[k];
          want = max + 1 + want;
        }
        let m = 0;
        for (let k = 0; k < n; k++) if (lays[k] === want) vals[m++] = vals[k];
        n = m;
      }
      if (mask !== -1) for (let k = 0; k < n; k++) vals[k] = (vals[k] & mask) >>> 0;
      let r: boolean;
      if (q === 'exists') r = n > 0;
      else if (q === 'any_eq' || q === 'truthy' || q === 'gt' || q === 'ge' || q === 'lt' || q === 'le') {
        r = false;
        for (let k = 0; k < n; k++) if (t(vals[k])) { r = true; break; }
      } else if (q === 'all_ne') {
        r = n > 0;
        for (let k = 0; k < n; k++) if (t(vals[k])) { r = false; break; }
      } else if (q === 'all_eq') {
        r = n > 0;
        for (let k = 0; k < n; k++) if (!t(vals[k])) { r = false; break; }
      } else {
        r = false; // any_ne
        for (let k = 0; k < n; k++) if (!t(vals[k])) { r = true; break; }
      }
      out[i - from] = r ? 1 : 0;
    }
  };
}

/** A comparison on a field whose values the columns lack (valuesLater): false where it is absent, else "cannot tell". */
function laterKernel(ctx: ColumnContext, col: ColField): ColEval {
  const vals = new Float64Array(MAX_OCC);
  const lays = new Int32Array(MAX_OCC);
  return (out, from, to, skip) => {
    ctx.update();
    for (let i = from; i < to; i++) {
      out[i - from] = (skip !== null && skip[i - from] === 0) || col.occ(i, vals, lays) === 0 ? 0 : 2;
    }
  };
}

/** A comparison on a single-valued field, as a loop over its per-frame values with the operator fixed. */
function singleKernel(ctx: ColumnContext, col: ColField, q: CmpKind | 'exists' | 'truthy', lit: number): ColEval {
  return (out, from, to, skip) => {
    ctx.update();
    const a = ctx.valuesOf(col, from, to);
    const n = to - from;
    // v !== v: absent (NaN) -> 0; -Infinity: cannot tell -> 2.
    switch (q) {
      case 'exists':
        for (let k = 0; k < n; k++) { const v = a[k]; out[k] = v !== v ? 0 : v === -Infinity ? 2 : 1; }
        break;
      case 'any_eq': case 'all_eq':
        for (let k = 0; k < n; k++) { const v = a[k]; out[k] = v === lit ? 1 : v === -Infinity ? 2 : 0; }
        break;
      case 'all_ne': case 'any_ne':
        for (let k = 0; k < n; k++) { const v = a[k]; out[k] = v !== v || v === lit ? 0 : v === -Infinity ? 2 : 1; }
        break;
      case 'gt':
        for (let k = 0; k < n; k++) { const v = a[k]; out[k] = v > lit ? 1 : v === -Infinity ? 2 : 0; }
        break;
      case 'ge':
        for (let k = 0; k < n; k++) { const v = a[k]; out[k] = v >= lit ? 1 : v === -Infinity ? 2 : 0; }
        break;
      case 'lt':
        for (let k = 0; k < n; k++) { const v = a[k]; out[k] = v === -Infinity ? 2 : v < lit ? 1 : 0; }
        break;
      case 'le':
        for (let k = 0; k < n; k++) { const v = a[k]; out[k] = v === -Infinity ? 2 : v <= lit ? 1 : 0; }
        break;
      default:
        for (let k = 0; k < n; k++) { const v = a[k]; out[k] = v === -Infinity ? 2 : v !== v || v === 0 ? 0 : 1; }
    }
    if (skip !== null) for (let k = 0; k < n; k++) if (skip[k] === 0) out[k] = 0;
  };
}

/**
 * Per-value test for a literal: equality for ==, != (negated by the quantifier), ===, !==; the ordering
 * itself for < > <= >=. Values are numbers, address ids or encap codes. Null when it cannot be done here.
 */
function litTest(ctx: ColumnContext, col: ColField, lit: Lit, op: CmpKind): ((v: number) => boolean) | null {
  const kind = col.kind;
  const ordered = op === 'gt' || op === 'ge' || op === 'lt' || op === 'le';
  const ord = (sign: number): boolean => (op === 'gt' ? sign > 0 : op === 'ge' ? sign >= 0 : op === 'lt' ? sign < 0 : sign <= 0);
  switch (kind) {
    case 'num':
      if (lit.vt !== 'num') return null;
      return ordered ? (v) => ord(compareLit(v, lit)) : (v) => equalsLit(v, lit);
    case 'check': {
      if (lit.vt !== 'str' || ordered) return null;
      const slot = CHECK_NAMES.indexOf(lit.s);
      return (v) => v === slot;
    }
    case 'encap': {
      if (lit.vt !== 'str' || ordered) return null;
      const code = encapCode(lit.s);
      return (v) => v === code;
    }
    case 'proto': {
      // Layer ids whose Protocol column reads as the literal (a few ids; compared by name once each).
      if (lit.vt !== 'str' || ordered) return null;
      const ids = new Uint8Array(256);
      for (let id = 0; id < 256; id++) ids[id] = protoName(id) === lit.s ? 1 : 0;
      return (v) => ids[v] === 1;
    }
    case 'str': {
      const text = col.text;
      if (lit.vt !== 'str' || text === undefined) return null;
      return ordered ? (v) => { const t = text(v); return t !== null && ord(t < lit.s ? -1 : t > lit.s ? 1 : 0); } : (v) => text(v) === lit.s;
    }
    case 'addr4': case 'addr6': {
      if ((kind === 'addr4' ? lit.vt !== 'ipv4' : lit.vt !== 'ipv6')) return null;
      // Per address id: 0 unknown yet, 1 no, 2 yes.
      let memo = new Uint8Array(256);
      return (id) => {
        if (id >= memo.length) {
          const m = new Uint8Array(Math.max(id + 1, memo.length * 2));
          m.set(memo);
          memo = m;
        }
        let r = memo[id];
        if (r === 0) {
          const a = kind === 'addr4' ? ctx.addr4(id) : ctx.addr6(id);
          const ok = a !== null && !(typeof a === 'number' && Number.isNaN(a))
            && (ordered ? ord(compareLit(a, lit)) : equalsLit(a, lit));
          r = memo[id] = ok ? 2 : 1;
        }
        return r === 2;
      };
    }
  }
}
