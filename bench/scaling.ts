// How much a second core gives on this machine: the bundled CLI (--jobs 1) alone, then two of them at
// once on the same capture. On 2 cores with no contention the pair finishes in the time of one; the
// ratio printed is the throughput two processes reach together over one alone. Figures only.
//   npx tsx bench/scaling.ts [--size-mb 1024] [--repeat 3]
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const sizeMb = arg('--size-mb', 1024);
const repeat = Math.max(1, arg('--repeat', 3));
const file = resolve(root, `bench/data/nvgre-${sizeMb}m.pcapng`);
if (!existsSync(file)) execFileSync('npx', ['tsx', 'scripts/gen-bench.ts', '--size-mb', String(sizeMb), '--out', file], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root, stdio: 'inherit' });
const mb = statSync(file).size / 1e6;

function cli(): Promise<number> {
  return new Promise((ok, fail) => {
    const t0 = process.hrtime.bigint();
    const c = spawn(process.execPath, ['cli/tunnelscope.mjs', file, '--jobs', '1'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    c.on('exit', (code) => (code === 0 ? ok(Number(process.hrtime.bigint() - t0) / 1e9) : fail(new Error(`tunnelscope exited ${code}`))));
  });
}

let one = Infinity;
let two = Infinity;
for (let r = 0; r < repeat; r++) {
  one = Math.min(one, await cli());
  two = Math.min(two, Math.max(...(await Promise.all([cli(), cli()]))));
}
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${mb.toFixed(1)} MB capture, best of ${repeat}`);
console.log(`one process  (--jobs 1): ${one.toFixed(2)} s = ${(mb / one).toFixed(0)} MB/s`);
console.log(`two at once  (--jobs 1 each): ${two.toFixed(2)} s for both = ${((2 * mb) / two).toFixed(0)} MB/s together, ${(mb / two).toFixed(0)} MB/s each`);
console.log(`a second process adds ${(((2 * one) / two - 1) * 100).toFixed(0)}% (100% = a full second core)`);
