// Toolbar controls: Share (copies a link to the analysis and says what it holds) and Export (the
// frames shown, the flagged or the marked frames as pcapng; tenants and flows as CSV or JSON). Everything is made in
// the browser: nothing is uploaded. Texts are rendered as text, never as HTML.
import { useEffect, useRef, useState } from 'react';
import type { FrameSet as ApiFrameSet, TableFormat, TableName } from '../../workers/api.ts';
import { analyzer } from '../analyzer.ts';
import { errorMessage } from '../format.ts';
import { appStore, useApp } from '../state/app-state.ts';
import { markedFrames, useMarks } from '../state/marks.ts';
import { chooseShareLink } from './choose.ts';
import type { FrameSet, ShareLink } from './choose.ts';
import { baseName, partName } from './file-names.ts';
import { currentShareState } from './router.ts';
import { sha256Blob } from './sha256.ts';
import './share.css';

type Panel =
  | { kind: 'closed' }
  | { kind: 'busy'; text: string }
  | { kind: 'link'; link: ShareLink; copied: boolean }
  | { kind: 'error'; text: string };

function apiSet(set: FrameSet): ApiFrameSet {
  if (set === 'all') return { kind: 'all' };
  if (set === 'flagged') return { kind: 'flagged' };
  return { kind: 'view', view: appStore.get().view };
}

