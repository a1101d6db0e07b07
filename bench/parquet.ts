// `npm run bench:parquet`: the CLI on the same capture with and without --parquet, to show what writing the
// tables costs (README "Many captures": at most about twice the time without). Figures only.
//   npx tsx bench/parquet.ts [--size-mb 1024] [--file CAPTURE] [--repeat 3] [--jobs N]
// Without --file the deterministic bench capture is generated in bench/data/ (once). Runs alternate (with,
// without) so that a machine shared with other work weighs on both alike; the load average is printed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const opt = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const sizeMb = Number(opt('--size-mb') ?? 1024);
const repeat = Math.max(1, Number(opt('--repeat') ?? 3));
const jobs = opt('--jobs') ?? String(availableParallelism());
const file = resolve(opt('--file') ?? join(root, `bench/data/nvgre-${sizeMb}m.pcapng`));

interface Run { sec: number; cpu: number; rssMb: number }

function run(args: string[]): Run {
  // GNU time: peak RSS and CPU seconds (user + system) of the child; elapsed measured here.
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, 'cli/tunnelscope.mjs', ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`tunnelscope ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-500)}`);
  const [rss, user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { sec, cpu: user + sys, rssMb: rss / 1024 };
}

function du(dir: string): number {
  return readdirSync(dir, { recursive: true }).map(String).reduce((n, p) => n + (p.endsWith('.parquet') ? statSync(join(dir, p)).size : 0), 0);
}

function show(label: string, runs: Run[], size: number): { best: number; cpu: number } {
  const secs = runs.map((x) => x.sec).sort((a, b) => a - b);
  const best = secs[0];
  const cpu = Math.min(...runs.map((x) => x.cpu));
  console.log(`${label}: best ${best.toFixed(2)} s (${(size / 1e6 / best).toFixed(0)} MB/s), median ${secs[Math.floor(secs.length / 2)].toFixed(2)} s,`
    + ` CPU ${cpu.toFixed(2)} s, peak RSS ${Math.max(...runs.map((x) => x.rssMb)).toFixed(0)} MB`);
  return { best, cpu };
}

if (opt('--file') === undefined) {
  execFileSync('npx', ['tsx', 'scripts/gen-bench.ts', '--size-mb', String(sizeMb), '--out', file], { cwd: root, stdio: 'inherit' });
}
execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root, stdio: 'inherit' });
const size = statSync(file).size;
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`capture: ${file} (${(size / 1e6).toFixed(1)} MB); ${availableParallelism()} cores, --jobs ${jobs}, load average ${load()}`);
const out = mkdtempSync(join(tmpdir(), 'tunnelscope-bench-parquet-'));
const plain: Run[] = [];
const parquet: Run[] = [];
try {
  for (let k = 0; k < repeat; k++) {
    parquet.push(run([file, '--jobs', jobs, '--parquet', out]));
    plain.push(run([file, '--jobs', jobs]));
  }
  const a = show('without --parquet', plain, size);
  const b = show('with --parquet   ', parquet, size);
  console.log(`Parquet written: ${(du(out) / 1e6).toFixed(1)} MB; with/without: ${(b.best / a.best).toFixed(2)}x the time, ${(b.cpu / a.cpu).toFixed(2)}x the CPU;`
    + ` load average now ${load()}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
