// UI state of display filters: the bar's pushed text and focus requests, the byte-tier progress,
// colouring rules, the field list for completion, and which filter popups are open. The applied filter
// itself is the app state's view.filter (shared with links and the worker queries).
import type { FilterErrorInfo, FilterField } from '../../workers/api.ts';
import { appStore } from '../state/app-state.ts';
import { Store, useStore } from '../state/store.ts';
import { remember } from './history.ts';
import { loadRules, type ColourRule } from './rules.ts';

export interface FieldMenuState {
  /** The filter for the field the menu is about. */
  filter: string;
  x: number;
  y: number;
  /** The field (for "Apply as column") and the name the details give it (the column's title). */
  field?: string;
  title?: string;
}

export interface FilterUi {
  /** Text pushed into the bar (Prepare as filter, a link); seq changes on every push. */
  draft: { text: string; seq: number };
  /** Bumped to move the focus into the bar (`/`, Ctrl+F). */
  focusSeq: number;
  /** The applied filter's byte tier while it runs. */
  progress: { text: string; done: number; total: number } | null;
  rules: ColourRule[];
  /** Per rule (same order as rules): why it does not compile, or null. */
  ruleErrors: (FilterErrorInfo | null)[];
  /** Bumped when rows may have other colours (rules edited, a rule's byte tier done). */
  rulesVersion: number;
  /** Bumped when the applied filter's byte tier has finished (frames joined the view). */
  filterGen: number;
  fields: FilterField[];
  gotoOpen: boolean;
  rulesOpen: boolean;
  menu: FieldMenuState | null;
}

export const filterUi = new Store<FilterUi>({
  draft: { text: '', seq: 0 },
  focusSeq: 0,
  progress: null,
  rules: loadRules(),
  ruleErrors: [],
  rulesVersion: 0,
  filterGen: 0,
  fields: [],
  gotoOpen: false,
  rulesOpen: false,
  menu: null,
});

export function useFilterUi<U>(selector: (s: FilterUi) => U): U {
  return useStore(filterUi, selector);
}

/** Puts text into the filter bar without applying it, and focuses it. */
export function prepareFilter(text: string): void {
  filterUi.set((s) => ({ draft: { text, seq: s.draft.seq + 1 }, focusSeq: s.focusSeq + 1 }));
}

export function focusFilterBar(): void {
  filterUi.set((s) => ({ focusSeq: s.focusSeq + 1 }));
}

/** Applies a filter to the packet list (the bar's text follows); '' shows every frame. */
export function applyFilter(text: string): void {
  const f = text.trim();
  if (f !== '') remember(f);
  filterUi.set((s) => ({ draft: { text: f, seq: s.draft.seq + 1 }, menu: null }));
  if (appStore.get().view.filter !== f) appStore.set((s) => ({ view: { ...s.view, filter: f } }));
}
