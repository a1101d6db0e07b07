// Messages above the panes: a file that could not be opened (role alert), a cancelled load, and the
// warnings of the open capture (truncation, corrupt records…).
import { useState } from 'react';
import { dismissNotice } from '../state/actions.ts';
import { useApp } from '../state/app-state.ts';

function heading(message: string, fatal: boolean, count: number): string {
  if (/truncat|ends in the middle|missing|short/i.test(message)) return 'Capture truncated';
  if (fatal) return 'Capture damaged: reading stopped';
  return count > 1 ? 'Capture warnings' : 'Capture warning';
}

export function NoticeBar() {
  const notice = useApp((s) => s.notice);
  const capture = useApp((s) => s.capture);
  const [expanded, setExpanded] = useState(false);
  const result = capture?.result ?? null;
  const problems = result ? [...(result.error ? [result.error] : []), ...result.warnings] : [];
  return (
    <div className="notices">
      {notice && (
        <div className={`notice n-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <span className="n-text">{notice.text}</span>
          <button type="button" className="n-close" onClick={dismissNotice} aria-label="Dismiss message">✕</button>
        </div>
      )}
      {result && problems.length > 0 && (
        <div className="notice n-warn" role="alert" aria-label="Capture warnings">
          <span className="n-text">
            <strong>{heading(problems[0].message, result.error !== null, problems.length)}</strong>
            {` (${capture?.name}): `}
            {problems[0].message}
            {problems[0].offset >= 0 && !problems[0].message.includes(String(problems[0].offset)) ? ` at byte ${problems[0].offset}` : ''}
            {problems[0].frame > 0 ? ` (frame ${problems[0].frame})` : ''}
            {result.error ? `. Showing the ${result.frames} frames read before it.` : ''}
            {problems.length > 1 && (
              <button type="button" className="link" onClick={() => setExpanded(!expanded)}>
                {expanded ? 'hide' : `+${problems.length - 1} more`}
              </button>
            )}
          </span>
          {expanded && (
            <ul className="n-list">
              {problems.slice(1).map((w, i) => (
                <li key={i}>{`byte ${w.offset}${w.frame ? `, frame ${w.frame}` : ''}: ${w.message}`}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
