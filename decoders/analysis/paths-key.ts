// The invariant key of a frame for "where did it break": what stays the same while one packet crosses an
// overlay path (tenant, innermost addresses, protocol, IP id, ports, TCP sequence/acknowledgment/flags, ICMP
// type/code/id/sequence, the declared transport length), and apart from it a hash of the transport payload.
// Outer headers, TTLs and checksums are left out: they may differ between capture points. The payload hash is
// kept apart so that a copy whose payload was corrupted on the way still finds its original (matching prefers
// an equal payload, it does not require it).
//
// Computed in a second pass over a loaded capture, reading frames back in batches (as the filter's byte tier
// does): the load's per-frame hot path is not touched.

import { dissect } from '../dissect.ts';
import { newSummary, type Summary } from '../summary.ts';
import type { FrameBytesSource } from '../filter/runner.ts';
import type { FrameIndex } from './frame-index.ts';
import { readBatch } from './read-batch.ts';
import { Hash53 } from './paths-hash.ts';

/** Per frame (store index) of one capture: the key (53-bit hash) and the payload hash. */
export interface FrameKeys {
  key: Float64Array;
  payload: Int32Array;
}

const keyHash = new Hash53();
const payloadHash = new Hash53();

/** Where computeKey leaves its answer (one reused object). */
export interface KeyOut {
  key: number;
  payload: number;
}

/** Offset of the transport header after an IPv6 header at ip (extension headers skipped), or -1. */
function ipv6Transport(b: Uint8Array, ip: number, end: number, proto: number): number {
  let nh = b[ip + 6];
  let q = ip + 40;
  while (nh !== proto && (nh === 0 || nh === 43 || nh === 60 || nh === 51 || nh === 44) && q + 8 <= end) {
    const len = nh === 44 ? 8 : nh === 51 ? (b[q + 1] + 2) * 4 : (b[q + 1] + 1) * 8;
    nh = b[q];
    q += len;
  }
  return nh === proto && q <= end ? q : -1;
}

/**
 * The key of one frame, b[off, off + caplen). `s` is a scratch Summary. Frames without IP are keyed on all
 * their bytes (only identical copies match).
 */
export function computeKey(b: Uint8Array, off: number, caplen: number, origlen: number, linktype: number, s: Summary, out: KeyOut): void {
  dissect(b, off, caplen, origlen, linktype, s);
  const end = off + caplen;
  const k = keyHash.reset(1).word(s.encap).word(s.vnid);
  const p = payloadHash.reset(2);
  if (s.fragDepth >= 0) {
    // An IP fragment alone: keyed on its own IP header's identity and offset, its payload hashed.
    const fam = s.fragFamily;
    k.word(0x46524147).word(fam).bytes(b, off + s.fragSrcOff, off + s.fragSrcOff + (fam === 4 ? 4 : 16))
      .bytes(b, off + s.fragDstOff, off + s.fragDstOff + (fam === 4 ? 4 : 16))
      .word(s.fragId).word(s.fragOffset).word(s.fragMore).word(s.fragProto).word(s.fragDeclLen);
    const from = off + s.fragPayOff;
    p.bytes(b, from, Math.min(end, from + s.fragPayLen));
  } else if (s.innerFamily === 4 || s.innerFamily === 6) {
    const v4 = s.innerFamily === 4;
    const ip = off + s.innerSrcOff - (v4 ? 12 : 8);
    const alen = v4 ? 4 : 16;
    const proto = s.innerProto;
    k.word(s.innerFamily).bytes(b, off + s.innerSrcOff, off + s.innerSrcOff + alen).bytes(b, off + s.innerDstOff, off + s.innerDstOff + alen).word(proto);
    let l4 = -1, ipEnd = end;
    if (v4 && ip + 20 <= end) {
      const tot = (b[ip + 2] << 8) | b[ip + 3];
      k.word((b[ip + 4] << 8) | b[ip + 5]);
      l4 = ip + (b[ip] & 15) * 4;
      if (tot !== 0) ipEnd = ip + tot;
    } else if (!v4 && ip + 40 <= end) {
      const plen = (b[ip + 4] << 8) | b[ip + 5];
      l4 = ipv6Transport(b, ip, end, proto);
      if (plen !== 0) ipEnd = ip + 40 + plen;
    }
    if (l4 >= 0) {
      k.word(ipEnd - l4);
      let data = l4;
      if (proto === 6 && l4 + 20 <= end) {
        k.word((b[l4] << 24) | (b[l4 + 1] << 16) | (b[l4 + 2] << 8) | b[l4 + 3]);
        k.word((b[l4 + 4] << 24) | (b[l4 + 5] << 16) | (b[l4 + 6] << 8) | b[l4 + 7]);
        k.word((b[l4 + 8] << 24) | (b[l4 + 9] << 16) | (b[l4 + 10] << 8) | b[l4 + 11]);
        k.word(((b[l4 + 12] & 15) << 8) | b[l4 + 13]);
        data = l4 + (b[l4 + 12] >> 4) * 4;
      } else if (proto === 17 && l4 + 8 <= end) {
        k.word((b[l4] << 24) | (b[l4 + 1] << 16) | (b[l4 + 2] << 8) | b[l4 + 3]);
        data = l4 + 8;
      } else if ((proto === 1 || proto === 58) && l4 + 8 <= end) {
        k.word((b[l4] << 8) | b[l4 + 1]).word((b[l4 + 4] << 24) | (b[l4 + 5] << 16) | (b[l4 + 6] << 8) | b[l4 + 7]);
        data = l4 + 8;
      }
      const stop = Math.min(end, ipEnd);
      p.bytes(b, Math.min(data, stop), stop);
    }
  } else {
    k.word(s.topProto).bytes(b, off, end);
  }
  out.key = k.value53();
  out.payload = p.value32();
}

export interface KeyPassOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  maxReadBytes?: number;
  maxGapBytes?: number;
}

/**
 * The keys of every settled frame of a capture, reading its frames in file order, neighbours in one read
 * (read-batch.ts). `src` is read at ascending offsets only, so a forward-only reader serves.
 */
export async function captureKeys(e: FrameIndex, src: FrameBytesSource, opts: KeyPassOptions = {}): Promise<FrameKeys> {
  const st = e.store;
  const n = e.settledCount;
  const key = new Float64Array(n);
  const payload = new Int32Array(n);
  const list = new Int32Array(n);
  for (let i = 0; i < n; i++) list[i] = i;
  const s = newSummary();
  const out: KeyOut = { key: 0, payload: 0 };
  const maxRead = opts.maxReadBytes ?? 4 << 20;
  const maxGap = opts.maxGapBytes ?? 64 << 10;
  let k = 0;
  while (k < n) {
    if (opts.signal?.aborted) throw abortError();
    const { end: last, start, stop } = readBatch(st, list, k, 0, maxGap, maxRead);
    const buf = await src.read(start, stop - start);
    for (let i = k; i < last; i++) {
      const o = st.offsetOf(i) - start;
      const cap = Math.max(0, Math.min(st.caplen[i], buf.length - o));
      computeKey(buf, o, cap, st.origlen[i], st.linktype[i], s, out);
      key[i] = out.key;
      payload[i] = out.payload;
    }
    k = last;
    opts.onProgress?.(k, n);
  }
  return { key, payload };
}

export function abortError(): Error {
  const err = new Error('cancelled');
  err.name = 'AbortError';
  return err;
}
