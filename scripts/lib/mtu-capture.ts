// A capture for the MTU diagnosis (decoders/analysis/mtu.ts), for its unit tests and the e2e spec:
// - host A (192.168.10.11) encapsulates 1500-byte tenant packets in NVGRE (1542 bytes) and fragments them at an
//   underlay MTU of 1500: two datagrams reassemble, a third loses its last fragment; a router answers one with
//   ICMP "fragmentation needed" (next-hop MTU 1500);
// - host B (192.168.10.12) sends and receives small NVGRE packets: nothing to say;
// - host C (192.168.20.21) encapsulates a 1500-byte tenant packet in VXLAN (1550 bytes), fragmented at 1500;
// - host D (fd00::31) encapsulates a 1500-byte tenant packet in VXLAN over IPv6 (1570 bytes), fragmented at
//   1500 (1448-byte pieces: 1496-byte fragments), and is told "packet too big" (MTU 1280) over ICMPv6;
// - host E (192.168.10.13) carries a tenant's own fragments (the tenant's stack fragmented a 3000-byte packet).

import { concat, pcapHeader, pcapRecord } from '../../decoders/capture/test-bytes.ts';
import { fragmentFrame, fragmentLayers } from './fragment.ts';
import { buildFrame, eth, icmpEcho, icmpv6Echo, ipv4, ipv6, nvgre, payload, tcp, udp, vxlan, type Layer } from './packet-builder.ts';

const HOSTS = { src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' };
const VM = { src: '00:15:5d:aa:00:01', dst: '00:15:5d:aa:00:02' };

/** A tenant TCP segment whose IP packet is `ipLen` bytes (IPv4 20 + TCP 20 + payload). */
function tenantTcp(ipLen: number, seq: number): Layer[] {
  return [eth(VM), ipv4({ src: '10.0.0.5', dst: '10.0.0.6', id: seq & 0xffff }), tcp({ sport: 40000, dport: 443, flags: 'PA', seq }), payload(ipLen - 40)];
}

function nvgreFrom(src: string, dst: string, id: number, inner: Layer[]): Uint8Array {
  return buildFrame([eth(HOSTS), ipv4({ src, dst, id }), nvgre({ vsid: 5001, flowId: 7 }), ...inner]).data;
}

/** The frames of the scenario, in capture order. */
export function mtuFrames(): Uint8Array[] {
  const frames: Uint8Array[] = [];
  // Host A: two 1542-byte NVGRE packets fragmented at 1480 payload bytes (MTU 1500), interleaved with host B.
  const a1 = fragmentFrame(nvgreFrom('192.168.10.11', '192.168.10.12', 0x101, tenantTcp(1500, 1)), 14, 1480);
  const a2 = fragmentFrame(nvgreFrom('192.168.10.11', '192.168.10.12', 0x102, tenantTcp(1500, 2)), 14, 1480);
  const a3 = fragmentFrame(nvgreFrom('192.168.10.11', '192.168.10.12', 0x103, tenantTcp(1400 + 60, 3)), 14, 1480);
  const b = nvgreFrom('192.168.10.12', '192.168.10.11', 0x201, tenantTcp(200, 4));
  frames.push(a1[0], b, a1[1], a2[0], a2[1], b, a3[0]); // a3's last fragment never comes
  // A router tells host A: fragmentation needed, next-hop MTU 1500 (bytes 6-7), quoting the packet's start.
  frames.push(buildFrame([eth(HOSTS), ipv4({ src: '192.168.10.1', dst: '192.168.10.11' }), icmpEcho({ type: 3, code: 4, id: 0, seq: 1500 }),
    payload(a1[0].subarray(14, 14 + 28))]).data);
  // Host C: VXLAN over IPv4.
  const c = buildFrame([eth(HOSTS), ipv4({ src: '192.168.20.21', dst: '192.168.20.22', id: 0x301 }), udp({ sport: 5555, dport: 4789 }), vxlan(300),
    ...tenantTcp(1500, 5)]).data;
  frames.push(...fragmentFrame(c, 14, 1480));
  // Host D: VXLAN over IPv6, fragment headers of 8 bytes: 1448-byte pieces fit 1500.
  const d = buildFrame([eth(HOSTS), ipv6({ src: 'fd00::31', dst: 'fd00::32' }), udp({ sport: 5555, dport: 4789 }), vxlan(600),
    ...tenantTcp(1500, 6)]).data;
  frames.push(...fragmentFrame(d, 14, 1452, 0x77));
  frames.push(buildFrame([eth(HOSTS), ipv6({ src: 'fd00::1', dst: 'fd00::31' }), icmpv6Echo({ type: 2, code: 0, id: 0, seq: 1280 }),
    payload(d.subarray(14, 14 + 48))]).data);
  // Host E: the tenant's own fragments inside NVGRE (3000 bytes in 1400-byte pieces).
  const inner: Layer[] = [eth(VM), ipv4({ src: '10.0.1.5', dst: '10.0.1.6', id: 0x55 }), udp({ sport: 53, dport: 5353 }), payload(3000)];
  const outer: Layer[] = [eth(HOSTS), ipv4({ src: '192.168.10.13', dst: '192.168.10.12' }), nvgre({ vsid: 5002, flowId: 1 })];
  for (const l of fragmentLayers([...outer, ...inner], outer.length + 1, 1400)) frames.push(buildFrame(l).data);
  return frames;
}

export function mtuCapture(): Uint8Array {
  return concat(pcapHeader(), ...mtuFrames().map((data, k) => pcapRecord({ sec: 1_700_000_000 + k, frac: 0, data })));
}
