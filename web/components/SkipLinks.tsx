// Skip links: first in the Tab order, shown while one has the focus. Each moves the focus into a pane
// (the packet list, the focused tenant row, the details tree, …) so the keyboard need not Tab through
// the toolbar, the filter bar and the list's column headers to get there.
import { focusFilterBar } from '../filter/state.ts';

const TARGETS = [
  { label: 'Skip to packet list', pane: 'packet-list' },
  { label: 'Skip to tenants', pane: 'tenants' },
  { label: 'Skip to hosts', pane: 'hosts' },
  { label: 'Skip to offload', pane: 'offload' },
  { label: 'Skip to packet details', pane: 'details' },
  { label: 'Skip to packet bytes', pane: 'bytes' },
  { label: 'Skip to charts', pane: 'charts' },
  { label: 'Skip to display filter', pane: null },
] as const;

const FOCUSABLE = 'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex="0"]';

/** Focuses the first thing in a pane the keyboard can use (its list, tree, focused row or first button), else the pane itself. */
function moveFocusInto(pane: string): void {
  const section = document.querySelector<HTMLElement>(`section.pane.${pane}`);
  if (section === null) return;
  const body = section.querySelector('.pane-body') ?? section;
  const target = [...body.querySelectorAll<HTMLElement>(FOCUSABLE)].find((el) => el.getClientRects().length > 0);
  if (target) {
    target.focus();
    return;
  }
  // Nothing to use in it yet (no capture, no frame selected): the pane, so Tab goes on from there.
  if (!section.hasAttribute('tabindex')) section.tabIndex = -1;
  section.focus();
}

export function SkipLinks() {
  return (
    <nav className="skip-links" aria-label="Skip links">
      {TARGETS.map((t) => (
        <button
          key={t.label}
          type="button"
          className="skip-link"
          onClick={() => {
            if (t.pane !== null) moveFocusInto(t.pane);
            else focusFilterBar();
          }}
        >
          {t.label}
        </button>
      ))}
    </nav>
  );
}
