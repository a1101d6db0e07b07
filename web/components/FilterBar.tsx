// The display-filter bar (Wireshark habit): green when the text is a valid filter, red with the reason
// when it is not, completes field names, keeps a history, applies on Enter, Esc clears. `/` or Ctrl+F
// focus it (App's keyboard handler).
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import '../filter/filter.css';
import type { FilterCheck } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { completions, type Completion } from '../filter/complete.ts';
import { loadHistory } from '../filter/history.ts';
import { applyFilter, useFilterUi } from '../filter/state.ts';
import { useApp } from '../state/app-state.ts';

type Popup = { kind: 'complete'; c: Completion } | { kind: 'history'; items: string[] } | null;

export function FilterBar() {
  const applied = useApp((s) => s.view.filter);
  const hasCapture = useApp((s) => s.capture !== null);
  const draft = useFilterUi((s) => s.draft);
  const focusSeq = useFilterUi((s) => s.focusSeq);
  const fields = useFilterUi((s) => s.fields);
  const progress = useFilterUi((s) => s.progress);
  const [text, setText] = useState(applied);
  const [check, setCheck] = useState<{ text: string; result: FilterCheck } | null>(null);
  const [popup, setPopup] = useState<Popup>(null);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  // Text pushed from elsewhere (Apply/Prepare as filter, a link, back/forward).
  useEffect(() => {
    if (draft.seq > 0) setText(draft.text);
  }, [draft]);
  useEffect(() => {
    setText((t) => (t.trim() === applied ? t : applied));
  }, [applied]);
  useEffect(() => {
    if (focusSeq === 0) return;
    input.current?.focus();
    input.current?.select();
  }, [focusSeq]);

  // Check as you type (the worker compiles it; nothing runs).
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      analyzer().checkFilter(text).then((result) => {
        if (live) setCheck({ text, result });
      }, () => undefined);
    }, 60);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [text]);

  const result = check?.text === text ? check.result : null;
  const state = text.trim() === '' ? 'empty' : result === null ? 'checking' : result.error ? 'invalid' : 'valid';
  const dirty = text.trim() !== applied;

  const updateCompletion = (value: string, caret: number): void => {
    const c = completions(value, caret, fields);
    setPopup(c ? { kind: 'complete', c } : null);
    setActive(0);
  };

  const accept = (name: string, c: Completion): void => {
    const next = text.slice(0, c.from) + name + text.slice(c.to);
    setText(next);
    setPopup(null);
    const pos = c.from + name.length;
    requestAnimationFrame(() => input.current?.setSelectionRange(pos, pos));
  };

  const apply = (value: string): void => {
    setPopup(null);
    if (value.trim() === '') {
      applyFilter('');
      return;
    }
    // Enter may come before the check as you type has answered: check now, apply only a valid filter.
    const known = check?.text === value ? check.result : null;
    if (known !== null) {
      if (known.error === null) applyFilter(value);
      return;
    }
    void analyzer().checkFilter(value).then((result) => {
      setCheck({ text: value, result });
      if (result.error === null) applyFilter(value);
    }, () => undefined);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    const items = popup === null ? 0 : popup.kind === 'complete' ? popup.c.items.length : popup.items.length;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (popup === null) {
        const h = loadHistory();
        if (h.length > 0) { setPopup({ kind: 'history', items: h }); setActive(0); }
      } else setActive((a) => Math.min(items - 1, a + 1));
      return;
    }
    if (e.key === 'ArrowUp' && popup !== null) {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
      return;
    }
    // Enter on a name typed in full applies it: `checksum.zero` also offers `checksum.zero.check`, and
    // accepting the name already there would only close the list.
    const typedInFull = e.key === 'Enter' && popup?.kind === 'complete' && text.slice(popup.c.from, popup.c.to) === popup.c.items[active]?.name;
    if ((e.key === 'Tab' || e.key === 'Enter') && popup !== null && items > 0 && !typedInFull) {
      e.preventDefault();
      if (popup.kind === 'complete') accept(popup.c.items[active].name, popup.c);
      else {
        setText(popup.items[active]);
        apply(popup.items[active]);
      }
      return;
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      apply(text);
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      if (popup !== null) setPopup(null);
      else {
        setText('');
        applyFilter('');
      }
    }
  };

  const status = progress !== null && progress.text === applied && applied !== ''
    ? `Reading frames for the filter… ${progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 0}%`
    : null;
  const err = state === 'invalid' && result?.error ? result.error : null;
  const errorText = useMemo(() => (err ? `${err.message} (at character ${err.start + 1})` : ''), [err]);

  return (
    <div className="filterbar" role="search" aria-label="Display filter">
      <button
        type="button"
        className="fb-hist"
        title="Recent filters (↓)"
        aria-label="Recent filters"
        onClick={() => {
          const h = loadHistory();
          setPopup(popup?.kind === 'history' || h.length === 0 ? null : { kind: 'history', items: h });
          setActive(0);
          input.current?.focus();
        }}
      >
        ▾
      </button>
      <div className="fb-field">
        <input
          ref={input}
          className={`fb-input fb-${state}`}
          data-state={state}
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder="Apply a display filter … (/ or Ctrl+F)   e.g. nvgre.vsid == 5001 && tcp.port == 443"
          aria-label="Display filter"
          aria-invalid={state === 'invalid'}
          aria-describedby={err ? 'fb-error' : undefined}
          aria-expanded={popup !== null}
          aria-controls="fb-popup"
          aria-autocomplete="list"
          role="combobox"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            updateCompletion(e.target.value, e.target.selectionStart ?? e.target.value.length);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setPopup(null), 150)}
        />
        {err && (
          <div className="fb-underline" aria-hidden="true">
            <span className="fb-ghost">{text.slice(0, err.start)}</span>
            <span className="fb-wavy">{text.slice(err.start, Math.max(err.end, err.start + 1)) || ' '}</span>
          </div>
        )}
        {popup !== null && (
          <ul id="fb-popup" className="fb-popup" role="listbox" aria-label={popup.kind === 'complete' ? 'Field names' : 'Recent filters'}>
            {popup.kind === 'complete'
              ? popup.c.items.map((f, i) => (
                <li
                  key={f.name}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'on' : undefined}
                  onMouseDown={(e) => { e.preventDefault(); accept(f.name, popup.c); }}
                >
                  <span className="fb-name">{f.name}</span>
                  <span className="fb-label">{f.label}</span>
                  <span className="fb-type">{f.type}</span>
                </li>
              ))
              : popup.items.map((h, i) => (
                <li
                  key={h}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'on' : undefined}
                  onMouseDown={(e) => { e.preventDefault(); setText(h); apply(h); }}
                >
                  <span className="fb-name">{h}</span>
                </li>
              ))}
          </ul>
        )}
      </div>
      {result?.needsBytes && state === 'valid' && (
        <span className="fb-tag" title="This filter names fields the frame index does not hold: the frames it cannot decide are read again (slower than index fields such as ip.src, tcp.port, tenant.vnid).">
          reads frames
        </span>
      )}
      <button type="button" className="btn fb-apply" disabled={!hasCapture || (state !== 'valid' && state !== 'empty') || !dirty} onClick={() => apply(text)}>
        Apply
      </button>
      <button
        type="button"
        className="fb-clear"
        aria-label="Clear the filter"
        title="Clear (Esc)"
        disabled={text === '' && applied === ''}
        onClick={() => { setText(''); applyFilter(''); input.current?.focus(); }}
      >
        ✕
      </button>
      <span className="fb-msg" role="status" aria-live="polite">
        {err ? <span id="fb-error" className="fb-err">{errorText}</span> : status ?? (dirty && state === 'valid' ? 'Enter to apply' : '')}
      </span>
    </div>
  );
}
