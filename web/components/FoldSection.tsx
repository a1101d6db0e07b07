// pktmon copies folded (the Paths pane, for a capture with packet ids): a toggle that lists each packet once, at
// its last point (RowView.fold; the Shown count and "Export shown" follow), and, while folded, the capture's
// counts and tenant totals with each packet counted once. The copies of a packet are in its Path section.
import type { FoldedCounts } from '../../workers/paths-api.ts';
import { analyzer } from '../analyzer.ts';
import { num, tenantLabel, bytes as formatBytes } from '../format.ts';
import { appStore, useApp } from '../state/app-state.ts';
import { useGroup } from '../state/captures.ts';
import { useWorkerQuery } from '../state/useWorkerQuery.ts';

export function setFold(on: boolean): void {
  appStore.set((s) => ({ view: { ...s.view, fold: on } }));
}

function Counts({ c }: { c: FoldedCounts }) {
  return (
    <>
      <p className="paths-msg" data-folded-packets={c.packets}>
        {num(c.packets)} packets in {num(c.frames)} frames ({num(c.folded)} copies folded): {num(c.bad)} with a bad checksum, {num(c.partial)} partial, at their last point.
      </p>
      {c.tenants.length > 0 && (
        <table className="tbl paths-tbl" aria-label="Tenants, each packet once">
          <thead><tr><th>Tenant</th><th className="num">Packets</th><th className="num">Bytes</th><th className="num">Bad</th><th className="num">Partial</th></tr></thead>
          <tbody>
            {c.tenants.map((t) => (
              <tr key={t.key} data-tenant={t.key}>
                <td>{tenantLabel(t.key)}</td>
                <td className="num">{num(t.packets)}</td>
                <td className="num">{formatBytes(t.bytes)}</td>
                <td className={`num${t.bad ? ' t-bad' : ''}`}>{num(t.bad)}</td>
                <td className={`num${t.partial ? ' t-partial' : ''}`}>{num(t.partial)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function FoldSection({ name }: { name: string }) {
  const fold = useApp((s) => s.view.fold === true);
  const analysisId = useApp((s) => s.analysisId);
  const shown = useGroup((s) => s.shown);
  const counts = useWorkerQuery(() => analyzer().foldedCounts(shown), `${analysisId}:${shown}`, { enabled: fold && shown >= 0, live: 'data' });
  return (
    <div className="fold-section">
      <label className="paths-msg fold-toggle" title="pktmon logs a packet at every component it crosses: list it once, at its last point">
        <input type="checkbox" checked={fold} onChange={(e) => setFold(e.target.checked)} /> Fold copies in {name}: each packet once, at its last point
      </label>
      {fold && counts && <Counts c={counts} />}
    </div>
  );
}
