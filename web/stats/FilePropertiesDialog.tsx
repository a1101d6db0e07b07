// Statistics ▸ Capture File Properties (Ctrl+Alt+Shift+C): the file, its sections, interfaces (with their
// Interface Statistics Block counters) and the time span and rates, as Wireshark's dialog shows them.
import { useEffect, useRef, useState } from 'react';
import type { FileProperties, InterfaceProperties } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { bytes as fmtBytes, num } from '../format.ts';
import { useApp } from '../state/app-state.ts';
import { openStats, useStatsUi } from './state.ts';
import './stats.css';

const LINKTYPES: Record<number, string> = { 0: 'NULL/Loopback', 1: 'Ethernet', 101: 'Raw IP', 113: 'Linux cooked (SLL)', 228: 'Raw IPv4', 229: 'Raw IPv6', 276: 'Linux cooked v2 (SLL2)' };

function resolution(perSec: number): string {
  const names: Record<number, string> = { 1: 'seconds', 1e3: 'milliseconds', 1e6: 'microseconds', 1e9: 'nanoseconds' };
  return names[perSec] ?? `1/${perSec} s`;
}

function speed(bps: number): string {
  if (bps >= 1e9) return `${bps / 1e9} Gbps`;
  if (bps >= 1e6) return `${bps / 1e6} Mbps`;
  return `${bps} bps`;
}

function time(sec: number | null, nsec: number): string {
  return sec === null ? '' : new Date(sec * 1000).toISOString().replace(/\.\d+Z$/, `.${String(nsec).padStart(9, '0')}Z`);
}

function Counters({ ifc }: { ifc: InterfaceProperties }) {
  const last = ifc.statistics[ifc.statistics.length - 1];
  if (last === undefined) return null;
  const rows: Array<[string, number | null]> = [
    ['Received by the interface (isb_ifrecv)', last.ifrecv], ['Dropped by the interface (isb_ifdrop)', last.ifdrop],
    ['Accepted by the filter (isb_filteraccept)', last.filteraccept], ['Dropped by the OS (isb_osdrop)', last.osdrop],
    ['Delivered to the capture (isb_usrdeliv)', last.usrdeliv],
  ];
  return (
    <>
      <dt>Statistics</dt><dd>{ifc.statistics.length} block{ifc.statistics.length === 1 ? '' : 's'}, last at {time(last.sec, last.nsec)}{last.startSec !== null ? `, capture ${time(last.startSec, last.startNsec)} to ${time(last.endSec, last.endNsec)}` : ''}</dd>
      {rows.filter(([, v]) => v !== null).map(([k, v]) => <FragmentRow key={k} k={k} v={num(v ?? 0)} />)}
      {last.comments.map((c, i) => <FragmentRow key={`c${i}`} k="Comment" v={c} />)}
    </>
  );
}

function FragmentRow({ k, v }: { k: string; v: string }) {
  return <><dt>{k}</dt><dd>{v}</dd></>;
}

