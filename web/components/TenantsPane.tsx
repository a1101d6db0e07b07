// Tenants: one row per (encap, VSID/VNI). Selecting one (click, or Enter on the focused row: the table is
// one Tab stop, arrows move between rows) narrows the packet list to it and shows its flows.
import { analyzer } from '../analyzer.ts';
import { bytes, clockTime, encapLabel, num, retransmittedText, tenantIdText, tenantLabel } from '../format.ts';
import { selectTenant } from '../state/actions.ts';
import { useApp } from '../state/app-state.ts';
import { useWorkerQuery } from '../state/useWorkerQuery.ts';
import { FlowsTable } from './FlowsTable.tsx';
import { Pane } from './Pane.tsx';
import { useRovingRows } from './roving.ts';

export function TenantsPane() {
  const analysisId = useApp((s) => s.analysisId);
  const current = useApp((s) => s.view.tenant);
  // With pktmon copies folded (the Paths pane), each packet counts once.
  const fold = useApp((s) => s.view.fold === true);
  const tenants = useWorkerQuery(() => analyzer().tenants(fold), `${analysisId}|${fold}`, { enabled: analysisId > 0, live: 'data' });
  const list = tenants ?? [];

  const rowProps = useRovingRows(list.map((t) => t.key), current);

  const tools = current !== null ? <button type="button" className="tool" onClick={() => selectTenant(null)}>Show all</button> : null;

  return (
    <Pane title="Tenants" className="tenants" meta={`${list.length}`} tools={tools}>
      {list.length === 0 ? (
        <p className="pane-msg">No tunnelled traffic (NVGRE, VXLAN, Geneve, GRE) in this capture.</p>
      ) : (
        <div className="tbl-scroll">
          <table className="tbl" aria-label="Tenant list">
            <thead>
              <tr>
                <th scope="col">Encap</th>
                <th scope="col" className="num">VSID/VNI</th>
                <th scope="col" className="num" title={fold ? 'Packets: pktmon copies folded, each packet once' : undefined}>{fold ? 'Packets' : 'Frames'}</th>
                <th scope="col" className="num">Bytes</th>
                <th scope="col" className="num">Flows</th>
                <th scope="col" className="num">Bad</th>
                <th scope="col" className="num">Partial</th>
                <th scope="col" className="num" title="TCP segments with a bad checksum that were retransmitted, of all of them (hover a count for the median delay)">Retx</th>
                <th scope="col">First seen</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {list.map((t) => {
                const sel = t.key === current;
                const retx = retransmittedText(t.retransmitted);
                return (
                  <tr
                    key={t.key}
                    aria-current={sel ? 'true' : undefined}
                    data-tenant={t.key}
                    aria-label={tenantLabel(t.key)}
                    className={`clickable${sel ? ' sel' : ''}`}
                    onClick={() => selectTenant(sel ? null : t.key)}
                    {...rowProps(t.key, () => selectTenant(sel ? null : t.key))}
                  >
                    <td className="strong" title={tenantLabel(t.key)}>{encapLabel(t.encap)}</td>
                    <td className="num mono">{t.vnid === null ? '—' : tenantIdText(t.vnid)}</td>
                    <td className="num">{num(t.frames)}</td>
                    <td className="num" title={`${num(t.bytes)} bytes`}>{bytes(t.bytes)}</td>
                    <td className="num">{num(t.flows)}</td>
                    <td className={`num${t.bad > 0 ? ' t-bad' : ''}`}>{num(t.bad)}</td>
                    <td className={`num${t.partial > 0 ? ' t-partial' : ''}`}>{num(t.partial)}</td>
                    <td className="num" data-col="retx" title={retx.title}>{retx.text}</td>
                    <td className="mono" title={t.firstTime ?? ''}>{clockTime(t.firstTime)}</td>
                    <td className="mono" title={t.lastTime ?? ''}>{clockTime(t.lastTime)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {current !== null && <FlowsTable tenant={current} />}
    </Pane>
  );
}
