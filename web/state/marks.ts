// Marked frames (Wireshark's Edit > Mark Packet, Ctrl+M): kept per open capture, shown as black rows,
// exportable. A newly opened capture starts with none.
import { appStore } from './app-state.ts';
import { Store, useStore } from './store.ts';

interface Marks {
  /** The analysis the marks belong to. */
  analysisId: number;
  frames: ReadonlySet<number>;
}

const NONE: ReadonlySet<number> = new Set();

export const marksStore = new Store<Marks>({ analysisId: 0, frames: NONE });

/** The marked frames of the open capture. */
export function markedFrames(): ReadonlySet<number> {
  const m = marksStore.get();
  return m.analysisId === appStore.get().analysisId ? m.frames : NONE;
}

export function useMarks(): ReadonlySet<number> {
  const analysisId = useStore(appStore, (s) => s.analysisId);
  return useStore(marksStore, (m) => (m.analysisId === analysisId ? m.frames : NONE));
}

export function toggleMark(n: number): void {
  const next = new Set(markedFrames());
  if (next.has(n)) next.delete(n);
  else next.add(n);
  marksStore.set({ analysisId: appStore.get().analysisId, frames: next });
}

export function unmarkAll(): void {
  marksStore.set({ analysisId: appStore.get().analysisId, frames: NONE });
}

/** The marked frame after (dir 1) or before (dir -1) frame `from` by number, or null. */
export function nextMarked(marks: ReadonlySet<number>, from: number | null, dir: 1 | -1): number | null {
  let best: number | null = null;
  for (const n of marks) {
    if (from !== null && (dir === 1 ? n <= from : n >= from)) continue;
    if (best === null || (dir === 1 ? n < best : n > best)) best = n;
  }
  return best;
}
