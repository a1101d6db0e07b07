// Which of the captures opened together the list, the panes and the details show: one tab per capture, in the
// order opened, with its frame count (a capture still loading cannot be shown yet), and "All, by time": every
// capture merged in one list (the details and panes then show the capture of the row selected). Nothing for
// one capture.
import type { KeyboardEvent } from 'react';
import { num } from '../format.ts';
import { groupLoaded, showMerged, switchCapture, useGroup } from '../state/captures.ts';
import '../paths/paths.css';

export function CaptureTabs() {
  const list = useGroup((s) => s.list);
  const shown = useGroup((s) => s.shown);
  const merged = useGroup((s) => s.merged);
  const loaded = useGroup(groupLoaded);
  if (list.length < 2) return null;
  const show = (k: number): void => {
    showMerged(false);
    switchCapture(k);
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    // Tabs 0 .. n-1 are the captures, n the merged list.
    const n = list.length + 1;
    const at = merged ? list.length : shown;
    const step = e.key === 'ArrowRight' ? 1 : -1;
    for (let k = (at + step + n) % n; k !== at; k = (k + step + n) % n) {
      if (k === list.length ? !loaded : list[k].loading) continue;
      if (k === list.length) showMerged(true);
      else show(k);
      e.currentTarget.querySelectorAll<HTMLElement>('[role=tab]')[k]?.focus();
      return;
    }
  };
  return (
    <div className="capture-tabs" role="tablist" aria-label="Open captures" data-captures={list.length} onKeyDown={onKey}>
      {list.map((e, k) => (
        <button
          key={k}
          type="button"
          role="tab"
          aria-selected={!merged && k === shown}
          tabIndex={!merged && k === shown ? 0 : -1}
          className={`ct-tab${k === shown ? ' on' : ''}`}
          disabled={e.loading}
          data-loading={e.loading ? 'true' : undefined}
          title={e.loading ? `${e.name}: loading` : `Show ${e.name}`}
          onClick={() => show(k)}
        >
          <span className="ct-name">{e.name}</span>
          <span className="ct-meta">{e.loading ? 'loading…' : `${num(e.result?.frames ?? 0)} frames`}</span>
        </button>
      ))}
      <button
        type="button"
        role="tab"
        aria-selected={merged}
        tabIndex={merged ? 0 : -1}
        className={`ct-tab ct-all${merged ? ' on' : ''}`}
        disabled={!loaded}
        title="Every capture in one list, by time, with a Capture column"
        onClick={() => showMerged(true)}
      >
        All, by time
      </button>
    </div>
  );
}
