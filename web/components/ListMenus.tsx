// The packet list's popup menus: a row's (filters on the column under the pointer, conversation filter,
// mark, copy, go to the frame that reassembled it), a column header's (sort, hide or show columns, widths)
// and the View menu (time display format, columns, layout).
import { analyzer } from '../analyzer.ts';
import { errorMessage } from '../format.ts';
import { copyText, filterChoices } from '../filter/menu-items.ts';
import { applyFilter, prepareFilter } from '../filter/state.ts';
import { columnFilter, conversationFilter, frameConversation } from '../packet-list/row-filters.ts';
import { hexDump, rowText } from '../packet-list/copy.ts';
import { removeCustomColumn, resetColumnWidths, resetPanes, setColumnShown, setTimeFormat, usePrefs } from '../prefs/store.ts';
import { TIME_FORMATS } from '../prefs/view-prefs.ts';
import { selectFrame, setSort } from '../state/actions.ts';
import { appStore, useApp } from '../state/app-state.ts';
import { toggleMark, unmarkAll, useMarks } from '../state/marks.ts';
import { closeMenu, useListMenu, type ListMenu } from '../state/menus.ts';
import { Menu, type MenuEntry } from './Menu.tsx';
import { openFollow } from './FollowStreamDialog.tsx';
import { columnList, SORTABLE } from './packet-columns.ts';
import type { ColumnId } from '../../workers/api.ts';

export function ListMenus() {
  const menu = useListMenu();
  if (menu === null) return null;
  const key = `${menu.kind}:${menu.x},${menu.y}`;
  if (menu.kind === 'row') return <RowMenu key={key} m={menu} />;
  if (menu.kind === 'column') return <ColumnMenu key={key} m={menu} />;
  return <ViewMenu key={key} m={menu} />;
}

function report(what: string, ok: boolean): void {
  if (!ok) appStore.set({ notice: { kind: 'error', text: `Could not copy ${what}: the browser did not allow the clipboard.` } });
}

function RowMenu({ m }: { m: Extract<ListMenu, { kind: 'row' }> }) {
  const applied = useApp((s) => s.view.filter);
  const marks = useMarks();
  const r = m.row;
  const f = columnFilter(m.column, r, m.facts, m.column.startsWith('custom:') ? r.custom?.[m.column.slice(7)] : undefined);
  const conv = m.facts ? frameConversation(m.facts, r) : null;
  const convFilter = conv ? conversationFilter(conv) : null;
  const marked = marks.has(r.n);
  const noFilter = `${m.title} has no filter field${m.text === '' ? ' (empty)' : ''}`;
  const reassembled = m.facts?.reassembledIn ?? null;

  const entries: MenuEntry[] = [
    { label: marked ? 'Unmark frame' : 'Mark frame', shortcut: 'Ctrl+M', run: () => toggleMark(r.n) },
    { label: 'Unmark all frames', disabled: marks.size === 0, run: unmarkAll },
    { separator: true },
    { heading: f === null ? noFilter : `${m.title}: ${f}` },
    ...filterChoices(f ?? '', applied).map((c) => ({ ...c, disabled: f === null, title: f === null ? noFilter : f })),
    { separator: true },
    { label: 'Conversation filter', disabled: convFilter === null, title: convFilter ?? 'This frame has no conversation (no IP or link addresses)', run: () => convFilter && applyFilter(convFilter) },
    { label: 'Prepare conversation filter', disabled: convFilter === null, title: convFilter ?? undefined, run: () => convFilter && prepareFilter(convFilter) },
    ...followEntries(m.facts?.tcpStream ?? -1, m.facts?.udpStream ?? -1),
    { separator: true },
    { label: 'Copy row as text', run: () => void copyText(rowText(m.cells)).then((ok) => report('the row', ok)) },
    {
      label: 'Copy bytes as hex dump',
      run: () => void analyzer().detail(r.n).then((d) => copyText(hexDump(d.bytes)), (e: unknown) => {
        appStore.set({ notice: { kind: 'error', text: `Could not read frame ${r.n}: ${errorMessage(e)}` } });
        return true;
      }).then((ok) => report('the bytes', ok)),
    },
    { label: 'Copy filter', disabled: f === null, title: f ?? noFilter, run: () => f && void copyText(f).then((ok) => report('the filter', ok)) },
  ];
  if (reassembled !== null && reassembled !== r.n) {
    entries.push({ separator: true }, { label: `Go to frame ${reassembled} (reassembled in)`, title: 'The frame that completed this fragment\'s datagram', run: () => selectFrame(reassembled) });
  }
  return <Menu label={`Frame ${r.n}`} head={`Frame ${r.n} · ${m.title}${m.text !== '' ? `: ${m.text}` : ''}`} x={m.x} y={m.y} entries={entries} onClose={closeMenu} className="row-menu" />;
}

