// Packet-list columns of an ARP frame, as Wireshark writes them (the ARP layer's `row`): Source and
// Destination are the addresses of the last layer before the ARP that has any (the innermost Ethernet or
// Linux cooked header, or the IP header when the ARP is carried straight over GRE or Geneve), Protocol and
// Info come from the ARP itself ("Who has 10.0.0.2? Tell 10.0.0.1", "10.0.0.2 is at 00:11:22:33:44:55",
// gratuitous, probe, announcement). A message cut short keeps the index's Protocol and Info.

import type { TreeNode } from '../summary.ts';
import type { RowInput, RowText } from './registry.ts';
import { ipv4Str, ipv6Str } from './tree.ts';

export function arpRow(x: RowInput): RowText {
  const { b, caplen, linktype } = x;
  let src = '', dst = '';
  let arp: TreeNode | null = null;
  for (const n of x.tree) {
    const p = n.start;
    if (n.field === 'eth' && p + 12 <= caplen) {
      dst = mac(b, p, 6);
      src = mac(b, p + 6, 6);
    } else if (n.field === 'sll') {
      // Linux cooked captures know the sender's link address only.
      const v2 = linktype === 276;
      const len = v2 ? b[p + 11] : (b[p + 4] << 8) | b[p + 5];
      const at = v2 ? p + 12 : p + 6;
      src = len >= 1 && len <= 8 && at + len <= caplen ? mac(b, at, len) : '';
      dst = '';
    } else if (n.field === 'ip' && p + 20 <= caplen) {
      src = ipv4Str(b, p + 12);
      dst = ipv4Str(b, p + 16);
    } else if (n.field === 'ipv6' && p + 40 <= caplen) {
      src = ipv6Str(b, p + 8);
      dst = ipv6Str(b, p + 24);
    } else if (n.field === 'arp') {
      arp = n;
      break;
    }
  }
  const message = arp === null ? null : readArp(b, arp.start, caplen);
  return message === null ? { src, dst } : { src, dst, ...message };
}

const ARP_HDR = 8;

/** Protocol and Info of the ARP message at `p`, or null when it is not whole. */
export function readArp(b: Uint8Array, p: number, end: number): { protocol: string; info: string } | null {
  if (p + ARP_HDR > end) return null;
  const hrd = (b[p] << 8) | b[p + 1];
  const pro = (b[p + 2] << 8) | b[p + 3];
  const hln = b[p + 4], pln = b[p + 5];
  const op = (b[p + 6] << 8) | b[p + 7];
  const sha = p + ARP_HDR, spa = sha + hln, tha = spa + pln, tpa = tha + hln;
  if (tpa + pln > end) return null;
  const hw = (at: number): string => hwAddr(b, at, hln, hrd);
  const proto = (at: number): string => protoAddr(b, at, pln, pro);
  // Wireshark's tests: same sender and target protocol address (gratuitous), with an all-zero target
  // hardware address (announcement); or a zero sender IPv4 address with it (probe).
  const gratuitous = (op === 1 || op === 2) && pln > 0 && equal(b, spa, tpa, pln);
  const zeroTha = allZero(b, tha, 6, end);
  const announcement = gratuitous && op === 1 && zeroTha;
  const probe = !gratuitous && op === 1 && zeroTha && allZero(b, spa, 4, end);
  let info: string;
  switch (op) {
    case 1:
      if (announcement) info = `ARP Announcement for ${proto(tpa)}`;
      else if (gratuitous) info = `Gratuitous ARP for ${proto(tpa)} (Request)`;
      else if (probe) info = `Who has ${proto(tpa)}? (ARP Probe)`;
      else info = `Who has ${proto(tpa)}? Tell ${proto(spa)}`;
      break;
    case 2:
      info = gratuitous ? `Gratuitous ARP for ${proto(spa)} (Reply)` : `${proto(spa)} is at ${hw(sha)}`;
      break;
    case 3: case 5: case 8: info = `Who is ${hw(tha)}? Tell ${hw(sha)}`; break;
    case 4: case 6: info = `${hw(tha)} is at ${proto(tpa)}`; break;
    case 7: info = 'DRARP Error'; break;
    case 9: info = `${hw(sha)} is at ${proto(spa)}`; break;
    case 10: info = 'ARP NAK'; break;
    case 24: case 25: info = `Experimental ${op - 23} ( opcode ${op} )`; break;
    case 0: case 65535: info = `Reserved opcode ${op}`; break;
    default: {
      const mars = MARS_INFO[op];
      info = mars !== undefined ? `${mars} from ${hw(sha)} at ${proto(spa)}` : `Unknown ARP opcode 0x${op.toString(16).padStart(4, '0')}`;
    }
  }
  return { protocol: protocolName(op), info };
}

const MARS_INFO: Record<number, string> = {
  11: 'MARS request', 12: 'MARS MULTI request', 13: 'MARS MSERV request', 14: 'MARS JOIN request', 15: 'MARS LEAVE',
  16: 'MARS NAK', 17: 'MARS UNSERV request', 18: 'MARS SJOIN request', 19: 'MARS SLEAVE', 20: 'MARS grouplist request',
  21: 'MARS grouplist reply', 22: 'MARS redirect map', 23: 'MAPOS UNARP request',
};

function protocolName(op: number): string {
  if (op === 3 || op === 4) return 'RARP';
  if (op >= 5 && op <= 7) return 'DRARP';
  if (op === 8 || op === 9) return 'Inverse ARP';
  if (op >= 11 && op <= 22) return 'MARS';
  if (op === 23) return 'MAPOS';
  return 'ARP';
}

/** Ethernet (and IEEE 802) hardware addresses as MACs, others as hex. */
function hwAddr(b: Uint8Array, p: number, len: number, hrd: number): string {
  if (len === 0) return '<No address>';
  return (hrd === 1 || hrd === 6) && len === 6 ? mac(b, p, 6) : hexBytes(b, p, len);
}

/** IPv4 (also AX.25's IP type) protocol addresses as such, others (IPv6 too, as tshark 4.0) as hex. */
function protoAddr(b: Uint8Array, p: number, len: number, pro: number): string {
  if (len === 0) return '<No address>';
  if ((pro === 0x0800 || pro === 0xcc) && len === 4) return ipv4Str(b, p);
  return hexBytes(b, p, len);
}

function mac(b: Uint8Array, p: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += (i ? ':' : '') + b[p + i].toString(16).padStart(2, '0');
  return s;
}

function hexBytes(b: Uint8Array, p: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += b[p + i].toString(16).padStart(2, '0');
  return s;
}

function equal(b: Uint8Array, x: number, y: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (b[x + i] !== b[y + i]) return false;
  return true;
}

/** Wireshark compares a fixed width even past a short address: bytes beyond the frame count as different. */
function allZero(b: Uint8Array, p: number, len: number, end: number): boolean {
  if (p + len > end) return false;
  for (let i = 0; i < len; i++) if (b[p + i] !== 0) return false;
  return true;
}
