// Which of the captures opened together the list, the panes and the details show: one tab per capture, in the
// order opened, with its frame count (a capture still loading cannot be shown yet). Nothing for one capture.
import type { KeyboardEvent } from 'react';
import { num } from '../format.ts';
import { switchCapture, useGroup } from '../state/captures.ts';
import '../paths/paths.css';

export function CaptureTabs() {
  const list = useGroup((s) => s.list);
  const shown = useGroup((s) => s.shown);
  if (list.length < 2) return null;
  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const step = e.key === 'ArrowRight' ? 1 : -1;
    for (let k = (shown + step + list.length) % list.length; k !== shown; k = (k + step + list.length) % list.length) {
      if (!list[k].loading) {
        switchCapture(k);
        e.currentTarget.querySelectorAll<HTMLElement>('[role=tab]')[k]?.focus();
        return;
      }
    }
  };
  return (
    <div className="capture-tabs" role="tablist" aria-label="Open captures" data-captures={list.length} onKeyDown={onKey}>
      {list.map((e, k) => (
        <button
          key={k}
          type="button"
          role="tab"
          aria-selected={k === shown}
          tabIndex={k === shown ? 0 : -1}
          className={`ct-tab${k === shown ? ' on' : ''}`}
          disabled={e.loading}
          data-loading={e.loading ? 'true' : undefined}
          title={e.loading ? `${e.name}: loading` : `Show ${e.name}`}
          onClick={() => switchCapture(k)}
        >
          <span className="ct-name">{e.name}</span>
          <span className="ct-meta">{e.loading ? 'loading…' : `${num(e.result?.frames ?? 0)} frames`}</span>
        </button>
      ))}
    </div>
  );
}
