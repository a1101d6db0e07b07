// The packet list: a virtualized, sortable grid. Only the visible window of rows is fetched from the
// worker (rows(start, count, view)); sorting and narrowing run there.
import { useTable, type ColumnSizingState, type SortingState, type Updater } from '@tanstack/react-table';
import { startTransition, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ColumnId, PacketRow } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { tenantLabel } from '../format.ts';
import { selectFrame, selectTenant, setColumn, setSort } from '../state/actions.ts';
import { appStore, useApp, viewKey } from '../state/app-state.ts';
import { NO_RELATED, relatedStore } from '../state/related.ts';
import { useSettle } from '../state/settle.ts';
import { useStore } from '../state/store.ts';
import { Pane } from './Pane.tsx';
import { legendNotesNoChecksum, NO_CHECKSUM_NOTE, ruleTitle, tenantColour } from '../filter/rules.ts';
import { filterUi, useFilterUi } from '../filter/state.ts';
import { columns, features, NUMERIC, placeholder, SORTABLE, type GridRow } from './packet-columns.ts';
import { useRowWindow } from './row-window.ts';

const ROW_H = 20;
const HEADER_H = 22;
/** Rows per request: about a screenful, so little more than the visible rows crosses the boundary. */
const PAGE = 64;

interface CachedPage {
  rows: PacketRow[];
  version: number;
  /** filterUi.rulesVersion the rows' colours were computed for. */
  rules: number;
}

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
  const cache = useRef(new Map<number, CachedPage>());
  const inflight = useRef(new Set<number>());
  const keyRef = useRef(vkey);
  const selIdx = useRef(-1);
  const [total, setTotal] = useState(0);
  const [tick, setTick] = useState(0);
  const [columnSizing, setColumnSizing] = useState<ColumnSizingState>({});

  if (keyRef.current !== vkey) {
    keyRef.current = vkey;
    cache.current = new Map();
    inflight.current = new Set();
    selIdx.current = -1;
  }

  // A newly opened capture starts at the top.
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [analysisId]);

  const settle = useSettle();
  const virt = useRowWindow(scrollRef, total, ROW_H, HEADER_H, 16);
  const items = virt.items;
  const first = items.length ? items[0].index : 0;
  const last = items.length ? items[items.length - 1].index : 0;

  const fetchPage = useCallback((p: number): void => {
    const c = cache.current.get(p);
    const unsortedFull = c && !view.sort && c.rows.length === PAGE; // file order: a full page never changes
    const version = appStore.get().dataVersion;
    const rulesNow = filterUi.get().rulesVersion;
    if (c && c.rules === rulesNow && (unsortedFull || c.version >= version)) return;
    if (inflight.current.has(p)) return;
    inflight.current.add(p);
    const key = keyRef.current;
    const pages = inflight.current;
    settle.ask(() => analyzer().rows(p * PAGE, PAGE, view)).then(
      (res) => {
        pages.delete(p);
        if (keyRef.current !== key) return settle.drop();
        cache.current.set(p, { rows: res.rows, version, rules: rulesNow });
        startTransition(() => {
          setTotal(res.total);
          setTick((t) => t + 1);
          settle.applied();
        });
      },
      (e: unknown) => {
        pages.delete(p);
        console.error('rows failed', e);
      },
    );
  }, [view, settle]);

  // Fetch the visible pages: when the window moves, when a page arrives (maybe stale by then), and as
  // the analysis grows during a load (a store listener: growth alone does not re-render the list).
  const range = useRef({ first, last });
  range.current = { first, last };
  useEffect(() => {
    const fetchVisible = (): void => {
      const p0 = Math.floor(range.current.first / PAGE);
      const p1 = Math.floor(range.current.last / PAGE);
      for (let p = p0; p <= p1; p++) fetchPage(p);
    };
    // The row count too: the visible pages may all be full and cached (file order never changes them),
    // and End, the scroll space and aria-rowcount must still follow the growing analysis.
    const refreshTotal = (): void => {
      const key = keyRef.current;
      // status() counts the view without colouring rows (rows() would run the colouring rules over every new frame).
      settle.ask(() => analyzer().status(view)).then((res) => {
        if (keyRef.current !== key) return settle.drop();
        startTransition(() => {
          setTotal(res.shown);
          settle.applied();
        });
      }, (e: unknown) => console.error('status failed', e));
    };
    fetchVisible();
    let version = appStore.get().dataVersion;
    return appStore.subscribe(() => {
      const v = appStore.get().dataVersion;
      if (v !== version) {
        version = v;
        fetchVisible();
        refreshTotal();
      }
    });
  }, [first, last, vkey, tick, fetchPage, rulesVersion, view, settle]);

  const rowAt = useCallback((idx: number): PacketRow | undefined => {
    const p = Math.floor(idx / PAGE);
    return cache.current.get(p)?.rows[idx - p * PAGE];
  }, []);

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

  // Keep the selected row's position in this view; scroll to it when it was chosen elsewhere. The
  // scroll waits until the list knows it has that many rows (a shared link selects its frame before the
  // first rows arrive, and scrolling then went nowhere); its request counts until the scroll is done.
  const [scrollTo, setScrollTo] = useState(-1);
  const scrollHeld = useRef(false);
  useEffect(() => {
    if (scrollTo < 0 || scrollTo >= total) return;
    virt.scrollToIndex(scrollTo, 'center');
    setScrollTo(-1);
    if (scrollHeld.current) {
      scrollHeld.current = false;
      settle.applied();
    }
  }, [scrollTo, total, virt.scrollToIndex, settle]);
  useEffect(() => {
    // A scroll still waiting belongs to the selection or view being replaced.
    if (scrollHeld.current) {
      scrollHeld.current = false;
      settle.drop();
      setScrollTo(-1);
    }
    if (selected === null) {
      selIdx.current = -1;
      return;
    }
    const cur = selIdx.current >= 0 ? rowAt(selIdx.current) : undefined;
    if (cur && cur.n === selected) return;
    let live = true;
    settle.ask(() => analyzer().indexOf(selected, view)).then((idx) => {
      if (!live) return settle.drop();
      // Chosen elsewhere (offload samples, flows) but outside the tenant the list is narrowed to.
      if (idx < 0 && view.tenant !== null) selectTenant(null);
      if (idx < 0) return settle.applied();
      selIdx.current = idx;
      scrollHeld.current = true;
      setScrollTo(idx);
    }, (e: unknown) => console.error('indexOf failed', e));
    return () => {
      live = false;
    };
  }, [selected, vkey]);

  const selectIndex = useCallback((idx: number): void => {
    selIdx.current = idx;
    virt.scrollToIndex(idx, 'auto');
    const r = rowAt(idx);
    if (r) {
      selectFrame(r.n);
      return;
    }
    const key = keyRef.current;
    analyzer().rows(idx, 1, view).then((res) => {
      if (keyRef.current === key && selIdx.current === idx && res.rows[0]) selectFrame(res.rows[0].n);
    }, (e: unknown) => console.error('rows failed', e));
  }, [rowAt, view, virt.scrollToIndex]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (total === 0) return;
    const el = scrollRef.current;
    const pageRows = Math.max(1, Math.floor(((el?.clientHeight ?? 400) - HEADER_H) / ROW_H) - 1);
    const cur = selIdx.current;
    let next: number;
    switch (e.key) {
      case 'ArrowDown': next = cur < 0 ? 0 : cur + 1; break;
      case 'ArrowUp': next = cur < 0 ? 0 : cur - 1; break;
      case 'PageDown': next = cur < 0 ? pageRows : cur + pageRows; break;
      case 'PageUp': next = cur - pageRows; break;
      case 'Home': next = 0; break;
      case 'End': next = total - 1; break;
      default: return;
    }
    e.preventDefault();
    selectIndex(Math.max(0, Math.min(total - 1, next)));
  };

  const rowsByIdx = table.getRowModel().rows;
  const activeRendered = selected !== null && data.some((r) => r.n === selected);

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
        aria-activedescendant={activeRendered ? `pkt-${selected}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
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
