// `tunnelscope CAPTURE...`: the engine over files on disk, printing the JSON contracts of issue 2; several
// captures (cli/inputs.ts) are read in parallel, one per thread (cli/captures.ts), and summed.
import { basename, resolve } from 'node:path';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { access, constants, mkdir, open, realpath, stat, unlink } from 'node:fs/promises';
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
import { totalSummary } from '../decoders/analysis/total.ts';
import type { CaptureSummaryJson } from '../decoders/analysis/types.ts';
import { runCaptures } from './captures.ts';
import { expandInputs, isGlob, type CaptureInput } from './inputs.ts';
import { describeIoError } from './io-error.ts';
import { ProgressBar } from './progress.ts';
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
  if (args.files.length === 1 && args.parquet === null) {
    const a = args.files[0];
    const st = await stat(a).catch(() => null);
    if (!st?.isDirectory() && !(st === null && isGlob(a))) return single(args, a, filter);
  }
  const { captures, errors } = await expandInputs(args.files);
  for (const e of errors) process.stderr.write(`tunnelscope: ${e.path}: ${e.message}\n`);
  if (captures.length === 0) return 2;
  // One capture, however it was named: the output of today's `tunnelscope FILE`.
  if (captures.length === 1 && errors.length === 0 && args.parquet === null) return single(args, captures[0].path, filter);
  if (args.exportPath !== null && captures.length > 1) {
    process.stderr.write(`tunnelscope: --export writes one capture's frames: ${captures.length} captures given\n`);
    return 2;
  }
  const status = args.frames || filter !== null ? await oneByOne(args, captures, filter) : await many(args, captures);
  return errors.length > 0 ? 2 : status;
}

/** One capture as the CLI has always read it (issue 2): the frames kept when output or a filter needs them. */
async function single(args: CliArgs, file: string, filter: string | null): Promise<number> {
  const name = basename(file);
  const got = await readWhole(args, file, name, filter);
  if ('error' in got) {
    process.stderr.write(`tunnelscope: ${got.path}: ${got.error}\n`);
    return 2;
  }
  const { engine, match } = got;
  if (args.exportPath !== null) {
    const err = await exportFrames(engine, file, args.exportPath, args.onlyFlagged, match);
    if (err !== null) {
      process.stderr.write(`tunnelscope: ${args.exportPath}: ${err}\n`);
      return 2;
    }
  }
  if (args.frames) await writeFrames(engine, match, null);
  else {
    const json = filter !== null && match !== null ? subsetSummaryJson(engine, name, filter, match) : summaryJson(engine, name);
    process.stdout.write(`${JSON.stringify(json, null, args.pretty ? 2 : undefined)}\n`);
  }
  const flagged = match === null ? engine.badFrames : flaggedFrames(engine).filter((n) => match[n - 1] === 1).length;
  return args.failOnBad && flagged > 0 ? 3 : 0;
}

/**
 * Reads one capture into an Engine (with the parallel decode) and runs the filter; returns the engine and the
 * filter's matches, or what failed (the file, or --export's OUT) and why.
 */
async function readWhole(
  args: CliArgs, file: string, name: string, filter: string | null,
): Promise<{ engine: Engine; match: Uint8Array | null } | { path: string; error: string }> {
  // The summary needs only the aggregates; keeping no per-frame columns keeps memory flat for any file size.
  // A filter reads the frame index (and re-reads frame bytes the index cannot decide), so it keeps it.
  const engine = new Engine({ retainFrames: args.frames || args.exportPath !== null || filter !== null });
  try {
    if (args.exportPath !== null && await sameFile(file, args.exportPath)) {
      return { path: args.exportPath, error: 'is the input file; choose another output file' };
    }
    const src = await openNodeSource(file);
    try {
      await loadParallel(engine, src, name, { jobs: args.jobs ?? defaultJobs(), pool: (n) => nodePool(file, n) });
    } finally {
      await src.close();
    }
  } catch (err) {
    return { path: file, error: err instanceof NotACaptureError ? err.message : describeIoError(err, file) };
  }
  const r = engine.result;
  if (r && r.error && engine.frames === 0) return { path: file, error: `${r.error.message} (at byte ${r.error.offset})` };
  let run: FilterRun | null = null;
  if (filter !== null) {
    run = engine.filters.get(filter);
    if (run.pending > 0) {
      const src = await frameSource(engine, file);
      try {
        await resolvePending(engine, run, src);
      } catch (err) {
        return { path: file, error: describeIoError(err, file) };
      } finally {
        await src.close().catch(() => undefined);
      }
    }
  }
  return { engine, match: run?.state ?? null };
}

