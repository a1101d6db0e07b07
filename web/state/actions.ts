// Everything that changes the app state. Components call these; they talk to the worker.
import type { ColumnId, OpenProgress } from '../../workers/api.ts';
import { analyzer, Comlink } from '../analyzer.ts';
import { errorMessage } from '../format.ts';
import { appStore } from './app-state.ts';
import { loads, type LoadTicket } from './loads.ts';
import type { CaptureOrigin } from '../share/origin.ts';

export const SAMPLE_URL = 'samples/demo.pcapng';
export const SAMPLE_NAME = 'demo.pcapng';

let lastData = 0;

/** While loading, panes refetch at most this often (the progress bar itself updates on every report). */
const DATA_INTERVAL_MS = 250;

function becomeActive(name: string, file: Blob, origin: CaptureOrigin): void {
  appStore.set((s) => ({
    analysisId: s.analysisId + 1,
    dataVersion: s.dataVersion + 1,
    capture: { name, size: file.size, result: null, blob: file, origin },
    selected: null,
    view: { ...s.view, tenant: null },
  }));
  lastData = performance.now();
}

/**
 * Opens a capture. The Blob/File itself goes to the worker, which reads it by slices. Resolves true
 * when it became the open capture (false: it could not be opened, or another load superseded it).
 * `ticket`: the load it is part of, when it began with a download (loads.begin() otherwise).
 */
export async function openCapture(file: Blob, name: string, origin: CaptureOrigin = { kind: 'file' }, ticket: LoadTicket = loads.begin()): Promise<boolean> {
  if (!ticket.current()) return false;
  const worker = analyzer();
  /** analysisId while this load is the one on screen; -1 before. */
  let shownAs = -1;
  const show = (): void => {
    // Sent before anything the new analysisId makes the panes ask, so the worker answers them from this load.
    void worker.activate(ticket.id);
    becomeActive(name, file, origin);
    shownAs = appStore.get().analysisId;
  };
  appStore.set({ loading: { name, size: file.size, progress: null, startedAt: performance.now() }, notice: null });
  const onProgress = (p: OpenProgress): void => {
    if (!ticket.current()) return;
    if (p.frames > 0 && shownAs < 0) show();
    const now = performance.now();
    const data = shownAs >= 0 && now - lastData >= DATA_INTERVAL_MS;
    if (data) lastData = now;
    appStore.set((s) => ({
      loading: s.loading ? { ...s.loading, progress: p } : s.loading,
      dataVersion: data ? s.dataVersion + 1 : s.dataVersion,
    }));
  };
  const stop = (): void => void worker.cancel(ticket.id);
  ticket.signal.addEventListener('abort', stop);
  try {
    const opening = worker.open(ticket.id, file, name, Comlink.proxy(onProgress));
    if (ticket.signal.aborted) stop(); // cancelled between its download and now
    const result = await opening;
    if (!ticket.current()) {
      // Replaced while on screen: it stays open, with what it read, until the next load shows (for good
      // if that one is not a capture), so its figures must be whole.
      appStore.set((s) => (s.analysisId === shownAs && s.capture ? { capture: { ...s.capture, result }, dataVersion: s.dataVersion + 1 } : {}));
      return false;
    }
    if (shownAs < 0) show();
    appStore.set((s) => ({
      capture: { name, size: file.size, result, blob: file, origin },
      loading: null,
      dataVersion: s.dataVersion + 1,
      notice: result.cancelled ? { kind: 'info', text: `Load of ${name} cancelled: showing the ${result.frames} frames read so far.` } : s.notice,
    }));
    return true;
  } catch (e) {
    if (!ticket.current()) return false;
    const kept = appStore.get().capture;
    // A load this one stopped has delivered its result by now (the worker answers it first).
    const cut = kept?.result?.cancelled ? ` with the ${kept.result.frames} frames read before its load was stopped` : '';
    appStore.set({
      loading: null,
      notice: {
        kind: 'error',
        text: `Cannot open ${name}: ${errorMessage(e).replace(/\.$/, '')}.${kept ? ` ${kept.name} is still open${cut}.` : ''}`,
      },
    });
    return false;
  } finally {
    ticket.signal.removeEventListener('abort', stop);
  }
}

export async function loadSample(ticket: LoadTicket = loads.begin()): Promise<boolean> {
  try {
    const res = await fetch(SAMPLE_URL, { signal: ticket.signal });
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
    const blob = await res.blob();
    return await openCapture(blob, SAMPLE_NAME, { kind: 'sample', url: new URL(SAMPLE_URL, document.baseURI).href }, ticket);
  } catch (e) {
    // Given up for a later load: that one's outcome is what shows.
    if (ticket.current()) appStore.set({ notice: { kind: 'error', text: `Cannot load the sample ${SAMPLE_NAME}: ${errorMessage(e)}` } });
    return false;
  }
}

/** Stops the load in progress (its download or its read); frames read so far stay. */
export function cancelLoad(): void {
  loads.cancel();
}

export function dismissNotice(): void {
  appStore.set({ notice: null });
}

export function selectFrame(n: number | null): void {
  if (appStore.get().selected !== n) appStore.set({ selected: n });
}

export function selectTenant(key: string | null): void {
  appStore.set((s) => ({ view: { ...s.view, tenant: key } }));
}

export function setSort(sort: { column: ColumnId; desc: boolean } | null): void {
  appStore.set((s) => ({ view: { ...s.view, sort } }));
}
