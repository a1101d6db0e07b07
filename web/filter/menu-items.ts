// The filter choices every right-click menu offers for a field or a column value (Wireshark's "Apply as
// Filter" / "Prepare as Filter" and their not/and/or variants), the same in the details and the packet list.
import { combineFilters } from '../packet-list/row-filters.ts';
import { applyFilter, prepareFilter } from './state.ts';

export interface FilterChoice {
  label: string;
  run: () => void;
}

/** The choices for filter `f`, with `applied` the filter applied now. */
export function filterChoices(f: string, applied: string): FilterChoice[] {
  const not = `!(${f})`;
  return [
    { label: 'Apply as filter', run: () => applyFilter(f) },
    { label: 'Prepare as filter', run: () => prepareFilter(f) },
    { label: 'Apply as filter: not selected', run: () => applyFilter(not) },
    { label: 'Apply as filter: … and selected', run: () => applyFilter(combineFilters(applied, '&&', f)) },
    { label: 'Apply as filter: … or selected', run: () => applyFilter(combineFilters(applied, '||', f)) },
    { label: 'Apply as filter: … and not selected', run: () => applyFilter(combineFilters(applied, '&&', not)) },
  ];
}

/** Text to the clipboard; false when the browser refuses. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
