// The cells of the custom columns for the rows on screen: asked of the worker (which reads those frames
// back from the file) for the frames not fetched yet, kept per capture and set of fields.
import { startTransition, useEffect, useRef, useState } from 'react';
import type { CustomCell } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import type { Settle } from '../state/settle.ts';

type Cells = Readonly<Record<string, CustomCell>>;

/** Frames kept before the cache starts over (a few screens' worth of rows). */
const KEEP = 4096;

interface Cache {
  key: string;
  cells: Map<number, Cells>;
  inflight: Set<number>;
}

export function useCustomCells(fields: readonly string[], frames: readonly number[], analysisId: number, settle: Settle): { cellsOf: (n: number) => Cells | undefined; tick: number } {
  const key = `${analysisId}|${fields.join(' ')}`;
  const ref = useRef<Cache>({ key, cells: new Map(), inflight: new Set() });
  if (ref.current.key !== key) ref.current = { key, cells: new Map(), inflight: new Set() };
  const cache = ref.current;
  const [tick, setTick] = useState(0);
  const wanted = frames.join(',');

  useEffect(() => {
    if (fields.length === 0 || analysisId === 0) return;
    const missing = frames.filter((n) => n > 0 && !cache.cells.has(n) && !cache.inflight.has(n));
    if (missing.length === 0) return;
    for (const n of missing) cache.inflight.add(n);
    const asked = [...fields];
    settle.ask(() => analyzer().customCells(missing, asked)).then((res) => {
      for (const n of missing) cache.inflight.delete(n);
      if (ref.current !== cache) return settle.drop();
      if (cache.cells.size > KEEP) cache.cells.clear();
      res.forEach((row, k) => {
        const byField: Record<string, CustomCell> = {};
        asked.forEach((f, j) => { byField[f] = row[j]; });
        cache.cells.set(missing[k], byField);
      });
      startTransition(() => {
        setTick((t) => t + 1);
        settle.applied();
      });
    }, (e: unknown) => {
      for (const n of missing) cache.inflight.delete(n);
      console.error('custom columns failed', e);
    });
  }, [key, wanted, settle]);

  return { cellsOf: (n) => cache.cells.get(n), tick };
}
