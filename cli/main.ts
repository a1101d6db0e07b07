// `tunnelscope FILE`: the engine over a file on disk, printing the JSON contracts of issue 2.
import { basename } from 'node:path';
import { once } from 'node:events';
import { Engine } from '../decoders/analysis/engine.ts';
import { frameJson, summaryJson } from '../decoders/analysis/report.ts';
import { NotACaptureError } from '../decoders/capture/types.ts';
import { parseArgs, USAGE } from './args.ts';
import type { CliArgs } from './args.ts';
import { openNodeSource } from './node-source.ts';

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`tunnelscope: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const engine = new Engine();
  try {
    const src = await openNodeSource(args.file);
    try {
      await engine.load(src, basename(args.file));
    } finally {
      await src.close();
    }
  } catch (err) {
    const msg = err instanceof NotACaptureError ? err.message : describeIoError(err, args.file);
    process.stderr.write(`tunnelscope: ${args.file}: ${msg}\n`);
    return 2;
  }
  const r = engine.result;
  if (r && r.error && engine.frames === 0) {
    process.stderr.write(`tunnelscope: ${args.file}: ${r.error.message} (at byte ${r.error.offset})\n`);
    return 2;
  }
  if (args.frames) await writeFrames(engine);
  else {
    const json = summaryJson(engine, basename(args.file));
    process.stdout.write(`${JSON.stringify(json, null, args.pretty ? 2 : undefined)}\n`);
  }
  return args.failOnBad && engine.badFrames > 0 ? 3 : 0;
}

async function writeFrames(engine: Engine): Promise<void> {
  const out = process.stdout;
  let batch = '';
  for (let i = 0; i < engine.frames; i++) {
    batch += `${JSON.stringify(frameJson(engine, i))}\n`;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  if (batch) out.write(batch);
}

function describeIoError(err: unknown, file: string): string {
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'ENOENT') return 'no such file';
  if (e && e.code === 'EISDIR') return 'is a directory, not a capture file';
  if (e && e.code === 'EACCES') return 'permission denied';
  return e && e.message ? e.message : `cannot read ${file}`;
}
