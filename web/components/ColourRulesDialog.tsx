// The colouring rules editor: display filter, name and colours per rule, the first enabled rule that
// matches colours a row. Saved in this browser (localStorage). Filters are checked as you type.
import { useEffect, useRef, useState } from 'react';
import type { FilterCheck } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { setRules } from '../filter/controller.ts';
import { DEFAULT_RULES, type ColourRule } from '../filter/rules.ts';
import { filterUi, useFilterUi } from '../filter/state.ts';

export function ColourRulesDialog() {
  const open = useFilterUi((s) => s.rulesOpen);
  const saved = useFilterUi((s) => s.rules);
  const [rules, setDraft] = useState<ColourRule[]>(saved);
  const [checks, setChecks] = useState<Record<string, FilterCheck>>({});
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    setDraft(saved.map((r) => ({ ...r })));
    requestAnimationFrame(() => dialog.current?.querySelector<HTMLElement>('input')?.focus());
  }, [open, saved]);

  useEffect(() => {
    if (!open) return;
    let live = true;
    const missing = rules.map((r) => r.filter).filter((f) => checks[f] === undefined);
    if (missing.length === 0) return;
    void Promise.all(missing.map((f) => analyzer().checkFilter(f).then((c) => [f, c] as const))).then((list) => {
      if (live) setChecks((prev) => ({ ...prev, ...Object.fromEntries(list) }));
    });
    return () => {
      live = false;
    };
  }, [open, rules, checks]);

  if (!open) return null;
  const close = (): void => filterUi.set({ rulesOpen: false });
  const edit = (i: number, patch: Partial<ColourRule>): void => setDraft((rs) => rs.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const move = (i: number, d: number): void => setDraft((rs) => {
    const j = i + d;
    if (j < 0 || j >= rs.length) return rs;
    const next = rs.slice();
    [next[i], next[j]] = [next[j], next[i]];
    return next;
  });
  const invalid = rules.some((r) => r.filter.trim() === '' || checks[r.filter]?.error);
  const save = (): void => {
    if (invalid) return;
    setRules(rules.map((r) => ({ ...r, filter: r.filter.trim(), name: r.name.trim() || r.filter.trim() })));
    close();
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) close(); }}>
      <div
        ref={dialog}
        className="modal rules-dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Colouring rules"
        onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } }}
      >
        <header className="modal-head">
          <h2>Colouring rules</h2>
          <span className="modal-sub">The first enabled rule whose display filter matches a frame colours its row. Saved in this browser.</span>
        </header>
        <table className="rules-table">
          <thead>
            <tr><th>On</th><th>Name</th><th>Display filter</th><th>Background</th><th>Text</th><th>Preview</th><th /></tr>
          </thead>
          <tbody>
            {rules.map((r, i) => {
              const c = checks[r.filter];
              const err = r.filter.trim() === '' ? 'a rule needs a filter' : c?.error ? `${c.error.message} (at character ${c.error.start + 1})` : null;
              return (
                <tr key={i} data-rule={i}>
                  <td><input type="checkbox" aria-label={`Rule ${i + 1} enabled`} checked={r.enabled} onChange={(e) => edit(i, { enabled: e.target.checked })} /></td>
                  <td><input className="rule-name" aria-label={`Rule ${i + 1} name`} value={r.name} onChange={(e) => edit(i, { name: e.target.value })} /></td>
                  <td>
                    <input
                      className={`rule-filter fb-input fb-${err ? 'invalid' : c ? 'valid' : 'checking'}`}
                      aria-label={`Rule ${i + 1} filter`}
                      aria-invalid={err !== null}
                      spellCheck={false}
                      value={r.filter}
                      onChange={(e) => edit(i, { filter: e.target.value })}
                      title={err ?? undefined}
                    />
                    {err && <div className="rule-err">{err}</div>}
                  </td>
                  <td><input type="color" aria-label={`Rule ${i + 1} background`} value={r.bg} onChange={(e) => edit(i, { bg: e.target.value })} /></td>
                  <td><input type="color" aria-label={`Rule ${i + 1} text colour`} value={r.fg} onChange={(e) => edit(i, { fg: e.target.value })} /></td>
                  <td><span className="rule-preview" style={{ background: r.bg, color: r.fg }}>{r.name || r.filter || 'frame'}</span></td>
                  <td className="rule-tools">
                    <button type="button" className="tool" aria-label={`Move rule ${i + 1} up`} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
                    <button type="button" className="tool" aria-label={`Move rule ${i + 1} down`} disabled={i === rules.length - 1} onClick={() => move(i, 1)}>↓</button>
                    <button type="button" className="tool" aria-label={`Delete rule ${i + 1}`} onClick={() => setDraft((rs) => rs.filter((_, k) => k !== i))}>✕</button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <footer className="modal-foot">
          <button
            type="button"
            className="btn"
            onClick={() => setDraft((rs) => [...rs, { name: 'New rule', filter: 'tenant.vnid == 5001', bg: '#dce8fb', fg: '#163e82', enabled: true }])}
          >
            Add rule
          </button>
          <button type="button" className="btn" onClick={() => setDraft(DEFAULT_RULES.map((r) => ({ ...r })))}>Reset to defaults</button>
          <span className="tb-spacer" />
          <button type="button" className="btn" onClick={close}>Cancel</button>
          <button type="button" className="btn primary" disabled={invalid} onClick={save}>Save</button>
        </footer>
      </div>
    </div>
  );
}
