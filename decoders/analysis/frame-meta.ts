// Capture metadata of a frame as fields: what the pcapng interface and packet block say about it (interface
// name and description, the epb_flags word and its bits, queue, packet id, drop count, verdicts, hashes,
// comments). Wireshark's names where Wireshark has the field (tshark 4.0; frame.hash and frame.hash.value from
// 4.2); frame.flags.* for the offload bits of the flags word, which Wireshark still calls "reserved". The
// details' frame node shows them and the filters read them from the frame index (FrameExtras), never from the
// frame bytes.

import { EPB_HAS_FLAGS } from '../capture/types.ts';
import { registerFields, type FieldSpec } from '../layers/registry.ts';
import type { TreeNode } from '../summary.ts';
import type { FrameIndex } from './frame-index.ts';

// epb_flags bits (draft-ietf-opsawg-pcapng, "Enhanced Packet Block Flags Word"; bit 0 least significant).
export const PF_DIRECTION = 0x3;
export const PF_INBOUND = 1;
export const PF_OUTBOUND = 2;
export const PF_CHECKSUM_NOT_READY = 1 << 9;
export const PF_CHECKSUM_VALID = 1 << 10;
export const PF_TSO = 1 << 11;

/** Fields that are bits of the flags word: [name, label, mask, shift, type]. */
const FLAG_BITS: ReadonlyArray<readonly [string, string, number, number, 'uint' | 'bool']> = [
  ['frame.packet_flags_direction', 'Direction', 0x3, 0, 'uint'],
  ['frame.packet_flags_reception_type', 'Reception type', 0x1c, 2, 'uint'],
  ['frame.packet_flags_fcs_length', 'FCS length', 0x1e0, 5, 'uint'],
  ['frame.flags.checksum_not_ready', 'Checksum not ready (offload pending)', PF_CHECKSUM_NOT_READY, 9, 'bool'],
  ['frame.flags.checksum_valid', 'Checksum valid (checked before capture)', PF_CHECKSUM_VALID, 10, 'bool'],
  ['frame.flags.tso', 'TCP segmentation offloaded', PF_TSO, 11, 'bool'],
  ['frame.packet_flags_crc_error', 'CRC error', 1 << 24, 24, 'bool'],
  ['frame.packet_flags_packet_too_error', 'Packet too long error', 1 << 25, 25, 'bool'],
  ['frame.packet_flags_packet_too_short_error', 'Packet too short error', 1 << 26, 26, 'bool'],
  ['frame.packet_flags_wrong_inter_frame_gap_error', 'Wrong interframe gap error', 1 << 27, 27, 'bool'],
  ['frame.packet_flags_unaligned_frame_error', 'Unaligned frame error', 1 << 28, 28, 'bool'],
  ['frame.packet_flags_start_frame_delimiter_error', 'Start frame delimiter error', 1 << 29, 29, 'bool'],
  ['frame.packet_flags_preamble_error', 'Preamble error', 1 << 30, 30, 'bool'],
  ['frame.packet_flags_symbol_error', 'Symbol error', 2 ** 31, 31, 'bool'],
];

/** Mask and shift of a flags-word field by name (frame.packet_flags is the whole word). */
export const FLAG_FIELDS: ReadonlyMap<string, readonly [number, number]> = new Map([
  ['frame.packet_flags', [0xffffffff, 0] as const],
  ...FLAG_BITS.map(([name, , mask, shift]) => [name, [mask, shift] as const] as const),
]);

