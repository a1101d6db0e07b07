// A count of frames that applies the display filter selecting exactly those frames (Offload pane, MTU section).
import { applyFilter } from '../filter/state.ts';
import { num } from '../format.ts';
import { selectTenant } from '../state/actions.ts';
import { appStore } from '../state/app-state.ts';

/** Shows exactly the frames a count stands for: the pane counts every tenant, so the list is not narrowed to one. */
function show(filter: string): void {
  if (appStore.get().view.tenant !== null) selectTenant(null);
  applyFilter(filter);
}

/** `text` is what is counted (the frame count by default); `frames` is how many frames the filter selects. */
export function FilterCount({ filter, frames, text, className }: { filter: string; frames: number; text?: string; className?: string }) {
  return (
    <button
      type="button"
      className={`link filter-count${className ? ` ${className}` : ''}`}
      onClick={() => show(filter)}
      title={`Show these ${num(frames)} frames: ${filter}`}
      data-filter={filter}
      data-frames={frames}
    >
      {text ?? num(frames)}
    </button>
  );
}
