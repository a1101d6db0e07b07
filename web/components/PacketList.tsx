// The packet list: a virtualized, sortable grid. Only the visible window of rows is fetched from the
// worker (rows(start, count, view)); sorting and narrowing run there. The list's page cache, row count,
// scrolling and keyboard are hooks of their own in web/packet-list/; this renders the grid.
import { useTable, type ColumnSizingState, type SortingState, type Updater } from '@tanstack/react-table';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ColumnId } from '../../workers/api.ts';
import { tenantLabel } from '../format.ts';
import { selectTenant, setColumn, setSort } from '../state/actions.ts';
import { useApp, viewKey } from '../state/app-state.ts';
import { NO_RELATED, relatedStore } from '../state/related.ts';
import { useSettle } from '../state/settle.ts';
import { useStore } from '../state/store.ts';
import { Pane } from './Pane.tsx';
import { legendNotesNoChecksum, NO_CHECKSUM_NOTE, ruleTitle, tenantColour } from '../filter/rules.ts';
import { filterUi, useFilterUi } from '../filter/state.ts';
import { columns, features, NUMERIC, placeholder, SORTABLE, type GridRow } from './packet-columns.ts';
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
  const outer = useApp((s) => s.columns.outerSrc);
  const hasCapture = useApp((s) => s.capture !== null);
  const analysisId = useApp((s) => s.analysisId);

  const scrollRef = useRef<HTMLDivElement>(null);
  const [columnSizing, setColumnSizing] = useState<ColumnSizingState>({});

  const settle = useSettle();
  const { total, setTotal, refresh: refreshTotal } = useRowCount(view, vkey, settle);
  const virt = useRowWindow(scrollRef, total, ROW_H, HEADER_H, 16);
  const items = virt.items;
  const first = items.length ? items[0].index : 0;
  const last = items.length ? items[items.length - 1].index : 0;
  const { rowAt, tick } = usePageCache({ view, vkey, rulesVersion, first, last, settle, setTotal, onGrowth: refreshTotal });

  const data = useMemo<GridRow[]>(() => items.map((it) => {
    const r = rowAt(it.index);
    return r ? { ...r, idx: it.index } : placeholder(it.index);
  }), [first, last, tick, vkey, rowAt]);

  const sorting = useMemo<SortingState>(() => (view.sort ? [{ id: view.sort.column, desc: view.sort.desc }] : []), [view.sort]);
  const columnVisibility = useMemo(() => ({ outerSrc: outer, outerDst: outer }), [outer]);
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
    onColumnSizingChange: setColumnSizing,
  });

  const leaf = table.getVisibleLeafColumns();
  const template = leaf.map((c) => (c.id === 'info' ? `minmax(${c.getSize()}px, 1fr)` : `${c.getSize()}px`)).join(' ');
  const minWidth = leaf.reduce((a, c) => a + c.getSize(), 0);

  const { selIdx, selectIndex } = useListScroll({
    scrollRef, analysisId, selected, view, vkey, total, settle, rowAt, scrollToIndex: virt.scrollToIndex,
  });
  const keys = useListKeys({ scrollRef, rowH: ROW_H, headerH: HEADER_H, total, selIdx, selectIndex, selected, rendered: data });

  const rowsByIdx = table.getRowModel().rows;

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
        <input type="checkbox" checked={outer} onChange={(e) => { setColumn('outerSrc', e.target.checked); setColumn('outerDst', e.target.checked); }} />
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
        onKeyDown={keys.onKeyDown}
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
            const outerTitle = r.outerSrc ? `Outer: ${r.outerSrc} → ${r.outerDst}` : undefined;
            const rule = r.rule !== undefined && r.rule !== null ? enabledRules[r.rule] : undefined;
            const paint = {
              ...(rule && !isSel ? { backgroundColor: rule.bg, color: rule.fg } : {}),
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
                className={`gr${r.severity ? ` sev-${r.severity}` : ''}${rule ? ' ruled' : ''}${isSel ? ' sel' : ''}${isRelated ? ' related' : ''}${r.n === 0 ? ' loading' : ''}`}
                data-rule={rule ? rule.name : undefined}
                data-tenant-colour={r.tenantKey ? tenantColour(r.tenantKey) : undefined}
                style={{ transform: `translateY(${it.top}px)`, gridTemplateColumns: template, ...paint }}
                onMouseDown={() => selectIndex(it.index)}
              >
                {row.getVisibleCells().map((c) => (
                  <div
                    key={c.id}
                    role="gridcell"
                    className={`gc c-${c.column.id}${NUMERIC.has(c.column.id) ? ' num' : ''}`}
                    title={c.column.id === 'src' || c.column.id === 'dst' ? outerTitle : c.column.id === 'info' || c.column.id === 'checks' ? String(c.getValue() ?? '') : c.column.id === 'no' && isRelated ? `Related to the selected frame ${selected} (its details refer to this frame)` : undefined}
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
