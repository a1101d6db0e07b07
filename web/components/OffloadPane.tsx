// Offload: the checksum findings (bad, partial, a zero that matters) grouped by check and by outer source
// (the host or NIC that sent them), with what each verdict means, and the verdict counts of every check.
// "Flagged" means a bad checksum here as everywhere (Export, Share, the CLI); a UDP checksum of 0 over
// IPv4 is "no checksum", allowed: counted apart and never called a finding. Every count of frames that
// can be selected offers the display filter that selects exactly those frames. Then the MTU diagnosis
// (MtuSection): hosts whose encapsulated packets the underlay fragments, and what would fix it.
import { Fragment } from 'react';
import type { OffloadGroup, VerdictCounts } from '../../workers/api.ts';
import { verdictFilter, type FlagVerdict } from '../../decoders/analysis/check-filter.ts';
import { analyzer } from '../analyzer.ts';
import { num } from '../format.ts';
import { selectFrame } from '../state/actions.ts';
import { useApp } from '../state/app-state.ts';
import { useWorkerQuery } from '../state/useWorkerQuery.ts';
import { FilterCount } from './FilterCount.tsx';
import { MtuSection } from './MtuSection.tsx';
import { Pane } from './Pane.tsx';

const EXPLAINED = ['bad', 'partial', 'zero', 'noChecksum', 'unverified'] as const;
/** Partial checksums the capture itself marks as not ready (pcapng epb_flags bit 9): what offload leaves. */
const NOT_READY_FILTER = 'checksum.partial && frame.flags.checksum_not_ready == 1';
const TERM: Record<(typeof EXPLAINED)[number], string> = { bad: 'bad', partial: 'partial', zero: 'zero', noChecksum: 'no checksum', unverified: 'unverified' };

interface CheckGroup { check: string; verdict: OffloadGroup['verdict']; frames: number; rows: OffloadGroup[] }

