// A drag handle between two panes. Reports the pointer position; the parent turns it into a size.
import type { PointerEvent, KeyboardEvent } from 'react';

interface Props {
  orientation: 'horizontal' | 'vertical';
  label: string;
  /** Current size in percent (for aria-valuenow). */
  value: number;
  onChange: (percent: number) => void;
}

export function Splitter({ orientation, label, value, onChange }: Props) {
  const onPointerDown = (e: PointerEvent<HTMLDivElement>): void => {
    const handle = e.currentTarget;
    const box = handle.parentElement?.getBoundingClientRect();
    if (!box) return;
    handle.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent): void => {
      const pct = orientation === 'horizontal' ? ((ev.clientY - box.top) / box.height) * 100 : ((ev.clientX - box.left) / box.width) * 100;
      onChange(Math.max(15, Math.min(85, pct)));
    };
    const up = (): void => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const dec = orientation === 'horizontal' ? 'ArrowUp' : 'ArrowLeft';
    const inc = orientation === 'horizontal' ? 'ArrowDown' : 'ArrowRight';
    if (e.key === dec) onChange(Math.max(15, value - 3));
    else if (e.key === inc) onChange(Math.min(85, value + 3));
    else return;
    e.preventDefault();
  };
  return (
    <div
      className={`splitter ${orientation}`}
      role="separator"
      aria-label={label}
      aria-orientation={orientation}
      aria-valuenow={Math.round(value)}
      aria-valuemin={15}
      aria-valuemax={85}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