/**
 * Several captures with --frames or --filter, which read each one's frame index: one capture at a time (each
 * with the parallel decode), its rows printed with `file` before the next is read.
 */
async function oneByOne(args: CliArgs, captures: readonly CaptureInput[], filter: string | null): Promise<number> {
  const summaries: CaptureSummaryJson[] = [];
  const failed: Array<{ file: string; error: string }> = [];
  let flagged = 0;
  for (const c of captures) {
    const got = await readWhole(args, c.path, c.name, filter);
    if ('error' in got) {
      process.stderr.write(`tunnelscope: ${got.path}: ${got.error}\n`);
      failed.push({ file: c.name, error: got.error });
      continue;
    }
    const { engine, match } = got;
    flagged += match === null ? engine.badFrames : flaggedFrames(engine).filter((n) => match[n - 1] === 1).length;
    if (args.frames) await writeFrames(engine, match, c.name);
    else summaries.push(filter !== null && match !== null ? subsetSummaryJson(engine, c.name, filter, match) : summaryJson(engine, c.name));
  }
  if (!args.frames) printMany(args, summaries, failed);
  return failed.length > 0 ? 2 : args.failOnBad && flagged > 0 ? 3 : 0;
}

/** Several captures (or --parquet): read in parallel, a capture per thread, with a progress bar on a terminal. */
async function many(args: CliArgs, captures: readonly CaptureInput[]): Promise<number> {
  if (args.parquet !== null) {
    // A folder that cannot take the tables fails before any capture is read, as --export's OUT does.
    try {
      await mkdir(args.parquet, { recursive: true });
      await access(args.parquet, constants.W_OK);
    } catch (err) {
      process.stderr.write(`tunnelscope: ${args.parquet}: ${describeIoError(err, args.parquet)}\n`);
      return 2;
    }
  }
  const sizes = await Promise.all(captures.map((c) => stat(c.path).then((s) => s.size, () => 0)));
  const bar = process.stderr.isTTY ? new ProgressBar(process.stderr, captures.length, sizes.reduce((a, b) => a + b, 0)) : null;
  const jobs = args.jobs ?? defaultJobs();
  // One capture: its frames table is written by a second thread while this one decodes.
  const pipe = captures.length === 1 && jobs >= 2;
  const outcomes = await runCaptures(captures.map((c) => ({ path: c.path, name: c.name, parquet: args.parquet, pipe })), {
    jobs,
    onBytes: (n) => bar?.addBytes(n),
    onDone: (k, o) => {
      if ('error' in o) {
        bar?.end();
        process.stderr.write(`tunnelscope: ${captures[k].path}: ${o.error}\n`);
      }
      bar?.fileDone();
    },
  });
  bar?.end();
  const summaries: CaptureSummaryJson[] = [];
  const failed: Array<{ file: string; error: string }> = [];
  for (const o of outcomes) {
    if ('error' in o) failed.push({ file: o.name, error: o.error });
    else summaries.push(o.summary);
  }
  // --parquet over one capture: the summary as always (and, as always, none when it could not be read).
  if (captures.length === 1 && failed.length === 0) process.stdout.write(`${JSON.stringify(summaries[0], null, args.pretty ? 2 : undefined)}\n`);
  else if (captures.length > 1) printMany(args, summaries, failed);
  const flagged = summaries.reduce((n, s) => n + s.flagged.length, 0);
  return failed.length > 0 ? 2 : args.failOnBad && flagged > 0 ? 3 : 0;
}

function printMany(args: CliArgs, files: CaptureSummaryJson[], errors: Array<{ file: string; error: string }>): void {
  const json = { files, total: totalSummary(files), errors };
  process.stdout.write(`${JSON.stringify(json, null, args.pretty ? 2 : undefined)}\n`);
}

/** Random access to frame bytes: the file, or (gzip) its decompressed stream read forward once. */
async function frameSource(engine: Engine, file: string): Promise<FrameBytesSource & { close(): Promise<void> }> {
  if (engine.result?.gzip) return new ForwardReader(createReadStream(file).pipe(createGunzip()));
  return openNodeSource(file);
}

/** --frames NDJSON; with several captures each row starts with its capture's `file`. */
async function writeFrames(engine: Engine, match: Uint8Array | null, file: string | null): Promise<void> {
  const out = process.stdout;
  let batch = '';
  for (let i = 0; i < engine.frames; i++) {
    if (match !== null && match[i] !== 1) continue;
    batch += `${JSON.stringify(file === null ? frameJson(engine, i) : { file, ...frameJson(engine, i) })}\n`;
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