export const META_FIELDS: FieldSpec[] = [
  ['frame.interface_name', 'Interface name', 'string'],
  ['frame.interface_description', 'Interface description', 'string'],
  ['frame.interface_queue', 'Interface queue', 'uint'],
  ['frame.packet_flags', 'Packet flags', 'uint'],
  ...FLAG_BITS.map(([name, label, , , type]) => [name, label, type] as const),
  ['frame.packet_id', 'Packet id', 'uint'],
  ['frame.drop_count', 'Drop Count', 'uint'],
  ['frame.comment', 'Comment', 'string'],
  ['frame.hash', 'Hash Algorithm', 'string'],
  ['frame.hash.value', 'Hash Value', 'bytes'],
  ['frame.verdict', 'Verdict', 'string'],
  ['frame.verdict.hw', 'Hardware', 'bytes'],
  ['frame.verdict.ebpf_tc', 'eBPF TC', 'int'],
  ['frame.verdict.ebpf_xdp', 'eBPF XDP', 'int'],
  ['frame.verdict.unknown', 'Unknown', 'bytes'],
  // Ours: a super-frame (decoders/analysis/superframe.ts), present only when true like checksum.bad.
  ['frame.superframe', 'Super-frame: larger than the link carries, segmented by the NIC after capture (or merged before)', 'bool'],
];
registerFields(META_FIELDS);

const DIRECTIONS = ['Unknown', 'Inbound', 'Outbound'];
const RECEPTION = ['Not specified', 'Unicast', 'Multicast', 'Broadcast', 'Promiscuous'];
const HASHES = ["2's Complement", 'XOR', 'CRC32', 'MD5', 'SHA1', 'Toeplitz'];
const VERDICT_TYPES = ['Hardware', 'eBPF_TC', 'eBPF_XDP'];
const TC_ACT: Record<number, string> = {
  [-1]: 'TC_ACT_UNSPEC', 0: 'TC_ACT_OK', 1: 'TC_ACT_RECLASSIFY', 2: 'TC_ACT_SHOT', 3: 'TC_ACT_PIPE', 4: 'TC_ACT_STOLEN',
  5: 'TC_ACT_QUEUED', 6: 'TC_ACT_REPEAT', 7: 'TC_ACT_REDIRECT', 8: 'TC_ACT_TRAP',
};
const XDP_ACT = ['XDP_ABORTED', 'XDP_DROP', 'XDP_PASS', 'XDP_TX', 'XDP_REDIRECT'];

export const VERDICT_HW = 0, VERDICT_TC = 1, VERDICT_XDP = 2;

/** The flags word field `name` of a word. */
export function flagValue(flags: number, mask: number, shift: number): number {
  return Math.floor(((flags & mask) >>> 0) / 2 ** shift);
}

/** Direction of frame i: 'in', 'out' or null (no flags word, or a direction of 0 or 3). */
export function direction(e: FrameIndex, i: number): 'in' | 'out' | null {
  if ((e.extras.numericHas(i) & EPB_HAS_FLAGS) === 0) return null;
  const d = e.extras.flags(i) & PF_DIRECTION;
  return d === PF_INBOUND ? 'in' : d === PF_OUTBOUND ? 'out' : null;
}

/** The signed 64-bit value of an eBPF verdict (type octet, then 8 bytes little-endian as the reader keeps them), or NaN. */
export function verdictNumber(v: Uint8Array): number {
  if (v.length !== 9) return NaN;
  const lo = (v[1] | (v[2] << 8) | (v[3] << 16)) + v[4] * 0x1000000;
  const hi = (v[5] | (v[6] << 8) | (v[7] << 16)) + v[8] * 0x1000000;
  return (hi >= 0x80000000 ? hi - 2 ** 32 : hi) * 2 ** 32 + lo;
}

function verdictType(t: number): string {
  return VERDICT_TYPES[t] ?? 'Unknown';
}

function hashType(t: number): string {
  return HASHES[t] ?? 'Unknown';
}

/** `eBPF_XDP (2), Hardware (0)`: the verdicts' types, as Wireshark's Verdict line lists them. */
export function verdictText(vs: readonly Uint8Array[]): string {
  return vs.map((v) => `${verdictType(v[0])} (${v[0]})`).join(', ');
}