async function makeLink(onHashProgress: (pct: number) => void) {
  const s = appStore.get();
  const cap = s.capture;
  if (cap === null) return { ok: false as const, error: 'Open a capture first.' };
  if (cap.result === null) return { ok: false as const, error: 'Wait until the capture has finished loading.' };
  const status = await analyzer().status(s.view);
  const origin = cap.origin.kind === 'url' || cap.origin.kind === 'sample'
    ? { kind: 'url' as const, url: cap.origin.url }
    : { kind: 'file' as const, name: cap.name, size: cap.size };
  return chooseShareLink({
    base: `${location.origin}${location.pathname}${location.search}`,
    origin,
    view: currentShareState().view,
    counts: { frames: status.frames, shown: status.shown, flagged: status.bad },
    estimateBytes: (set) => analyzer().estimateExport(apiSet(set)),
    exportFrames: async (set, keep) => {
      const ex = await analyzer().exportPcapng(apiSet(set), keep);
      return { pcapng: new Uint8Array(await ex.blob.arrayBuffer()), frames: ex.frames, keptFrame: ex.keptFrame };
    },
    sha256: () => sha256Blob(cap.blob, { onProgress: (d, t) => onHashProgress(t > 0 ? Math.floor((d / t) * 100) : 100) }),
  });
}

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Capture name without its capture extensions, safe as a download name. */
function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has its own reference once started; the object URL is only needed for the click.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function ShareControls() {
  const ready = useApp((s) => s.capture !== null && s.capture.result !== null);
  const tenant = useApp((s) => s.view.tenant);
  const marked = useMarks().size;
  const [panel, setPanel] = useState<Panel>({ kind: 'closed' });
  const [menu, setMenu] = useState(false);
  const [exporting, setExporting] = useState<string | null>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (panel.kind === 'closed' && !menu) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        setPanel({ kind: 'closed' });
        setMenu(false);
      }
    };
    const onDown = (e: MouseEvent): void => {
      const t = e.target;
      if (!(t instanceof Node)) return;
      if (panelRef.current?.contains(t) || menuRef.current?.contains(t)) return;
      setPanel({ kind: 'closed' });
      setMenu(false);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onDown);
    };
  }, [panel.kind, menu]);

  const share = async (): Promise<void> => {
    setMenu(false);
    setPanel({ kind: 'busy', text: 'Making the link…' });
    try {
      const r = await makeLink((pct) => setPanel({ kind: 'busy', text: `Too big to embed: computing the file's SHA-256 fingerprint… ${pct}%` }));
      if (!r.ok) {
        setPanel({ kind: 'error', text: r.error });
        return;
      }
      setPanel({ kind: 'link', link: r.value, copied: await copy(r.value.url) });
    } catch (e) {
      setPanel({ kind: 'error', text: `Could not make a link: ${errorMessage(e)}` });
    }
  };

  const run = async (label: string, job: () => Promise<void>): Promise<void> => {
    setMenu(false);
    setExporting(label);
    try {
      await job();
    } catch (e) {
      appStore.set({ notice: { kind: 'error', text: `Export failed (${label}): ${errorMessage(e)}` } });
    } finally {
      setExporting(null);
    }
  };

  const exportFrames = (set: FrameSet, suffix: string, label: string): Promise<void> => run(label, async () => {
    const cap = appStore.get().capture;
    if (!cap) return;
    const ex = await analyzer().exportPcapng(apiSet(set));
    download(ex.blob, partName(cap.name, suffix));
  });

  const exportMarked = (): Promise<void> => run('marked frames', async () => {
    const cap = appStore.get().capture;
    if (!cap) return;
    const ex = await analyzer().exportPcapng({ kind: 'marked', frames: [...markedFrames()] });
    download(ex.blob, partName(cap.name, 'marked'));
  });

  const exportTable = (table: TableName, format: TableFormat, label: string): Promise<void> => run(label, async () => {
    const cap = appStore.get().capture;
    if (!cap) return;
    const t = table === 'flows' ? appStore.get().view.tenant : null;
    const text = await analyzer().exportTable(table, format, t);
    const suffix = table === 'flows' && t !== null ? `flows-${t.replace(':', '-')}` : table;
    download(new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' }), `${baseName(cap.name)}-${suffix}.${format}`);
  });

  return (
    <span className="share-controls">
      <button type="button" className="btn" disabled={!ready} onClick={() => void share()} aria-haspopup="dialog" aria-expanded={panel.kind !== 'closed'}>
        Share
      </button>
      <span className="share-anchor" ref={menuRef}>
        <button type="button" className="btn" disabled={!ready || exporting !== null} aria-haspopup="menu" aria-expanded={menu} onClick={() => { setPanel({ kind: 'closed' }); setMenu(!menu); }}>
          {exporting !== null ? 'Exporting…' : 'Export ▾'}
        </button>
        {menu && (
          <div className="share-menu" role="menu" aria-label="Export">
            <button type="button" role="menuitem" onClick={() => void exportFrames('shown', 'shown', 'frames shown')}>Frames shown (pcapng)</button>
            <button type="button" role="menuitem" title="Frames with a bad checksum (partial and zero checksums are not flagged)" onClick={() => void exportFrames('flagged', 'flagged', 'flagged frames (bad checksum)')}>Flagged frames: bad checksum (pcapng)</button>
            <button type="button" role="menuitem" disabled={marked === 0} title={marked === 0 ? 'Mark frames first: right-click a row, or Ctrl+M on the selected one' : `${marked} marked frames`} onClick={() => void exportMarked()}>Marked frames{marked > 0 ? ` (${marked})` : ''} (pcapng)</button>
            <button type="button" role="menuitem" onClick={() => void exportTable('tenants', 'csv', 'tenants CSV')}>Tenants (CSV)</button>
            <button type="button" role="menuitem" onClick={() => void exportTable('tenants', 'json', 'tenants JSON')}>Tenants (JSON)</button>
            <button type="button" role="menuitem" onClick={() => void exportTable('flows', 'csv', 'flows CSV')}>{tenant ? 'Flows of this tenant (CSV)' : 'Flows (CSV)'}</button>
            <button type="button" role="menuitem" onClick={() => void exportTable('flows', 'json', 'flows JSON')}>{tenant ? 'Flows of this tenant (JSON)' : 'Flows (JSON)'}</button>
          </div>
        )}
      </span>
      {panel.kind !== 'closed' && (
        <div className="share-panel" role="dialog" aria-label="Share" ref={panelRef}>
          {panel.kind === 'busy' && <p className="sp-text" role="status">{panel.text}</p>}
          {panel.kind === 'error' && <p className="sp-text sp-error" role="alert">{panel.text}</p>}
          {panel.kind === 'link' && (
            <>
              <p className="sp-title" role="status">{panel.copied ? 'Link copied to the clipboard' : 'Copy this link (the clipboard was not available)'}</p>
              <p className="sp-text" data-share-kind={panel.link.kind}>{panel.link.description}</p>
              <input
                className="sp-url"
                aria-label="Share link"
                readOnly
                value={panel.link.url}
                onFocus={(e) => e.currentTarget.select()}
              />
              <p className="sp-note">Nothing is uploaded: the capture part of the link is in its #fragment, which browsers never send to a server.</p>
              <div className="sp-actions">
                <button type="button" className="tool" onClick={() => void copy(panel.link.url).then((c) => setPanel({ ...panel, copied: c }))}>Copy again</button>
                <button type="button" className="tool" onClick={() => setPanel({ kind: 'closed' })}>Close</button>
              </div>
            </>
          )}
        </div>
      )}
    </span>
  );
}
