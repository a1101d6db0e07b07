// `tunnelscope --paths A.pcapng B.pcapng ...`: the same packets seen at several points (decoders/analysis/paths.ts).
// Loads every capture, matches the copies of each packet and prints where checksums broke as one JSON object.
import { basename } from 'node:path';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Engine } from '../decoders/analysis/engine.ts';
import { ForwardReader } from '../decoders/analysis/export.ts';
import { analyzePaths, DEFAULT_WINDOW, type PathInput, type PathsJson } from '../decoders/analysis/paths.ts';
import { NotACaptureError } from '../decoders/capture/types.ts';
import type { FrameBytesSource } from '../decoders/filter/runner.ts';
import { loadParallel } from '../decoders/parallel/load.ts';
import { describeIoError } from './io-error.ts';
import { defaultJobs, nodePool } from './jobs.ts';
import { openNodeSource } from './node-source.ts';

export const PATHS_USAGE = `usage: tunnelscope --paths FILE [FILE...] [--window SECONDS] [--pretty] [--jobs N]

Reads captures of the same traffic taken at several points (the sending host, a mirror port, the receiving
host; or one pktmon capture with a copy of each packet per component), matches the copies of each packet
and prints where checksums broke as JSON: {captures, matched, unmatched, findings: [{cause, from, to,
tenant, check, count, examples}], ...}, causes sender, offload, path and lost.

  --window SECONDS  how far apart two copies may be once the clocks' offset is taken out (default ${DEFAULT_WINDOW})
  --pretty          indent the JSON
  --jobs N          decode each capture with N threads (default: one per core)

exit status: 0 read, 2 a capture unreadable or a bad option`;

export interface PathsArgs {
  files: string[];
  window: number;
  pretty: boolean;
  jobs: number | null;
  help: boolean;
}

export function parsePathsArgs(argv: readonly string[]): PathsArgs {
  const out: PathsArgs = { files: [], window: DEFAULT_WINDOW, pretty: false, jobs: null, help: false };
  let windowGiven = false;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--paths') continue;
    if (a === '--window' || a.startsWith('--window=')) {
      const v = a === '--window' ? argv[++k] : a.slice('--window='.length);
      const n = Number(v);
      if (v === undefined || v.trim() === '' || !(n > 0) || !Number.isFinite(n)) throw new Error('--window needs a positive number of seconds, e.g. --window 2');
      if (windowGiven) throw new Error('--window given twice');
      windowGiven = true;
      out.window = n;
    } else if (a === '--jobs' || a.startsWith('--jobs=')) {
      const v = a === '--jobs' ? argv[++k] : a.slice('--jobs='.length);
      const n = Number(v);
      if (v === undefined || !/^[0-9]+$/.test(v) || !(n >= 1 && n <= 256)) throw new Error('--jobs needs a whole number from 1 to 256');
      out.jobs = n;
    } else if (a === '--pretty') out.pretty = true;
    else if (a === '-h' || a === '--help') out.help = true;
    else if (a.startsWith('-') && a !== '-') throw new Error(`unknown option ${a} with --paths`);
    else out.files.push(a);
  }
  if (!out.help && out.files.length === 0) throw new Error('--paths needs the capture files to compare');
  return out;
}

/**
 * Frame bytes of a capture for the analysis. A gzip capture is decompressed forward; a pass that starts over at
 * an earlier offset decompresses it again from the start.
 */
export function frameBytes(engine: Engine, file: string): FrameBytesSource & { close(): Promise<void> } {
  if (!engine.result?.gzip) {
    let src: ReturnType<typeof openNodeSource> | null = null;
    return {
      read: async (offset, length) => (await (src ??= openNodeSource(file))).read(offset, length),
      close: async () => { if (src !== null) await (await src).close(); },
    };
  }
  let reader: ForwardReader | null = null;
  let last = -1;
  return {
    read: async (offset, length) => {
      if (reader === null || offset < last) {
        await reader?.close();
        reader = new ForwardReader(createReadStream(file).pipe(createGunzip()));
      }
      last = offset;
      return reader.read(offset, length);
    },
    close: async () => { await reader?.close(); },
  };
}

/** Runs `--paths`; returns the exit status. */
export async function pathsMain(argv: readonly string[]): Promise<number> {
  let args: PathsArgs;
  try {
    args = parsePathsArgs(argv);
  } catch (err) {
    process.stderr.write(`tunnelscope: ${(err as Error).message}\n${PATHS_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${PATHS_USAGE}\n`);
    return 0;
  }
  const inputs: PathInput[] = [];
  const sources: Array<{ close(): Promise<void> }> = [];
  const warnings: NonNullable<PathsWithWarnings['warnings']> = [];
  try {
    for (const file of args.files) {
      const engine = new Engine({ retainFrames: true });
      try {
        const src = await openNodeSource(file);
        try {
          await loadParallel(engine, src, basename(file), { jobs: args.jobs ?? defaultJobs(), pool: (n) => nodePool(file, n) });
        } finally {
          await src.close();
        }
      } catch (err) {
        const msg = err instanceof NotACaptureError ? err.message : describeIoError(err, file);
        process.stderr.write(`tunnelscope: ${file}: ${msg}\n`);
        return 2;
      }
      const r = engine.result;
      if (r && r.error && engine.frames === 0) {
        process.stderr.write(`tunnelscope: ${file}: ${r.error.message} (at byte ${r.error.offset})\n`);
        return 2;
      }
      for (const w of r?.warnings ?? []) warnings.push({ capture: basename(file), offset: w.offset, frame: w.frame, message: w.message });
      const bytes = frameBytes(engine, file);
      sources.push(bytes);
      inputs.push({ name: basename(file), index: engine, bytes });
    }
    let json: PathsWithWarnings;
    try {
      json = (await analyzePaths(inputs, { window: args.window })).toJson();
    } catch (err) {
      process.stderr.write(`tunnelscope: --paths: ${describeIoError(err, args.files.join(', '))}\n`);
      return 2;
    }
    json.warnings = warnings;
    process.stdout.write(`${JSON.stringify(json, null, args.pretty ? 2 : undefined)}\n`);
    return 0;
  } finally {
    for (const s of sources) await s.close().catch(() => undefined);
  }
}

/** The analysis's JSON and the readers' warnings (a capture cut short, ...), each naming its capture. */
type PathsWithWarnings = PathsJson & { warnings?: Array<{ capture: string; offset: number; frame: number; message: string }> };
