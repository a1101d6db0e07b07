// Which statistics dialog is open (Statistics menu, Ctrl+Alt+Shift+C for Capture File Properties).
import { Store, useStore } from '../state/store.ts';

export type StatsDialog = 'conversations' | 'endpoints' | 'hierarchy' | 'expert' | 'properties';

export const statsUi = new Store<{ open: StatsDialog | null }>({ open: null });

export function openStats(d: StatsDialog | null): void {
  statsUi.set({ open: d });
}

export function useStatsUi<T>(pick: (s: { open: StatsDialog | null }) => T): T {
  return useStore(statsUi, pick);
}
