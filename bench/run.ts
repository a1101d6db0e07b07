// `npm run bench`: the CLI and tshark on the same deterministic NVGRE capture, side by side.
// Prints MB/s, frames/s, peak RSS and the ratio. Figures only: nothing here asserts a timing.
//   npx tsx bench/run.ts [--size-mb 1024] [--tshark-mb 64]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
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
const file = resolve(root, `bench/data/nvgre-${sizeMb}m.pcapng`);

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
  execFileSync('npx', ['tsx', 'scripts/gen-bench.ts', '--size-mb', String(sizeMb), '--out', file], { cwd: root, stdio: 'inherit' });
  if (!existsSync(file)) throw new Error(`generator did not write ${file}`);
  const size = statSync(file).size;
  console.log(`capture: ${file} (${(size / 1e6).toFixed(1)} MB)`);

  const cli = run(process.execPath, ['cli/tunnelscope.mjs', file]);
  const summary = JSON.parse(cli.stdout) as { frames: number; tenants: unknown[]; flagged: number[] };
  const cliMBs = size / 1e6 / cli.sec;
  console.log(`tunnelscope CLI: ${cli.sec.toFixed(2)} s, ${cliMBs.toFixed(0)} MB/s, ${(summary.frames / cli.sec / 1e6).toFixed(2)} M frames/s, peak RSS ${cli.rssMb.toFixed(0)} MB`
    + ` (${summary.frames} frames, ${summary.tenants.length} tenants, ${summary.flagged.length} flagged; includes ~0.3 s of Node/tsx start-up)`);

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
  console.log(`ratio: tunnelscope is ${(cliMBs / tsMBs).toFixed(1)}x tshark (MB/s)`);
}

await main();
