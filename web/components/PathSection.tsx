// The path of the selected frame's packet, under its details once the open captures have been compared: every
// point where a copy was seen (capture, interface or pktmon component), the time since the previous one (clock
// offsets taken out), each check's verdict there, the findings of this packet, and the byte diff of the copies
// where it broke (or of its first and last copy), aligned at the innermost IP header.
import { useEffect, useState } from 'react';
import type { PacketPath, PathDiff } from '../../workers/paths-api.ts';
import { analyzer } from '../analyzer.ts';
import { errorMessage, hex2, tenantLabel } from '../format.ts';
import { sinceText } from '../paths/format.ts';
import { useGroup } from '../state/captures.ts';
import { goToCopy, usePaths } from '../state/paths.ts';
import { useSettle } from '../state/settle.ts';
import '../paths/paths.css';

interface Diffed {
  from: number;
  to: number;
  diff: PathDiff;
}

/** The pairs of stops to diff: where a finding has both, else the first and the last copy. */
function diffPairs(p: PacketPath): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const f of p.findings) {
    if (f.fromStop !== null && f.toStop !== null && !out.some(([a, b]) => a === f.fromStop && b === f.toStop)) out.push([f.fromStop, f.toStop]);
  }
  if (out.length === 0 && p.stops.length >= 2) out.push([0, p.stops.length - 1]);
  return out;
}

async function loadPath(capture: number, frame: number): Promise<{ path: PacketPath | null; diffs: Diffed[] }> {
  const path = await analyzer().pathOf(capture, frame);
  const diffs: Diffed[] = [];
  if (path === null) return { path, diffs };
  for (const [a, b] of diffPairs(path)) {
    const x = path.stops[a], y = path.stops[b];
    diffs.push({ from: a, to: b, diff: await analyzer().pathDiff([x.capture, x.frame], [y.capture, y.frame]) });
  }
  return { path, diffs };
}

const bytesText = (b: readonly number[], n: number): string => `${b.map(hex2).join(' ')}${n > b.length ? ' …' : ''}`;

function DiffView({ p, d }: { p: PacketPath; d: Diffed }) {
  const a = p.stops[d.from], b = p.stops[d.to];
  const df = d.diff;
  const what = df.ranges.length === 0
    ? 'identical from the innermost IP header on'
    : `${df.ranges.length} differing ${df.ranges.length === 1 ? 'run' : 'runs'} in ${df.fields.join(', ')}${df.checksumOnly ? ': the checksum field only' : ''}`;
  return (
    <div className="path-diff" data-from={d.from + 1} data-to={d.to + 1}>
      Bytes of copy {d.from + 1} ({a.point} #{a.frame}) and copy {d.to + 1} ({b.point} #{b.frame}): {what}
      {df.outerSame ? '' : '; the outer headers differ'}.
      {df.ranges.length > 0 && (
        <ul aria-label={`Byte diff of copies ${d.from + 1} and ${d.to + 1}`}>
          {df.ranges.map((r, k) => (
            <li key={k}>
              inner IP +{r.a - df.alignA}: <span className="was">{bytesText(r.aBytes, r.aLength)}</span> → <span className="now">{bytesText(r.bBytes, r.bLength)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function PathSection({ frame }: { frame: number | null }) {
  const report = usePaths((s) => s.report);
  const shown = useGroup((s) => s.shown);
  const settle = useSettle();
  const [got, setGot] = useState<{ key: string; path: PacketPath | null; diffs: Diffed[]; error: string | null } | null>(null);
  const key = `${shown}:${frame}`;

  useEffect(() => {
    if (report === null || frame === null || shown < 0) return;
    let live = true;
    settle.ask(() => loadPath(shown, frame).then((r) => ({ ...r, error: null }), (e: unknown) => ({ path: null, diffs: [], error: errorMessage(e) })))
      .then((r) => {
        if (!live) return settle.drop();
        setGot({ key, ...r });
        settle.applied();
      });
    return () => {
      live = false;
    };
  }, [report, shown, frame, key]);

  if (report === null || frame === null || got === null || got.key !== key) return null;
  if (got.error !== null) return <section className="path-section" aria-label="Path"><p className="pane-msg err">Cannot show the path: {got.error}</p></section>;
  const p = got.path;
  if (p === null) return null;
  return (
    <section className="path-section" aria-label="Path">
      <h3>Path of this packet{p.tenant !== null ? `, tenant ${tenantLabel(p.tenant)}` : ''}: {p.stops.length === 1 ? 'seen at one point only' : `${p.stops.length} copies`}</h3>
      <table className="tbl path-tbl" aria-label="Copies of this packet">
        <thead>
          <tr><th className="num">#</th><th>Point</th><th>Frame</th><th className="num" title="Since the previous copy, clock offsets taken out">Time</th><th>Checks</th></tr>
        </thead>
        <tbody>
          {p.stops.map((s, k) => (
            <tr key={k} className={s.capture === shown && s.frame === frame ? 'here' : undefined} data-point={s.point}>
              <td className="num">{k + 1}</td>
              <td className="mono">{s.point}</td>
              <td>
                {s.capture === shown && s.frame === frame
                  ? <span title="The frame shown">#{s.frame}</span>
                  : <button type="button" className="link" onClick={() => goToCopy(s.captureName, s.frame)} title={`Go to frame ${s.frame} of ${s.captureName}`}>#{s.frame}</button>}
                {s.folded && <span className="muted" title="Shown at a later point when folded"> (copy)</span>}
              </td>
              <td className="num">{k === 0 ? '' : sinceText(s.sincePrevious)}</td>
              <td>
                <span className="path-checks">
                  {Object.entries(s.checks).map(([c, v]) => <span key={c} className={`badge b-${v}`} data-check={c}>{c} {v}</span>)}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {p.findings.length > 0 ? (
        <ul className="path-findings" aria-label="Where this packet broke">
          {p.findings.map((f, k) => <li key={k} data-cause={f.cause}><span className={`badge cause-${f.cause}`}>{f.cause}</span> {f.text}</li>)}
        </ul>
      ) : <p className="path-findings muted">Nothing broke on this packet's path.</p>}
      {got.diffs.map((d) => <DiffView key={`${d.from}-${d.to}`} p={p} d={d} />)}
    </section>
  );
}