/** `CRC32 (2), MD5 (3)`: the hashes' algorithms. */
export function hashText(hs: readonly Uint8Array[]): string {
  return hs.map((h) => `${hashType(h[0])} (${h[0]})`).join(', ');
}

/** The field occurrence values of metadata field `name` for store index i (empty: absent); null for another field. */
export function metaValues(e: FrameIndex, i: number, name: string): Array<number | string | Uint8Array> | null {
  const x = e.extras;
  const fl = FLAG_FIELDS.get(name);
  if (fl !== undefined) return (x.numericHas(i) & EPB_HAS_FLAGS) !== 0 ? [flagValue(x.flags(i), fl[0], fl[1])] : [];
  const num = (v: number): number[] => (Number.isNaN(v) ? [] : [v]);
  switch (name) {
    case 'frame.interface_name': { const s = e.interfaceOf(i)?.name; return s != null ? [s] : []; }
    case 'frame.interface_description': { const s = e.interfaceOf(i)?.description; return s != null ? [s] : []; }
    case 'frame.superframe': return e.isSuperframe(i) ? [1] : [];
    case 'frame.interface_queue': return num(x.queue(i));
    case 'frame.packet_id': return num(x.packetId(i));
    case 'frame.drop_count': return num(x.dropCount(i));
    case 'frame.comment': { const c = x.comment(i); return c !== null ? c.split('\n') : []; }
    case 'frame.hash': { const h = x.hashesOf(i); return h.length > 0 ? [hashText(h)] : []; }
    case 'frame.hash.value': return x.hashesOf(i).map((h) => h.subarray(1));
    case 'frame.verdict': { const v = x.verdictsOf(i); return v.length > 0 ? [verdictText(v)] : []; }
    case 'frame.verdict.hw': return x.verdictsOf(i).filter((v) => v[0] === VERDICT_HW).map((v) => v.subarray(1));
    case 'frame.verdict.unknown': return x.verdictsOf(i).filter((v) => v[0] > VERDICT_XDP).map((v) => v.subarray(1));
    case 'frame.verdict.ebpf_tc': case 'frame.verdict.ebpf_xdp': {
      const t = name === 'frame.verdict.ebpf_tc' ? VERDICT_TC : VERDICT_XDP;
      return x.verdictsOf(i).filter((v) => v[0] === t).map(verdictNumber).filter((n) => !Number.isNaN(n));
    }
    default: return null;
  }
}

const hexSpaced = (b: Uint8Array): string => Array.from(b, (v) => v.toString(16).padStart(2, '0')).join(' ');
const hexColon = (b: Uint8Array): string => Array.from(b, (v) => v.toString(16).padStart(2, '0')).join(':');

function field(name: string, label: string, value: string, raw?: number, children?: TreeNode[]): TreeNode {
  return { label: `${label}: ${value}`, field: name, value, ...(raw !== undefined ? { raw } : {}), start: 0, length: 0, ...(children ? { children } : {}) };
}

/** A bytes field whose value is not in the frame: the filter that selects it is given with it. */
function bytesField(name: string, label: string, b: Uint8Array): TreeNode {
  return { ...field(name, label, hexSpaced(b)), filter: b.length > 0 ? `${name} == ${hexColon(b)}` : `len(${name}) == 0` };
}

/**
 * The frame node's lines about the capture metadata of store index i: under "Interface id" (name,
 * description), and after it (queue, flags, packet id, drop count, verdicts, hashes, comments).
 */
