// A small pcapng whose interfaces and packet blocks carry every kind of capture metadata Tunnelscope reads
// (if_name, if_description, epb_flags with each field set somewhere, a flags word of 0, epb_queue,
// epb_packetid, epb_dropcount, epb_hash, epb_verdict, comments), for the metadata tests, the tshark
// differential and the e2e check. Plain TCP over Ethernet and IPv4; which frame carries what is listed in
// METADATA_FRAMES.

import { PcapngWriter, type PacketOptions } from '../../decoders/capture/pcapng-writer.ts';
import { concatBytes } from '../../decoders/bytes.ts';
import { buildFrame, eth, ipv4, payload, tcp, type ChecksumMode } from './packet-builder.ts';

export interface MetadataFrame {
  iface: number;
  opts?: PacketOptions;
  /** TCP checksum of the frame (default good). */
  checksum?: ChecksumMode;
  /** TCP payload bytes (default 40). */
  size?: number;
}

/** eBPF verdicts as the capture stores them: type octet, then the 64-bit value little-endian. */
export function ebpfVerdict(type: 1 | 2, value: bigint): Uint8Array {
  const v = new Uint8Array(9);
  v[0] = type;
  new DataView(v.buffer).setBigUint64(1, BigInt.asUintN(64, value), true);
  return v;
}

export const METADATA_INTERFACES = [
  { linktype: 1, name: 'eth0', description: 'Uplink port' },
  { linktype: 1, name: 'eth1' },
  { linktype: 1 },
] as const;

export const METADATA_FRAMES: readonly MetadataFrame[] = [
  // 1: inbound unicast, queue 3, a packet id past 2^53, a comment.
  { iface: 0, opts: { flags: 0x1 | (1 << 2), queue: 3, packetId: 0xfedcba9876543210n, comment: 'hello from eth0' } },
  // 2: outbound, checksum not ready, its TCP checksum partial (what offload leaves), frames dropped before it.
  { iface: 0, opts: { flags: 0x2 | 0x200, dropCount: 5n }, checksum: 'partial' },
  // 3: inbound multicast, a 4-byte FCS length, checksum valid, verdicts of each type, two hashes.
  {
    iface: 1,
    opts: {
      flags: 0x1 | (2 << 2) | (4 << 5) | 0x400,
      verdicts: [ebpfVerdict(2, 2n), ebpfVerdict(1, -1n), Uint8Array.of(0, 0xde, 0xad)],
      hashes: [Uint8Array.of(2, 0xec, 0x1d, 0x87, 0x97), Uint8Array.of(3, ...new Array<number>(16).fill(7))],
    },
  },
  // 4: nothing but its interface.
  { iface: 1 },
  // 5: an interface without a name; a flags word of 0 and a queue of 0, both present.
  { iface: 2, opts: { flags: 0, queue: 0 } },
  // 6: inbound with link-layer errors (CRC, too long, symbol) and promiscuous reception.
  { iface: 0, opts: { flags: 0x1 | (4 << 2) | (1 << 24) | (1 << 25) | 2 ** 31 } },
  // 7: outbound, comments of two lines.
  { iface: 2, opts: { flags: 0x2, comment: ['solo', 'two'] } },
];

/** The capture's frames as built (frame i + 1 of the file). */
export function metadataFrameBytes(f: MetadataFrame, k: number): Uint8Array {
  return buildFrame([
    eth({ src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' }),
    ipv4({ src: `192.168.1.${10 + f.iface}`, dst: '192.168.1.1', id: k }),
    tcp({ sport: 40000 + k, dport: 443, flags: 'PA', seq: 1000 * k, checksum: f.checksum ?? 'good' }),
    payload(f.size ?? 40),
  ]).data;
}

/** Writes the capture: METADATA_INTERFACES, then one frame per METADATA_FRAMES entry (or `frames`), a second apart. */
export function metadataCapture(frames: readonly MetadataFrame[] = METADATA_FRAMES, littleEndian = true): Uint8Array {
  const chunks: Uint8Array[] = [];
  const w = new PcapngWriter((c) => { chunks.push(c); }, { littleEndian, userAppl: 'tunnelscope metadata test' });
  for (const i of METADATA_INTERFACES) w.addInterface({ ...i, tsResolDigits: 6 });
  frames.forEach((f, k) => {
    const data = metadataFrameBytes(f, k + 1);
    // eBPF verdict values are in the section's byte order in the file.
    const opts = f.opts?.verdicts !== undefined && !littleEndian
      ? { ...f.opts, verdicts: f.opts.verdicts.map((v) => (v.length === 9 && (v[0] === 1 || v[0] === 2) ? Uint8Array.of(v[0], ...v.subarray(1).reverse()) : v)) }
      : f.opts;
    w.writePacket(f.iface, 1_764_000_000 + k, 0, data, 0, data.length, data.length, opts);
  });
  w.close();
  return concatBytes(chunks);
}
