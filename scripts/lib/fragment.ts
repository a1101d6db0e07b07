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
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (v === 4) {
    const hl = (frame[ipOffset] & 15) * 4;
    const tot = dv.getUint16(ipOffset + 2);
    const flags = dv.getUint16(ipOffset + 6);
    const data = frame.subarray(ipOffset + hl, ipOffset + tot);
    return pieces(data.length, maxPayload).map(([o, n], k, all) => {
      const f = new Uint8Array(ipOffset + hl + n);
      f.set(frame.subarray(0, ipOffset + hl));
      f.set(data.subarray(o, o + n), ipOffset + hl);
      const fv = new DataView(f.buffer);
      fv.setUint16(ipOffset + 2, hl + n);
      const more = k < all.length - 1 || (flags & 0x2000) !== 0;
      fv.setUint16(ipOffset + 6, (flags & 0x8000) | (more ? 0x2000 : 0) | ((flags & 0x1fff) + o / 8));
      fv.setUint16(ipOffset + 10, 0);
      fv.setUint16(ipOffset + 10, internetChecksum(f, ipOffset, hl));
      return f;
    });
  }
  if (v !== 6) throw new Error(`no IP header at offset ${ipOffset}`);
  const plen = dv.getUint16(ipOffset + 4);
  const next = frame[ipOffset + 6];
  const data = frame.subarray(ipOffset + 40, ipOffset + 40 + plen);
  return pieces(data.length, maxPayload).map(([o, n], k, all) => {
    const f = new Uint8Array(ipOffset + 48 + n);
    f.set(frame.subarray(0, ipOffset + 40));
    f.set(ipv6FragmentHeader(next, o, k < all.length - 1, id), ipOffset + 40);
    f.set(data.subarray(o, o + n), ipOffset + 48);
    const fv = new DataView(f.buffer);
    fv.setUint16(ipOffset + 4, 8 + n);
    f[ipOffset + 6] = 44;
    return f;
  });
}
