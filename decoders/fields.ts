// The field registry (Wireshark's hf_ registration): every field the detail tree emits, with the label the
// tree shows and the type the display filter compiles against. Each layer registers its own fields in its
// definition (decoders/layers/<name>.ts, via registry.ts); here are the fields that belong to no layer: the
// frame's, the analysis' own (tenant, checksum verdicts over all layers) and IP reassembly's. Names are
// Wireshark's where Wireshark has the field.

import { FIELD_MAP, registerFields, type FieldDef, type FieldSpec } from './layers/registry.ts';
import './layers/index.ts';
// Capture metadata (interface, packet block options): frame.interface_name, frame.packet_flags*, frame.flags.*, …
import './analysis/frame-meta.ts';
// Expert items: _ws.expert, _ws.expert.message, _ws.malformed.
import './analysis/expert.ts';

export type { FieldDef, FieldType } from './layers/registry.ts';

const GLOBAL: FieldSpec[] = [
  ['data', 'Data', 'protocol'],
  ['data.data', 'Data', 'bytes'],
  ['data.len', 'Length', 'uint'],
  // Per-frame fields (Wireshark's frame protocol), from the frame index rather than the bytes.
  ['frame', 'Frame', 'protocol'],
  ['frame.number', 'Frame Number', 'uint'],
  ['frame.len', 'Frame Length', 'uint'],
  ['frame.cap_len', 'Capture Length', 'uint'],
  ['frame.time', 'Arrival Time', 'abstime'],
  ['frame.time_epoch', 'Epoch Arrival Time', 'float'],
  ['frame.time_relative', 'Time since reference or first frame', 'float'],
  ['frame.interface_id', 'Interface id', 'uint'],
  // The packet list's Protocol column (Wireshark 4.2's name): the highest layer decoded, as the column
  // names it, so "Apply as filter" on that column selects what it shows (`udp` would also take every VXLAN frame).
  ['_ws.col.protocol', 'Protocol (packet list column)', 'string'],
  // Ours: the tenant of the outermost tunnel, and checksum verdicts over all layers. The checksum.* flags
  // exist only when true (like Wireshark's tcp.analysis.* flags): `checksum.bad`, `!checksum.partial`.
  ['tenant', 'Tenant', 'protocol'],
  ['tenant.encap', 'Encapsulation', 'string'],
  ['tenant.vnid', 'Tenant ID (VSID/VNI)', 'uint'],
  ['checksum.bad', 'Bad checksum (any layer)', 'bool'],
  ['checksum.partial', 'Partial checksum, taken before offload (any layer)', 'bool'],
  ['checksum.zero', 'Zero checksum that is not UDP-over-IPv4 "no checksum" (any layer)', 'bool'],
  ['checksum.unverified', 'Unverified checksum (any layer)', 'bool'],
  // Which checks have that verdict, by the names the Offload pane shows (one occurrence per check):
  // `checksum.bad.check == "inner.tcp"` is the TCP inside one tunnel, whatever else the frame holds.
  ['checksum.bad.check', 'Check with a bad checksum', 'check'],
  ['checksum.partial.check', 'Check with a partial checksum', 'check'],
  ['checksum.zero.check', 'Check with a zero checksum that is not UDP-over-IPv4 "no checksum"', 'check'],
  ['checksum.unverified.check', 'Check with an unverified checksum', 'check'],
  // IP reassembly (decoders/analysis/frame-tree.ts), with Wireshark's names; tunnel.fragmented is ours.
  ['ip.fragments', 'IPv4 Fragments', 'bytes'],
  ['ip.fragment', 'Frame', 'uint'],
  ['ip.fragment.count', 'Fragment count', 'uint'],
  ['ip.fragment.overlap', 'Fragment overlap', 'bool'],
  ['ip.fragment.overlap.conflict', 'Conflicting data in fragment overlap', 'bool'],
  ['ip.reassembled_in', 'Reassembled IPv4 in frame', 'uint'],
  ['ip.reassembled.length', 'Reassembled IPv4 length', 'uint'],
  ['ipv6.fragments', 'IPv6 Fragments', 'bytes'],
  ['ipv6.fragment', 'Frame', 'uint'],
  ['ipv6.fragment.count', 'Fragment count', 'uint'],
  ['ipv6.fragment.overlap', 'Fragment overlap', 'bool'],
  ['ipv6.fragment.overlap.conflict', 'Conflicting data in fragment overlap', 'bool'],
  ['ipv6.reassembled.in', 'Reassembled IPv6 in frame', 'uint'],
  ['ipv6.reassembled_in', 'Reassembled IPv6 in frame (ipv6.reassembled.in)', 'uint'],
  ['ipv6.reassembled.length', 'Reassembled IPv6 length', 'uint'],
  ['tunnel.fragmented', 'A fragment of an overlay packet (underlay or tenant fragmentation)', 'bool'],
  // Who fragmented it (the MTU diagnosis's counts select these): the host that encapsulated it (tunnel depth 0),
  // reassembled or not, or the tenant inside the tunnel.
  ['tunnel.fragmented.underlay', 'Fragmented by the underlay after encapsulation, reassembled', 'bool'],
  ['tunnel.fragmented.incomplete', 'Fragmented by the underlay after encapsulation, never reassembled', 'bool'],
  ['tunnel.fragmented.tenant', 'Fragmented by the tenant before encapsulation', 'bool'],
];
registerFields(GLOBAL);

/** Every field: the layers' and the ones above (registered layers add theirs as they load). */
export const FIELDS: ReadonlyMap<string, FieldDef> = FIELD_MAP;
