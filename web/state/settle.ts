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

export interface Settle {
  /** A request is sent. */
  begin(): void;
  /** It came back with nothing to show (an error, or an answer to a question nobody asks any more). */
  drop(): void;
  /** Call inside the transition that applies the answer: the request ends when that commits. */
  applied(): void;
}

export function useSettle(): Settle {
  const [committed, setCommitted] = useState(0);
  const seq = useRef(0);
  const held = useRef(0); // begun and not ended
  const waiting = useRef<number[]>([]); // commit numbers that end one request each

  useEffect(() => {
    let n = 0;
    while (waiting.current.length > 0 && waiting.current[0] <= committed) {
      waiting.current.shift();
      n++;
    }
    held.current -= n;
    add(-n);
  }, [committed]);

  // An unmounted pane answers nothing more.
  useEffect(() => () => {
    add(-held.current);
    held.current = 0;
    waiting.current = [];
  }, []);

  const api = useRef<Settle>(null as unknown as Settle);
  if (api.current === null) {
    api.current = {
      begin() {
        held.current++;
        add(1);
      },
      drop() {
        if (held.current - waiting.current.length <= 0) return;
        held.current--;
        add(-1);
      },
      applied() {
        const n = ++seq.current;
        waiting.current.push(n);
        setCommitted(n);
      },
    };
  }
  return api.current;
}

/**
 * Test hook: `globalThis.__tunnelscopeHoldAnswersMs` holds every pane's answer back that long before
 * it is applied, so an e2e test can make late answers certain instead of occasional.
 */
export function holdBack<T>(answer: Promise<T>): Promise<T> {
  const ms = (globalThis as { __tunnelscopeHoldAnswersMs?: number }).__tunnelscopeHoldAnswersMs;
  return ms ? answer.then((v) => new Promise<T>((r) => setTimeout(() => r(v), ms))) : answer;
}
