// Writes a large overlay capture for the responsiveness test: a few dozen template frames (NVGRE,
// VXLAN, Geneve tenants, inner TCP/UDP/ICMP, some bad and partial checksums) repeated with rising
// timestamps until the file reaches the wanted size. Generated at test time, never committed.
import { closeSync, openSync, writeSync } from 'node:fs';
import { PcapngWriter } from '../../decoders/capture/pcapng-writer.ts';
import {
  buildFrame, eth, geneve, icmpEcho, ipv4, nvgre, payload, tcp, udp, vxlan, type ChecksumMode, type Layer,
} from '../../scripts/lib/packet-builder.ts';

export interface BigCapture {
  path: string;
  frames: number;
  bytes: number;
}

function templates(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const outerEth = eth({ src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' });
  const innerEth = eth({ src: '02:00:00:00:00:0a', dst: '02:00:00:00:00:0b' });
  for (let t = 0; t < 6; t++) {
    for (let k = 0; k < 6; k++) {
      const csum: ChecksumMode = k === 3 && t % 2 === 0 ? 'bad' : k === 4 && t === 1 ? 'partial' : 'good';
      const size = 200 + ((t * 7 + k * 13) % 10) * 120;
      const inner: Layer[] = [
        innerEth,
        ipv4({ src: `10.0.${t}.${k + 1}`, dst: '10.0.9.9' }),
        k % 3 === 2 ? icmpEcho({ id: t, seq: k }) : k % 3 === 1 ? udp({ sport: 5000 + k, dport: 53, checksum: csum }) : tcp({ sport: 40000 + k, dport: 443, flags: 'PA', checksum: csum }),
        payload(size),
      ];
      const src = `192.168.10.${11 + (t % 3)}`;
      const layers: Layer[] =
        t < 4
          ? [outerEth, ipv4({ src, dst: '192.168.10.20' }), nvgre({ vsid: 5001 + t, flowId: k }), ...inner]
          : t === 4
            ? [outerEth, ipv4({ src, dst: '192.168.10.21' }), udp({ sport: 49152 + k, dport: 4789, checksum: 'zero' }), vxlan(300), ...inner]
            : [outerEth, ipv4({ src, dst: '192.168.10.22' }), udp({ sport: 49200 + k, dport: 6081, checksum: 'zero' }), geneve(77), ...inner];
      out.push(buildFrame(layers).data);
    }
  }
  return out;
}

/** Writes about `targetBytes` of pcapng to `path`. */
export function writeBigCapture(path: string, targetBytes: number): BigCapture {
  const fd = openSync(path, 'w');
  try {
    const w = new PcapngWriter((chunk) => {
      writeSync(fd, chunk);
    }, { userAppl: 'tunnelscope e2e' });
    const iface = w.addInterface({ linktype: 1, tsResolDigits: 6 });
    const t = templates();
    let frames = 0;
    const t0 = 1_764_000_000;
    while (w.bytesWritten < targetBytes) {
      const f = t[frames % t.length];
      const us = frames * 250; // 4000 frames per second
      w.writePacket(iface, t0 + Math.floor(us / 1e6), (us % 1e6) * 1000, f);
      frames++;
    }
    w.close();
    return { path, frames, bytes: w.bytesWritten };
  } finally {
    closeSync(fd);
  }
}
