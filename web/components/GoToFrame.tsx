// Ctrl+G: go to a frame by number (it is selected and scrolled to; outside the filtered view the filter
// is kept and the frame shown in the details anyway).
import { useEffect, useRef, useState } from 'react';
import { selectFrame } from '../state/actions.ts';
import { useApp } from '../state/app-state.ts';
import { filterUi, useFilterUi } from '../filter/state.ts';

export function GoToFrame() {
  const open = useFilterUi((s) => s.gotoOpen);
  const frames = useApp((s) => s.capture?.result?.frames ?? 0);
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!open) return;
    setText('');
    setError('');
    requestAnimationFrame(() => input.current?.focus());
  }, [open]);

  if (!open) return null;
  const close = (): void => filterUi.set({ gotoOpen: false });
  const go = (): void => {
    const n = Number(text.trim());
    if (!Number.isInteger(n) || n < 1 || n > frames) {
      setError(frames > 0 ? `Enter a frame number from 1 to ${frames}` : 'No capture is open');
      return;
    }
    selectFrame(n);
    close();
  };
  return (
    <div className="goto" role="dialog" aria-label="Go to frame">
      <label className="goto-label" htmlFor="goto-input">Go to frame</label>
      <input
        id="goto-input"
        ref={input}
        className="goto-input"
        inputMode="numeric"
        value={text}
        placeholder={frames > 0 ? `1–${frames}` : ''}
        onChange={(e) => { setText(e.target.value); setError(''); }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') { e.preventDefault(); go(); }
          if (e.key === 'Escape') { e.preventDefault(); close(); }
        }}
        onBlur={close}
      />
      <span className="goto-err" role="status">{error}</span>
    </div>
  );
}
