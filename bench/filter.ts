// Display-filter throughput in the column tier: 1 M NVGRE frames (64 tenants, inner TCP/UDP, ~1% bad
// inner checksums) are fed to an Engine from built templates (no file), then compound filters are timed
// over the whole frame index, as the worker runs them when a filter is applied.
//
//   npx tsx bench/filter.ts [--frames 1000000] [--repeat 5]
import { buildFrame, eth, ipv4, nvgre, payload, tcp, udp } from '../scripts/lib/packet-builder.ts';
import type { Layer } from '../scripts/lib/packet-builder.ts';
import { Engine } from '../decoders/analysis/engine.ts';
import { newEpbOptions, type FrameRecord } from '../decoders/capture/types.ts';
import { resolvePending } from '../decoders/filter/runner.ts';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const FRAMES = arg('--frames', 1_000_000);
const REPEAT = arg('--repeat', 5);
/** Frames kept as bytes too, for the byte-tier figure. */
const BYTE_FRAMES = Math.min(FRAMES, arg('--byte-frames', 100_000));

const FILTERS = [
  'tenant.vnid in {5001..5016} && ip.src == 10.0.0.0/8 && tcp.dstport == 443 && !checksum.bad',
  'ip.addr == 10.3.0.0/16 || (udp.port == 53 && nvgre.flowid > 128)',
  'tcp.checksum.status == bad or udp.checksum.status in {bad, partial}',
  'tcp.flags & 0x02 && frame.len > 100 && ip.dst != 192.168.0.0/24',
  // Every leaf true for most frames: no short cut, each leaf runs over (nearly) every frame.
  'ip.src == 10.0.0.0/8 && frame.len > 60 && !checksum.bad && (tcp || udp) && gre.proto == 0x6558',
];

function templates(): { data: Uint8Array; caplen: number }[] {
  const out: { data: Uint8Array; caplen: number }[] = [];
  const m = (k: number) => `00:15:5d:00:${(k >> 8).toString(16).padStart(2, '0')}:${(k & 0xff).toString(16).padStart(2, '0')}`;
  for (let t = 0; t < 64; t++) {
    for (let f = 0; f < 4; f++) {
      const host = t % 16;
      const inner: Layer[] = f < 3
        ? [ipv4({ src: `10.${t}.0.${f + 1}`, dst: `10.${t}.1.${f + 1}` }), tcp({ sport: 40000 + f, dport: f === 2 ? 80 : 443, flags: f === 0 ? 'S' : 'PA', checksum: t % 50 === 7 && f === 1 ? 'bad' : 'good' }), payload(f === 1 ? 1400 : 40)]
        : [ipv4({ src: `10.${t}.0.9`, dst: `10.${t}.1.53` }), udp({ sport: 5353 + t, dport: 53 }), payload(60)];
      const layers: Layer[] = [eth({ src: m(host), dst: m(100) }), ipv4({ src: `192.168.${host}.1`, dst: '192.168.100.1' }),
        nvgre({ vsid: 5001 + t, flowId: (t * 7 + f * 61) & 0xff }), eth({ src: m(1000 + t), dst: m(2000 + t) }), ...inner];
      const b = buildFrame(layers);
      out.push({ data: b.data, caplen: b.caplen });
    }
  }
  return out;
}

const tpl = templates();
const e = new Engine();
const t0 = performance.now();
const rec: FrameRecord = {
  buf: tpl[0].data, dataOffset: 0, n: 0, caplen: 0, origlen: 0, linktype: 1, tsSec: 1764000000, tsNsec: 0, hasTime: true,
  fileOffset: 0, recordOffset: 0, interfaceId: 0, interfaceIndex: 0, epbFlags: 0, comment: null, epb: newEpbOptions(), interfaces: [],
};
let off = 0;
const bytes = new Uint8Array(BYTE_FRAMES * (1600 + 32));
for (let i = 0; i < FRAMES; i++) {
  // Mostly round-robin over flows, with runs (a flow sends several frames in a row).
  const k = ((i >> 2) * 37) % tpl.length;
  const t = tpl[k];
  rec.buf = t.data;
  rec.n = i + 1;
  rec.caplen = rec.origlen = t.caplen;
  rec.tsSec = 1764000000 + Math.floor(i / 10000);
  rec.tsNsec = (i % 10000) * 100000;
  rec.fileOffset = off;
  if (i < BYTE_FRAMES) bytes.set(t.data.subarray(0, t.caplen), off);
  off += t.caplen + 32;
  e.add(rec);
}
console.log(`built ${e.frames} frames in ${((performance.now() - t0) / 1000).toFixed(1)} s (${e.tenants.count} tenants, ${e.flows.count} flows, ${e.badFrames} bad)`);

for (const f of FILTERS) {
  const times: number[] = [];
  let shown = 0, pending = 0;
  for (let r = 0; r < REPEAT; r++) {
    // Nothing cached: compile, the column pass over every frame, and the view index of the packet list
    // (a new view key each time), as when the worker applies a filter.
    e.filters.clear();
    const s = performance.now();
    shown = e.status({ tenant: null, sort: null, filter: f + ' '.repeat(r + 1) }).shown;
    times.push(performance.now() - s);
    pending = e.filters.get(f).pending;
  }
  // The first run also fills the engine's per-frame values of single-valued fields it is the first to use
  // (kept for later filters); the others are what applying a filter costs from then on.
  const first = times[0];
  times.sort((a, b) => a - b);
  console.log(`${times[Math.floor(times.length / 2)].toFixed(1)} ms median (first ${first.toFixed(1)}, min ${times[0].toFixed(1)}, max ${times[times.length - 1].toFixed(1)}) `
    + `for ${FRAMES} frames: ${f}  -> shown ${shown}, left to the byte tier ${pending}`);
}

// Byte tier: a field the index does not hold, over the first BYTE_FRAMES frames (frame.number decides the
// rest from the index, so only those frames are read and dissected again).
{
  const f = `frame.number <= ${BYTE_FRAMES} && ip.ttl == 64 && tcp`;
  e.filters.clear();
  const run = e.filters.get(f);
  const s = performance.now();
  const read = await resolvePending(e, run, { read: async (o, n) => bytes.subarray(o, o + n) });
  const ms = performance.now() - s;
  console.log(`${ms.toFixed(0)} ms for the byte tier over ${read} frames (${((ms * 1000) / Math.max(1, read)).toFixed(1)} µs/frame): ${f}  -> matched ${run.matched}`);
}
