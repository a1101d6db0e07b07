// Which of the packet list's popup menus is open: a row's (right-click, or Shift+F10 / the menu key on the
// selected row), a column header's, or the toolbar's View menu. One at a time.
import type { FrameFacts } from '../../workers/api.ts';
import type { GridRow } from '../components/packet-columns.ts';
import { filterUi } from '../filter/state.ts';
import { Store, useStore } from './store.ts';

export type ListMenu =
  | {
    kind: 'row';
    x: number;
    y: number;
    row: GridRow;
    /** The column under the pointer (its id), its title and the cell's text. */
    column: string;
    title: string;
    text: string;
    /** Every visible cell of the row as shown (Copy row as text). */
    cells: string[];
    /** The frame's facts (conversation, reassembly), null when they could not be read. */
    facts: FrameFacts | null;
  }
  | { kind: 'column'; x: number; y: number; column: string }
  | { kind: 'view'; x: number; y: number };

export const menuStore = new Store<{ menu: ListMenu | null }>({ menu: null });

export function useListMenu(): ListMenu | null {
  return useStore(menuStore, (s) => s.menu);
}

export function openMenu(menu: ListMenu): void {
  filterUi.set({ menu: null });
  menuStore.set({ menu });
}

export function closeMenu(): void {
  menuStore.set({ menu: null });
}
