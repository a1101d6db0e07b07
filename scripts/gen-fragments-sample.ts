// Generates e2e/fixtures/fragments.pcapng, the capture e2e/fragments.spec.ts opens to see IP reassembly in
// the web app (the fragments' links, the "Reassembled IPv4" bytes tab).
//
//   npx tsx scripts/gen-fragments-sample.ts [--out FILE]
//
// Deterministic (fixed addresses, ids and times), so the committed file can be checked against a fresh run:
//   frames 1-3  an NVGRE packet (VSID 5001) carrying a 2000-byte TCP segment, whose underlay IPv4 packet the
//               encapsulating host fragmented into 1000 + 1000 + 62 bytes; frame 3 completes the datagram;
//   frames 4-5  a VXLAN packet (VNI 300) whose tenant fragmented its own 2408-byte UDP datagram before
//               encapsulation (1400 + 1008 bytes), each fragment in a VXLAN packet of its own; frame 5
//               completes it.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { concatBytes } from '../decoders/bytes.ts';
import { PcapngWriter } from '../decoders/capture/pcapng-writer.ts';
import { fragmentFrame, fragmentLayers } from './lib/fragment.ts';
import { buildFrame, eth, ipv4, nvgre, payload, tcp, udp, vxlan, type Layer } from './lib/packet-builder.ts';

export const FRAGMENTS_SAMPLE = 'e2e/fixtures/fragments.pcapng';
const START_SEC = Date.parse('2025-11-24T16:00:00Z') / 1000;

const HOSTS = { src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' };
const VMS = { src: '00:15:5d:aa:00:01', dst: '00:15:5d:aa:00:02' };
const KVM = { src: '52:54:00:00:20:21', dst: '52:54:00:00:20:22' };
const KVM_VMS = { src: '52:54:00:aa:03:01', dst: '52:54:00:aa:03:02' };

/** The frames of the sample, in capture order. */
export function fragmentsSampleFrames(): Uint8Array[] {
  const nvgrePacket: Layer[] = [
    eth(HOSTS), ipv4({ src: '192.168.10.11', dst: '192.168.10.12', id: 0x100 }), nvgre({ vsid: 5001, flowId: 7 }),
    eth(VMS), ipv4({ src: '10.0.0.5', dst: '10.0.0.6', id: 0x2222 }),
    tcp({ sport: 40000, dport: 443, flags: 'PA', seq: 1000, ack: 5000 }), payload(2000),
  ];
  // The underlay IPv4 header starts after the outer Ethernet header (14 bytes).
  const underlay = fragmentFrame(buildFrame(nvgrePacket).data, 14, 1000);
  const vxlanPacket: Layer[] = [
    eth(KVM), ipv4({ src: '192.168.20.21', dst: '192.168.20.22', id: 0x300 }), udp({ sport: 49152, dport: 4789, checksum: 'zero' }), vxlan(300),
    eth(KVM_VMS), ipv4({ src: '10.3.0.1', dst: '10.3.0.2', id: 0x4444 }), udp({ sport: 5353, dport: 9000 }), payload(2400, 0x62),
  ];
  // The tenant's IPv4 layer is the sixth; every fragment is encapsulated on its own.
  const tenant = fragmentLayers(vxlanPacket, 5, 1400).map((l) => buildFrame(l).data);
  return [...underlay, ...tenant];
}

export function generateFragmentsSample(): Uint8Array {
  const chunks: Uint8Array[] = [];
  const w = new PcapngWriter((c) => chunks.push(c), {
    userAppl: 'Tunnelscope gen-fragments-sample (deterministic)',
    comment: 'IP reassembly: an NVGRE packet fragmented by the underlay, a VXLAN tenant datagram fragmented by the tenant',
  });
  const iface = w.addInterface({ linktype: 1, snaplen: 262144, name: 'mirror0', tsResolDigits: 9 });
  fragmentsSampleFrames().forEach((f, i) => w.writePacket(iface, START_SEC, (i + 1) * 1_000_000, f, 0, f.length, f.length));
  w.close();
  return concatBytes(chunks);
}

function main(argv: string[]): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  let out = resolve(root, FRAGMENTS_SAMPLE);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1] !== undefined) out = resolve(argv[++i]);
    else if (argv[i] === '--help' || argv[i] === '-h') {
      console.log(`usage: npx tsx scripts/gen-fragments-sample.ts [--out FILE]   (default ${FRAGMENTS_SAMPLE})`);
      return;
    } else throw new Error(`unknown argument ${argv[i]}`);
  }
  const bytes = generateFragmentsSample();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  console.log(`wrote ${out} (${bytes.length} bytes)`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
