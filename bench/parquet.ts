// `npm run bench:parquet`: the CLI on the same capture with and without --parquet, to show what writing the
// tables costs (README "Many captures": at most about twice the time without). Figures only.
//   npx tsx bench/parquet.ts [--size-mb 1024] [--file CAPTURE] [--repeat 3] [--jobs N]
// Without --file the deterministic bench capture is generated in bench/data/ (once). Runs alternate (with,
// without) so that a machine shared with other work weighs on both alike; the load average is printed. Besides
// the elapsed time, each run's CPU time is read per thread from /proc while it runs: the busiest thread's is
// what the run takes on a machine with a core free for each thread, whatever else the machine is doing.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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
const TICK = 100; // USER_HZ: /proc counts CPU time in 1/100 s

interface Run { sec: number; cpu: number; busiest: number; rssMb: number }

/** CPU seconds per thread of a process, and its peak RSS in MB, from /proc (empty once it has exited). */
function sample(pid: number): { threads: Map<number, number>; rssMb: number } {
  const threads = new Map<number, number>();
  let rssMb = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(Number(tid), (Number(f[11]) + Number(f[12])) / TICK);
    }
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    rssMb = hwm ? Number(hwm[1]) / 1024 : 0;
  } catch {
    // exited between the reads
  }
  return { threads, rssMb };
}

function run(args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, ['cli/tunnelscope.mjs', ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const seen = new Map<number, number>();
    let rssMb = 0;
    // Every 20 ms: a thread's CPU time only grows, so its last reading is within 20 ms of its total.
    const timer = setInterval(() => {
      const s = sample(child.pid ?? 0);
      for (const [tid, cpu] of s.threads) seen.set(tid, Math.max(seen.get(tid) ?? 0, cpu));
      rssMb = Math.max(rssMb, s.rssMb);
    }, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      const sec = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) fail(new Error(`tunnelscope ${args.join(' ')} failed (${code}): ${stderr.slice(-500)}`));
      const cpus = [...seen.values()];
      done({ sec, cpu: cpus.reduce((a, b) => a + b, 0), busiest: Math.max(0, ...cpus), rssMb });
    });
  });
}

function du(dir: string): number {
  return readdirSync(dir, { recursive: true }).map(String).reduce((n, p) => n + (p.endsWith('.parquet') ? statSync(join(dir, p)).size : 0), 0);
}

function show(label: string, runs: Run[], size: number): Run {
  const secs = runs.map((x) => x.sec).sort((a, b) => a - b);
  const best = secs[0];
  const cpu = Math.min(...runs.map((x) => x.cpu));
  const busiest = Math.min(...runs.map((x) => x.busiest));
  console.log(`${label}: best ${best.toFixed(2)} s (${(size / 1e6 / best).toFixed(0)} MB/s), median ${secs[Math.floor(secs.length / 2)].toFixed(2)} s;`
    + ` CPU ${cpu.toFixed(2)} s, busiest thread ${busiest.toFixed(2)} s; peak RSS ${Math.max(...runs.map((x) => x.rssMb)).toFixed(0)} MB`);
  return { sec: best, cpu, busiest, rssMb: 0 };
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
    parquet.push(await run([file, '--jobs', jobs, '--parquet', out]));
    plain.push(await run([file, '--jobs', jobs]));
  }
  const a = show('without --parquet', plain, size);
  const b = show('with --parquet   ', parquet, size);
  console.log(`Parquet written: ${(du(out) / 1e6).toFixed(1)} MB. with/without: ${(b.sec / a.sec).toFixed(2)}x the elapsed time (best runs),`
    + ` ${(b.cpu / a.cpu).toFixed(2)}x the CPU, ${(b.busiest / a.busiest).toFixed(2)}x the busiest thread; load average now ${load()}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
