// Paths: where it broke between the captures open together (or between the components of one pktmon capture):
// per capture the packets seen there alone, the copies folded and its clock offset; then the findings, counted
// per cause, pair of consecutive points, tenant and check, in words, with example frames that go to that copy
// (switching capture). The figures are the CLI's `--paths` JSON for the same files. Shown only when there is
// something to compare.
import { Fragment, useEffect, useState } from 'react';
import type { PathsReport } from '../../workers/paths-api.ts';
import { num, tenantLabel } from '../format.ts';
import { byCapture, CAUSE_MEANING, hop, offsetText } from '../paths/format.ts';
import { comparePaths, goToCopy, usePaths } from '../state/paths.ts';
import { useGroup } from '../state/captures.ts';
import { FoldSection } from './FoldSection.tsx';
import { Pane } from './Pane.tsx';
import '../paths/paths.css';

const PHASE = { keys: 'reading keys', match: 'matching copies', verdicts: 'comparing the bytes of the copies that went bad' };

function WindowInput({ value }: { value: number }) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const commit = (): void => {
    const n = Number(text);
    if (n > 0 && Number.isFinite(n)) void comparePaths(n);
    else setText(String(value));
  };
  return (
    <label className="paths-tools" title="How far apart two copies may be once the clocks' offset is taken out">
      window
      <input type="number" min="0.001" step="0.1" value={text} onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => { if (e.key === 'Enter') commit(); }} />
      s
    </label>
  );
}

function CapturesTable({ r }: { r: PathsReport }) {
  return (
    <table className="tbl paths-tbl" aria-label="Captures compared">
      <thead>
        <tr><th>Capture</th><th className="num" title="Packets seen in this capture alone">Alone</th><th className="num" title="Copies of a packet shown at a later point of the same capture (pktmon)">Folded</th><th title="How far its clock is ahead of the first capture's">Clock</th></tr>
      </thead>
      <tbody>
        {r.captures.map((c, k) => (
          <tr key={c}>
            <td className="mono">{c}</td>
            <td className="num">{num(r.unmatched[c] ?? 0)}</td>
            <td className="num">{num(r.folded[c] ?? 0)}</td>
            <td title={r.offsets[k]?.method}>{offsetText(r.offsets[k]?.seconds ?? null)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FindingsTable({ r }: { r: PathsReport }) {
  if (r.findings.length === 0) {
    return <p className="pane-msg ok paths-msg">No checksum went bad and no packet was lost between the points.</p>;
  }
  return (
    <div className="tbl-scroll">
      <table className="tbl paths-tbl" aria-label="Where it broke">
        <thead>
          <tr><th>Cause</th><th>From → to</th><th>Tenant</th><th>Check</th><th className="num">Packets</th></tr>
        </thead>
        <tbody>
          {r.findings.map((f, k) => (
            <Fragment key={k}>
              <tr className="pf-row" data-cause={f.cause}>
                <td className="cause"><span className={`badge cause-${f.cause}`} title={CAUSE_MEANING[f.cause]}>{f.cause}</span></td>
                <td className="mono">{hop(f.from, f.to)}</td>
                <td>{tenantLabel(f.tenant)}</td>
                <td className="mono">{f.check ?? '—'}</td>
                <td className="num">{num(f.count)}</td>
              </tr>
              <tr className="pf-text">
                <td colSpan={5}>
                  {f.text}.{' '}
                  <span className="pf-examples">
                    {byCapture(f.examples).map(([c, frames]) => (
                      <span key={c}>
                        {c}:
                        {frames.map((n) => (
                          <button key={n} type="button" className="link" data-capture={c} data-frame={n} title={`Go to frame ${n} of ${c}`} onClick={() => goToCopy(c, n)}>#{n}</button>
                        ))}{' '}
                      </span>
                    ))}
                    {f.count > f.examples.length && <span className="muted">…</span>}
                  </span>
                </td>
              </tr>
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PathsPane() {
  const scope = usePaths((s) => s.scope);
  const report = usePaths((s) => s.report);
  const running = usePaths((s) => s.running);
  const progress = usePaths((s) => s.progress);
  const error = usePaths((s) => s.error);
  const window = usePaths((s) => s.window);
  const loading = useGroup((s) => s.list.some((e) => e.loading));
  const several = useGroup((s) => s.list.length >= 2);
  const shown = useGroup((s) => s.shown);
  const shownName = useGroup((s) => s.list[s.shown]?.name ?? '');
  if (!several && !scope?.comparable) return null;
  const meta = report
    ? `${report.captures.length} ${report.captures.length === 1 ? 'capture' : 'captures'} · ${num(report.packets)} packets · ${num(report.matched)} matched`
    : undefined;
  return (
    <Pane title="Paths" className="paths" meta={meta} tools={<WindowInput value={window} />}>
      {loading && <p className="pane-msg paths-msg">Compared once every capture has loaded.</p>}
      {running && (
        <p className="pane-msg paths-msg" role="status">
          Comparing the captures{progress ? `: ${PHASE[progress.phase]}${progress.total > 0 ? ` (${Math.floor((100 * progress.done) / progress.total)}%)` : ''}` : ''}…
        </p>
      )}
      {error && <p className="pane-msg err paths-msg">Cannot compare the captures: {error}</p>}
      {scope?.packetIds[shown] && <FoldSection name={shownName} />}
      {report && (
        <>
          <CapturesTable r={report} />
          {report.undetermined > 0 && (
            <p className="pane-msg paths-msg muted">{num(report.undetermined)} checksums turned bad where the bytes could not be compared (missing bytes, a reassembled datagram): counted under no cause.</p>
          )}
          <FindingsTable r={report} />
        </>
      )}
    </Pane>
  );
}
