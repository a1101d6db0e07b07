// A read whose chunks all come from a buffer (microtasks only) still lets the event loop run: a timer
// set before the read fires while it is going on, not after it.
import { describe, expect, it } from 'vitest';
import { withEventTurns } from './yield.ts';

/** Chunks that are there at once, each after `busyMs` of work on this thread. */
async function* buffered(count: number, busyMs: number): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) {
    const until = performance.now() + busyMs;
    while (performance.now() < until) { /* decoding */ }
    yield i;
  }
}

async function readWhileTimerWaits(src: AsyncIterable<number>): Promise<{ firedAt: number; chunks: number }> {
  let firedAt = -1;
  let seen = 0;
  setTimeout(() => { firedAt = seen; }, 0);
  for await (const _ of src) seen++;
  return { firedAt, chunks: seen };
}

describe('withEventTurns', () => {
  it('runs timers during a read that never waits for I/O', async () => {
    const r = await readWhileTimerWaits(withEventTurns(buffered(30, 4), 10));
    expect(r.chunks).toBe(30);
    expect(r.firedAt).toBeGreaterThanOrEqual(0);
    expect(r.firedAt).toBeLessThan(30);
  });

  it('(the same read without it: the timer waits for the end)', async () => {
    const r = await readWhileTimerWaits(buffered(30, 4));
    expect(r.firedAt).toBe(-1);
  });
});
