// --parquet over one capture on a machine with cores to spare: the frames' batches (a data page of rows each)
// are encoded and written by another thread while this one decodes on (the tables' other work stays here). A
// few batches at most wait for that thread: when it is that far behind, this thread waits for it
// (Atomics.wait, inside the engine's frame hook), so memory stays bounded.
import { Worker } from 'node:worker_threads';
import type { Engine } from '../decoders/analysis/engine.ts';
import { encapName } from '../decoders/layers/registry.ts';
import { ROW_GROUP, type FrameTallies, type FramesOut } from '../decoders/tables/capture-tables.ts';
import type { Columns, FrameColumns } from '../decoders/tables/frames-table.ts';
import type { ParquetDir } from './parquet-dir.ts';
import type { PipeReply, PipeRequest } from './frames-worker.ts';

const ENTRY = new URL('./frames-worker.mjs', import.meta.url);
/** Batches handed over and not yet written, at most: enough to ride out a busy moment of the other thread. */
const IN_FLIGHT = 4;

/** The writer thread failed: FramesPipe.reason() says why. */
export class PipeFailed extends Error {
  constructor() {
    super('the frames writer thread failed');
  }
}

export class FramesPipe implements FramesOut {
  private readonly worker: Worker;
  /** [0]: batches handed over and not yet written; [1]: 1 once the other thread failed. */
  private readonly busy = new Int32Array(new SharedArrayBuffer(8));
  private sentAddrs = 0;
  private sentTenants = 0;
  private readonly reply: Promise<PipeReply>;
  /** Arrays handed back, filled again before fresh ones are made. */
  private readonly spare: Columns[] = [];

  constructor(private readonly engine: Engine, private readonly dir: ParquetDir, root: string, capture: string, file: string, rowGroup = ROW_GROUP) {
    this.worker = new Worker(ENTRY);
    this.reply = new Promise<PipeReply>((resolve) => {
      this.worker.on('message', (m: PipeReply) => {
        // Arrays back from a written row group: the next one is filled into them (no fresh pages to touch).
        if (m.kind === 'free') this.spare.push(m.columns);
        else resolve(m);
      });
      this.worker.on('error', (err: Error) => resolve({ kind: 'error', message: err.message }));
      this.worker.on('exit', () => resolve({ kind: 'error', message: 'the frames writer thread stopped' }));
    });
    // Tunnel names as this thread's registry has them (a tunnel registered at run time included).
    const encaps = Array.from({ length: 256 }, (_, code) => encapName(code));
    this.worker.postMessage({ kind: 'open', root, capture, file, rowGroup, busy: this.busy.buffer as SharedArrayBuffer, encaps } satisfies PipeRequest);
  }

  write(partition: readonly string[], cols: FrameColumns): void {
    const busy = this.busy;
    for (;;) {
      if (Atomics.load(busy, 1) !== 0) throw new PipeFailed();
      const v = Atomics.load(busy, 0);
      if (v < IN_FLIGHT) break;
      Atomics.wait(busy, 0, v, 1000);
    }
    // The strings of ids new since the last row group: the other thread keeps them by id.
    const e = this.engine;
    const addrs: string[] = [];
    for (let id = this.sentAddrs; id < e.addrs.count; id++) addrs.push(e.addrs.text(id));
    this.sentAddrs = e.addrs.count;
    const tenants: Array<[string, number]> = [];
    for (let id = this.sentTenants; id < e.tenants.count; id++) tenants.push([e.tenants.key(id), e.tenants.vnid[id]]);
    this.sentTenants = e.tenants.count;
    const { n, columns } = cols.take(this.spare.pop());
    Atomics.add(busy, 0, 1);
    this.worker.postMessage(
      { kind: 'group', partition: [...partition], n, columns, addrs, tenants } satisfies PipeRequest,
      Object.values(columns).map((a) => a.buffer as ArrayBuffer),
    );
  }

  /** Waits for the other thread's files and tallies, and takes the files over (committed with the capture's other tables). */
  async finish(): Promise<FrameTallies> {
    this.worker.postMessage({ kind: 'finish' } satisfies PipeRequest);
    const r = await this.reply;
    await this.worker.terminate();
    if (r.kind !== 'finished') throw new Error(r.kind === 'error' ? r.message : 'the frames writer thread stopped');
    this.dir.adopt(r.pending);
    return r.tallies;
  }

  /** Why the writer thread failed (its first reply). */
  async reason(): Promise<string> {
    const r = await this.reply;
    return r.kind === 'error' ? r.message : 'the frames writer thread stopped';
  }

  /** The capture failed: the other thread removes what it wrote. */
  async abort(): Promise<void> {
    this.worker.postMessage({ kind: 'abort' } satisfies PipeRequest);
    await this.reply;
    await this.worker.terminate();
  }
}
