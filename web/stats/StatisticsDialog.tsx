// Statistics ▸ Conversations / Endpoints / Protocol Hierarchy and Analyze ▸ Expert Information, in one modal
// each. Conversations and Endpoints have Wireshark's tabs (Ethernet, IPv4, IPv6, TCP, UDP) and columns plus a
// Tenant column and the Outer/Inner choice, sorted by any column (SortedTable.tsx); a conversation row applies its (tenant-aware) filter on
// double-click or Enter. Expert groups expand to their frames (a click on a frame selects it) and apply their
// filter (double-click, Apply as Filter; Prepare puts it in the filter bar).
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ConversationRow, ConversationTable, ConvKind, ConvLayer, EndpointRow, ExpertInfo, HierarchyNode } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { applyFilter, prepareFilter } from '../filter/state.ts';
import { bytes as fmtBytes, num } from '../format.ts';
import { conversationFilter, tenantFilter } from '../packet-list/row-filters.ts';
import { selectFrame } from '../state/actions.ts';
import { useApp } from '../state/app-state.ts';
import { CONVERSATION_COLUMNS, ENDPOINT_COLUMNS, SortedTable } from './SortedTable.tsx';
import type { SortState } from './sort.ts';
import { openStats, useStatsUi } from './state.ts';
import './stats.css';

const TABS: Array<[ConvKind, string]> = [['eth', 'Ethernet'], ['ipv4', 'IPv4'], ['ipv6', 'IPv6'], ['tcp', 'TCP'], ['udp', 'UDP']];
const TITLES = { conversations: 'Conversations', endpoints: 'Endpoints', hierarchy: 'Protocol Hierarchy', expert: 'Expert Information' } as const;

/** The filter selecting a conversation: the inner one as the row menu builds it, the outer on the first headers. */
export function statsFilter(kind: ConvKind, layer: ConvLayer, r: Pick<ConversationRow, 'tenant' | 'a' | 'aPort' | 'b' | 'bPort'>): string {
  const proto = kind === 'eth' ? 'eth' : kind === 'tcp' || kind === 'udp' ? kind : kind;
  if (layer === 'inner' || r.tenant === null) return conversationFilter({ tenant: r.tenant, proto, a: r.a, aPort: r.aPort, b: r.b, bPort: r.bPort });
  const fam = kind === 'eth' ? 'eth' : r.a.includes(':') ? 'ipv6' : 'ip';
  const parts = [tenantFilter(r.tenant)];
  for (const a of new Set([r.a, r.b])) parts.push(`${fam}.addr#1 == ${a}`);
  if (kind === 'udp') for (const p of new Set([r.aPort, r.bPort])) if (p !== null) parts.push(`udp.port#1 == ${p}`);
  return parts.join(' && ');
}

export function StatisticsDialog() {
  const open = useStatsUi((s) => s.open);
  const capture = useApp((s) => s.capture);
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open !== null && open !== 'properties') requestAnimationFrame(() => dialog.current?.focus());
  }, [open]);
  if (open === null || open === 'properties' || capture === null) return null;
  const close = (): void => openStats(null);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) close(); }}>
      <div
        ref={dialog}
        tabIndex={-1}
        className="modal stats-dialog"
        role="dialog"
        aria-modal="true"
        aria-label={TITLES[open]}
        data-stats={open}
        onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } }}
      >
        <header className="modal-head">
          <h2>{TITLES[open]} · {capture.name}</h2>
        </header>
        {open === 'conversations' || open === 'endpoints' ? <Tables which={open} captureKey={capture} /> : open === 'hierarchy' ? <Hierarchy captureKey={capture} /> : <Expert captureKey={capture} />}
        <footer className="modal-foot">
          <span className="tb-spacer" />
          <button type="button" className="btn" onClick={close}>Close</button>
        </footer>
      </div>
    </div>
  );
}

