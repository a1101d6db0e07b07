// Manual throughput check for the capture readers (not a test, no assertions):
//   npx tsx decoders/capture/throughput.ts
// Builds pcap and pcapng (nanosecond EPB) captures in memory and reads them through MemorySource in
// 4 MiB chunks with a callback that touches every record, as the dissector would.

import { MemorySource } from './memory-source.ts';
import { readCapture } from './sniff.ts';

function build(kind: 'pcap' | 'pcapng', bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const dv = new DataView(out.buffer);
  let p = 0;
  if (kind === 'pcap') {
    dv.setUint32(0, 0xa1b2c3d4, true);
    dv.setUint16(4, 2, true);
    dv.setUint16(6, 4, true);
    dv.setUint32(16, 262144, true);
    dv.setUint32(20, 1, true);
    p = 24;
  } else {
    dv.setUint32(0, 0x0a0d0d0a, true);
    dv.setUint32(4, 28, true);
    dv.setUint32(8, 0x1a2b3c4d, true);
    dv.setUint16(12, 1, true);
    dv.setInt32(16, -1, true);
    dv.setInt32(20, -1, true);
    dv.setUint32(24, 28, true);
    // IDB with if_tsresol = 9 (nanoseconds)
    dv.setUint32(28, 1, true);
    dv.setUint32(32, 32, true);
    dv.setUint16(36, 1, true);
    dv.setUint32(40, 262144, true);
    dv.setUint16(44, 9, true);
    dv.setUint16(46, 1, true);
    out[48] = 9;
    dv.setUint32(56, 32, true);
    p = 60;
  }
  let i = 0;
  let t = 1_700_000_000_000_000_000n;
  for (;;) {
    const caplen = 60 + ((i * 7919) % 1440);
    const size = kind === 'pcap' ? 16 + caplen : 32 + caplen + ((4 - (caplen % 4)) % 4);
    if (p + size > bytes) break;
    if (kind === 'pcap') {
      dv.setUint32(p, 1_700_000_000 + (i >> 10), true);
      dv.setUint32(p + 4, (i * 13) % 1_000_000, true);
      dv.setUint32(p + 8, caplen, true);
      dv.setUint32(p + 12, caplen, true);
    } else {
      t += 1234n;
      dv.setUint32(p, 6, true);
      dv.setUint32(p + 4, size, true);
      dv.setUint32(p + 12, Number(t >> 32n), true);
      dv.setUint32(p + 16, Number(t & 0xffffffffn), true);
      dv.setUint32(p + 20, caplen, true);
      dv.setUint32(p + 24, caplen, true);
      dv.setUint32(p + size - 4, size, true);
    }
    out[p + (kind === 'pcap' ? 16 : 28)] = i & 0xff;
    p += size;
    i++;
  }
  return out.subarray(0, p);
}

async function main(): Promise<void> {
  const mib = 512;
  for (const kind of ['pcap', 'pcapng'] as const) {
    const bytes = build(kind, mib * 1024 * 1024);
    for (let run = 0; run < 3; run++) {
      let sum = 0;
      const t0 = performance.now();
      const r = await readCapture(new MemorySource(bytes), {
        onFrame: (rec) => {
          sum += rec.buf[rec.dataOffset] + rec.caplen + rec.tsNsec;
        },
      });
      const ms = performance.now() - t0;
      const gbps = bytes.length / ms / 1e6;
      console.log(`${kind} run ${run}: ${r.frames} frames, ${(bytes.length / 2 ** 20).toFixed(0)} MiB in ${ms.toFixed(0)} ms = ${gbps.toFixed(2)} GB/s, ${(r.frames / ms / 1000).toFixed(1)} Mframes/s (checksum ${sum % 1000})`);
    }
  }
}

void main();
