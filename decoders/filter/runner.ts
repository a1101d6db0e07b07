// Filters over an analysis's frames (FrameIndex). Each filter text gets a FilterRun: its compiled
// program, the column plan, and one state byte per frame (0 no, 1 yes, 2 pending: the column tier could
// not tell and the byte tier has not looked at the frame yet). The column tier runs synchronously,
// incrementally as frames arrive; the byte tier needs the frame bytes, which the caller (worker, CLI)
// reads and hands to resolve(), or lets resolvePending() read from a FrameBytesSource.

import { readBatch } from '../analysis/read-batch.ts';
import type { FrameIndex } from '../analysis/frame-index.ts';
import { CHECK_NAMES } from '../summary.ts';
import { encapName, protoName } from '../layers/index.ts';
import { ColumnContext, planColumns, type ColumnPlan } from './columns.ts';
import { compile, type Program } from './compile.ts';
import { evaluate, type FrameFields, type Occ } from './evaluate.ts';
import { treeFields } from './tree-fields.ts';
import { META_FIELDS, metaValues } from '../analysis/frame-meta.ts';
import { EXPERT_FIELDS, expertValues } from '../analysis/expert.ts';

export const PENDING = 2;

/** Fields read from the frame index even in the byte tier (they are not in the bytes). */
const INDEX_FIELDS = new Set([
  'frame', 'frame.number', 'frame.len', 'frame.cap_len', 'frame.time', 'frame.time_epoch', 'frame.time_relative',
  'frame.interface_id', '_ws.col.protocol', 'tenant', 'tenant.encap', 'tenant.vnid', 'checksum.bad', 'checksum.partial', 'checksum.zero',
  'checksum.unverified', 'checksum.bad.check', 'checksum.partial.check', 'checksum.zero.check', 'checksum.unverified.check',
  // Capture metadata: the interface and the packet block's options.
  ...META_FIELDS.map(([name]) => name),
  // Expert items: the engine's flags and notes.
  ...EXPERT_FIELDS.map(([name]) => name),
]);

/** Whether a program reads fields only a frame's bytes hold (its tree, or the frame protocol's bytes). */
export function readsBytes(p: Program): boolean {
  for (const f of p.fields) if (f === 'frame' || !INDEX_FIELDS.has(f)) return true;
  return false;
}

/** Random access to frame bytes (the capture source, or the worker's copy of a gunzipped capture). */
export interface FrameBytesSource {
  read(offset: number, length: number): Promise<Uint8Array>;
}

export class FilterRun {
  /** 0 no, 1 yes, 2 pending, per store index; valid below `evaluated`. */
  state = new Uint8Array(0);
  evaluated = 0;
  /** Frames still pending (state 2) below `evaluated`. */
  pending = 0;
  matched = 0;
  /** Bumped whenever any state changes, so views know to rebuild. */
  version = 0;
  /** Bumped when frames already evaluated change (byte tier, reset): an index over them is stale. */
  resolved = 0;
  private readonly plan: ColumnPlan;
  private readonly treeWant: Set<string>;

  constructor(private readonly e: FrameIndex, ctx: ColumnContext, readonly program: Program) {
    this.plan = planColumns(ctx, program.pred);
    this.treeWant = new Set([...program.fields].filter((f) => !INDEX_FIELDS.has(f)));
  }

  get text(): string {
    return this.program.text;
  }

  /** True when the column tier decides every frame (no frame bytes are ever needed). */
  get columnOnly(): boolean {
    return this.plan.exact;
  }

  /** Whether deciding a frame the column tier left open takes its bytes (else the frame index answers). */
  get readsBytes(): boolean {
    return readsBytes(this.program);
  }

  /** Runs the column tier over frames not evaluated yet; returns the state array (index < settledCount). */
  update(): Uint8Array {
    const n = this.e.settledCount;
    if (n < this.evaluated) this.reset();
    if (n === this.evaluated) return this.state;
    if (n > this.state.length) {
      // One byte a frame, sized like the index (which a load reserves from its estimate of the frame
      // count), so it is allocated about once, not copied at every step of the growing load.
      const s = new Uint8Array(Math.max(4096, n + (n >> 3), this.e.store.capacity));
      s.set(this.state.subarray(0, this.evaluated));
      this.state = s;
    }
    const CHUNK = 1 << 16;
    for (let from = this.evaluated; from < n; from += CHUNK) {
      const to = Math.min(n, from + CHUNK);
      const out = this.state.subarray(from, to);
      this.plan.eval(out, from, to);
      for (let k = 0; k < out.length; k++) {
        const v = out[k];
        if (v === 1) this.matched++;
        else if (v === PENDING) this.pending++;
      }
    }
    this.evaluated = n;
    this.version++;
    return this.state;
  }

