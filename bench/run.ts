// `npm run bench`: the CLI and tshark on the same deterministic NVGRE capture, side by side.
// Prints MB/s, frames/s, peak RSS and the ratio. Figures only: nothing here asserts a timing.
//   npx tsx bench/run.ts [--size-mb 1024] [--tshark-mb 64] [--repeat 3] [--underlay-mtu 1400]
// --underlay-mtu (npm run bench:fragments): the same traffic with every encapsulated packet over that size
// fragmented by its host, so that a third of the frames go through IP reassembly.
// The CLI runs with --jobs 1 and with --jobs <cores>, each --repeat times (best and median shown):
// the machine may be shared, so the load average is printed beside the figures.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { readCapture } from '../decoders/capture/sniff.ts';
import { openNodeSource } from '../cli/node-source.ts';

const root = resolve(import.meta.dirname, '..');
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const sizeMb = arg('--size-mb', 1024);
const tsharkMb = arg('--tshark-mb', 64);
const repeat = Math.max(1, arg('--repeat', 3));
const mtu = arg('--underlay-mtu', 0);
const file = resolve(root, `bench/data/nvgre-${sizeMb}m${mtu > 0 ? `-mtu${mtu}` : ''}.pcapng`);

function run(cmd: string, args: string[]): { sec: number; rssMb: number; stdout: string } {
  // GNU time reports the child's peak RSS; elapsed is measured here for more digits.
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd: root, maxBuffer: 1 << 30, encoding: 'utf8' });
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-500)}`);
  const lines = r.stderr.trim().split('\n');
  return { sec, rssMb: Number(lines[lines.length - 1]) / 1024, stdout: r.stdout };
}

async function framesInFirst(bytes: number): Promise<{ frames: number; bytes: number }> {
  const src = await openNodeSource(file);
  let frames = 0;
  let end = 0;
  try {
    await readCapture(src, {
      onFrame: (rec) => {
        if (rec.fileOffset + rec.caplen > bytes) return false;
        frames = rec.n;
        end = rec.fileOffset + rec.caplen;
        return true;
      },
    });
  } finally {
    await src.close();
  }
  return { frames, bytes: end };
}

async function main(): Promise<void> {
  execFileSync('npx', ['tsx', 'scripts/gen-bench.ts', '--size-mb', String(sizeMb), '--out', file, ...(mtu > 0 ? ['--underlay-mtu', String(mtu)] : [])], { cwd: root, stdio: 'inherit' });
  // Measure what `npm install` ships: the bundled CLI, rebuilt from the sources in the checkout.
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root, stdio: 'inherit' });
  if (!existsSync(file)) throw new Error(`generator did not write ${file}`);
  const size = statSync(file).size;
  console.log(`capture: ${file} (${(size / 1e6).toFixed(1)} MB)`);

  const cores = availableParallelism();
  const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`machine: ${cores} cores, load average ${load()}`);
  let summary: { frames: number; tenants: unknown[]; flagged: number[] } | null = null;
  let best1 = Infinity;
  let bestN = Infinity;
  for (const jobs of cores > 1 ? [1, cores] : [1]) {
    const runs: Array<{ sec: number; rssMb: number }> = [];
    for (let r = 0; r < repeat; r++) {
      const cli = run(process.execPath, ['cli/tunnelscope.mjs', file, '--jobs', String(jobs)]);
      const out = JSON.parse(cli.stdout) as { frames: number; tenants: unknown[]; flagged: number[] };
      if (summary !== null && JSON.stringify(out) !== JSON.stringify(summary)) throw new Error(`--jobs ${jobs} printed a different summary`);
      summary = out;
      runs.push(cli);
    }
    const secs = runs.map((x) => x.sec).sort((a, b) => a - b);
    const best = secs[0];
    const median = secs[Math.floor(secs.length / 2)];
    const rss = Math.max(...runs.map((x) => x.rssMb));
    if (jobs === 1) best1 = best;
    else bestN = best;
    const frames = summary?.frames ?? 0;
    console.log(`tunnelscope CLI --jobs ${jobs}: best ${best.toFixed(2)} s = ${(size / 1e6 / best).toFixed(0)} MB/s, ${(frames / best / 1e6).toFixed(2)} M frames/s`
      + ` (median ${median.toFixed(2)} s = ${(size / 1e6 / median).toFixed(0)} MB/s), ${((size / 1e6 / best) / jobs).toFixed(0)} MB/s per job,`
      + ` peak RSS ${rss.toFixed(0)} MB; ${repeat} runs, load average now ${load()}`);
  }
  if (summary === null) throw new Error('no CLI run');
  console.log(`summary: ${summary.frames} frames, ${summary.tenants.length} tenants, ${summary.flagged.length} flagged (times include process start-up)`);
  const cliSec = Math.min(best1, bestN);
  const cliMBs = size / 1e6 / cliSec;

  if (!existsSync('/usr/bin/tshark')) {
    console.log('tshark: not installed, no comparison (apt-get install tshark)');
    return;
  }
  const slice = await framesInFirst(tsharkMb * 1e6);
  const ts = run('/usr/bin/tshark', [
    '-r', file, '-c', String(slice.frames),
    '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
    '-T', 'fields', '-e', 'frame.number', '-e', 'gre.key', '-e', 'ip.checksum.status', '-e', 'tcp.checksum.status', '-e', 'udp.checksum.status',
  ]);
  const tsMBs = slice.bytes / 1e6 / ts.sec;
  console.log(`tshark -T fields with checksum validation, first ${slice.frames} frames (${(slice.bytes / 1e6).toFixed(1)} MB): ${ts.sec.toFixed(2)} s, ${tsMBs.toFixed(1)} MB/s, ${(slice.frames / ts.sec / 1e3).toFixed(1)} k frames/s, peak RSS ${ts.rssMb.toFixed(0)} MB`);
  console.log(`ratio (MB/s, best runs): tunnelscope --jobs ${cores} is ${((size / 1e6 / bestN) / tsMBs).toFixed(0)}x tshark, --jobs 1 is ${((size / 1e6 / best1) / tsMBs).toFixed(0)}x; fastest ${(cliMBs / tsMBs).toFixed(0)}x`);
}

await main();
