// The number of rows in the view. Pages' answers carry it, but the visible pages may all be full and
// cached (file order never changes them) while a load goes on: End, the scroll space and aria-rowcount
// must still follow the growing analysis, so `refresh` asks for it on its own.
import { startTransition, useCallback, useRef, useState } from 'react';
import type { RowView } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import type { Settle } from '../state/settle.ts';

export function useRowCount(view: RowView, vkey: string, settle: Settle): {
  total: number;
  setTotal: (total: number) => void;
  refresh: () => void;
} {
  const [total, setTotal] = useState(0);
  const keyRef = useRef(vkey);
  keyRef.current = vkey;
  const refresh = useCallback((): void => {
    const key = keyRef.current;
    // status() counts the view without colouring rows (rows() would run the colouring rules over every new frame).
    settle.ask(() => analyzer().status(view)).then((res) => {
      if (keyRef.current !== key) return settle.drop();
      startTransition(() => {
        setTotal(res.shown);
        settle.applied();
      });
    }, (e: unknown) => console.error('status failed', e));
  }, [view, settle]);
  return { total, setTotal, refresh };
}
