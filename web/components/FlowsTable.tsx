// Flows of one tenant: inner 5-tuple (both directions together), frames, bytes, bad. A click, or Enter on
// the focused row (the table is one Tab stop, arrows move between rows), jumps to the flow's first frame.
import { analyzer } from '../analyzer.ts';
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
              </tr>
            </thead>
            <tbody>
              {list.map((f, i) => (
                <tr
                  key={keys[i]}
                  className="clickable"
                  data-first-frame={f.firstFrame}
                  title={`Frames ${f.firstFrame}–${f.lastFrame}; click or Enter to go to frame ${f.firstFrame}`}
                  onClick={() => selectFrame(f.firstFrame)}
                  {...rowProps(keys[i], () => selectFrame(f.firstFrame))}
                >
                  <td>{f.proto.toUpperCase()}</td>
                  <td className="mono">{endpoint(f.a, f.aPort)}</td>
                  <td className="mono">{endpoint(f.b, f.bPort)}</td>
                  <td className="num">{num(f.frames)}</td>
                  <td className="num">{bytes(f.bytes)}</td>
                  <td className={`num${f.bad > 0 ? ' t-bad' : ''}`}>{num(f.bad)}</td>
                  <td className={`num${f.partial > 0 ? ' t-partial' : ''}`}>{num(f.partial)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
