// A popup menu at a point (right-click menus, the View menu): items, check/radio items, separators and
// group headings. The chosen radio item, else the first item, takes the focus; ↑/↓ (Home/End) move between
// enabled items, Enter or Space runs one, a click elsewhere closes it, and Esc or Tab close it and give
// the focus back to where it was. Kept inside the window.
import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';

export interface MenuAction {
  label: string;
  run: () => void;
  disabled?: boolean;
  /** Why it is disabled, or what it does (tooltip). */
  title?: string;
  shortcut?: string;
  /** A check (true/false) or radio ('radio' + checked) item. */
  checked?: boolean;
  radio?: boolean;
}

export type MenuEntry = MenuAction | { separator: true } | { heading: string };

interface Props {
  label: string;
  /** The line on top (what the menu is about), or none. */
  head?: string;
  x: number;
  y: number;
  entries: readonly MenuEntry[];
  onClose: () => void;
  className?: string;
}

function isAction(e: MenuEntry): e is MenuAction {
  return 'run' in e;
}

export function Menu({ label, head, x, y, entries, onClose, className }: Props) {
  const ref = useRef<HTMLUListElement>(null);
  const [pos, setPos] = useState({ left: x, top: y });
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const returnTo = useRef<HTMLElement | null>(null);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    setPos({
      left: Math.max(4, Math.min(x, window.innerWidth - r.width - 4)),
      top: Math.max(4, Math.min(y, window.innerHeight - r.height - 4)),
    });
    if (returnTo.current === null && document.activeElement instanceof HTMLElement) returnTo.current = document.activeElement;
    (el.querySelector<HTMLElement>('[role=menuitemradio][aria-checked=true]') ?? el.querySelector<HTMLElement>('[role^=menuitem]:not([aria-disabled=true])'))?.focus();
    const close = (e: MouseEvent): void => {
      if (!ref.current?.contains(e.target as Node)) onCloseRef.current();
    };
    const resized = (): void => onCloseRef.current();
    window.addEventListener('mousedown', close);
    window.addEventListener('resize', resized);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('resize', resized);
    };
  }, [x, y]);

  const run = (a: MenuAction): void => {
    if (a.disabled) return;
    onClose();
    a.run();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>): void => {
    const list = Array.from(ref.current?.querySelectorAll<HTMLElement>('[role^=menuitem]:not([aria-disabled=true])') ?? []);
    const i = list.indexOf(document.activeElement as HTMLElement);
    const go = (k: number): void => list[(k + list.length) % list.length]?.focus();
    switch (e.key) {
      case 'ArrowDown': go(i + 1); break;
      case 'ArrowUp': go(i - 1); break;
      case 'Home': go(0); break;
      case 'End': go(list.length - 1); break;
      case 'Escape': case 'Tab':
        onClose();
        returnTo.current?.focus();
        break;
      default: return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <ul ref={ref} className={`field-menu${className ? ` ${className}` : ''}`} role="menu" aria-label={label} style={pos} onKeyDown={onKeyDown} onContextMenu={(e) => e.preventDefault()}>
      {head !== undefined && <li className="fm-head" role="presentation" title={head}>{head}</li>}
      {entries.map((en, k) => {
        if ('separator' in en) return <li key={k} className="fm-sep" role="separator" />;
        if ('heading' in en) return <li key={k} className="fm-group" role="presentation">{en.heading}</li>;
        if (!isAction(en)) return null;
        const role = en.checked === undefined ? 'menuitem' : en.radio ? 'menuitemradio' : 'menuitemcheckbox';
        return (
          <li
            key={k}
            role={role}
            aria-checked={en.checked}
            aria-disabled={en.disabled || undefined}
            tabIndex={-1}
            title={en.title}
            className={en.disabled ? 'fm-off' : undefined}
            onClick={() => run(en)}
            onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); run(en); } }}
          >
            {en.checked !== undefined && <span className="fm-mark" aria-hidden="true">{en.checked ? (en.radio ? '●' : '✓') : ''}</span>}
            <span className="fm-label">{en.label}</span>
            {en.shortcut && <span className="fm-key" aria-hidden="true">{en.shortcut}</span>}
          </li>
        );
      })}
    </ul>
  );
}
