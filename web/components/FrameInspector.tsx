// Fetches the selected frame's detail from the worker and ties the tree and the bytes together:
// selecting a tree field highlights its bytes, clicking a byte selects the field that covers it.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { FrameDetail } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { errorMessage } from '../format.ts';
import { useApp } from '../state/app-state.ts';
import { useSettle } from '../state/settle.ts';
import { deepestAt, nodeAt } from '../tree.ts';
import { DetailTree } from './DetailTree.tsx';
import { HexView } from './HexView.tsx';

export function FrameInspector({ splitter }: { splitter?: ReactNode }) {
  const selected = useApp((s) => s.selected);
  const analysisId = useApp((s) => s.analysisId);
  const settle = useSettle();
  const [detail, setDetail] = useState<FrameDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [path, setPath] = useState<string | null>(null);
  /** Bumped when a byte click picks a node, so the tree scrolls it into view. */
  const [reveal, setReveal] = useState(0);

  useEffect(() => {
    if (selected === null) {
      setDetail(null);
      setError(null);
      return;
    }
    let live = true;
    // A failure is an answer too (its message is shown), so it is applied like one.
    settle.ask(() => analyzer().detail(selected).then(
      (d): { d: FrameDetail } | { error: string } => ({ d }),
      (e: unknown) => ({ error: errorMessage(e) }),
    )).then((r) => {
      if (!live) return settle.drop();
      if ('d' in r) {
        setDetail(r.d);
        setError(null);
        setPath(null);
      } else {
        setError(r.error);
      }
      settle.applied();
    });
    return () => {
      live = false;
    };
  }, [selected, analysisId]);

  const onByte = useCallback((off: number) => {
    if (!detail) return;
    const p = deepestAt(detail.tree, off);
    setPath(p);
    setReveal((r) => r + 1);
  }, [detail]);

  const node = detail && path ? nodeAt(detail.tree, path) : null;
  const shown = detail;

  return (
    <>
      <DetailTree detail={shown} error={error} selectedPath={path} reveal={reveal} onSelect={setPath} />
      {splitter}
      <HexView bytes={shown?.bytes ?? null} frame={shown?.n ?? null} highlight={node} onByte={onByte} />
    </>
  );
}
