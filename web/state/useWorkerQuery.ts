// Runs an async worker query whenever `key` changes, and (with `live`) whenever the active analysis
// grows during a load, and keeps the last answer on screen until the next one arrives.
//
// - Growth is watched with a store listener, not React state, so a load in progress does not
//   re-render the pane synchronously: the pane renders only when new data arrives, and then inside a
//   transition (React renders it in slices and input stays responsive).
// - At most one request is in flight per hook: while the worker is busy loading, changes coalesce into
//   one follow-up request instead of piling up.
import { startTransition, useEffect, useRef, useState } from 'react';
import { appStore, type AppState } from './app-state.ts';
import { useSettle } from './settle.ts';

export type Liveness = 'data';

const PICK: Record<Liveness, (s: AppState) => number> = {
  data: (s) => s.dataVersion,
};

export interface QueryOptions {
  enabled?: boolean;
  /** Refetch as the analysis grows (`data`: a few times a second during a load). */
  live?: Liveness;
}

export function useWorkerQuery<T>(fn: () => Promise<T>, key: string, { enabled = true, live }: QueryOptions = {}): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const busy = useRef(false);
  const dirty = useRef(false);
  const mounted = useRef(true);
  const settle = useSettle();

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    if (!enabled) return;
    const run = (): void => {
      if (busy.current) {
        dirty.current = true;
        return;
      }
      busy.current = true;
      dirty.current = false;
      settle.ask(() => fnRef.current()).then(
        (v) => {
          if (!mounted.current) return settle.drop();
          startTransition(() => {
            setValue(() => v);
            settle.applied();
          });
        },
        (e: unknown) => console.error('worker query failed', e),
      ).finally(() => {
        busy.current = false;
        if (dirty.current && mounted.current) run();
      });
    };
    run();
    if (!live) return;
    const pick = PICK[live];
    let last = pick(appStore.get());
    return appStore.subscribe(() => {
      const v = pick(appStore.get());
      if (v !== last) {
        last = v;
        run();
      }
    });
  }, [key, enabled, live, settle]);

  return value;
}
