// Flows of one tenant: inner 5-tuple (both directions together), frames, bytes, bad. A click, or Enter on
// the focused row (the table is one Tab stop, arrows move between rows), jumps to the flow's first frame;
// its Filter button, or F on the focused row, applies the flow's conversation filter (tenant + 5-tuple).
import type { FlowStats } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { applyFilter } from '../filter/state.ts';
import { conversationFilter, flowConversation } from '../packet-list/row-filters.ts';
import { bytes, num, tenantLabel } from '../format.ts';
import { selectFrame } from '../state/actions.ts';
import { useApp } from '../state/app-state.ts';
import { useWorkerQuery } from '../state/useWorkerQuery.ts';
import { useRovingRows } from './roving.ts';

function endpoint(addr: string, port: number | null): string {
  if (port === null) return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

export function FlowsTable({ tenant }: { tenant: string }) {
  const analysisId = useApp((s) => s.analysisId);
  const flows = useWorkerQuery(() => analyzer().flows(tenant), `${analysisId}:${tenant}`, { live: 'data' });
  const list = flows ?? [];
  const keys = list.map((f) => `${f.proto}|${f.a}|${f.aPort ?? ''}|${f.b}|${f.bPort ?? ''}|${f.firstFrame}`);
  const rowProps = useRovingRows(keys, null);
  const filterTo = (f: FlowStats): void => applyFilter(conversationFilter(flowConversation(f)));
  return (
    <div className="flows" role="region" aria-label={`Flows of ${tenantLabel(tenant)}`}>
      <h3 className="sub-title">
        Flows of {tenantLabel(tenant)} <span className="pane-meta">{list.length}</span>
      </h3>
      {list.length === 0 ? (
        <p className="pane-msg">No flows.</p>
      ) : (
        <div className="tbl-scroll">
          <table className="tbl">
            <thead>
              <tr>
                <th scope="col">Proto</th>
                <th scope="col">Endpoint A</th>
                <th scope="col">Endpoint B</th>
                <th scope="col" className="num">Frames</th>
                <th scope="col" className="num">Bytes</th>
                <th scope="col" className="num">Bad</th>
                <th scope="col" className="num">Partial</th>
                <th scope="col"><span className="visually-hidden">Filter</span></th>
              </tr>
            </thead>
            <tbody>
              {list.map((f, i) => {
                const props = rowProps(keys[i], () => selectFrame(f.firstFrame));
                return (
                <tr
                  key={keys[i]}
                  className="clickable"
                  data-first-frame={f.firstFrame}
                  title={`Frames ${f.firstFrame}–${f.lastFrame}; click or Enter to go to frame ${f.firstFrame}, F to filter to this flow`}
                  onClick={() => selectFrame(f.firstFrame)}
                  {...props}
                  onKeyDown={(e) => {
                    if ((e.key === 'f' || e.key === 'F') && e.target === e.currentTarget && !e.ctrlKey && !e.metaKey && !e.altKey) {
                      e.preventDefault();
                      filterTo(f);
                      return;
                    }
                    props.onKeyDown(e);
                  }}
                >
                  <td>{f.proto.toUpperCase()}</td>
                  <td className="mono">{endpoint(f.a, f.aPort)}</td>
                  <td className="mono">{endpoint(f.b, f.bPort)}</td>
                  <td className="num">{num(f.frames)}</td>
                  <td className="num">{bytes(f.bytes)}</td>
                  <td className={`num${f.bad > 0 ? ' t-bad' : ''}`}>{num(f.bad)}</td>
                  <td className={`num${f.partial > 0 ? ' t-partial' : ''}`}>{num(f.partial)}</td>
                  <td>
                    <button
                      type="button"
                      className="tool flow-filter"
                      tabIndex={-1}
                      title={`Filter to this flow: ${conversationFilter(flowConversation(f))}`}
                      aria-label="Filter to this flow"
                      onClick={(e) => { e.stopPropagation(); filterTo(f); }}
                    >
                      Filter
                    </button>
                  </td>
                </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
