// The pending count behind data-load-state: every request counts from begin until the commit that
// shows its answer (or until it is dropped), never below zero, and through React's StrictMode mount
// (effects, cleanup, effects again) with a request in flight.
import { describe, expect, it } from 'vitest';
import { SettleCounter } from './settle.ts';

function counter() {
  let total = 0;
  const commits: number[] = [];
  const c = new SettleCounter((n) => { total += n; }, (n) => { commits.push(n); });
  return { c, total: () => total, commits };
}

describe('SettleCounter', () => {
  it('counts a request until the commit that shows its answer', () => {
    const { c, total, commits } = counter();
    c.attach();
    c.begin();
    c.begin();
    expect(total()).toBe(2);
    c.applied();
    expect(total()).toBe(2); // answered, not yet on screen
    c.committed(commits[0]);
    expect(total()).toBe(1);
    c.drop();
    expect(total()).toBe(0);
    c.drop(); // nothing left to drop: never below zero
    expect(total()).toBe(0);
  });

  it('one commit ends every answer applied before it', () => {
    const { c, total, commits } = counter();
    c.attach();
    for (let i = 0; i < 3; i++) c.begin();
    c.applied();
    c.applied();
    c.committed(commits[1]);
    expect(total()).toBe(1);
    c.applied();
    c.committed(commits[1]); // an earlier commit again ends nothing more
    expect(total()).toBe(1);
    c.committed(commits[2]);
    expect(total()).toBe(0);
  });

  it('keeps a request in flight counted through a StrictMode remount', () => {
    const { c, total, commits } = counter();
    c.attach();
    c.begin(); // the first effect run sends p1
    c.detach(); // StrictMode's simulated unmount
    expect(total()).toBe(0);
    c.attach(); // the effects again: p1 is still on its way
    expect(total()).toBe(1);
    c.applied(); // p1 answers, and its follow-up p2 is sent
    c.begin();
    c.committed(commits[0]);
    expect(total()).toBe(1); // p2 still counts
    c.applied();
    c.committed(commits[1]);
    expect(total()).toBe(0);
  });

  it('takes back what a component still held when it unmounts', () => {
    const { c, total } = counter();
    c.attach();
    c.begin();
    c.begin();
    c.applied();
    c.detach();
    expect(total()).toBe(0);
    c.drop(); // answers arriving later change nothing
    expect(total()).toBe(0);
  });

  it('ask() counts a request, and drops it by itself when the call fails or throws at once', async () => {
    const { c, total, commits } = counter();
    c.attach();
    const ok = c.ask(() => Promise.resolve(7));
    const rejects = c.ask(() => Promise.reject(new Error('worker gone')));
    const throws = c.ask((): Promise<number> => { throw new Error('no worker'); });
    expect(total()).toBe(3);
    await expect(rejects).rejects.toThrow('worker gone');
    await expect(throws).rejects.toThrow('no worker');
    expect(total()).toBe(1);
    expect(await ok).toBe(7);
    c.applied();
    c.committed(commits[0]);
    expect(total()).toBe(0);
  });
});
