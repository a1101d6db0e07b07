// The MTU diagnosis in the Offload pane (the CLI summary's `mtu`): per host, the outer source address of the
// encapsulated packets, how many the underlay fragmented (and how many never reassembled), tenant packets
// arriving already fragmented, ICMP "fragmentation needed" / "packet too big" sent to it, the lengths behind
// them and what would fix it. Each count applies the display filter selecting the frames it stands for.
import type { MtuFinding } from '../../workers/api.ts';
import { mtuFilter } from '../../decoders/analysis/mtu.ts';
import { encapLabel, num } from '../format.ts';
import { FilterCount } from './FilterCount.tsx';

function plural(n: number, one: string, many: string): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

/** The lengths behind the advice, as one line (only what was measured). */
export function mtuFigures(f: MtuFinding): string {
  const parts: string[] = [];
  if (f.largestInner !== null && f.overhead !== null && f.needed !== null) {
    parts.push(`largest inner packet ${num(f.largestInner)} + ${num(f.overhead)} bytes of encapsulation = ${num(f.needed)} bytes`);
  }
  if (f.underlayMtu !== null) parts.push(`largest fragment the underlay carried: ${num(f.underlayMtu)} bytes`);
  if (parts.length === 0) return '';
  const s = parts.join('; ');
  return `${s[0].toUpperCase()}${s.slice(1)}.`;
}

function Counts({ f }: { f: MtuFinding }) {
  const icmpWhat = f.host.includes(':') ? 'ICMPv6 "packet too big"' : 'ICMP "fragmentation needed"';
  return (
    <ul className="mtu-counts">
      {f.fragmented > 0 && (
        <li data-kind="fragmented">
          <FilterCount filter={mtuFilter('fragmented', f.host)} frames={f.frames.fragmented} text={plural(f.fragmented, 'encapsulated packet', 'encapsulated packets')} />
          {' '}fragmented by the underlay and reassembled
        </li>
      )}
      {f.incomplete > 0 && (
        <li data-kind="incomplete">
          <FilterCount filter={mtuFilter('incomplete', f.host)} frames={f.frames.incomplete} text={plural(f.incomplete, 'encapsulated packet', 'encapsulated packets')} />
          {' '}fragmented by the underlay, never reassembled (a fragment missing)
        </li>
      )}
      {f.tenantFragmented > 0 && (
        <li data-kind="tenantFragmented">
          <FilterCount filter={mtuFilter('tenantFragmented', f.host)} frames={f.frames.tenantFragmented} text={plural(f.tenantFragmented, 'tenant packet', 'tenant packets')} />
          {' '}arriving already fragmented
        </li>
      )}
      {f.icmp.count > 0 && (
        <li data-kind="icmp">
          <FilterCount filter={mtuFilter('icmp', f.host)} frames={f.frames.icmp} text={plural(f.icmp.count, icmpWhat, `${icmpWhat} messages`)} />
          {' '}sent to it{f.icmp.mtus.length > 0 ? ` (MTU ${f.icmp.mtus.map(num).join(', ')})` : ''}
        </li>
      )}
    </ul>
  );
}

export function MtuSection({ findings }: { findings: readonly MtuFinding[] }) {
  const hosts = findings.length;
  return (
    <>
      <h3 className="sub-title">
        MTU
        <span className="pane-meta">{hosts === 0 ? 'no findings' : plural(hosts, 'host', 'hosts')}</span>
      </h3>
      {hosts === 0 ? (
        <p className="pane-msg ok mtu-none">
          No encapsulated packet was fragmented, and no ICMP &quot;fragmentation needed&quot; or &quot;packet too big&quot; was sent on the underlay.
        </p>
      ) : (
        <ul className="mtu-list" aria-label="MTU findings by host">
          {findings.map((f) => (
            <li key={f.host} className="mtu-host" data-host={f.host}>
              <div className="mtu-head">
                <span className="mono strong" title="Outer source address: the host that encapsulated these packets">{f.host}</span>
                {f.encap !== null && <span className="badge b-unverified">{encapLabel(f.encap)}</span>}
              </div>
              <Counts f={f} />
              {mtuFigures(f) !== '' && <p className="mtu-figures muted">{mtuFigures(f)}</p>}
              <p className="mtu-advice">{f.advice}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
