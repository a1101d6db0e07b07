// Context menu of a field in the details tree: apply or prepare the filter for its value (Wireshark's
// "Apply as Filter" / "Prepare as Filter"), alone or combined with the filter applied now, copy it, or
// show the field as a column of the packet list ("Apply as Column").
import { appStore, useApp } from '../state/app-state.ts';
import { copyText, filterChoices } from '../filter/menu-items.ts';
import { filterUi, useFilterUi } from '../filter/state.ts';
import { addCustomColumn } from '../prefs/store.ts';
import { Menu, type MenuEntry } from './Menu.tsx';

export function FieldMenu() {
  const menu = useFilterUi((s) => s.menu);
  const applied = useApp((s) => s.view.filter);
  if (menu === null) return null;
  const f = menu.filter;
  const field = menu.field;
  const entries: MenuEntry[] = [
    ...filterChoices(f, applied),
    { label: 'Copy filter', run: () => void copyText(f) },
  ];
  if (field !== undefined) {
    entries.push({ separator: true }, {
      label: 'Apply as column',
      title: `Add a packet list column showing ${field} for every row`,
      run: () => {
        if (!addCustomColumn(field, menu.title ?? field)) {
          appStore.set({ notice: { kind: 'info', text: 'Too many custom columns: remove one (right-click its header) to add another.' } });
        }
      },
    });
  }
  return <Menu key={`${menu.x},${menu.y},${f}`} label={`Filter on ${f}`} head={f} x={menu.x} y={menu.y} entries={entries} onClose={() => filterUi.set({ menu: null })} />;
}
