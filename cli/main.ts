// `tunnelscope FILE`: the engine over a file on disk, printing the JSON contracts of issue 2.
import { basename, resolve } from 'node:path';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { open, realpath, unlink } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { exportPcapng, ForwardReader } from '../decoders/analysis/export.ts';
import type { FrameBytesSource } from '../decoders/analysis/export.ts';
import { Engine } from '../decoders/analysis/engine.ts';
import { flaggedFrames, frameJson, summaryJson } from '../decoders/analysis/report.ts';
import { NotACaptureError } from '../decoders/capture/types.ts';
import { parseArgs, USAGE } from './args.ts';
import type { CliArgs } from './args.ts';
import { openNodeSource } from './node-source.ts';
import { loadParallel } from '../decoders/parallel/load.ts';
import { defaultJobs, nodePool } from './jobs.ts';
import { caretText, compile, FilterError, resolvePending, type FilterRun } from '../decoders/filter/index.ts';
import { subsetSummaryJson } from '../decoders/analysis/subset.ts';
import { pathsMain } from './paths.ts';

export async function main(argv: string[]): Promise<number> {
  // Several captures of the same packets: a command of its own (cli/paths.ts).
  if (argv.includes('--paths')) return pathsMain(argv);
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
  const filter = args.filter !== null && args.filter.trim() !== '' ? args.filter : null;
  if (filter !== null) {
    try {
      compile(filter.trim());
    } catch (err) {
      if (!(err instanceof FilterError)) throw err;
      const lead = filter.length - filter.trimStart().length;
      process.stderr.write(`tunnelscope: --filter: ${err.message}\n${caretText(filter, { message: '', start: err.start + lead, end: err.end + lead })}\n`);
      return 2;
    }
  }
  // The summary needs only the aggregates; keeping no per-frame columns keeps memory flat for any file size.
  // A filter reads the frame index (and re-reads frame bytes the index cannot decide), so it keeps it.
  const engine = new Engine({ retainFrames: args.frames || args.exportPath !== null || filter !== null });
  try {
    if (args.exportPath !== null && await sameFile(args.file, args.exportPath)) {
      process.stderr.write(`tunnelscope: ${args.exportPath}: is the input file; choose another output file\n`);
      return 2;
    }
    const src = await openNodeSource(args.file);
    try {
      await loadParallel(engine, src, basename(args.file), { jobs: args.jobs ?? defaultJobs(), pool: (n) => nodePool(args.file, n) });
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
  let run: FilterRun | null = null;
  if (filter !== null) {
    run = engine.filters.get(filter);
    if (run.pending > 0) {
      const src = await frameSource(engine, args.file);
      try {
        await resolvePending(engine, run, src);
      } catch (err) {
        process.stderr.write(`tunnelscope: ${args.file}: ${describeIoError(err, args.file)}\n`);
        return 2;
      } finally {
        await src.close().catch(() => undefined);
      }
    }
  }
  const match = run?.state ?? null;
  if (args.exportPath !== null) {
    const err = await exportFrames(engine, args.file, args.exportPath, args.onlyFlagged, match);
    if (err !== null) {
      process.stderr.write(`tunnelscope: ${args.exportPath}: ${err}\n`);
      return 2;
    }
  }
  if (args.frames) await writeFrames(engine, match);
  else {
    const json = filter !== null && match !== null
      ? subsetSummaryJson(engine, basename(args.file), filter, match) : summaryJson(engine, basename(args.file));
    process.stdout.write(`${JSON.stringify(json, null, args.pretty ? 2 : undefined)}\n`);
  }
  const flagged = match === null ? engine.badFrames : flaggedFrames(engine).filter((n) => match[n - 1] === 1).length;
  return args.failOnBad && flagged > 0 ? 3 : 0;
}

/** Random access to frame bytes: the file, or (gzip) its decompressed stream read forward once. */
async function frameSource(engine: Engine, file: string): Promise<FrameBytesSource & { close(): Promise<void> }> {
  if (engine.result?.gzip) return new ForwardReader(createReadStream(file).pipe(createGunzip()));
  return openNodeSource(file);
}

async function writeFrames(engine: Engine, match: Uint8Array | null): Promise<void> {
  const out = process.stdout;
  let batch = '';
  for (let i = 0; i < engine.frames; i++) {
    if (match !== null && match[i] !== 1) continue;
    batch += `${JSON.stringify(frameJson(engine, i))}\n`;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  if (batch) out.write(batch);
}

/** Writes the frames to `out` as pcapng; returns a one-line error, or null. A partial regular file is removed. */
async function exportFrames(engine: Engine, file: string, out: string, onlyFlagged: boolean, match: Uint8Array | null): Promise<string | null> {
  let frames = onlyFlagged ? flaggedFrames(engine) : Array.from({ length: engine.frames }, (_, i) => i + 1);
  if (match !== null) frames = frames.filter((n) => match[n - 1] === 1);
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(out, 'w');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'cannot create it: its directory does not exist' : describeIoError(err, out);
  }
  // Only a regular file is removed after a failure: never a device, FIFO or anything else named as OUT.
  const regular = await fh.stat().then((st) => st.isFile(), () => false);
  // Frame offsets of a gzip capture are offsets in the decompressed stream: read it forward once.
  const src = await frameSource(engine, file);
  let failed: string | null = null;
  try {
    await exportPcapng(engine, frames, src, async (chunk) => {
      let off = 0;
      while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
    }, { comment: `${onlyFlagged ? 'frames with a bad checksum' : 'all frames'}${match !== null ? ' matching the display filter' : ''} of ${basename(file)}, exported by Tunnelscope` });
  } catch (err) {
    failed = describeIoError(err, out);
  } finally {
    await src.close().catch(() => undefined);
    await fh.close().catch((err: unknown) => { failed ??= describeIoError(err, out); });
  }
  if (failed !== null && regular) await unlink(out).catch(() => undefined);
  return failed;
}

async function sameFile(a: string, b: string): Promise<boolean> {
  const real = (p: string): Promise<string> => realpath(p).catch(() => resolve(p));
  return (await real(a)) === (await real(b));
}

function describeIoError(err: unknown, file: string): string {
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'ENOENT') return 'no such file';
  if (e && e.code === 'EISDIR') return 'is a directory, not a capture file';
  if (e && e.code === 'EACCES') return 'permission denied';
  if (e && e.code === 'ENOSPC') return 'no space left on the device';
  return e && e.message ? e.message : `cannot read ${file}`;
}
