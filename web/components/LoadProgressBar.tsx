// Progress of a load that takes time: bytes and frames, with Cancel. Hidden for quick loads.
import { useEffect, useState } from 'react';
import { bytes, num } from '../format.ts';
import { cancelLoad } from '../state/actions.ts';
import { useApp } from '../state/app-state.ts';

const SHOW_AFTER_MS = 250;

export function LoadProgressBar() {
  const loading = useApp((s) => s.loading);
  const [visible, setVisible] = useState(false);
  const startedAt = loading?.startedAt ?? null;

  useEffect(() => {
    if (startedAt === null) {
      setVisible(false);
      return;
    }
    const left = SHOW_AFTER_MS - (performance.now() - startedAt);
    if (left <= 0) {
      setVisible(true);
      return;
    }
    const t = setTimeout(() => setVisible(true), left);
    return () => clearTimeout(t);
  }, [startedAt]);

  if (!loading || !visible) return null;
  const p = loading.progress;
  const total = p && p.totalBytes > 0 ? p.totalBytes : loading.size;
  const done = p ? p.bytesRead : 0;
  const pct = total > 0 ? Math.min(100, (done / total) * 100) : 0;
  const label = `Loading ${loading.name}`;
  return (
    <div className="loadbar" role="group" aria-label="Load progress">
      <span className="lb-name" title={loading.name}>{label}</span>
      <div
        className="lb-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
        aria-valuetext={`${bytes(done)} of ${bytes(total)}, ${p ? p.frames : 0} frames`}
      >
        <div className="lb-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="lb-text">
        {bytes(done)} / {bytes(total)} · {num(p ? p.frames : 0)} frames
      </span>
      <button type="button" className="btn" onClick={cancelLoad}>Cancel</button>
    </div>
  );
}
