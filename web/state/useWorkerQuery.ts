// Runs an async worker query whenever `key` changes and keeps the last answer on screen until the next
// one arrives. At most one request is in flight per hook: while the worker is busy loading, changes
// coalesce into one follow-up request instead of piling up.
import { useEffect, useRef, useState } from 'react';

export function useWorkerQuery<T>(fn: () => Promise<T>, key: string, enabled = true): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const busy = useRef(false);
  const dirty = useRef(false);
  const mounted = useRef(true);

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
      fnRef.current().then(
        (v) => {
          if (mounted.current) setValue(() => v);
        },
        (e: unknown) => console.error('worker query failed', e),
      ).finally(() => {
        busy.current = false;
        if (dirty.current && mounted.current) run();
      });
    };
    run();
  }, [key, enabled]);

  return value;
}
