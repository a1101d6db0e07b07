// Context menu of a field in the details tree: apply or prepare the filter for its value (Wireshark's
// "Apply as Filter" / "Prepare as Filter"), alone or combined with the filter applied now.
import { useEffect, useRef } from 'react';
import { useApp } from '../state/app-state.ts';
import { applyFilter, filterUi, prepareFilter, useFilterUi } from '../filter/state.ts';

function combine(cur: string, op: '&&' | '||', f: string): string {
  return cur.trim() === '' ? f : `(${cur.trim()}) ${op} ${f}`;
}

export function FieldMenu() {
  const menu = useFilterUi((s) => s.menu);
  const applied = useApp((s) => s.view.filter);
  const ref = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (menu === null) return;
    ref.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
    const close = (e: MouseEvent): void => {
      if (!ref.current?.contains(e.target as Node)) filterUi.set({ menu: null });
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [menu]);

  if (menu === null) return null;
  const f = menu.filter;
  const not = `!(${f})`;
  const items: [string, () => void][] = [
    ['Apply as filter', () => applyFilter(f)],
    ['Prepare as filter', () => prepareFilter(f)],
    ['Apply as filter: not selected', () => applyFilter(not)],
    ['Apply as filter: … and selected', () => applyFilter(combine(applied, '&&', f))],
    ['Apply as filter: … or selected', () => applyFilter(combine(applied, '||', f))],
    ['Apply as filter: … and not selected', () => applyFilter(combine(applied, '&&', not))],
    ['Copy filter', () => { void navigator.clipboard?.writeText(f).catch(() => undefined); }],
  ];
  const run = (fn: () => void): void => {
    filterUi.set({ menu: null });
    fn();
  };
  const x = Math.min(menu.x, window.innerWidth - 300);
  const y = Math.min(menu.y, window.innerHeight - 230);
  return (
    <ul
      ref={ref}
      className="field-menu"
      role="menu"
      aria-label={`Filter on ${f}`}
      style={{ left: x, top: y }}
      onKeyDown={(e) => {
        const list = Array.from(ref.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? []);
        const i = list.indexOf(document.activeElement as HTMLElement);
        if (e.key === 'ArrowDown') { e.preventDefault(); list[(i + 1) % list.length]?.focus(); }
        if (e.key === 'ArrowUp') { e.preventDefault(); list[(i - 1 + list.length) % list.length]?.focus(); }
        if (e.key === 'Escape' || e.key === 'Tab') { e.preventDefault(); filterUi.set({ menu: null }); }
      }}
    >
      <li className="fm-head" role="presentation">{f}</li>
      {items.map(([label, fn]) => (
        <li key={label} role="menuitem" tabIndex={-1} onClick={() => run(fn)} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); run(fn); } }}>
          {label}
        </li>
      ))}
    </ul>
  );
}
