// Follow TCP/UDP stream, as in Wireshark: the payload of one conversation in ASCII, as a hex dump or raw
// (hex), the client's bytes and the server's in two colours; opening it applies `tcp.stream eq N` (or
// udp.stream) to the packet list. Opened from the row menu or with Ctrl+Alt+Shift+T / U on the selected frame.
import { useEffect, useRef, useState } from 'react';
import type { FollowResult } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { errorMessage } from '../format.ts';
import { applyFilter } from '../filter/state.ts';
import { appStore } from '../state/app-state.ts';
import { Store, useStore } from '../state/store.ts';
import { asciiText, followHexChunks } from '../../decoders/analysis/follow.ts';

type Kind = 'tcp' | 'udp';
type Mode = 'ascii' | 'hex' | 'raw';
type Shown = 'both' | 0 | 1;

interface FollowUi {
  open: { kind: Kind; stream: number } | null;
  result: FollowResult | null;
  error: string | null;
}

const followUi = new Store<FollowUi>({ open: null, result: null, error: null });
let seq = 0;

/** Opens the dialog on a stream and applies its filter to the list. */
export function openFollow(kind: Kind, stream: number): void {
  const my = ++seq;
  followUi.set({ open: { kind, stream }, result: null, error: null });
  applyFilter(`${kind}.stream eq ${stream}`);
  analyzer().follow(kind, stream).then(
    (result) => { if (my === seq) followUi.set({ result }); },
    (e: unknown) => { if (my === seq) followUi.set({ error: errorMessage(e) }); },
  );
}

/** Follows the stream of frame n (Ctrl+Alt+Shift+T / U); says so when the frame has none. */
export async function followFrame(n: number, kind: Kind): Promise<void> {
  const facts = await analyzer().frameFacts(n);
  const s = kind === 'tcp' ? facts.tcpStream : facts.udpStream;
  if (s >= 0) openFollow(kind, s);
  else appStore.set({ notice: { kind: 'error', text: `Frame ${n} is not part of a ${kind.toUpperCase()} stream.` } });
}

function close(): void {
  seq++;
  followUi.set({ open: null, result: null, error: null });
}

function useFollowKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!e.ctrlKey || !e.altKey || !e.shiftKey) return;
      const k = e.code === 'KeyT' ? 'tcp' : e.code === 'KeyU' ? 'udp' : null;
      const n = appStore.get().selected;
      if (k === null || n === null) return;
      e.preventDefault();
      void followFrame(n, k);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function FollowStreamDialog() {
  useFollowKeys();
  const { open, result, error } = useStore(followUi, (s) => s);
  const [mode, setMode] = useState<Mode>('ascii');
  const [shown, setShown] = useState<Shown>('both');
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open !== null) requestAnimationFrame(() => dialog.current?.querySelector<HTMLElement>('select')?.focus());
  }, [open]);
  if (open === null) return null;
  const title = `Follow ${open.kind.toUpperCase()} Stream (${open.kind}.stream eq ${open.stream})`;
  const r = result;
  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) close(); }}>
      <div
        ref={dialog}
        className="modal follow-dialog"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } }}
      >
        <header className="modal-head">
          <h2>{title}</h2>
          {r !== null && (
            <span className="modal-sub">
              {r.tenant !== '' ? `${r.tenant} · ` : ''}
              <span className="follow-client">{r.nodes[0]}</span> → <span className="follow-server">{r.nodes[1]}</span>
            </span>
          )}
        </header>
        <pre className="follow-text" aria-label="Stream content" tabIndex={0}>
          {error !== null ? <span className="follow-error">{error}</span> : r === null ? 'Reading the stream…' : <StreamText r={r} mode={mode} shown={shown} />}
        </pre>
        {r !== null && (
          <p className="follow-summary">
            {`${countLabel(r, 0)} · ${countLabel(r, 1)} · ${r.chunks.length} ${r.chunks.length === 1 ? 'chunk' : 'chunks'}`}
            {r.truncated ? ' · only the first 16 MiB are shown' : ''}
          </p>
        )}
        <footer className="follow-controls">
          <label>
            Show
            <select aria-label="Direction" value={String(shown)} onChange={(e) => setShown(e.target.value === 'both' ? 'both' : (Number(e.target.value) as 0 | 1))}>
              <option value="both">Entire conversation</option>
              {r !== null && <option value="0">{`${r.nodes[0]} → ${r.nodes[1]}`}</option>}
              {r !== null && <option value="1">{`${r.nodes[1]} → ${r.nodes[0]}`}</option>}
            </select>
          </label>
          <label>
            as
            <select aria-label="Show data as" value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
              <option value="ascii">ASCII</option>
              <option value="hex">Hex Dump</option>
              <option value="raw">Raw</option>
            </select>
          </label>
          <span className="follow-spacer" />
          <button type="button" onClick={close}>Close</button>
        </footer>
      </div>
    </div>
  );
}

function countLabel(r: FollowResult, dir: 0 | 1): string {
  return `${dir === 0 ? 'client' : 'server'} ${r.bytes[dir].toLocaleString('en')} bytes`;
}

function StreamText({ r, mode, shown }: { r: FollowResult; mode: Mode; shown: Shown }) {
  // As tshark's follow,…,hex: each side's offsets from its own first byte, the server's lines behind a tab.
  const hex = mode === 'hex' ? followHexChunks(r) : null;
  const parts = r.chunks.map((c, k) => {
    if (shown !== 'both' && shown !== c.dir) return null;
    let text: string;
    if (mode === 'ascii') text = asciiText(c.data);
    else if (hex !== null) text = hex[k].lines.join('\n') + '\n';
    else text = Array.from(c.data, (b) => b.toString(16).padStart(2, '0')).join('') + '\n';
    return <span key={k} className={c.dir === 0 ? 'follow-client' : 'follow-server'} data-frame={c.frame} title={`Frame ${c.frame}`}>{text}</span>;
  });
  return <>{parts}</>;
}
