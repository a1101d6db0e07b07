// Everything that changes the app state. Components call these; they talk to the worker.
import type { ColumnId, OpenProgress } from '../../workers/api.ts';
import { analyzer, Comlink } from '../analyzer.ts';
import { errorMessage } from '../format.ts';
import { appStore, type OptionalColumns } from './app-state.ts';
import { cancelDownload } from '../share/downloads.ts';
import type { CaptureOrigin } from '../share/origin.ts';

export const SAMPLE_URL = 'samples/demo.pcapng';
export const SAMPLE_NAME = 'demo.pcapng';

let loadSeq = 0;
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
 */
export async function openCapture(file: Blob, name: string, origin: CaptureOrigin = { kind: 'file' }): Promise<boolean> {
  const seq = ++loadSeq;
  let active = false;
  appStore.set({ loading: { name, size: file.size, progress: null, startedAt: performance.now() }, notice: null });
  const onProgress = (p: OpenProgress): void => {
    if (seq !== loadSeq) return;
    if (p.active && !active) {
      active = true;
      becomeActive(name, file, origin);
    }
    const now = performance.now();
    const data = p.active && now - lastData >= DATA_INTERVAL_MS;
    if (data) lastData = now;
    appStore.set((s) => ({
      loading: s.loading ? { ...s.loading, progress: p } : s.loading,
      dataVersion: data ? s.dataVersion + 1 : s.dataVersion,
    }));
  };
  try {
    const result = await analyzer().open(file, name, Comlink.proxy(onProgress));
    if (seq !== loadSeq) return false;
    if (!active) becomeActive(name, file, origin);
    appStore.set((s) => ({
      capture: { name, size: file.size, result, blob: file, origin },
      loading: null,
      dataVersion: s.dataVersion + 1,
      notice: result.cancelled ? { kind: 'info', text: `Load of ${name} cancelled: showing the ${result.frames} frames read so far.` } : s.notice,
    }));
    return true;
  } catch (e) {
    if (seq !== loadSeq) return false;
    const kept = appStore.get().capture;
    appStore.set({
      loading: null,
      notice: {
        kind: 'error',
        text: `Cannot open ${name}: ${errorMessage(e).replace(/\.$/, '')}.${kept ? ` ${kept.name} is still open.` : ''}`,
      },
    });
    return false;
  }
}

export async function loadSample(): Promise<boolean> {
  try {
    const res = await fetch(SAMPLE_URL);
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
    const blob = await res.blob();
    return await openCapture(blob, SAMPLE_NAME, { kind: 'sample', url: new URL(SAMPLE_URL, document.baseURI).href });
  } catch (e) {
    appStore.set({ notice: { kind: 'error', text: `Cannot load the sample ${SAMPLE_NAME}: ${errorMessage(e)}` } });
    return false;
  }
}

export function cancelLoad(): void {
  cancelDownload();
  void analyzer().cancel();
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

export function setColumn(col: keyof OptionalColumns, on: boolean): void {
  appStore.set((s) => ({ columns: { ...s.columns, [col]: on } }));
}
