// Keeps the worker's filter work in step with the UI: when the applied filter, the open capture or the
// colouring rules change, it decides the frames the column tier leaves open from their bytes (with
// progress), and tells the panes to refetch as frames join the view.
import type { FilterErrorInfo } from '../../workers/api.ts';
import { analyzer, Comlink } from '../analyzer.ts';
import { appStore } from '../state/app-state.ts';
import { saveRules, type ColourRule } from './rules.ts';
import { filterUi } from './state.ts';

/** Panes refetch at most this often while frames are being read for a filter. */
const REFRESH_MS = 300;

let started = false;

export function startFilterController(): void {
  if (started) return;
  started = true;
  void analyzer().filterFields().then((fields) => filterUi.set({ fields }), () => undefined);

  let viewKey = '';
  let rulesKey = '';
  let viewSeq = 0;
  let rulesSeq = 0;

  const check = (): void => {
    const s = appStore.get();
    // Frames are decided from their bytes once the load has ended (the column tier follows the load).
    const ready = s.capture !== null && s.capture.result !== null && s.loading === null;
    const vk = `${s.analysisId}|${ready}|${s.view.filter.trim()}`;
    if (vk !== viewKey) {
      viewKey = vk;
      const seq = ++viewSeq;
      const text = s.view.filter.trim();
      if (!ready || text === '') filterUi.set({ progress: null });
      else void resolveView(text, () => seq === viewSeq);
    }
    const u = filterUi.get();
    const rk = `${s.analysisId}|${ready}|${JSON.stringify(u.rules)}`;
    if (rk !== rulesKey) {
      rulesKey = rk;
      const seq = ++rulesSeq;
      void applyRules(u.rules, ready, () => seq === rulesSeq);
    }
  };
  appStore.subscribe(check);
  filterUi.subscribe(check);
  check();
}

async function resolveView(text: string, current: () => boolean): Promise<void> {
  const check = await analyzer().checkFilter(text);
  if (!current() || check.error !== null) {
    if (current()) filterUi.set({ progress: null });
    return;
  }
  // Even a filter on index fields may leave a few frames to the bytes (tunnels within tunnels,
  // ICMP errors, truncated frames): always ask; it answers at once when nothing is left open.
  if (check.needsBytes) filterUi.set({ progress: { text, done: 0, total: 0 } });
  let last = performance.now();
  const onProgress = (p: { done: number; total: number }): void => {
    if (!current()) return;
    filterUi.set({ progress: { text, done: p.done, total: p.total } });
    const now = performance.now();
    if (now - last >= REFRESH_MS) {
      last = now;
      appStore.set((s) => ({ dataVersion: s.dataVersion + 1 }));
    }
  };
  let read = 0;
  try {
    read = (await analyzer().resolveFilter(text, Comlink.proxy(onProgress))).read;
  } catch (e) {
    console.error('filter failed', e);
  }
  if (!current()) return;
  if (read === 0) {
    filterUi.set({ progress: null });
    return;
  }
  filterUi.set((s) => ({ progress: null, filterGen: s.filterGen + 1 }));
  appStore.set((s) => ({ dataVersion: s.dataVersion + 1 }));
}

async function applyRules(rules: readonly ColourRule[], ready: boolean, current: () => boolean): Promise<void> {
  const on = rules.filter((r) => r.enabled);
  let errors: (FilterErrorInfo | null)[];
  try {
    errors = await analyzer().setColourRules(on.map((r) => r.filter));
  } catch (e) {
    console.error('colouring rules failed', e);
    return;
  }
  if (!current()) return;
  // Errors per rule in the full list (disabled rules are not checked).
  let k = 0;
  filterUi.set((s) => ({ ruleErrors: rules.map((r) => (r.enabled ? errors[k++] : null)), rulesVersion: s.rulesVersion + 1 }));
  if (!ready) return;
  for (let i = 0; i < on.length; i++) {
    if (errors[i] !== null) continue;
    const r = await analyzer().resolveFilter(on[i].filter).catch((e: unknown) => {
      console.error('colouring rule failed', e);
      return null;
    });
    if (!current()) return;
    if (r !== null && r.read > 0) filterUi.set((s) => ({ rulesVersion: s.rulesVersion + 1 }));
  }
}

export function setRules(rules: ColourRule[]): void {
  saveRules(rules);
  filterUi.set({ rules });
}
