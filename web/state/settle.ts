// Worker answers still on their way to the screen. The app reports "ready" only when none is left, so
// whoever reads the page after "ready" (a user's script, the e2e tests, the browser bench) sees the
// panes of the capture that is open, with its final counts, not the answer to an earlier question.
//
// A request counts from when it is sent until React has committed what it answered: answers are
// applied in transitions, which commit later than the worker replies.
import { useEffect, useRef, useState } from 'react';
import { Store } from './store.ts';

export const pendingWork = new Store({ count: 0 });

function add(n: number): void {
  if (n !== 0) pendingWork.set((s) => ({ count: s.count + n }));
}

/**
 * One component's requests. They count in `total` while the component is attached (from its effects
 * running to their cleanup); a cleanup followed by the effects again, as React's StrictMode does on
 * mount, keeps the requests still in flight counted.
 */
export class SettleCounter {
  /** Requests begun and not ended, whether or not they count right now. */
  private held = 0;
  private attached = false;
  private seq = 0;
  /** Commit numbers, each ending one request once that commit is in. */
  private readonly waiting: number[] = [];

  constructor(private readonly total: (n: number) => void, private readonly commit: (n: number) => void) {}

  attach(): void {
    this.attached = true;
    this.total(this.held);
  }

  detach(): void {
    this.attached = false;
    this.total(-this.held);
  }

  /** A request is sent. */
  begin(): void {
    this.change(1);
  }

  /**
   * Sends a request that counts until applied() or drop(). One that fails is dropped here, so the
   * caller's error handler only reports it (a call that throws at once fails the same way).
   */
  ask<T>(call: () => Promise<T>): Promise<T> {
    this.begin();
    const p = holdBack(new Promise<T>((resolve) => resolve(call())));
    p.catch(() => this.drop());
    return p;
  }

  /** It came back with nothing to show (an error, or an answer to a question nobody asks any more). */
  drop(): void {
    if (this.held - this.waiting.length > 0) this.change(-1);
  }

  /** Call in the same update (or transition) that applies the answer: the request ends when that commits. */
  applied(): void {
    const n = ++this.seq;
    this.waiting.push(n);
    this.commit(n);
  }

  /** React committed the update numbered `n` (and with it every earlier one). */
  committed(n: number): void {
    let k = 0;
    while (this.waiting.length > 0 && this.waiting[0] <= n) {
      this.waiting.shift();
      k++;
    }
    this.change(-k);
  }

  private change(n: number): void {
    this.held += n;
    if (this.attached) this.total(n);
  }
}

export type Settle = Pick<SettleCounter, 'ask' | 'drop' | 'applied'>;

export function useSettle(): Settle {
  const [committed, setCommitted] = useState(0);
  const ref = useRef<SettleCounter | null>(null);
  if (ref.current === null) ref.current = new SettleCounter(add, setCommitted);
  const counter = ref.current;
  // Declared before the effects that send requests, so it runs first.
  useEffect(() => {
    counter.attach();
    return () => counter.detach();
  }, [counter]);
  useEffect(() => counter.committed(committed), [counter, committed]);
  return counter;
}

/**
 * Test hook: `globalThis.__tunnelscopeHoldAnswersMs` holds every pane's answer back that long before
 * it is applied, so an e2e test can make late answers certain instead of occasional.
 */
function holdBack<T>(answer: Promise<T>): Promise<T> {
  const ms = (globalThis as { __tunnelscopeHoldAnswersMs?: number }).__tunnelscopeHoldAnswersMs;
  return ms ? answer.then((v) => new Promise<T>((r) => setTimeout(() => r(v), ms))) : answer;
}
