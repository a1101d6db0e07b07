// The UI's view state: which capture is open, the load in progress, the view over the packet list,
// the selected frame. Data itself stays in the worker and is fetched by window.
import type { OpenProgress, OpenResult, RowView } from '../../workers/api.ts';
import type { CaptureOrigin } from '../share/origin.ts';
import { Store, useStore } from './store.ts';

export interface OpenCapture {
  name: string;
  size: number;
  /** Null while the capture is still loading. */
  result: OpenResult | null;
  /** The bytes as opened (kept for share fingerprints) and where they came from (share links). */
  blob: Blob;
  origin: CaptureOrigin;
}

export interface LoadState {
  name: string;
  size: number;
  progress: OpenProgress | null;
  startedAt: number;
}

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

export interface AppState {
  /** Bumped whenever another capture becomes the active analysis. */
  analysisId: number;
  /** Bumped as the active analysis grows during a load, and when it finishes. */
  dataVersion: number;
  capture: OpenCapture | null;
  loading: LoadState | null;
  notice: Notice | null;
  view: RowView;
  /** Selected frame number (1-based), or null. */
  selected: number | null;
}

export const initialState: AppState = {
  analysisId: 0,
  dataVersion: 0,
  capture: null,
  loading: null,
  notice: null,
  view: { tenant: null, sort: null, filter: '' },
  selected: null,
};

export const appStore = new Store<AppState>(initialState);

export function useApp<U>(selector: (s: AppState) => U): U {
  return useStore(appStore, selector);
}

/** A string that changes whenever the rows of the view may have changed order or membership. */
export function viewKey(s: AppState): string {
  const v = s.view;
  return `${s.analysisId}|${v.tenant ?? ''}|${v.sort ? `${v.sort.column}${v.sort.desc ? '-' : '+'}` : ''}|${v.filter}${v.fold ? '|fold' : ''}`;
}
