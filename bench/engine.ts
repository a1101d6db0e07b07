// In-process engine throughput (no process start-up): read + dissect + verify + aggregate.
//   npx tsx bench/engine.ts FILE [--repeat 3] [--no-retain]
import { Engine } from '../decoders/analysis/engine.ts';
import { openNodeSource } from '../cli/node-source.ts';

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx bench/engine.ts FILE [--repeat N] [--no-retain]');
  process.exit(2);
}
const ri = process.argv.indexOf('--repeat');
const repeat = ri > 0 ? Number(process.argv[ri + 1]) : 3;
for (let r = 0; r < repeat; r++) {
  const e = new Engine({ retainFrames: !process.argv.includes('--no-retain') });
  const src = await openNodeSource(file);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await e.load(src, file);
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  // CPU time is the steadier figure when other processes share the cores.
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  await src.close();
  const mb = (e.result?.bytesRead ?? 0) / 1e6;
  console.log(`run ${r + 1}: ${sec.toFixed(3)} s, ${(mb / sec).toFixed(0)} MB/s, ${(e.frames / sec / 1e6).toFixed(2)} M frames/s, `
    + `cpu ${cpu.toFixed(3)} s (user ${(cu.user / 1e6).toFixed(3)}, sys ${(cu.system / 1e6).toFixed(3)}), ${(mb / cpu).toFixed(0)} MB/cpu-s, `
    + `${e.frames} frames, ${e.tenants.count} tenants, ${e.flows.count} flows, ${e.badFrames} bad, `
    + `rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
}
