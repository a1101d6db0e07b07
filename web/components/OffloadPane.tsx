// Offload: flagged frames grouped by check and by outer source (the host or NIC that sent them), with
// what each verdict means, and the verdict counts of every check.
import { Fragment } from 'react';
import type { OffloadGroup } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { num } from '../format.ts';
import { selectFrame } from '../state/actions.ts';
import { useApp } from '../state/app-state.ts';
import { useWorkerQuery } from '../state/useWorkerQuery.ts';
import { Pane } from './Pane.tsx';

const VERDICTS = ['bad', 'partial', 'zero', 'unverified'] as const;

function groupByCheck(groups: readonly OffloadGroup[]): Array<{ check: string; verdict: OffloadGroup['verdict']; frames: number; rows: OffloadGroup[] }> {
  const m = new Map<string, { check: string; verdict: OffloadGroup['verdict']; frames: number; rows: OffloadGroup[] }>();
  for (const g of groups) {
    const k = `${g.check} ${g.verdict}`;
    let e = m.get(k);
    if (!e) {
      e = { check: g.check, verdict: g.verdict, frames: 0, rows: [] };
      m.set(k, e);
    }
    e.frames += g.frames;
    e.rows.push(g);
  }
  const rank = { bad: 0, partial: 1, zero: 2 };
  return [...m.values()].sort((a, b) => rank[a.verdict] - rank[b.verdict] || b.frames - a.frames || a.check.localeCompare(b.check));
}

export function OffloadPane() {
  const analysisId = useApp((s) => s.analysisId);
  const key = String(analysisId);
  const report = useWorkerQuery(() => analyzer().offload(), key, { enabled: analysisId > 0, live: 'data' });
  const checks = useWorkerQuery(() => analyzer().checks(), key, { enabled: analysisId > 0, live: 'data' });
  const grouped = report ? groupByCheck(report.groups) : [];
  const flagged = grouped.reduce((a, g) => a + g.frames, 0);
  const checkNames = checks ? Object.keys(checks).sort() : [];

  return (
    <Pane title="Offload" className="offload" meta={report ? `${grouped.length} groups` : undefined}>
      {report && (
        <dl className="explain">
          {VERDICTS.map((v) => (
            <Fragment key={v}>
              <dt><span className={`badge b-${v}`}>{v}</span></dt>
              <dd>{report.explanations[v].replace(new RegExp(`^${v}:\\s*`), '')}</dd>
            </Fragment>
          ))}
        </dl>
      )}
      {report && grouped.length === 0 && <p className="pane-msg ok">No bad, partial or zero checksums: every verified checksum is good.</p>}
      {grouped.length > 0 && (
        <div className="tbl-scroll">
          <table className="tbl offload-tbl" aria-label={`Flagged checksums, ${flagged} verdicts`}>
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Verdict</th>
                <th scope="col" title="Outer source address: the host or NIC that sent these frames">Sent by (outer IP)</th>
                <th scope="col" className="num">Frames</th>
                <th scope="col">First frames</th>
              </tr>
            </thead>
            {grouped.map((g) => (
              <tbody key={`${g.check} ${g.verdict}`} className="grp">
                {g.rows.map((r, i) => (
                  <tr key={r.source} className={`v-row-${g.verdict}`}>
                    {i === 0 && <td rowSpan={g.rows.length} className="mono strong">{g.check}</td>}
                    {i === 0 && <td rowSpan={g.rows.length}><span className={`badge b-${g.verdict}`}>{g.verdict}</span></td>}
                    <td className="mono">{r.source}</td>
                    <td className="num">{num(r.frames)}</td>
                    <td className="samples">
                      {r.sample.slice(0, 6).map((n) => (
                        <button key={n} type="button" className="link" onClick={() => selectFrame(n)} title={`Go to frame ${n}`}>
                          {n}
                        </button>
                      ))}
                      {r.frames > Math.min(6, r.sample.length) ? <span className="more">…</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
      {checkNames.length > 0 && checks && (
        <>
          <h3 className="sub-title">Verdicts per check</h3>
          <div className="tbl-scroll">
            <table className="tbl" aria-label="Verdicts per check">
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col" className="num">good</th>
                  <th scope="col" className="num">bad</th>
                  <th scope="col" className="num">partial</th>
                  <th scope="col" className="num">zero</th>
                  <th scope="col" className="num">unverified</th>
                </tr>
              </thead>
              <tbody>
                {checkNames.map((c) => {
                  const v = checks[c];
                  return (
                    <tr key={c}>
                      <td className="mono">{c}</td>
                      <td className="num">{num(v.good)}</td>
                      <td className={`num${v.bad ? ' t-bad' : ''}`}>{num(v.bad)}</td>
                      <td className={`num${v.partial ? ' t-partial' : ''}`}>{num(v.partial)}</td>
                      <td className={`num${v.zero ? ' t-zero' : ''}`}>{num(v.zero)}</td>
                      <td className="num">{num(v.unverified)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Pane>
  );
}