export function FilePropertiesDialog() {
  const open = useStatsUi((s) => s.open === 'properties');
  const capture = useApp((s) => s.capture);
  const [p, setP] = useState<FileProperties | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open || capture === null) return;
    let live = true;
    setP(null);
    setError(null);
    analyzer().fileProperties().then((x) => { if (live) setP(x); }, (e: unknown) => { if (live) setError(String((e as Error).message ?? e)); });
    requestAnimationFrame(() => dialog.current?.focus());
    return () => { live = false; };
  }, [open, capture]);
  if (!open || capture === null) return null;
  const close = (): void => openStats(null);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) close(); }}>
      <div ref={dialog} tabIndex={-1} className="modal stats-dialog props" role="dialog" aria-modal="true" aria-label="Capture File Properties"
        onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } }}>
        <header className="modal-head"><h2>Capture File Properties · {capture.name}</h2></header>
        <div className="stats-body">
          {error !== null && <p className="stats-empty" role="alert">{error}</p>}
          {p !== null && (
            <>
              <h3>File</h3>
              <dl>
                <FragmentRow k="Name" v={p.name} />
                <FragmentRow k="Length" v={p.size >= 0 ? `${fmtBytes(p.size)} (${num(p.size)} bytes)` : 'unknown'} />
                <FragmentRow k="Format" v={`${p.format === 'pcapng' ? 'Wireshark/… - pcapng' : 'Wireshark/tcpdump/… - pcap'}${p.gzip ? ' (gzip compressed)' : ''}`} />
                {p.loading && <FragmentRow k="Note" v="The capture is still loading: figures so far." />}
              </dl>
              <h3>Time</h3>
              <dl>
                <FragmentRow k="First packet" v={p.firstTime ?? ''} />
                <FragmentRow k="Last packet" v={p.lastTime ?? ''} />
                <FragmentRow k="Elapsed" v={`${p.elapsed.toFixed(6)} s`} />
              </dl>
              {p.sections.map((s, i) => (
                <div key={i}>
                  <h3>Section {p.sections.length > 1 ? i + 1 : ''}</h3>
                  <dl>
                    <FragmentRow k="Version, byte order" v={`${s.version}, ${s.byteOrder}`} />
                    {s.hardware !== null && <FragmentRow k="Hardware" v={s.hardware} />}
                    {s.os !== null && <FragmentRow k="OS" v={s.os} />}
                    {s.userappl !== null && <FragmentRow k="Application" v={s.userappl} />}
                    {s.comments.map((c, k) => <FragmentRow key={k} k="Comment" v={c} />)}
                  </dl>
                </div>
              ))}
              <h3>Interfaces</h3>
              {p.interfaces.map((ifc, k) => (
                <dl key={k} data-interface={k}>
                  <FragmentRow k="Interface" v={`#${k}${ifc.name !== null ? ` ${ifc.name}` : ''}${ifc.description !== null ? ` (${ifc.description})` : ''}`} />
                  <FragmentRow k="Link type" v={`${LINKTYPES[ifc.linktype] ?? 'link type'} (${ifc.linktype})`} />
                  <FragmentRow k="Snapshot length" v={ifc.snaplen === 0 ? 'unlimited' : String(ifc.snaplen)} />
                  <FragmentRow k="Time resolution" v={resolution(ifc.tsUnitsPerSec)} />
                  {ifc.speed !== undefined && <FragmentRow k="Speed" v={speed(ifc.speed)} />}
                  {ifc.os !== undefined && <FragmentRow k="OS" v={ifc.os} />}
                  {ifc.hardware !== undefined && <FragmentRow k="Hardware" v={ifc.hardware} />}
                  {ifc.filter !== undefined && <FragmentRow k="Capture filter" v={ifc.filter} />}
                  {ifc.fcsLen !== undefined && <FragmentRow k="FCS length" v={String(ifc.fcsLen)} />}
                  {(ifc.comments ?? []).map((c, i) => <FragmentRow key={i} k="Comment" v={c} />)}
                  <FragmentRow k="Packets" v={num(ifc.packets)} />
                  <Counters ifc={ifc} />
                </dl>
              ))}
              <h3>Statistics</h3>
              <dl>
                <FragmentRow k="Packets" v={num(p.packets)} />
                <FragmentRow k="Bytes" v={`${num(p.wireBytes)} on the wire, ${num(p.capturedBytes)} captured`} />
                <FragmentRow k="Average packets/s" v={p.packetsPerSec.toFixed(1)} />
                <FragmentRow k="Average packet size" v={`${p.averageSize.toFixed(2)} bytes`} />
                <FragmentRow k="Average bytes/s" v={fmtBytes(p.bytesPerSec)} />
                <FragmentRow k="Average bits/s" v={`${num(Math.round(p.bitsPerSec))}`} />
              </dl>
            </>
          )}
        </div>
        <footer className="modal-foot"><span className="tb-spacer" /><button type="button" className="btn" onClick={close}>Close</button></footer>
      </div>
    </div>
  );
}