  private reset(): void {
    this.evaluated = 0;
    this.pending = 0;
    this.matched = 0;
    this.version++;
    this.resolved++;
  }

  /** Store indices still pending, ascending. */
  pendingFrames(): Int32Array {
    this.update();
    const out = new Int32Array(this.pending);
    let k = 0;
    for (let i = 0; i < this.evaluated && k < out.length; i++) if (this.state[i] === PENDING) out[k++] = i;
    return out;
  }

  /** Byte tier for store index i: `bytes` holds the frame's captured bytes from offset 0. */
  resolve(i: number, bytes: Uint8Array, others?: ReadonlyMap<number, Uint8Array>): boolean {
    const r = this.test(i, bytes, others);
    if (i < this.evaluated && this.state[i] === PENDING) {
      this.state[i] = r ? 1 : 0;
      this.pending--;
      if (r) this.matched++;
      this.version++;
      this.resolved++;
    }
    return r;
  }

  /** Evaluates the whole filter on frame i from its bytes (whatever the column tier says); see fieldsOf. */
  test(i: number, bytes: Uint8Array, others?: ReadonlyMap<number, Uint8Array>): boolean {
    return evaluate(this.program.pred, this.fieldsOf(i, bytes, others));
  }

  /**
   * The field occurrences the filter reads, for store index i with its bytes; `others` holds the bytes of
   * Engine.detailFrames (the fragments a frame reassembled), by frame number.
   */
  fieldsOf(i: number, bytes: Uint8Array, others?: ReadonlyMap<number, Uint8Array>): FrameFields {
    const st = this.e.store;
    let tree: Map<string, Occ[]> | null = null;
    const treeMap = (): Map<string, Occ[]> => {
      if (tree === null) {
        if (this.treeWant.size === 0) tree = new Map();
        else {
          const t = this.e.detailOf(i + 1, bytes, others);
          tree = treeFields(t.tree, t.sources.map((s) => s.bytes), this.treeWant);
        }
      }
      return tree;
    };
    return {
      get: (name) => {
        // The frame protocol's value is all its captured bytes (`frame contains "GET"`).
        if (name === 'frame') return [{ v: bytes.subarray(0, Math.min(st.caplen[i], bytes.length)), layer: 1 }];
        return INDEX_FIELDS.has(name) ? indexField(this.e, i, name) : treeMap().get(name) ?? [];
      },
    };
  }
}

function indexField(e: FrameIndex, i: number, name: string): Occ[] {
  const st = e.store;
  const one = (v: number | string): Occ[] => [{ v, layer: 1 }];
  const t = st.tenant[i];
  switch (name) {
    case 'frame': return one(1);
    case 'frame.number': return one(i + 1);
    case 'frame.len': return one(st.origlen[i]);
    case 'frame.cap_len': return one(st.caplen[i]);
    case 'frame.interface_id': return one(st.iface[i]);
    case '_ws.col.protocol': return one(protoName(st.topProto[i]));
    case 'frame.time': case 'frame.time_epoch': return st.hasTimeOf(i) ? one(st.secOf(i) + st.nsecOf(i) / 1e9) : [];
    case 'frame.time_relative':
      return st.hasTimeOf(i) && !Number.isNaN(e.refSec) ? one((st.secOf(i) - e.refSec) + (st.nsecOf(i) - e.refNsec) / 1e9) : [];
    case 'tenant': return t >= 0 ? one(1) : [];
    case 'tenant.encap': return t >= 0 ? one(encapName(e.tenants.encap[t]) ?? '') : [];
    case 'tenant.vnid': return t >= 0 && e.tenants.vnid[t] >= 0 ? one(e.tenants.vnid[t]) : [];
    case 'checksum.bad': return st.badMaskOf(i) !== 0 ? one(1) : [];
    case 'checksum.partial': return st.partialMaskOf(i) !== 0 ? one(1) : [];
    case 'checksum.zero': return st.zeroMaskOf(i) !== 0 && e.notableZeroMask(i) !== 0 ? one(1) : [];
    case 'checksum.unverified': return st.unverMaskOf(i) !== 0 ? one(1) : [];
    case 'checksum.bad.check': return checkNames(st.badMaskOf(i));
    case 'checksum.partial.check': return checkNames(st.partialMaskOf(i));
    case 'checksum.zero.check': return checkNames(e.notableZeroMask(i));
    case 'checksum.unverified.check': return checkNames(st.unverMaskOf(i));
    default: return (expertValues(e, i, name) ?? metaValues(e, i, name) ?? []).map((v) => ({ v, layer: 1 }));
  }
}

