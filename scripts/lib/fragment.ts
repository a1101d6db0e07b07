// IP fragmentation for test captures and the benchmark, the way senders do it (RFC 791 / RFC 8200 4.5):
// - fragmentLayers: a packet inside a tunnel, fragmented by the tenant's own stack before encapsulation, so
//   each fragment is encapsulated on its own (outer lengths and checksums per fragment);
// - fragmentFrame: the underlay's IP packet of a built frame, fragmented by the host that encapsulated it.
// Pure TypeScript, independent of decoders/ (tests compare the two).

import { buildFrame, internetChecksum, payload, type Ipv4Layer, type Ipv6Layer, type Layer } from './packet-builder.ts';

/** IPv6 fragment header (RFC 8200 4.5): next header, offset in bytes (multiple of 8), more flag, id. */
export function ipv6FragmentHeader(next: number, offset: number, more: boolean, id: number): Uint8Array {
  const h = new Uint8Array(8);
  const dv = new DataView(h.buffer);
  h[0] = next;
  dv.setUint16(2, (offset & 0xfff8) | (more ? 1 : 0));
  dv.setUint32(4, id >>> 0);
  return h;
}

/** Splits `len` bytes into pieces of at most `max` (a multiple of 8, as every fragment but the last must be). */
function pieces(len: number, max: number): Array<[number, number]> {
  const step = Math.max(8, max - (max % 8));
  const out: Array<[number, number]> = [];
  for (let o = 0; o < len; o += step) out.push([o, Math.min(step, len - o)]);
  return out;
}

/**
 * Fragments the IP layer at `ipIndex` of a layer list (IPv4 or IPv6) so that no fragment carries more than
 * `maxPayload` bytes of the datagram: one layer list per fragment, in order. Layers before the IP layer
 * (outer headers, a tunnel) are repeated on each. `id` is the IPv6 fragment identification (IPv4 uses the
 * layer's own `id`).
 */
export function fragmentLayers(layers: readonly Layer[], ipIndex: number, maxPayload: number, id = 1): Layer[][] {
  const ip = layers[ipIndex];
  if (ip.kind !== 'ipv4' && ip.kind !== 'ipv6') throw new Error(`layer ${ipIndex} is ${ip.kind}, not IP`);
  const inner = buildFrame(layers.slice(ipIndex)).data;
  const hl = ip.kind === 'ipv4' ? (inner[0] & 15) * 4 : 40;
  const proto = ip.kind === 'ipv4' ? inner[9] : inner[6];
  const data = inner.subarray(hl);
  const before = layers.slice(0, ipIndex);
  return pieces(data.length, maxPayload).map(([o, n], k, all) => {
    const more = k < all.length - 1;
    const piece = data.slice(o, o + n);
    if (ip.kind === 'ipv4') {
      const l: Ipv4Layer = { ...ip, proto, moreFragments: more, fragOffset: (ip.fragOffset ?? 0) + o / 8 };
      return [...before, l, payload(piece)];
    }
    const l: Ipv6Layer = { ...ip, nextHeader: 44 };
    const fh = ipv6FragmentHeader(proto, o, more, id);
    const body = new Uint8Array(fh.length + piece.length);
    body.set(fh);
    body.set(piece, fh.length);
    return [...before, l, payload(body)];
  });
}

/**
 * Fragments the IP packet that starts at `ipOffset` of a frame (no IPv6 extension headers): each fragment is
 * the bytes before the IP header, the header adjusted (lengths, flags, offset, IPv4 header checksum; for IPv6
 * a fragment header with `id`), and a piece of at most `maxPayload` bytes.
 */
export function fragmentFrame(frame: Uint8Array, ipOffset: number, maxPayload: number, id = 1): Uint8Array[] {
  const v = frame[ipOffset] >> 4;
  if (v !== 4 && v !== 6) throw new Error(`no IP header at offset ${ipOffset}`);
  const ranges = pieces(ipPayload(frame, ipOffset).length, maxPayload).map(([offset, len]) => ({ offset, len }));
  return fragmentRanges(frame, ipOffset, ranges, id);
}

/** One fragment to cut: payload bytes [offset, offset + len) (offset a multiple of 8); `more` defaults to "not the end". */
export interface FragmentRange {
  offset: number;
  len: number;
  more?: boolean;
}

/**
 * Fragments with the payload ranges given, in that order, as a sender that misbehaves (or an attacker) would
 * cut them: overlapping, leaving gaps, repeating a range, two last fragments. Otherwise as fragmentFrame.
 */
export function fragmentRanges(frame: Uint8Array, ipOffset: number, ranges: readonly FragmentRange[], id = 1): Uint8Array[] {
  const v = frame[ipOffset] >> 4;
  const data = ipPayload(frame, ipOffset);
  for (const r of ranges) {
    if (r.offset % 8 !== 0 || r.offset < 0 || r.len < 0 || r.offset + r.len > data.length) {
      throw new Error(`fragment range ${r.offset}+${r.len} is not inside the ${data.length}-byte payload at a multiple of 8`);
    }
  }
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (v === 4) {
    const hl = (frame[ipOffset] & 15) * 4;
    const flags = dv.getUint16(ipOffset + 6);
    return ranges.map((r) => {
      const f = new Uint8Array(ipOffset + hl + r.len);
      f.set(frame.subarray(0, ipOffset + hl));
      f.set(data.subarray(r.offset, r.offset + r.len), ipOffset + hl);
      const fv = new DataView(f.buffer);
      fv.setUint16(ipOffset + 2, hl + r.len);
      const more = (r.more ?? r.offset + r.len < data.length) || (flags & 0x2000) !== 0;
      fv.setUint16(ipOffset + 6, (flags & 0x8000) | (more ? 0x2000 : 0) | ((flags & 0x1fff) + r.offset / 8));
      fv.setUint16(ipOffset + 10, 0);
      fv.setUint16(ipOffset + 10, internetChecksum(f, ipOffset, hl));
      return f;
    });
  }
  const next = frame[ipOffset + 6];
  return ranges.map((r) => {
    const f = new Uint8Array(ipOffset + 48 + r.len);
    f.set(frame.subarray(0, ipOffset + 40));
    f.set(ipv6FragmentHeader(next, r.offset, r.more ?? r.offset + r.len < data.length, id), ipOffset + 40);
    f.set(data.subarray(r.offset, r.offset + r.len), ipOffset + 48);
    const fv = new DataView(f.buffer);
    fv.setUint16(ipOffset + 4, 8 + r.len);
    f[ipOffset + 6] = 44;
    return f;
  });
}

/** The payload of the IP packet at `ipOffset` (IPv4: after the header up to its total length; IPv6: the payload length). */
function ipPayload(frame: Uint8Array, ipOffset: number): Uint8Array {
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (frame[ipOffset] >> 4 === 4) {
    const hl = (frame[ipOffset] & 15) * 4;
    return frame.subarray(ipOffset + hl, ipOffset + dv.getUint16(ipOffset + 2));
  }
  if (frame[ipOffset] >> 4 !== 6) throw new Error(`no IP header at offset ${ipOffset}`);
  return frame.subarray(ipOffset + 40, ipOffset + 40 + dv.getUint16(ipOffset + 4));
}