export function metaNodes(e: FrameIndex, i: number): { iface: TreeNode[]; rest: TreeNode[] } {
  const iface: TreeNode[] = [];
  const info = e.interfaceOf(i);
  if (info?.name != null) iface.push(field('frame.interface_name', 'Interface name', info.name));
  if (info?.description != null) iface.push(field('frame.interface_description', 'Interface description', info.description));
  const x = e.extras;
  const rest: TreeNode[] = [];
  const queue = x.queue(i);
  if (!Number.isNaN(queue)) rest.push(field('frame.interface_queue', 'Interface queue', String(queue), queue));
  if ((x.numericHas(i) & EPB_HAS_FLAGS) !== 0) rest.push(flagsNode(x.flags(i)));
  const p = e.packetExtras(i + 1);
  if (p.packetId !== null) rest.push(field('frame.packet_id', 'Packet id', String(p.packetId), Number(p.packetId)));
  if (p.dropCount !== null) rest.push(field('frame.drop_count', 'Drop Count', String(p.dropCount), Number(p.dropCount)));
  if (p.verdicts.length > 0) {
    rest.push(field('frame.verdict', 'Verdict', verdictText(p.verdicts), undefined, p.verdicts.map((v) => {
      if (v[0] === VERDICT_TC || v[0] === VERDICT_XDP) {
        const n = verdictNumber(v);
        const names = v[0] === VERDICT_TC ? TC_ACT : XDP_ACT;
        const name = v[0] === VERDICT_TC ? 'frame.verdict.ebpf_tc' : 'frame.verdict.ebpf_xdp';
        const label = v[0] === VERDICT_TC ? 'eBPF TC' : 'eBPF XDP';
        if (Number.isNaN(n)) return { label: `${label}: [malformed: ${v.length - 1} bytes, 8 expected]`, start: 0, length: 0 };
        return field(name, label, `${(names as Record<number, string>)[n] ?? 'Unknown'} (${n})`, n);
      }
      const body = v.subarray(1);
      return v[0] === VERDICT_HW ? bytesField('frame.verdict.hw', 'Hardware', body) : bytesField('frame.verdict.unknown', `Unknown (${v[0]})`, body);
    })));
  }
  if (p.hashes.length > 0) {
    rest.push(field('frame.hash', 'Hash Algorithm', hashText(p.hashes), undefined, p.hashes.map((h) => bytesField('frame.hash.value', 'Hash Value', h.subarray(1)))));
  }
  if (p.comment !== null) for (const line of p.comment.split('\n')) rest.push(field('frame.comment', 'Comment', line));
  return { iface, rest };
}

function flagsNode(flags: number): TreeNode {
  const kids = FLAG_BITS.map(([name, label, mask, shift, type]) => {
    const v = flagValue(flags, mask, shift);
    if (type === 'bool') return field(name, label, v !== 0 ? 'Set' : 'Not set', v);
    const text = name === 'frame.packet_flags_direction' ? `${DIRECTIONS[v] ?? 'Unknown'} (${v})`
      : name === 'frame.packet_flags_reception_type' ? `${RECEPTION[v] ?? 'Unknown'} (${v})` : String(v);
    return field(name, label, text, v);
  });
  return field('frame.packet_flags', 'Packet flags', `0x${flags.toString(16).padStart(8, '0')}`, flags, kids);
}

/** ` (inbound)` / ` (outbound)` for the frame node's label, as Wireshark writes it, or empty. */
export function directionSuffix(e: FrameIndex, i: number): string {
  const d = direction(e, i);
  return d === 'in' ? ' (inbound)' : d === 'out' ? ' (outbound)' : '';
}

/**
 * What the flags word says about frame i's checksum verdicts, for its checksum lines: a partial checksum the
 * capture marks "not ready" is what offload leaves (expected); one it marks "valid" was checked on receive.
 */
export function checksumNote(e: FrameIndex, i: number, verdict: string): string | null {
  if ((e.extras.numericHas(i) & EPB_HAS_FLAGS) === 0) return null;
  const f = e.extras.flags(i);
  if (verdict === 'partial' && (f & PF_CHECKSUM_NOT_READY) !== 0) return 'expected: the capture marks the checksum not ready (offload pending)';
  if ((verdict === 'bad' || verdict === 'partial') && (f & PF_CHECKSUM_VALID) !== 0) return 'the capture marks the checksum valid: checked on receive before capture';
  return null;
}