/** One occurrence per check slot set in `mask`, by name, outermost first. */
function checkNames(mask: number): Occ[] {
  const out: Occ[] = [];
  for (let slot = 0; mask >>> slot !== 0; slot++) if (mask & (1 << slot)) out.push({ v: CHECK_NAMES[slot], layer: 1 });
  return out;
}

/** The filters in use on one engine (view, colouring rules), by text; compiled once each. */
export class FilterSet {
  readonly ctx: ColumnContext;
  private readonly runs = new Map<string, FilterRun>();

  constructor(private readonly e: FrameIndex) {
    this.ctx = new ColumnContext(e);
  }

  /** The run for a filter text (compiling it the first time); throws FilterError. */
  get(text: string): FilterRun {
    const key = text.trim();
    let run = this.runs.get(key);
    if (run === undefined) {
      run = new FilterRun(this.e, this.ctx, compile(key));
      this.runs.set(key, run);
      // Keep the few most recent: views and colouring rules use a handful at a time.
      if (this.runs.size > 32) {
        const oldest = this.runs.keys().next().value;
        if (oldest !== undefined) this.runs.delete(oldest);
      }
    } else {
      this.runs.delete(key);
      this.runs.set(key, run);
    }
    run.update();
    return run;
  }

  /** Forgets every compiled filter (benchmarks; a new capture gets a new engine anyway). */
  clear(): void {
    this.runs.clear();
  }

  /** The run if it exists already (no compile). */
  peek(text: string): FilterRun | undefined {
    return this.runs.get(text.trim());
  }
}

export interface ResolveOptions {
  signal?: AbortSignal;
  /** After every batch: frames resolved so far and in all. */
  onProgress?: (done: number, total: number) => void;
  /** Largest read covering several frames (default 4 MiB) and the largest gap read through (64 KiB). */
  maxReadBytes?: number;
  maxGapBytes?: number;
}

/**
 * Byte tier over every pending frame: reads frames in file order, neighbours together, and resolves them.
 * Returns the number of frames resolved. Stops early (without error) when the signal aborts.
 */
export async function resolvePending(e: FrameIndex, run: FilterRun, src: FrameBytesSource, opts: ResolveOptions = {}): Promise<number> {
  const list = run.pendingFrames();
  if (!run.readsBytes) {
    // Every field it reads is in the frame index (a comment's text, a verdict's value): no file reads.
    const none = new Uint8Array(0);
    for (let k = 0; k < list.length; k++) {
      if (opts.signal?.aborted) return k;
      run.resolve(list[k], none);
    }
    opts.onProgress?.(list.length, list.length);
    return list.length;
  }
  const st = e.store;
  const maxRead = opts.maxReadBytes ?? 4 << 20;
  const maxGap = opts.maxGapBytes ?? 64 << 10;
  let done = 0;
  let k = 0;
  while (k < list.length) {
    if (opts.signal?.aborted) break;
    const { end: last, start, stop } = readBatch(st, list, k, 0, maxGap, maxRead);
    const buf = await src.read(start, stop - start);
    for (let m = k; m < last; m++) {
      const i = list[m];
      const off = st.offsetOf(i) - start;
      if (run.state[i] !== PENDING) continue;
      const need = e.detailFrames(i + 1);
      const others = need.length > 0 ? await readFrames(e, src, need) : undefined;
      run.resolve(i, buf.subarray(off, Math.min(buf.length, off + st.caplen[i])), others);
    }
    done += last - k;
    k = last;
    opts.onProgress?.(done, list.length);
  }
  return done;
}

/** The captured bytes of frames (by number), read one by one: the few fragments a reassembled frame names. */
export async function readFrames(e: FrameIndex, src: FrameBytesSource, frames: readonly number[]): Promise<Map<number, Uint8Array>> {
  const out = new Map<number, Uint8Array>();
  for (const n of frames) {
    const loc = e.frameLocation(n);
    out.set(n, await src.read(loc.offset, loc.caplen));
  }
  return out;
}
