// IP and payload bytes of a frame's innermost IP packet, as Zeek's conn.log counts them per direction
// (orig_ip_bytes: the IP total length; orig_bytes: what the transport carries, past its header).
import type { FrameDecode } from '../analysis/engine.ts';

/** The last ipBytes()/payload answer (fields, so that the per-frame path allocates nothing). */
export const measured = { ip: 0, payload: 0 };

function be16(b: Uint8Array, i: number): number {
  return (b[i] << 8) | b[i + 1];
}

/**
 * Fills `measured` for the innermost IP packet of a decode; 0 and 0 without one. The transport header is
 * read where the bytes hold it (TCP data offset); cut off, the payload counts from a minimal header. IPv6
 * extension headers, not walked, count as payload.
 */
export function measure(d: FrameDecode): void {
  const s = d.s;
  const b = d.buf;
  measured.ip = 0;
  measured.payload = 0;
  if (s.innerFamily === 0) return;
  let ip: number, hdr: number, total: number;
  if (s.innerFamily === 4) {
    ip = d.base + s.innerSrcOff - 12;
    if (ip < 0 || ip + 4 > b.length) return;
    hdr = (b[ip] & 15) * 4;
    total = be16(b, ip + 2);
  } else {
    ip = d.base + s.innerSrcOff - 8;
    if (ip < 0 || ip + 6 > b.length) return;
    hdr = 40;
    total = 40 + be16(b, ip + 4);
  }
  let l4 = 0;
  if (s.innerFamily === 6 && b[ip + 6] !== s.innerProto) l4 = 0;
  else if (s.innerProto === 6) {
    const t = ip + hdr;
    l4 = t + 13 <= b.length ? (b[t + 12] >> 4) * 4 : 20;
  } else if (s.innerProto === 17) l4 = 8;
  // A reassembled datagram's header is its last fragment's: the bytes after it are the packet.
  if (d.reassembled) total = b.length - ip;
  measured.ip = total;
  measured.payload = Math.max(0, total - hdr - l4);
}
