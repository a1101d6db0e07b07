// The packet list: a virtualized, sortable grid. Only the visible window of rows is fetched from the
// worker (rows(start, count, view)); sorting and narrowing run there. The list's page cache, row count,
// scrolling and keyboard are hooks of their own in web/packet-list/; this renders the grid. Columns,
// widths and the time format are view preferences; right-click a row or a header for its menu
// (ListMenus.tsx); marked frames show as black rows.
import { useTable, type ColumnSizingState, type SortingState, type Updater } from '@tanstack/react-table';
import { useCallback, useMemo, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import type { ColumnId } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { tenantLabel } from '../format.ts';
import { selectTenant, setSort } from '../state/actions.ts';
import { useApp, viewKey } from '../state/app-state.ts';
import { NO_RELATED, relatedStore } from '../state/related.ts';
import { useSettle } from '../state/settle.ts';
import { useStore } from '../state/store.ts';
import { Pane } from './Pane.tsx';
import { legendNotesNoChecksum, NO_CHECKSUM_NOTE, ruleTitle, tenantColour } from '../filter/rules.ts';
import { filterUi, useFilterUi } from '../filter/state.ts';
import { buildColumns, cellText, features, NUMERIC, placeholder, SORTABLE, type GridRow } from './packet-columns.ts';
import { customColumnId } from '../prefs/view-prefs.ts';
import { setColumnShown, setColumnWidths, usePrefs } from '../prefs/store.ts';
import { useMarks } from '../state/marks.ts';
import { openMenu } from '../state/menus.ts';
import { useCustomCells } from '../packet-list/use-custom-cells.ts';
import { useRowWindow } from '../packet-list/row-window.ts';
import { usePageCache } from '../packet-list/use-page-cache.ts';
import { useRowCount } from '../packet-list/use-row-count.ts';
import { useListScroll } from '../packet-list/use-list-scroll.ts';
import { useListKeys } from '../packet-list/use-list-keys.ts';

const ROW_H = 20;
const HEADER_H = 22;

function isColumnId(id: string): id is ColumnId {
  return SORTABLE.has(id);
}

export function PacketList() {
  // A filter's byte tier finishing changes the view's membership (filterGen): a new key.
  const filterGen = useFilterUi((s) => s.filterGen);
  const vkey = `${useApp(viewKey)}|${filterGen}`;
  const view = useApp((s) => s.view);
  const rulesVersion = useFilterUi((s) => s.rulesVersion);
  const rules = useFilterUi((s) => s.rules);
  const enabledRules = useMemo(() => rules.filter((r) => r.enabled), [rules]);
  const selected = useApp((s) => s.selected);
  const related = useStore(relatedStore, (s) => (s.of !== null && s.of === selected ? s.frames : NO_RELATED));
  const hasCapture = useApp((s) => s.capture !== null);
  const analysisId = useApp((s) => s.analysisId);
  const time = usePrefs((p) => p.time);
  const hidden = usePrefs((p) => p.hidden);
  const widths = usePrefs((p) => p.widths);
  const custom = usePrefs((p) => p.custom);
  const marks = useMarks();
  const outer = !hidden.includes('outerSrc');

  const scrollRef = useRef<HTMLDivElement>(null);
  const columns = useMemo(() => buildColumns(time, custom), [time, custom]);
  const shownFields = useMemo(() => custom.map((c) => c.field).filter((f) => !hidden.includes(customColumnId(f))), [custom, hidden]);

  const settle = useSettle();
  const { total, setTotal, refresh: refreshTotal } = useRowCount(view, vkey, settle);
  const virt = useRowWindow(scrollRef, total, ROW_H, HEADER_H, 16);
  const items = virt.items;
  const first = items.length ? items[0].index : 0;
  const last = items.length ? items[items.length - 1].index : 0;
  const { rowAt, tick } = usePageCache({ view, vkey, rulesVersion, first, last, settle, setTotal, onGrowth: refreshTotal });

  const frames = items.map((it) => rowAt(it.index)?.n ?? 0);
  const cells = useCustomCells(shownFields, frames, analysisId, settle);

  const data = useMemo<GridRow[]>(() => items.map((it) => {
    const r = rowAt(it.index);
    return r ? { ...r, idx: it.index, custom: cells.cellsOf(r.n) } : placeholder(it.index);
    // New row objects whenever the columns change: the table caches each row's values by column.
  }), [first, last, tick, vkey, rowAt, cells.tick, shownFields, columns]);

  const sorting = useMemo<SortingState>(() => (view.sort ? [{ id: view.sort.column, desc: view.sort.desc }] : []), [view.sort]);
  const columnVisibility = useMemo(() => Object.fromEntries(hidden.map((h) => [h, false])), [hidden]);
  const columnSizing: ColumnSizingState = widths;
  const onColumnSizingChange = useCallback((u: Updater<ColumnSizingState>) => {
    setColumnWidths(typeof u === 'function' ? u(widths) : u);
  }, [widths]);
  const onSortingChange = useCallback((u: Updater<SortingState>) => {
    const next = typeof u === 'function' ? u(sorting) : u;
    const s = next[0];
    setSort(s && isColumnId(s.id) ? { column: s.id, desc: s.desc } : null);
  }, [sorting]);

  const table = useTable({
    features,
    columns,
    data,
    getRowId: (r) => String(r.idx),
    manualSorting: true,
    sortDescFirst: false,
    enableMultiSort: false,
    columnResizeMode: 'onChange',
    state: { sorting, columnVisibility, columnSizing },
    onSortingChange,
    onColumnSizingChange,
  });

  const leaf = table.getVisibleLeafColumns();
  // Info (else the last column) takes the width the others leave; its own width is its minimum.
  const stretch = leaf.some((c) => c.id === 'info') ? 'info' : leaf[leaf.length - 1]?.id;
  const template = leaf.map((c) => (c.id === stretch ? `minmax(${c.getSize()}px, 1fr)` : `${c.getSize()}px`)).join(' ');
  const minWidth = leaf.reduce((a, c) => a + c.getSize(), 0);

  const { selIdx, selectIndex } = useListScroll({
    scrollRef, analysisId, selected, view, vkey, total, settle, rowAt, scrollToIndex: virt.scrollToIndex,
  });
  const keys = useListKeys({ scrollRef, rowH: ROW_H, headerH: HEADER_H, total, selIdx, selectIndex, selected, rendered: data });

  const rowsByIdx = table.getRowModel().rows;

  /** The row menu for row `r` at (x, y), about `column` (the cell under the pointer). */
  const rowMenu = (r: GridRow, column: string, x: number, y: number): void => {
    const title = String(leaf.find((c) => c.id === column)?.columnDef.header ?? column);
    const shown = leaf.map((c) => cellText(c.id, r, time));
    const text = cellText(column, r, time);
    analyzer().frameFacts(r.n).then((f) => f, (e: unknown) => {
      console.error('frameFacts failed', e);
      return null;
    }).then((facts) => openMenu({ kind: 'row', x, y, row: r, column, title, text, cells: shown, facts }));
  };
  const onRowContext = (e: MouseEvent<HTMLDivElement>, idx: number, r: GridRow): void => {
    e.preventDefault();
    if (r.n === 0) return;
    if (r.n !== selected) selectIndex(idx);
    const column = (e.target as HTMLElement).closest<HTMLElement>('[data-col]')?.dataset.col ?? 'info';
    rowMenu(r, column, e.clientX, e.clientY);
  };
  // Shift+F10 or the menu key: the selected row's menu, about its Source column (the first, if hidden).
  const onGridKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      const r = data.find((x) => x.n !== 0 && x.n === selected);
      const el = r ? scrollRef.current?.querySelector<HTMLElement>(`#pkt-${r.n}`) : null;
      if (r && el) {
        e.preventDefault();
        const box = el.getBoundingClientRect();
        const column = leaf.some((c) => c.id === 'src') ? 'src' : leaf[0].id;
        rowMenu(r, column, box.left + 40, box.bottom);
      }
      return;
    }
    keys.onKeyDown(e);
  };
  const onHeaderContext = (e: MouseEvent<HTMLDivElement>, column: string): void => {
    e.preventDefault();
    openMenu({ kind: 'column', x: e.clientX, y: e.clientY, column });
  };

  const tools = (
    <>
      <span className="legend" aria-label="Row colours">
        {enabledRules.slice(0, 4).map((r) => (
          <span key={`${r.name}|${r.filter}`} className="lg lg-rule" style={{ background: r.bg, color: r.fg }} title={ruleTitle(r)}>{r.name || r.filter}</span>
        ))}
        {enabledRules.length > 4 && <span className="lg" title={enabledRules.slice(4).map((r) => r.name).join(', ')}>+{enabledRules.length - 4}</span>}
        {legendNotesNoChecksum(enabledRules) && <span className="lg lg-none" title={NO_CHECKSUM_NOTE}>udp no checksum: allowed</span>}
        <button type="button" className="tool" onClick={() => filterUi.set({ rulesOpen: true })} title="Edit the colouring rules">Colours…</button>
      </span>
      {view.tenant !== null && (
        <button type="button" className="chip" onClick={() => selectTenant(null)} title="Show all tenants">
          Tenant: {tenantLabel(view.tenant)} <span aria-hidden="true">✕</span>
        </button>
      )}
      <label className="check">
        <input type="checkbox" checked={outer} onChange={(e) => { setColumnShown('outerSrc', e.target.checked); setColumnShown('outerDst', e.target.checked); }} />
        Outer addresses
      </label>
    </>
  );

  return (
    <Pane title="Packet list" className="packet-list" tools={tools}>
      <div
        ref={scrollRef}
        className="grid-scroll"
        role="grid"
        aria-label="Packets"
        aria-rowcount={total + 1}
        aria-colcount={leaf.length}
        aria-activedescendant={keys.activeDescendant}
        tabIndex={0}
        onKeyDown={onGridKey}
      >
        <div className="grid-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template, minWidth }}>
          {table.getHeaderGroups()[0].headers.map((h) => {
            const sorted = h.column.getIsSorted();
            const canSort = h.column.getCanSort();
            return (
              <div
                key={h.id}
                role="columnheader"
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                className={`gh${NUMERIC.has(h.column.id) ? ' num' : ''}`}
                data-col={h.column.id}
                onContextMenu={(e) => onHeaderContext(e, h.column.id)}
                onKeyDown={(e) => {
                  if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
                    e.preventDefault();
                    const box = e.currentTarget.getBoundingClientRect();
                    openMenu({ kind: 'column', x: box.left + 8, y: box.bottom, column: h.column.id });
                  }
                }}
              >
                {canSort ? (
                  <button type="button" className="gh-btn" onClick={h.column.getToggleSortingHandler()} title={`Sort by ${String(h.column.columnDef.header)}`}>
                    <table.FlexRender header={h} />
                    <span className="sort-ind" aria-hidden="true">{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}</span>
                  </button>
                ) : (
                  <span className="gh-btn"><table.FlexRender header={h} /></span>
                )}
                <div
                  className={`resizer${h.column.getIsResizing() ? ' on' : ''}`}
                  onMouseDown={h.getResizeHandler()}
                  onDoubleClick={() => h.column.resetSize()}
                  aria-hidden="true"
                />
              </div>
            );
          })}
        </div>
        <div className="grid-body" style={{ height: virt.bodyH, minWidth }}>
          {items.map((it, i) => {
            const row = rowsByIdx[i];
            if (!row) return null;
            const r = row.original;
            const isSel = r.n !== 0 && r.n === selected;
            const isRelated = !isSel && r.n !== 0 && related.has(r.n);
            const isMarked = r.n !== 0 && marks.has(r.n);
            const outerTitle = r.outerSrc ? `Outer: ${r.outerSrc} → ${r.outerDst}` : undefined;
            const rule = r.rule !== undefined && r.rule !== null ? enabledRules[r.rule] : undefined;
            const paint = {
              // A marked row is black (as in Wireshark), whatever colouring rule matches it.
              ...(rule && !isSel && !isMarked ? { backgroundColor: rule.bg, color: rule.fg } : {}),
              // Each tenant a stable colour stripe at the left edge.
              ...(r.tenantKey ? { backgroundImage: `linear-gradient(to right, ${tenantColour(r.tenantKey)} 0 4px, transparent 4px)` } : {}),
            };
            return (
              <div
                key={it.index}
                id={r.n ? `pkt-${r.n}` : undefined}
                role="row"
                aria-rowindex={it.index + 2}
                aria-selected={isSel}
                data-frame={r.n || undefined}
                className={`gr${r.severity ? ` sev-${r.severity}` : ''}${rule && !isMarked ? ' ruled' : ''}${isSel ? ' sel' : ''}${isMarked ? ' marked' : ''}${isRelated ? ' related' : ''}${r.n === 0 ? ' loading' : ''}`}
                data-rule={rule ? rule.name : undefined}
                data-marked={isMarked || undefined}
                data-tenant-colour={r.tenantKey ? tenantColour(r.tenantKey) : undefined}
                style={{ transform: `translateY(${it.top}px)`, gridTemplateColumns: template, ...paint }}
                onMouseDown={(e) => { if (e.button === 0) selectIndex(it.index); }}
                onContextMenu={(e) => onRowContext(e, it.index, r)}
              >
                {row.getVisibleCells().map((c) => (
                  <div
                    key={c.id}
                    role="gridcell"
                    data-col={c.column.id}
                    className={`gc c-${c.column.id.replace(/[^a-z0-9-]/gi, '_')}${NUMERIC.has(c.column.id) ? ' num' : ''}`}
                    title={c.column.id === 'src' || c.column.id === 'dst' ? outerTitle : c.column.id === 'no' ? (isRelated ? `Related to the selected frame ${selected} (its details refer to this frame)` : isMarked ? 'Marked (Ctrl+M)' : undefined) : String(c.getValue() ?? '') || undefined}
                  >
                    <table.FlexRender cell={c} />
                  </div>
                ))}
              </div>
            );
          })}
        </div>
        {total === 0 && <div className="grid-empty">{hasCapture ? 'No frames in this view.' : 'No capture open. Drop a pcap or pcapng file anywhere, or use Open…'}</div>}
      </div>
    </Pane>
  );
}
