// Hash routing: the address bar's fragment and the app state follow each other.
//
// - On start, the fragment says which capture to open (`src`, `cap`, a fingerprint to wait for, or the
//   bundled sample when it names none) and which view to restore once it is open.
// - Afterwards every change of view (pane, tenant, sort, filter) adds a history entry, so back/forward
//   move between views; selecting a frame replaces the current entry (arrow keys would otherwise fill
//   the history). A capture from a dropped file cannot be named in a URL: its fragment holds the view
//   only (after a matching fingerprint link, the fingerprint).
// - Editing the fragment by hand, or back/forward, applies it: a different capture is opened, the same
//   one keeps its analysis and only the view changes. A fragment without capture keys keeps the open
//   capture. An invalid fragment shows what is wrong and changes nothing (never a blank page).
import { analyzer } from '../analyzer.ts';
import { bytes as formatSize, errorMessage, tenantLabel } from '../format.ts';
import { loadSample, openCapture } from '../state/actions.ts';
import { appStore } from '../state/app-state.ts';
import { loads } from '../state/loads.ts';
import type { AppState } from '../state/app-state.ts';
import { Store } from '../state/store.ts';
import { decodeCapture } from './compress.ts';
import { fetchCapture } from './fetch.ts';
import { DEFAULT_VIEW, parseFragment, sameCapture, sameView, serializeFragment } from './fragment.ts';
import type { CaptureRef, ShareState, ShareView, ViewName } from './fragment.ts';
import { sha256Blob } from './sha256.ts';

type Fingerprint = Extract<CaptureRef, { kind: 'fingerprint' }>;

export interface ShareUiState {
  /** The pane the view is about (`view=`). */
  pane: ViewName;
  /** A fingerprint link waiting for the user's copy of the file, or the result of checking it. */
  fingerprint: { ref: Fingerprint; view: ShareView; status: 'waiting' | 'checking' | 'match' | 'mismatch'; analysisId: number } | null;
}

export const shareStore = new Store<ShareUiState>({ pane: 'packets', fingerprint: null });

export const EMBEDDED_NAME = 'embedded.pcapng';

/** While a link is being applied, state changes do not write the address bar. */
let applying = 0;
let started = false;
let lastWritten: { state: ShareState; analysisId: number } | null = null;

/** The capture part of the address for what is open now. */
export function currentCaptureRef(s: AppState = appStore.get()): CaptureRef | null {
  const c = s.capture;
  if (c === null) return null;
  const o = c.origin;
  if (o.kind === 'url') return { kind: 'src', url: o.url };
  if (o.kind === 'embedded') return { kind: 'cap', data: o.data, name: o.name };
  const fp = shareStore.get().fingerprint;
  if (o.kind === 'file' && fp !== null && fp.status === 'match' && fp.analysisId === s.analysisId) return fp.ref;
  return null;
}

export function currentShareState(): ShareState {
  const s = appStore.get();
  return {
    capture: currentCaptureRef(s),
    view: { view: shareStore.get().pane, tenant: s.view.tenant, sort: s.view.sort, frame: s.selected, filter: s.view.filter, fold: s.view.fold === true },
  };
}

/** Starts routing: opens what the fragment names (or the sample) and keeps the fragment in step. */
export async function startRouter(): Promise<void> {
  if (started) return;
  started = true;
  window.addEventListener('hashchange', () => { void followFragment(false); });
  // The pane a click or keyboard focus lands in is the view (`view=`).
  const track = (e: Event): void => {
    const v = paneOf(e.target);
    if (v !== null) setPane(v);
  };
  document.addEventListener('click', track, true);
  document.addEventListener('focusin', track, true);
  appStore.subscribe(scheduleWrite);
  shareStore.subscribe(scheduleWrite);
  appStore.subscribe(checkFingerprint);
  await followFragment(true);
}

let writeQueued = false;
/**
 * Writes once the current task is over: a click that both moves to another pane and picks a tenant
 * (two listeners, two state changes) makes one history entry.
 */
function scheduleWrite(): void {
  if (writeQueued) return;
  writeQueued = true;
  setTimeout(() => {
    writeQueued = false;
    writeAddress(false);
  }, 0);
}

