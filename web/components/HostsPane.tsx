// Hosts: one row per sending host (outer source address, and direction where the capture says it), worst
// first, with its bad and partial frames, a small timeline of its bad frames and what its verdict pattern
// means in words. Selecting a host narrows the packet list to its frames with a display filter (so it goes
// into share links too); each finding's frames are links.
import { useState } from 'react';
import type { HostStats } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { applyFilter } from '../filter/state.ts';
import { num, retransmittedText } from '../format.ts';
import { selectFrame } from '../state/actions.ts';
import { useApp } from '../state/app-state.ts';
import { useWorkerQuery } from '../state/useWorkerQuery.ts';
import { Pane } from './Pane.tsx';
import { useRovingRows } from './roving.ts';

const BUCKETS = 24;

function rate(h: HostStats): string {
  if (h.bad === 0) return '0';
  const p = 100 * h.badRate;
  return p >= 10 ? `${p.toFixed(0)}%` : `${p.toFixed(1)}%`;
}

/** Bars of bad frames over the capture's span, as text-free SVG with a text alternative. */
function Timeline({ bad }: { bad: number[] }) {
  const max = Math.max(1, ...bad);
  const total = bad.reduce((a, b) => a + b, 0);
  if (total === 0) return <span className="muted">—</span>;
  return (
    <svg className="host-timeline" viewBox={`0 0 ${bad.length * 3} 12`} width={bad.length * 3} height={12} role="img" aria-label={`${total} bad frames over time`}>
      {bad.map((v, k) => (v > 0 ? <rect key={k} x={k * 3} y={12 - Math.max(2, (12 * v) / max)} width={2} height={Math.max(2, (12 * v) / max)} /> : null))}
    </svg>
  );
}

export function HostsPane() {
  const analysisId = useApp((s) => s.analysisId);
  const filter = useApp((s) => s.view.filter);
  // With pktmon copies folded (the Paths pane), each packet counts once, for the host of its shown copy.
  const fold = useApp((s) => s.view.fold === true);
  const hosts = useWorkerQuery(() => analyzer().hosts(fold), `${analysisId}|${fold}`, { enabled: analysisId > 0, live: 'data' });
  const timelines = useWorkerQuery(() => analyzer().hostTimelines(BUCKETS), String(analysisId), { enabled: analysisId > 0, live: 'data' });
  const [open, setOpen] = useState<string | null>(null);
  const list = hosts ?? [];
  const keyOf = (h: HostStats): string => `${h.address}/${h.direction ?? ''}`;
  const current = list.find((h) => h.filter === filter);
  const rowProps = useRovingRows(list.map(keyOf), current ? keyOf(current) : null);
  const timeline = new Map((timelines?.hosts ?? []).map((t) => [`${t.address}/${t.direction ?? ''}`, t.bad]));
  const select = (h: HostStats): void => {
    applyFilter(h.filter === filter ? '' : h.filter);
    setOpen(keyOf(h));
  };
  const tools = current !== undefined ? <button type="button" className="tool" onClick={() => applyFilter('')}>Show all</button> : null;
  return (
    <Pane title="Hosts" className="hosts" meta={`${list.length}`} tools={tools}>
      {list.length === 0 ? (
        <p className="pane-msg">No IP traffic in this capture.</p>
      ) : (
        <div className="tbl-scroll">
          <table className="tbl" aria-label="Host list">
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col">Dir</th>
                <th scope="col" className="num">Frames</th>
                <th scope="col" className="num">Bad</th>
                <th scope="col" className="num">Rate</th>
                <th scope="col" className="num">Partial</th>
                <th scope="col" className="num" title="TCP segments with a bad checksum from this host that were retransmitted, of all of them (hover a count for the median delay)">Retx</th>
                <th scope="col">Bad over time</th>
                <th scope="col" className="num">Tenants</th>
              </tr>
            </thead>
            <tbody>
              {list.map((h) => {
                const k = keyOf(h);
                const sel = current !== undefined && keyOf(current) === k;
                const expanded = open === k || sel;
                const retx = retransmittedText(h.retransmitted);
                return [
                  <tr
                    key={k}
                    data-host={h.address}
                    data-direction={h.direction ?? ''}
                    aria-current={sel ? 'true' : undefined}
                    aria-expanded={expanded}
                    className={`clickable${sel ? ' sel' : ''}`}
                    onClick={() => select(h)}
                    {...rowProps(k, () => select(h))}
                  >
                    <td className="strong mono">{h.address}</td>
                    <td>{h.direction ?? '—'}</td>
                    <td className="num">{num(h.frames)}</td>
                    <td className={`num${h.bad > 0 ? ' t-bad' : ''}`}>{num(h.bad)}</td>
                    <td className={`num${h.bad > 0 ? ' t-bad' : ''}`}>{rate(h)}</td>
                    <td className={`num${h.partial > 0 ? ' t-partial' : ''}`}>{num(h.partial)}</td>
                    <td className="num" data-col="retx" title={retx.title}>{retx.text}</td>
                    <td><Timeline bad={timeline.get(k) ?? []} /></td>
                    <td className="num" title={h.tenants.join(', ')}>{num(h.tenants.length)}</td>
                  </tr>,
                  expanded ? (
                    <tr key={`${k}/dx`} className="host-dx">
                      <td colSpan={9}>
                        <ul className="diagnosis" aria-label={`Diagnosis of ${h.address}`}>
                          {h.diagnosis.map((d, i) => (
                            <li key={i} className={`dx-${d.kind}`}>
                              {d.text}
                              {d.frames.length > 0 && (
                                <span className="dx-frames"> (frames {d.frames.map((n, j) => (
                                  <span key={n}>{j > 0 ? ', ' : ''}<button type="button" className="link" onClick={(ev) => { ev.stopPropagation(); selectFrame(n); }}>#{n}</button></span>
                                ))}{d.frames.length >= 5 ? ', …' : ''})</span>
                              )}
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ) : null,
                ];
              })}
            </tbody>
          </table>
        </div>
      )}
    </Pane>
  );
}
