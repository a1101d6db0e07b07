// Several captures open together (several files dropped or picked at once): the first is opened as any file
// is (openCapture: it replaces what was open), the others join it in the worker without being shown, one after
// another, under the same load ticket, so opening anything else stops them and the last request still wins.
// The capture shown (appStore.capture) is always one of the group; switchCapture shows another one. A capture
// opened alone becomes a group of one: the group follows appStore.capture by its Blob.
import type { OpenProgress, OpenResult } from '../../workers/api.ts';
import { analyzer, Comlink } from '../analyzer.ts';
import { errorMessage } from '../format.ts';
import { openCapture } from './actions.ts';
import { appStore, type OpenCapture } from './app-state.ts';
import { loads, type LoadTicket } from './loads.ts';
import { Store, useStore } from './store.ts';

export interface GroupEntry extends OpenCapture {
  /** Still being read (it cannot be shown until it has loaded). */
  loading: boolean;
}

export interface GroupState {
  /** Rises with every new group. */
  id: number;
  list: GroupEntry[];
  /** Index of the capture shown, -1 when none. */
  shown: number;
  /** The list shows every capture merged by time (the panes and details still show `shown`). */
  merged: boolean;
}

export const groupStore = new Store<GroupState>({ id: 0, list: [], shown: -1, merged: false });

export function useGroup<U>(selector: (s: GroupState) => U): U {
  return useStore(groupStore, selector);
}

/** Changes whenever the group's captures change (a new group, one more capture). */
export function groupKey(g: GroupState): string {
  return `${g.id}:${g.list.length}`;
}

/** Every capture of the group has loaded. */
export function groupLoaded(g: GroupState): boolean {
  return g.list.every((e) => !e.loading);
}

// The group follows the capture shown: one it does not hold starts a new group; one it holds is shown, with
// its result as it comes.
appStore.subscribe(() => {
  const c = appStore.get().capture;
  const g = groupStore.get();
  if (c === null) return;
  const k = g.list.findIndex((e) => e.blob === c.blob);
  if (k < 0) {
    groupStore.set({ id: g.id + 1, list: [{ ...c, loading: c.result === null }], shown: 0, merged: false });
    // Another capture opens with every frame listed; folding pktmon copies is a choice made per capture.
    if (appStore.get().view.fold) appStore.set((s) => ({ view: { ...s.view, fold: false } }));
    return;
  }
  const e = g.list[k];
  if (g.shown === k && e.result === c.result && e.name === c.name) return;
  const list = g.list.slice();
  list[k] = { ...e, ...c, loading: c.result === null && e.loading };
  groupStore.set({ list, shown: k });
});

/** Updates entry k while it is still `blob` (a new group may have replaced it). */
function setEntry(k: number, blob: Blob, patch: Partial<GroupEntry>): void {
  groupStore.set((g) => {
    if (g.list[k]?.blob !== blob) return {};
    const list = g.list.slice();
    list[k] = { ...list[k], ...patch };
    return { list };
  });
}

function dropEntry(k: number, blob: Blob): void {
  groupStore.set((g) => (g.list[k]?.blob === blob ? { list: g.list.filter((_, j) => j !== k) } : {}));
}

/** The list shows every capture merged by time (true) or the shown one (false). */
export function showMerged(on: boolean): void {
  const g = groupStore.get();
  if (g.merged !== on && (!on || (g.list.length >= 2 && groupLoaded(g)))) groupStore.set({ merged: on });
}

/** Shows capture k of the group (and selects frame `frame` of it, when given). */
export function switchCapture(k: number, frame: number | null = null): void {
  const g = groupStore.get();
  const e = g.list[k];
  if (e === undefined || e.loading) return;
  if (g.shown === k) {
    if (frame !== null) appStore.set({ selected: frame });
    return;
  }
  // Sent before anything the new analysisId makes the panes ask, so the worker answers them from this capture.
  void analyzer().showCapture(k);
  const { loading: _loading, ...capture } = e;
  appStore.set((s) => ({
    analysisId: s.analysisId + 1,
    dataVersion: s.dataVersion + 1,
    capture,
    selected: frame,
    view: { ...s.view, tenant: null },
  }));
}

/** Opens the files together: the first shown, the others joining it (one file opens as before). */
export async function openCaptures(files: readonly File[]): Promise<void> {
  if (files.length === 0) return;
  if (files.length === 1) {
    await openCapture(files[0], files[0].name);
    return;
  }
  const ticket = loads.begin();
  let shown = false;
  for (const f of files) {
    if (!ticket.current() || ticket.signal.aborted) return;
    // Until one of them has opened, each may be the first (a file that is not a capture is skipped).
    shown = shown ? (await addCapture(f, f.name, ticket), true) : await openCapture(f, f.name, { kind: 'file' }, ticket);
  }
}

/** Reads one more capture into the group without showing it. Resolves true when it joined. */
async function addCapture(file: Blob, name: string, ticket: LoadTicket): Promise<boolean> {
  const worker = analyzer();
  const k = groupStore.get().list.length;
  groupStore.set((g) => ({ list: [...g.list, { name, size: file.size, result: null, blob: file, origin: { kind: 'file' }, loading: true }] }));
  let joined = false;
  const join = (): void => {
    void worker.activate(ticket.id);
    joined = true;
  };
  appStore.set({ loading: { name, size: file.size, progress: null, startedAt: performance.now() } });
  const onProgress = (p: OpenProgress): void => {
    if (!ticket.current()) return;
    if (p.frames > 0 && !joined) join();
    appStore.set((s) => ({ loading: s.loading ? { ...s.loading, progress: p } : s.loading }));
  };
  const stop = (): void => void worker.cancel(ticket.id);
  ticket.signal.addEventListener('abort', stop);
  let result: OpenResult | null = null;
  try {
    result = await worker.open(ticket.id, file, name, Comlink.proxy(onProgress), true);
    if (!ticket.current()) {
      // Replaced: what it read stays in the group until the next load shows (for good if that one fails).
      if (joined) setEntry(k, file, { result, loading: false });
      else dropEntry(k, file);
      return false;
    }
    if (!joined) join();
    setEntry(k, file, { result, loading: false });
    appStore.set((s) => ({
      loading: null,
      notice: result?.cancelled ? { kind: 'info', text: `Load of ${name} cancelled: ${result.frames} frames of it were read.` } : s.notice,
    }));
    return true;
  } catch (e) {
    dropEntry(k, file);
    if (!ticket.current()) return false;
    appStore.set({ loading: null, notice: { kind: 'error', text: `Cannot open ${name}: ${errorMessage(e).replace(/\.$/, '')}.` } });
    return false;
  } finally {
    ticket.signal.removeEventListener('abort', stop);
  }
}