/** Runs `load` when `deps` change; the last answer wins. */
function useAnswer<T>(load: () => Promise<T>, deps: unknown[]): { value: T | null; error: string | null } {
  const [state, setState] = useState<{ value: T | null; error: string | null }>({ value: null, error: null });
  useEffect(() => {
    let live = true;
    setState({ value: null, error: null });
    load().then((value) => { if (live) setState({ value, error: null }); }, (e: unknown) => { if (live) setState({ value: null, error: String((e as Error).message ?? e) }); });
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}

function Body({ error, loading, children }: { error: string | null; loading: boolean; children: ReactNode }) {
  if (error !== null) return <div className="stats-body"><p className="stats-empty" role="alert">{error}</p></div>;
  if (loading) return <div className="stats-body"><p className="stats-empty">Counting…</p></div>;
  return <div className="stats-body">{children}</div>;
}

function Tables({ which, captureKey }: { which: 'conversations' | 'endpoints'; captureKey: unknown }) {
  const [kind, setKind] = useState<ConvKind>('ipv4');
  const [layer, setLayer] = useState<ConvLayer>('inner');
  const [sel, setSel] = useState(-1);
  // Kept across tabs and layers, as Wireshark keeps a column's sort.
  const [sort, setSort] = useState<SortState | null>(null);
  const { value, error } = useAnswer<ConversationTable>(() => analyzer().conversations(kind, layer), [kind, layer, captureKey]);
  const apply = (r: ConversationRow): void => {
    applyFilter(statsFilter(kind, layer, r));
    openStats(null);
  };
  const rows = value === null ? [] : which === 'conversations' ? value.conversations : value.endpoints;
  return (
    <>
      <div className="stats-tabs" role="tablist" aria-label="Protocol">
        {TABS.map(([k, label]) => (
          <button key={k} type="button" role="tab" aria-selected={k === kind} onClick={() => { setKind(k); setSel(-1); }}>
            {label}{value !== null && value.kind === k ? ` · ${rows.length}` : ''}
          </button>
        ))}
        <span className="stats-layer" role="radiogroup" aria-label="Headers">
          {(['outer', 'inner'] as const).map((l) => (
            <label key={l}><input type="radio" name="stats-layer" checked={layer === l} onChange={() => { setLayer(l); setSel(-1); }} /> {l === 'outer' ? 'Outer (underlay)' : 'Inner (tenant)'}</label>
          ))}
        </span>
      </div>
      <Body error={error} loading={value === null}>
        {rows.length === 0 ? <p className="stats-empty">No {TABS.find((t) => t[0] === kind)?.[1] ?? kind} {which} in this capture ({layer} headers).</p>
          : which === 'conversations' ? (
            <SortedTable
              label={`${kind} conversations`}
              kind={kind}
              rows={rows as ConversationRow[]}
              columns={CONVERSATION_COLUMNS}
              sort={sort}
              onSort={(s) => { setSort(s); setSel(-1); }}
              rowProps={(r, i) => ({
                'aria-selected': i === sel,
                tabIndex: 0,
                title: `Double-click or Enter: apply ${statsFilter(kind, layer, r)}`,
                onClick: () => setSel(i),
                onDoubleClick: () => apply(r),
                onKeyDown: (e) => { if (e.key === 'Enter') apply(r); },
              })}
            />
          ) : (
            <SortedTable label={`${kind} endpoints`} kind={kind} rows={rows as EndpointRow[]} columns={ENDPOINT_COLUMNS} sort={sort} onSort={setSort} />
          )}
      </Body>
    </>
  );
}

function Hierarchy({ captureKey }: { captureKey: unknown }) {
  const { value, error } = useAnswer(() => analyzer().protocolHierarchy(), [captureKey]);
  const rows: Array<[HierarchyNode, number]> = [];
  const walk = (list: HierarchyNode[], depth: number): void => {
    for (const n of list) { rows.push([n, depth]); walk(n.children, depth + 1); }
  };
  if (value !== null) walk(value.hierarchy, 0);
  const pct = (x: number, of: number): string => (of > 0 ? `${((100 * x) / of).toFixed(1)}%` : '');
  return (
    <Body error={error} loading={value === null}>
      <table className="stats-table" aria-label="Protocol hierarchy">
        <thead><tr><th>Protocol</th><th className="n">Percent Packets</th><th className="n">Packets</th><th className="n">Percent Bytes</th><th className="n">Bytes</th><th className="n">End Packets</th><th className="n">End Bytes</th></tr></thead>
        <tbody>
          {rows.map(([n, d], i) => (
            <tr key={i}>
              <td style={{ paddingLeft: 6 + d * 16 }}>{n.name}</td>
              <td className="n"><span className="stats-bar" style={{ width: Math.round((40 * n.packets) / Math.max(1, value?.packets ?? 1)) }} />{pct(n.packets, value?.packets ?? 0)}</td>
              <td className="n">{num(n.packets)}</td><td className="n">{pct(n.bytes, value?.bytes ?? 0)}</td><td className="n">{fmtBytes(n.bytes)}</td>
              <td className="n">{num(n.endPackets)}</td><td className="n">{fmtBytes(n.endBytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Body>
  );
}

function applyAsFilter(filter: string): void {
  applyFilter(filter);
  openStats(null);
}

function Expert({ captureKey }: { captureKey: unknown }) {
  const { value, error } = useAnswer<ExpertInfo>(() => analyzer().expertInfo(), [captureKey]);
  const [openG, setOpenG] = useState<Set<number>>(new Set());
  const toggle = (i: number): void => setOpenG((s) => { const x = new Set(s); if (x.has(i)) x.delete(i); else x.add(i); return x; });
  return (
    <Body error={error} loading={value === null}>
      {value !== null && value.groups.length === 0 ? <p className="stats-empty">Nothing to report: no frame has an expert note.</p> : (
        <table className="stats-table" aria-label="Expert information">
          <thead><tr><th>Severity</th><th>Summary</th><th>Group</th><th>Protocol</th><th className="n">Count</th><th /></tr></thead>
          <tbody>
            {value?.groups.map((g, i) => [
              <tr
                key={`g${i}`}
                className="expert-group"
                aria-expanded={openG.has(i)}
                tabIndex={0}
                title={`Double-click: apply ${g.filter}`}
                onClick={() => toggle(i)}
                onDoubleClick={() => applyAsFilter(g.filter)}
                onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(i); } }}
              >
                <td><span className={`stats-sev ${g.severity}`}>{openG.has(i) ? '▾' : '▸'} {g.severity[0].toUpperCase() + g.severity.slice(1)}</span></td>
                <td>{g.summary}</td><td>{g.group}</td><td>{g.protocol}</td><td className="n">{num(g.count)}</td>
                <td className="expert-actions">
                  <button type="button" className="tool" title={`Apply ${g.filter}`} onClick={(e) => { e.stopPropagation(); applyAsFilter(g.filter); }} onDoubleClick={(e) => e.stopPropagation()}>Apply as Filter</button>
                  <button type="button" className="tool" title={`Prepare ${g.filter} in the filter bar`} onClick={(e) => { e.stopPropagation(); prepareFilter(g.filter); openStats(null); }} onDoubleClick={(e) => e.stopPropagation()}>Prepare</button>
                </td>
              </tr>,
              openG.has(i) ? (
                <tr key={`f${i}`}><td /><td colSpan={5} className="stats-frames">
                  {g.frames.map((n) => <a key={n} role="button" tabIndex={0} onClick={() => selectFrame(n)} onKeyDown={(e) => { if (e.key === 'Enter') selectFrame(n); }}>{n}</a>)}
                  {g.count > g.frames.length ? `… and ${num(g.count - g.frames.length)} more` : ''}
                </td></tr>
              ) : null,
            ])}
          </tbody>
        </table>
      )}
    </Body>
  );
}
