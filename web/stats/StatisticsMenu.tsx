// The toolbar's Statistics menu (Conversations, Endpoints, Protocol Hierarchy, Expert Information, Capture File
// Properties) and Wireshark's shortcut for the last, Ctrl+Alt+Shift+C.
import { useEffect, useRef, useState } from 'react';
import { useApp } from '../state/app-state.ts';
import { openStats, type StatsDialog } from './state.ts';
import './stats.css';

const ITEMS: Array<[StatsDialog, string, string]> = [
  ['properties', 'Capture File Properties', 'Ctrl+Alt+Shift+C'],
  ['conversations', 'Conversations', ''],
  ['endpoints', 'Endpoints', ''],
  ['hierarchy', 'Protocol Hierarchy', ''],
  ['expert', 'Expert Information', ''],
];

export function StatisticsMenu() {
  const [open, setOpen] = useState(false);
  const has = useApp((s) => s.capture !== null);
  const box = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    const key = (e: KeyboardEvent): void => {
      if (e.ctrlKey && e.altKey && e.shiftKey && e.code === 'KeyC') {
        e.preventDefault();
        openStats('properties');
      }
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, []);

  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent): void => { if (!box.current?.contains(e.target as Node)) setOpen(false); };
    window.addEventListener('mousedown', away);
    requestAnimationFrame(() => box.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus());
    return () => window.removeEventListener('mousedown', away);
  }, [open]);

  return (
    <span ref={box} style={{ position: 'relative' }}>
      <button type="button" className="btn" aria-haspopup="menu" aria-expanded={open} disabled={!has} onClick={() => setOpen(!open)}>
        Statistics ▾
      </button>
      {open && (
        <div
          className="stats-menu"
          role="menu"
          aria-label="Statistics"
          onKeyDown={(e) => {
            const items = [...(box.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
            const at = items.indexOf(document.activeElement as HTMLElement);
            if (e.key === 'Escape') setOpen(false);
            else if (e.key === 'ArrowDown') items[(at + 1) % items.length]?.focus();
            else if (e.key === 'ArrowUp') items[(at + items.length - 1) % items.length]?.focus();
            else return;
            e.preventDefault();
          }}
        >
          {ITEMS.map(([id, label, keys]) => (
            <button key={id} type="button" role="menuitem" onClick={() => { setOpen(false); openStats(id); }}>
              <span>{label}</span>{keys && <kbd>{keys}</kbd>}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}
