// Who decodes which chunk of a parallel load (load.ts): each chunk is free, read directly into the Engine
// by the calling thread, decoded apart into a part (by a pool worker, or by the calling thread ahead of the
// frame order), or merged. Pool workers take the lowest free chunk, within WINDOW chunks of the next one to
// merge; without frames kept they first take chunks from the end (see ChunkSchedule.dispatch).

import type { ChunkPart } from './chunk.ts';

export type Slot =
  | { kind: 'free' }
  | { kind: 'direct' }
  /** Merged: the part itself is dropped so that it can be collected. */
  | { kind: 'merged' }
  | PartSlot;

export interface PartSlot {
  kind: 'part';
  /** Null when the decode failed: the chunk is redone serially. */
  part: ChunkPart | null;
  done: boolean;
  worker: boolean;
  wait: Promise<void>;
}

export interface ScheduleOptions {
  chunks: number;
  /** Pool workers busy at once, at most. */
  capacity: number;
  /** How far past the next chunk to merge a chunk may be taken. */
  window: number;
  /** Workers take chunks from the end first (at most this many; 0: never). */
  backParts: number;
  /** Decodes chunk k on a pool worker. */
  runOnWorker: (k: number) => Promise<ChunkPart>;
}

export class ChunkSchedule {
  readonly slots: Slot[];
  /** Next chunk to merge (or being read directly). */
  mergeAt = 0;
  /** Chunks nobody has taken: nextFree..lastFree. */
  private nextFree = 0;
  private lastFree: number;
  private backTaken = 0;
  private inflight = 0;
  private stopped = false;
  /** Wakes the merge loop when a part arrives. */
  private wake: (() => void) | null = null;

  constructor(private readonly o: ScheduleOptions, private readonly signal?: AbortSignal) {
    this.slots = Array.from({ length: o.chunks }, () => ({ kind: 'free' }));
    this.lastFree = o.chunks - 1;
  }

  /** No chunk is handed out any more (the load ends, or falls back to one reader). */
  stop(): void {
    this.stopped = true;
  }

  /** Chunk k, free so far, is read straight into the Engine. */
  takeDirect(k: number): void {
    this.slots[k] = { kind: 'direct' };
    this.nextFree = k + 1;
  }

  /** Whether the direct reader, done with chunk k - 1, may read on into chunk k: it is the next free one. */
  canReadOn(k: number): boolean {
    return k === this.nextFree && k <= this.lastFree && !this.stopped;
  }

  /** Hands free chunks to idle pool workers, within the window. */
  dispatch(): void {
    const o = this.o;
    while (!this.stopped && this.inflight < o.capacity && this.nextFree <= this.lastFree && !this.signal?.aborted) {
      const back = this.backTaken < o.backParts;
      if (!back && this.nextFree - this.mergeAt > o.window) break;
      if (back) this.backTaken++;
      const k = back ? this.lastFree-- : this.nextFree++;
      this.inflight++;
      this.takePart(k, true, () => o.runOnWorker(k));
    }
  }

  /** The next free chunk, taken to be decoded apart on the calling thread (window allowing), or -1. */
  takeAhead(run: (k: number) => Promise<ChunkPart>): PartSlot | null {
    if (this.stopped || this.nextFree > this.lastFree || this.nextFree - this.mergeAt > this.o.window) return null;
    const j = this.nextFree++;
    return this.takePart(j, false, () => run(j));
  }

  /** Resolves when some part arrives (the one in `slot` or any other). */
  waitForPart(slot: PartSlot): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      void slot.wait.then(this.poke);
    });
  }

  private readonly poke = (): void => {
    const w = this.wake;
    this.wake = null;
    w?.();
  };

  private takePart(k: number, worker: boolean, run: () => Promise<ChunkPart>): PartSlot {
    const slot: PartSlot = { kind: 'part', part: null, done: false, worker, wait: Promise.resolve() };
    this.slots[k] = slot;
    // A pool that throws instead of rejecting (a Worker that cannot be created) costs a serial redo, not the load.
    slot.wait = Promise.resolve().then(run).then(
      (p) => { slot.part = p; },
      () => { slot.part = null; }, // a chunk that failed is redone here
    ).finally(() => {
      slot.done = true;
      if (worker) this.inflight--;
      this.dispatch();
      this.poke();
    });
    return slot;
  }
}
