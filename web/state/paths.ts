// The comparison of the open captures ("Where did it break?"): run in the worker once every capture of the
// group has loaded, kept per group and window, shared by the Paths pane and the details' Path section.
import type { PathsProgress, PathsReport, PathsScope } from '../../workers/paths-api.ts';
import { analyzer, Comlink } from '../analyzer.ts';
import { errorMessage } from '../format.ts';
import { groupKey, groupLoaded, groupStore, switchCapture } from './captures.ts';
import { Store, useStore } from './store.ts';

export interface PathsState {
  /** The group (groupKey) and window the rest is about. */
  group: string;
  window: number;
  scope: PathsScope | null;
  report: PathsReport | null;
  running: boolean;
  progress: PathsProgress | null;
  error: string | null;
}

export const pathsStore = new Store<PathsState>({ group: '', window: 1, scope: null, report: null, running: false, progress: null, error: null });

export function usePaths<U>(selector: (s: PathsState) => U): U {
  return useStore(pathsStore, selector);
}

let runs = 0;

/** Compares the group's captures (when there is something to compare) unless it has been done for this group and window. */
export async function comparePaths(window = pathsStore.get().window): Promise<void> {
  const g = groupStore.get();
  if (g.list.length === 0 || !groupLoaded(g)) return;
  const p = pathsStore.get();
  const key = groupKey(g);
  if (p.group === key && p.window === window && (p.running || p.report !== null || p.error !== null)) return;
  const run = ++runs;
  const current = (): boolean => run === runs && groupKey(groupStore.get()) === key;
  pathsStore.set({ group: key, window, scope: null, report: null, running: true, progress: null, error: null });
  try {
    const scope = await analyzer().pathsScope();
    if (!current()) return;
    pathsStore.set({ scope });
    if (!scope.comparable) {
      pathsStore.set({ running: false });
      return;
    }
    const report = await analyzer().paths(window, Comlink.proxy((progress: PathsProgress) => {
      if (current()) pathsStore.set({ progress });
    }));
    if (current()) pathsStore.set({ report, running: false, progress: null });
  } catch (e) {
    if (current()) pathsStore.set({ error: errorMessage(e), running: false, progress: null });
  }
}

/** Shows frame `frame` of the capture named `name` in the last comparison. */
export function goToCopy(name: string, frame: number): void {
  const k = pathsStore.get().report?.captures.indexOf(name) ?? -1;
  if (k >= 0) switchCapture(k, frame);
}

// Compared as soon as every capture of a group has loaded.
groupStore.subscribe(() => {
  const g = groupStore.get();
  if (groupLoaded(g) && pathsStore.get().group !== groupKey(g)) void comparePaths();
});