/** Follow ▸ TCP Stream / UDP Stream, for the stream the frame is in. */
function followEntries(tcp: number, udp: number): MenuEntry[] {
  return [
    { label: 'Follow ▸ TCP Stream', shortcut: 'Ctrl+Alt+Shift+T', disabled: tcp < 0, title: tcp >= 0 ? `tcp.stream eq ${tcp}` : 'This frame is not part of a TCP stream', run: () => openFollow('tcp', tcp) },
    { label: 'Follow ▸ UDP Stream', shortcut: 'Ctrl+Alt+Shift+U', disabled: udp < 0, title: udp >= 0 ? `udp.stream eq ${udp}` : 'This frame is not part of a UDP stream', run: () => openFollow('udp', udp) },
  ];
}

/** Check items for every column (the last one shown cannot be hidden). */
function columnChoices(hidden: readonly string[], custom: Parameters<typeof columnList>[0]): MenuEntry[] {
  const all = columnList(custom);
  const shown = all.filter((c) => !hidden.includes(c.id));
  return all.map((c) => {
    const on = !hidden.includes(c.id);
    return { label: c.title, checked: on, disabled: on && shown.length === 1, run: () => setColumnShown(c.id, !on) };
  });
}

function ColumnMenu({ m }: { m: Extract<ListMenu, { kind: 'column' }> }) {
  const { hidden, custom } = usePrefs((p) => p);
  const sort = useApp((s) => s.view.sort);
  const title = columnList(custom).find((c) => c.id === m.column)?.title ?? m.column;
  const field = m.column.startsWith('custom:') ? m.column.slice(7) : null;
  const entries: MenuEntry[] = [];
  if (SORTABLE.has(m.column)) {
    const id = m.column as ColumnId;
    const on = sort?.column === id;
    entries.push(
      { label: 'Sort ascending', radio: true, checked: on && !sort.desc, run: () => setSort({ column: id, desc: false }) },
      { label: 'Sort descending', radio: true, checked: on && sort.desc, run: () => setSort({ column: id, desc: true }) },
      { label: 'Remove sorting', disabled: sort === null, run: () => setSort(null) },
      { separator: true },
    );
  }
  const shownCount = columnList(custom).filter((c) => !hidden.includes(c.id)).length;
  entries.push({ label: `Hide column “${title}”`, disabled: shownCount <= 1, run: () => setColumnShown(m.column, false) });
  if (field !== null) entries.push({ label: `Remove column “${title}”`, title: `Stop showing ${field}`, run: () => removeCustomColumn(field) });
  entries.push({ separator: true }, { heading: 'Columns' }, ...columnChoices(hidden, custom), { separator: true }, { label: 'Reset column widths', run: resetColumnWidths });
  return <Menu label={`Column ${title}`} head={field !== null ? `${title} (${field})` : title} x={m.x} y={m.y} entries={entries} onClose={closeMenu} />;
}

function ViewMenu({ m }: { m: Extract<ListMenu, { kind: 'view' }> }) {
  const { time, hidden, custom } = usePrefs((p) => p);
  const entries: MenuEntry[] = [
    { heading: 'Time Display Format' },
    ...TIME_FORMATS.map((f, i) => ({ label: f.label, radio: true, checked: time === f.id, shortcut: `Ctrl+Alt+${i + 1}`, run: () => setTimeFormat(f.id) })),
    { separator: true },
    { heading: 'Columns' },
    ...columnChoices(hidden, custom),
    { separator: true },
    { label: 'Reset column widths', run: resetColumnWidths },
    { label: 'Reset pane sizes', run: resetPanes },
  ];
  return <Menu label="View" x={m.x} y={m.y} entries={entries} onClose={closeMenu} />;
}