/** Writes the state into the address bar: a new entry for a new view, in place otherwise. */
function writeAddress(replace: boolean): void {
  if (applying > 0) return;
  const s = appStore.get();
  if (s.capture === null || s.capture.result === null) return; // nothing to describe until a load has ended
  const state = currentShareState();
  const frag = serializeFragment(state);
  const now = { state, analysisId: s.analysisId };
  if (frag === normalisedHash()) {
    lastWritten = now;
    return;
  }
  const prev = lastWritten;
  // A new entry when the view of the same analysis changed; a new capture or a new selected frame
  // rewrites the current entry.
  const newView = prev !== null && prev.analysisId === s.analysisId && sameCapture(prev.state.capture, state.capture)
    && !sameView({ ...prev.state.view, frame: state.view.frame }, state.view);
  const url = `${location.pathname}${location.search}${frag}`;
  if (!replace && newView) history.pushState(history.state, '', url);
  else history.replaceState(history.state, '', url);
  lastWritten = now;
}

function normalisedHash(): string {
  return location.hash === '#' ? '' : location.hash;
}

/** Applies the fragment in the address bar (at start, after a hand edit, on back/forward). */
async function followFragment(atStart: boolean): Promise<void> {
  const parsed = parseFragment(location.hash);
  if (!parsed.ok) {
    appStore.set({ notice: { kind: 'error', text: `${parsed.error} Nothing from the link was opened${appStore.get().capture ? '; the open capture and view stay as they were' : ''}.` } });
    return;
  }
  const { capture, view } = parsed.value;
  applying++;
  try {
    if (capture !== null && !sameCapture(capture, currentCaptureRef())) {
      const opened = await openRef(capture, view);
      if (!opened) return;
    } else if (capture === null && atStart) {
      if (!(await loadSample())) return;
    }
    const analysisId = appStore.get().analysisId;
    const problems = await applyView(view);
    // About the capture the link opened: not to be said of one opened since.
    if (appStore.get().analysisId === analysisId) reportProblems(problems, null);
  } finally {
    applying--;
  }
  // Normalise what was typed (e.g. `geneve:007`) without adding an entry.
  writeAddress(true);
}

/**
 * Opens the capture a link names; false when it could not be (the notice says why) or when the user
 * opened another capture meanwhile (that one wins: nothing of this link is applied, no message).
 */
async function openRef(ref: CaptureRef, view: ShareView): Promise<boolean> {
  if (ref.kind === 'cap') {
    const ticket = loads.begin();
    const bytes = await decodeCapture(ref.data);
    if (!ticket.current()) return false;
    if (!bytes.ok) {
      appStore.set({ notice: { kind: 'error', text: `Cannot open the capture embedded in the link: ${bytes.error}.` } });
      return false;
    }
    // Links made before `name=` existed open under a generic name.
    return openCapture(new Blob([new Uint8Array(bytes.value)]), ref.name ?? EMBEDDED_NAME, { kind: 'embedded', data: ref.data, name: ref.name }, ticket);
  }
  if (ref.kind === 'src') {
    const ticket = loads.begin();
    appStore.set({ notice: null, loading: { name: ref.url, size: -1, progress: null, startedAt: performance.now() } });
    const got = await fetchCapture(ref.url, {
      signal: ticket.signal,
      onProgress: (p) => {
        if (!ticket.current()) return;
        appStore.set((s) => (s.loading
          ? { loading: { ...s.loading, size: p.total, progress: { bytesRead: p.loaded, totalBytes: p.total, frames: 0, done: false } } }
          : {}));
      },
    });
    if (!ticket.current()) return false;
    appStore.set({ loading: null });
    if (!got.ok) {
      appStore.set({ notice: { kind: 'error', text: got.error } });
      return false;
    }
    return openCapture(got.value.blob, got.value.name, { kind: 'url', url: got.value.url }, ticket);
  }
  // A fingerprint: the recipient opens their own copy; the view is applied once it is open.
  shareStore.set({ fingerprint: { ref, view, status: 'waiting', analysisId: -1 } });
  appStore.set({
    notice: {
      kind: 'info',
      text: `This link is for the capture ${ref.name} (${formatSize(ref.size)}, SHA-256 ${ref.sha256.slice(0, 16)}…), which is not in the link. Open or drop your copy of it to see the shared view.`,
    },
  });
  return false;
}

