// The frames encoder thread of `--parquet` over one capture (cli/frames-pipe.ts): encodes and writes the
// batches of rows the decoding thread hands over, while it decodes on; frees a slot in the shared counter and
// hands the arrays back after each.
import { parentPort } from 'node:worker_threads';
import { FrameColumns, type Columns, type FrameNames } from '../decoders/tables/frames-table.ts';
import { InlineFrames, type FrameTallies } from '../decoders/tables/capture-tables.ts';
import { ParquetDir } from './parquet-dir.ts';

export type PipeRequest =
  | { kind: 'open'; root: string; capture: string; file: string; rowGroup: number; busy: SharedArrayBuffer; encaps: Array<string | null> }
  | { kind: 'group'; partition: string[]; n: number; columns: Columns; addrs: string[]; tenants: Array<[string, number]> }
  | { kind: 'finish' }
  | { kind: 'abort' };

export type PipeReply =
  | { kind: 'finished'; pending: ReturnType<ParquetDir['close']>; tallies: FrameTallies }
  /** A row group's arrays, written: back for the next one. */
  | { kind: 'free'; columns: Columns }
  | { kind: 'aborted' }
  | { kind: 'error'; message: string };

const port = parentPort;
if (port === null) throw new Error('frames-worker.ts must run in a worker thread');
let dir: ParquetDir | null = null;
let out: InlineFrames | null = null;
let busy: Int32Array | null = null;
let failed: string | null = null;
const addrs: string[] = [];
const tenants: Array<[string, number]> = [];
let encaps: Array<string | null> = [];
const names: FrameNames = { addr: (id) => addrs[id], tenantKey: (id) => tenants[id][0], tenantVnid: (id) => tenants[id][1], encap: (code) => encaps[code] ?? null };

function fail(err: unknown): void {
  if (failed === null) port?.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) } satisfies PipeReply);
  failed ??= err instanceof Error ? err.message : String(err);
  // The decoding thread may be waiting for a slot: it reads the flag (index 1) before it waits again.
  if (busy !== null) {
    Atomics.store(busy, 1, 1);
    Atomics.notify(busy, 0);
  }
}

port.on('message', (m: PipeRequest) => {
  try {
    if (m.kind === 'open') {
      dir = new ParquetDir(m.root, m.capture);
      out = new InlineFrames(dir, names, m.file, m.rowGroup);
      busy = new Int32Array(m.busy);
      encaps = m.encaps;
    } else if (m.kind === 'group') {
      addrs.push(...m.addrs);
      tenants.push(...m.tenants);
      try {
        if (failed === null) out?.write(m.partition, FrameColumns.of(m.n, m.columns));
      } catch (err) {
        fail(err);
      } finally {
        if (busy !== null) {
          Atomics.sub(busy, 0, 1);
          Atomics.notify(busy, 0);
        }
      }
      port.postMessage({ kind: 'free', columns: m.columns } satisfies PipeReply, Object.values(m.columns).map((a) => a.buffer as ArrayBuffer));
    } else if (m.kind === 'finish') {
      const tallies = failed === null ? out?.finish() : undefined;
      // A failure has been told already (the first reply).
      if (failed === null && tallies !== undefined) port.postMessage({ kind: 'finished', pending: dir?.close() ?? [], tallies } satisfies PipeReply);
    } else {
      dir?.abort();
      port.postMessage({ kind: 'aborted' } satisfies PipeReply);
    }
  } catch (err) {
    fail(err);
  }
});
