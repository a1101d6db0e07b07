// A titled pane: a named landmark (<section aria-label>) with a compact header bar.
import type { ReactNode } from 'react';

interface Props {
  /** Accessible name of the landmark and the visible title. */
  title: string;
  /** Extra text after the title (counts, the current file…). */
  meta?: ReactNode;
  tools?: ReactNode;
  className?: string;
  children: ReactNode;
}

export function Pane({ title, meta, tools, className, children }: Props) {
  return (
    <section aria-label={title} className={`pane${className ? ` ${className}` : ''}`}>
      <header className="pane-head">
        <h2 className="pane-title">{title}</h2>
        {meta !== undefined && <span className="pane-meta">{meta}</span>}
        <span className="pane-tools">{tools}</span>
      </header>
      <div className="pane-body">{children}</div>
    </section>
  );
}
