// Every open capture merged by time ("All, by time"): one row per frame of every capture, in time order with
// each capture's clock offset taken out once the captures have been compared, a Capture column, and each
// frame's own number in its capture. Selecting a row shows that capture's frame in the details and panes
// (the list stays merged). Rows are fetched by page as they scroll into view.
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { MergedRow } from '../../workers/paths-api.ts';
import { analyzer } from '../analyzer.ts';
import { num } from '../format.ts';
import { useApp } from '../state/app-state.ts';
import { showMerged, switchCapture, useGroup } from '../state/captures.ts';
import { usePaths } from '../state/paths.ts';
import { useSettle } from '../state/settle.ts';
import { Pane } from './Pane.tsx';
import '../paths/paths.css';

const ROW_H = 20;
const PAGE = 100;
const COLUMNS: Array<{ id: string; title: string; width: string; cell: (r: MergedRow, names: string[]) => string; num?: boolean }> = [
  { id: 'capture', title: 'Capture', width: '150px', cell: (r, names) => names[r.capture] ?? '' },
  { id: 'no', title: 'No.', width: '56px', cell: (r) => String(r.n), num: true },
  { id: 'time', title: 'Time', width: '96px', cell: (r) => (r.mergedTime === null ? '' : r.mergedTime.toFixed(6)), num: true },
  { id: 'src', title: 'Source', width: '120px', cell: (r) => r.src },
  { id: 'dst', title: 'Destination', width: '120px', cell: (r) => r.dst },
  { id: 'protocol', title: 'Protocol', width: '70px', cell: (r) => r.protocol },
  { id: 'length', title: 'Length', width: '56px', cell: (r) => String(r.length), num: true },
  { id: 'tenant', title: 'Tenant', width: '170px', cell: (r) => r.tenant },
  { id: 'checks', title: 'Checksums', width: '130px', cell: (r) => r.checks },
  { id: 'info', title: 'Info', width: 'minmax(200px, 1fr)', cell: (r) => r.info },
];
const TEMPLATE = COLUMNS.map((c) => c.width).join(' ');

export function MergedList() {
  const list = useGroup((s) => s.list);
  const shown = useGroup((s) => s.shown);
  const selected = useApp((s) => s.selected);
  const offsets = usePaths((s) => s.report?.offsets ?? null);
  const names = useMemo(() => list.map((e) => e.name), [list]);
  const shifts = useMemo(() => list.map((_, c) => offsets?.[c]?.seconds ?? 0), [list, offsets]);
  const key = `${list.length}|${shifts.join(',')}`;
  const settle = useSettle();
  const scroller = useRef<HTMLDivElement>(null);
  const [total, setTotal] = useState(0);
  const [pages, setPages] = useState<Map<number, MergedRow[]>>(new Map());
  const [range, setRange] = useState({ first: 0, last: 40 });
  const asked = useRef(new Set<number>());

  // Another set of captures or offsets: start over.
  useEffect(() => {
    asked.current = new Set();
    setPages(new Map());
    setTotal(0);
  }, [key]);

  useEffect(() => {
    const need: number[] = [];
    for (let p = Math.floor(range.first / PAGE); p <= Math.floor(range.last / PAGE); p++) if (!asked.current.has(p)) need.push(p);
    if (total > 0) need.splice(0, need.length, ...need.filter((p) => p * PAGE < total));
    else if (asked.current.size > 0) return;
    let live = true;
    const waiting = new Set(need);
    for (const p of need) {
      asked.current.add(p);
      settle.ask(() => analyzer().mergedRows(p * PAGE, PAGE, shifts)).then((r) => {
        if (!live) return settle.drop();
        waiting.delete(p);
        setTotal(r.total);
        setPages((m) => new Map(m).set(p, r.rows));
        settle.applied();
      }, () => asked.current.delete(p));
    }
    return () => {
      live = false;
      // Answers still on their way are dropped: their pages must be asked again by the next run (a new
      // `shifts` array with the same values keeps the key, and so the pages already asked).
      for (const p of waiting) asked.current.delete(p);
    };
  }, [range, total, key, shifts, settle]);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const first = Math.max(0, Math.floor(el.scrollTop / ROW_H) - 5);
    const last = Math.ceil((el.scrollTop + el.clientHeight) / ROW_H) + 5;
    setRange((r) => (r.first === first && r.last === last ? r : { first, last }));
  }, []);
  useEffect(onScroll, [onScroll]);

  const rowAt = (p: number): MergedRow | undefined => pages.get(Math.floor(p / PAGE))?.[p % PAGE];
  const selectedPos = useMemo(() => {
    for (const [p, rows] of pages) {
      const k = rows.findIndex((r) => r.capture === shown && r.n === selected);
      if (k >= 0) return p * PAGE + k;
    }
    return -1;
  }, [pages, shown, selected]);

  const go = (p: number): void => {
    const r = rowAt(p);
    if (r === undefined) return;
    switchCapture(r.capture, r.n);
    const el = scroller.current;
    if (!el) return;
    const top = p * ROW_H, bottom = top + ROW_H + 22;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (bottom > el.scrollTop + el.clientHeight) el.scrollTop = bottom - el.clientHeight;
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const next = selectedPos < 0 ? range.first : selectedPos + (e.key === 'ArrowDown' ? 1 : -1);
    if (next >= 0 && next < total) go(next);
  };

  const rows: Array<{ p: number; r: MergedRow | undefined }> = [];
  for (let p = range.first; p <= Math.min(range.last, total - 1); p++) rows.push({ p, r: rowAt(p) });
  const tools = <button type="button" className="tool" onClick={() => showMerged(false)} title="Show the list of one capture">One capture</button>;
  return (
    <Pane title="Packet list" className="packet-list merged-list" meta={`${num(total)} frames of ${list.length} captures by time${offsets ? ', clock offsets taken out' : ''}`} tools={tools}>
      <div ref={scroller} className="grid-scroll" role="grid" aria-label="Packets of all captures" aria-rowcount={total + 1} tabIndex={0} onScroll={onScroll} onKeyDown={onKey}>
        <div className="grid-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: TEMPLATE }}>
          {COLUMNS.map((c) => <div key={c.id} role="columnheader" className={`gh${c.num ? ' num' : ''}`}><span className="gh-btn">{c.title}</span></div>)}
        </div>
        <div className="grid-body" style={{ height: total * ROW_H }}>
          {rows.map(({ p, r }) => (
            <div
              key={p}
              role="row"
              aria-rowindex={p + 2}
              aria-selected={p === selectedPos}
              data-capture={r ? names[r.capture] : undefined}
              data-frame={r?.n}
              className={`gr mg-row${r?.severity ? ` sev-${r.severity}` : ''}${p === selectedPos ? ' sel' : ''}${r ? '' : ' loading'}`}
              style={{ transform: `translateY(${p * ROW_H}px)`, gridTemplateColumns: TEMPLATE }}
              onClick={() => go(p)}
            >
              {COLUMNS.map((c) => <div key={c.id} role="gridcell" className={`gc c-${c.id}${c.num ? ' num' : ''}`}>{r ? c.cell(r, names) : ''}</div>)}
            </div>
          ))}
        </div>
      </div>
    </Pane>
  );
}
