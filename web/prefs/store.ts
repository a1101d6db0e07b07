// The view preferences as app state: components read them with usePrefs, every change is saved.
import { Store, useStore } from '../state/store.ts';
import { customColumnId, DEFAULT_PANES, loadPrefs, MAX_CUSTOM, savePrefs, type PaneSizes, type TimeFormat, type ViewPrefs } from './view-prefs.ts';

export const prefsStore = new Store<ViewPrefs>(loadPrefs());

export function usePrefs<U>(selector: (p: ViewPrefs) => U): U {
  return useStore(prefsStore, selector);
}

function update(patch: (p: ViewPrefs) => Partial<ViewPrefs>): void {
  prefsStore.set(patch);
  savePrefs(prefsStore.get());
}

export function setTimeFormat(time: TimeFormat): void {
  update(() => ({ time }));
}

export function setColumnShown(id: string, shown: boolean): void {
  update((p) => ({ hidden: shown ? p.hidden.filter((h) => h !== id) : [...new Set([...p.hidden, id])] }));
}

export function setColumnWidths(widths: Record<string, number>): void {
  update(() => ({ widths: { ...widths } }));
}

export function resetColumnWidths(): void {
  update(() => ({ widths: {} }));
}

export function setPanes(patch: Partial<PaneSizes>): void {
  update((p) => ({ panes: { ...p.panes, ...patch } }));
}

export function resetPanes(): void {
  update(() => ({ panes: { ...DEFAULT_PANES } }));
}

/** "Apply as column": a column showing `field` for every row (shown again if it was hidden). False when there are too many. */
export function addCustomColumn(field: string, title: string): boolean {
  const p = prefsStore.get();
  const id = customColumnId(field);
  if (p.custom.some((c) => c.field === field)) {
    setColumnShown(id, true);
    return true;
  }
  if (p.custom.length >= MAX_CUSTOM) return false;
  update((q) => ({ custom: [...q.custom, { field, title }], hidden: q.hidden.filter((h) => h !== id) }));
  return true;
}

export function removeCustomColumn(field: string): void {
  const id = customColumnId(field);
  update((p) => {
    const widths = { ...p.widths };
    delete widths[id];
    return { custom: p.custom.filter((c) => c.field !== field), hidden: p.hidden.filter((h) => h !== id), widths };
  });
}