function groupByCheck(groups: readonly OffloadGroup[]): CheckGroup[] {
  const m = new Map<string, CheckGroup>();
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

function findingsMeta(grouped: readonly CheckGroup[], mtuHosts: number): string {
  const n = new Set(grouped.map((g) => g.check)).size;
  const checks = n === 0 ? 'no checksum findings' : `${n} ${n === 1 ? 'check' : 'checks'} with findings`;
  return mtuHosts === 0 ? checks : `${checks} · MTU: ${mtuHosts} ${mtuHosts === 1 ? 'host' : 'hosts'}`;
}

/** One headline line: a frame count of a verdict, with its filter. */
function Headline({ filter, frames, what, className }: { filter: string; frames: number; what: string; className: string }) {
  return (
    <li>
      <FilterCount filter={filter} frames={frames} text={`${num(frames)} ${frames === 1 ? 'frame' : 'frames'}`} className={className} /> {what}
    </li>
  );
}

function VerdictCell({ verdict, check, count }: { verdict: FlagVerdict; check: string; count: number }) {
  const cls = verdict === 'unverified' ? '' : ` t-${verdict}`;
  return (
    <td className={`num${count ? cls : ''}`}>
      {count > 0 ? <FilterCount filter={verdictFilter(verdict, check)} frames={count} /> : num(0)}
    </td>
  );
}

export function OffloadPane() {
  const analysisId = useApp((s) => s.analysisId);
  const key = String(analysisId);
  const report = useWorkerQuery(() => analyzer().offload(), key, { enabled: analysisId > 0, live: 'data' });
  const checks = useWorkerQuery(() => analyzer().checks(), key, { enabled: analysisId > 0, live: 'data' });
  const mtu = useWorkerQuery(() => analyzer().mtu(), key, { enabled: analysisId > 0, live: 'data' });
  const grouped = report ? groupByCheck(report.groups) : [];
  const verdicts = grouped.reduce((a, g) => a + g.frames, 0);
  const checkNames = checks ? Object.keys(checks).sort() : [];
  const fr = report?.frames;
  const allowed = report?.noChecksum ?? 0;
  const allowedText = `${num(allowed)} UDP ${allowed === 1 ? 'checksum is' : 'checksums are'} 0 over IPv4: "no checksum", which is allowed`;

  return (
    <Pane title="Offload" className="offload" meta={report ? findingsMeta(grouped, mtu?.length ?? 0) : undefined}>
      {report && (
        <dl className="explain">
          {EXPLAINED.map((v) => (
            <Fragment key={v}>
              <dt><span className={`badge b-${v === 'noChecksum' ? 'none' : v}`}>{TERM[v]}</span></dt>
              <dd>{report.explanations[v].replace(new RegExp(`^${TERM[v]}:\\s*`), '')}</dd>
            </Fragment>
          ))}
        </dl>
      )}
      {report && fr && grouped.length === 0 && (
        <p className="pane-msg ok offload-headline">
          No bad, partial or zero checksums: every verified checksum is good{allowed > 0 ? `; ${allowedText}` : ''}.
        </p>
      )}
      {report && fr && grouped.length > 0 && (
        <ul className="offload-headline" aria-label="Checksum findings">
          {fr.bad > 0 && <Headline filter="checksum.bad" frames={fr.bad} what="flagged: a bad checksum" className="t-bad" />}
          {fr.partial > 0 && <Headline filter="checksum.partial" frames={fr.partial} what="with a partial checksum (taken before offload)" className="t-partial" />}
          {report.capture.notReady > 0 && (
            <Headline filter={NOT_READY_FILTER} frames={report.capture.notReady} what={'of them marked "checksum not ready" by the capture: expected, the NIC fills it in'} className="t-partial" />
          )}
          {fr.zero > 0 && <Headline filter="checksum.zero" frames={fr.zero} what="with a zero checksum where one is required" className="t-zero" />}
          {allowed > 0 && <li className="muted">{allowedText} (not listed)</li>}
        </ul>
      )}
      {report && report.capture.superframes > 0 && (
        <p className="offload-headline">
          <FilterCount filter="frame.superframe" frames={report.capture.superframes} text={`${num(report.capture.superframes)} ${report.capture.superframes === 1 ? 'super-frame' : 'super-frames'}`} />
          {' '}larger than the link carries: captured before the NIC cut them into segments (TSO/GSO) or after it merged them (GRO/LRO)
        </p>
      )}
      {grouped.length > 0 && (
        <div className="tbl-scroll">
          <table className="tbl offload-tbl" aria-label={`Checksum findings by check and sender, ${verdicts} verdicts`}>
            <thead>
              <tr>
                <th scope="col" title="The check and how many frames have that verdict there; click the count to show them">Check</th>
                <th scope="col">Verdict</th>
                <th scope="col" title="Outer source address: the host or NIC that sent these frames">Sent by (outer IP)</th>
                <th scope="col" className="num">Frames</th>
                <th scope="col">First frames</th>
              </tr>
            </thead>
            {grouped.map((g) => (
              <tbody key={`${g.check} ${g.verdict}`} className="grp" data-check={g.check} data-verdict={g.verdict}>
                {g.rows.map((r, i) => (
                  <tr key={r.source} className={`v-row-${g.verdict}`}>
                    {i === 0 && (
                      <td rowSpan={g.rows.length} className="check-cell">
                        <span className="mono strong">{g.check}</span>
                        <FilterCount filter={verdictFilter(g.verdict, g.check)} frames={g.frames} text={`${num(g.frames)} ${g.frames === 1 ? 'frame' : 'frames'}`} />
                      </td>
                    )}
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
      {mtu && <MtuSection findings={mtu} />}
      {checkNames.length > 0 && checks && (
        <>
          <h3 className="sub-title">Verdicts per check</h3>
          <div className="tbl-scroll">
            <table className="tbl verdict-tbl" aria-label="Verdicts per check">
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col" className="num">good</th>
                  <th scope="col" className="num">bad</th>
                  <th scope="col" className="num">partial</th>
                  <th scope="col" className="num" title="0 where a checksum is required (a finding)">zero</th>
                  <th scope="col" className="num" title={'UDP checksum 0 over IPv4: "no checksum" (RFC 768), allowed, no finding'}>no checksum (allowed)</th>
                  <th scope="col" className="num">unverified</th>
                </tr>
              </thead>
              <tbody>
                {checkNames.map((c) => <CheckRow key={c} check={c} v={checks[c]} />)}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Pane>
  );
}

function CheckRow({ check, v }: { check: string; v: VerdictCounts }) {
  return (
    <tr data-check={check}>
      <td className="mono">{check}</td>
      <td className="num">{num(v.good)}</td>
      <VerdictCell verdict="bad" check={check} count={v.bad} />
      <VerdictCell verdict="partial" check={check} count={v.partial} />
      <VerdictCell verdict="zero" check={check} count={v.zero - v.noChecksum} />
      <td className="num muted">{num(v.noChecksum)}</td>
      <VerdictCell verdict="unverified" check={check} count={v.unverified} />
    </tr>
  );
}