/** Checks the first capture opened after a fingerprint link, then applies the link's view. */
function checkFingerprint(): void {
  const fp = shareStore.get().fingerprint;
  const s = appStore.get();
  // Only once no load runs: a capture replaced while it loaded is not the user's copy.
  if (fp === null || fp.status !== 'waiting' || s.loading !== null || s.capture === null || s.capture.result === null) return;
  if (s.capture.origin.kind !== 'file') return;
  const { blob, name } = s.capture;
  const analysisId = s.analysisId;
  shareStore.set({ fingerprint: { ...fp, status: 'checking', analysisId } });
  const done = (match: boolean, text: string): void => {
    if (appStore.get().analysisId !== analysisId) return;
    shareStore.set({ fingerprint: { ...fp, status: match ? 'match' : 'mismatch', analysisId } });
    appStore.set({ notice: { kind: match ? 'info' : 'error', text } });
    applying++;
    void applyView(fp.view).then((problems) => {
      if (appStore.get().analysisId === analysisId) reportProblems(problems, { match, text });
    }).finally(() => {
      applying--;
      writeAddress(true);
    });
  };
  const theirs = `${fp.ref.name} (${fp.ref.size} bytes, SHA-256 ${fp.ref.sha256.slice(0, 16)}…)`;
  if (blob.size !== fp.ref.size) {
    done(false, `${name} is not the file the link refers to: the link is for ${theirs}, this file has ${blob.size} bytes. The shared view is applied anyway; frame numbers and tenants may not match.`);
    return;
  }
  sha256Blob(blob).then((sha) => {
    if (sha === fp.ref.sha256) done(true, `${name} is the file the link refers to (SHA-256 matches): showing the shared view.`);
    else done(false, `${name} is not the file the link refers to: the link is for ${theirs}, this file's SHA-256 is ${sha.slice(0, 16)}…. The shared view is applied anyway; frame numbers and tenants may not match.`);
  }, (e: unknown) => done(false, `Could not check ${name} against the link: ${errorMessage(e)}.`));
}

/** Shows what of a link's view does not fit the capture, after the fingerprint verdict if there is one. */
function reportProblems(problems: string[], verdict: { match: boolean; text: string } | null): void {
  if (problems.length === 0) return;
  const name = appStore.get().capture?.name ?? 'the capture';
  const text = `The link's view does not fit ${name}: ${problems.join('; ')}.`;
  appStore.set({ notice: { kind: 'error', text: verdict === null ? text : `${verdict.text} ${text}` } });
}

/** Sets the view of a link on the open capture; returns what of it does not fit this capture. */
async function applyView(view: ShareView): Promise<string[]> {
  appStore.set(() => ({ view: { tenant: view.tenant, sort: view.sort, filter: view.filter, fold: view.fold }, selected: view.frame }));
  shareStore.set({ pane: view.view });
  focusPane(view.view);
  const problems: string[] = [];
  const s = appStore.get();
  const frames = s.capture?.result?.frames ?? 0;
  if (view.frame !== null && view.frame > frames) problems.push(`frame ${view.frame} does not exist (the capture has ${frames} frames)`);
  try {
    if (view.tenant !== null) {
      const tenants = await analyzer().tenants();
      if (!tenants.some((t) => t.key === view.tenant)) problems.push(`tenant ${tenantLabel(view.tenant)} does not occur in it`);
    }
    if (view.filter !== '') await analyzer().status(s.view);
  } catch (e) {
    problems.push(`the display filter "${view.filter}" cannot be applied: ${errorMessage(e)}`);
  }
  return problems;
}

const PANE_CLASS: Record<ViewName, string> = { packets: 'packet-list', tenants: 'tenants', offload: 'offload', charts: 'charts' };

/** Brings the pane of a view into sight. */
export function focusPane(view: ViewName): void {
  document.documentElement.dataset.view = view;
  const el = document.querySelector(`section.pane.${PANE_CLASS[view]}`);
  if (el instanceof HTMLElement) el.scrollIntoView({ block: 'nearest' });
}

/** The view a click or focus inside the page is about, from the pane it happened in. */
export function paneOf(target: EventTarget | null): ViewName | null {
  if (!(target instanceof Element)) return null;
  const section = target.closest('section.pane');
  if (section === null) return null;
  for (const [view, cls] of Object.entries(PANE_CLASS) as Array<[ViewName, string]>) {
    if (section.classList.contains(cls)) return view;
  }
  // Packet details and bytes belong to the packet view.
  return section.closest('.left') !== null ? 'packets' : null;
}

export function setPane(view: ViewName): void {
  if (shareStore.get().pane === view) return;
  shareStore.set({ pane: view });
  document.documentElement.dataset.view = view;
}

export { DEFAULT_VIEW };
