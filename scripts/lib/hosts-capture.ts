// A capture for the Hosts report (tests, e2e): four underlay hosts, one whose NIC corrupts 5% of the inner
// TCP checksums it sends, one captured on itself before its NIC filled the checksums in (partial, outbound),
// one clean (inbound), a VXLAN host whose outer UDP checksum is 0 ("no checksum"), and a sender-side capture
// whose frames the capture marks "checksum not ready". Deterministic.
import { concat, epb, idb, shb } from '../../decoders/capture/test-bytes.ts';
import { buildFrame, eth, ipv4, nvgre, payload, tcp, udp, vxlan, type ChecksumMode } from './packet-builder.ts';

export const HOSTS = {
  faulty: '192.168.10.11',
  sender: '192.168.10.12',
  clean: '192.168.10.13',
  vxlan: '192.168.10.14',
  notReady: '192.168.10.15',
} as const;

/** Frames of each host, and which frames (1-based) of the faulty host carry a bad inner TCP checksum. */
export const HOST_FRAMES = { faulty: 200, sender: 100, clean: 100, vxlan: 50, notReady: 40 } as const;

export function hostsCapture(): { bytes: Uint8Array; badFrames: number[] } {
  const blocks: Uint8Array[] = [shb(true), idb(true, { linktype: 1, name: 'mirror0' })];
  const badFrames: number[] = [];
  let n = 0;
  let t = 0n;
  const frame = (src: string, vsid: number, mode: ChecksumMode, flags?: number, kind: 'nvgre' | 'vxlan' = 'nvgre'): void => {
    n++;
    const inner = [eth({ src: '00:15:5d:aa:00:01', dst: '00:15:5d:aa:00:02' }), ipv4({ src: '10.0.0.5', dst: '10.0.0.6', id: n & 0xffff }),
      tcp({ sport: 40000 + (vsid % 100), dport: 443, seq: n * 100, flags: 'PA', checksum: mode }), payload(60)];
    const tunnel = kind === 'nvgre'
      ? [ipv4({ src, dst: '192.168.10.200' }), nvgre({ vsid, flowId: 1 })]
      : [ipv4({ src, dst: '192.168.10.200' }), udp({ sport: 50000, dport: 4789, checksum: 'zero' }), vxlan(vsid)];
    const data = buildFrame([eth({ src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' }), ...tunnel, ...inner]).data;
    t += 1000n;
    blocks.push(epb(true, { ts: 1_700_000_000_000_000n + t, data, flags }));
  };
  for (let k = 0; k < HOST_FRAMES.faulty; k++) {
    const bad = k % 20 === 7;
    frame(HOSTS.faulty, 5001, bad ? 'bad' : 'good');
    if (bad) badFrames.push(n);
    if (k < HOST_FRAMES.sender) frame(HOSTS.sender, 5002, 'partial', 2);
    if (k < HOST_FRAMES.clean) frame(HOSTS.clean, 5003, 'good', 1);
    if (k < HOST_FRAMES.vxlan) frame(HOSTS.vxlan, 300, 'good', undefined, 'vxlan');
    // Outbound, and marked "checksum not ready" (epb_flags bit 9): the capture says the partial is expected.
    if (k < HOST_FRAMES.notReady) frame(HOSTS.notReady, 5004, 'partial', 2 | (1 << 9));
  }
  return { bytes: concat(...blocks), badFrames };
}
