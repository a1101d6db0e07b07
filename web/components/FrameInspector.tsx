// Fetches the selected frame's detail from the worker and ties the tree and the bytes together:
// selecting a tree field highlights its bytes (in the tab of its byte source: the frame or a reassembled
// datagram), clicking a byte selects the field of that source that covers it. A line that refers to
// another frame (a fragment, where a fragment was reassembled) goes to that frame.
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { FrameDetail } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { errorMessage } from '../format.ts';
import { byteTabs, fieldAtByte, rangeInTab } from '../byte-sources.ts';
import { selectFrame } from '../state/actions.ts';
import { useApp } from '../state/app-state.ts';
import { useSettle } from '../state/settle.ts';
import { NO_RELATED, relatedStore } from '../state/related.ts';
import { nodeAt, referencedFrames } from '../tree.ts';
import { DetailTree } from './DetailTree.tsx';
import { HexView } from './HexView.tsx';
import { PathSection } from './PathSection.tsx';

export function FrameInspector({ splitter }: { splitter?: ReactNode }) {
  const selected = useApp((s) => s.selected);
  const analysisId = useApp((s) => s.analysisId);
  const settle = useSettle();
  const [detail, setDetail] = useState<FrameDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [path, setPath] = useState<string | null>(null);
  /** Bumped when a byte click picks a node, so the tree scrolls it into view. */
  const [reveal, setReveal] = useState(0);
  /** The byte source shown: 0 the frame, k the k-th reassembled datagram. */
  const [tab, setTab] = useState(0);

  useEffect(() => {
    if (selected === null) {
      setDetail(null);
      setError(null);
      relatedStore.set({ of: null, frames: NO_RELATED });
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
        relatedStore.set({ of: r.d.n, frames: referencedFrames(r.d.tree, r.d.n) });
        setError(null);
        setPath(null);
        setTab(0);
      } else {
        setError(r.error);
      }
      settle.applied();
    });
    return () => {
      live = false;
    };
  }, [selected, analysisId]);

  const tabs = useMemo(() => (detail ? byteTabs(detail) : null), [detail]);

  // A field with bytes shows them: its source's tab comes to the front.
  const onSelect = useCallback((p: string) => {
    setPath(p);
    const n = detail && tabs ? nodeAt(detail.tree, p) : null;
    const r = n && tabs ? rangeInTab(n, tabs) : null;
    if (r) setTab(r.tab);
  }, [detail, tabs]);

  const onByte = useCallback((off: number) => {
    if (!detail || !tabs) return;
    setPath(fieldAtByte(detail.tree, tabs, tab, off));
    setReveal((r) => r + 1);
  }, [detail, tabs, tab]);

  const node = detail && path ? nodeAt(detail.tree, path) : null;
  const range = node && tabs ? rangeInTab(node, tabs) : null;
  const highlight = node && range && range.tab === tab ? { start: range.start, end: range.end, name: node.field ?? node.label } : null;

  return (
    <>
      <DetailTree detail={detail} error={error} selectedPath={path} reveal={reveal} onSelect={onSelect} onGoTo={selectFrame} footer={<PathSection frame={detail?.n ?? null} />} />
      {splitter}
      <HexView tabs={tabs} tab={tab} frame={detail?.n ?? null} highlight={highlight} onByte={onByte} onTab={setTab} />
    </>
  );
}
