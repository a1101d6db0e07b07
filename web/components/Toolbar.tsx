// Top bar: the app name, Open… (file picker), Load sample, Share and Export, View (time display format,
// columns, layout), and the load progress.
import { useRef } from 'react';
import { loadSample } from '../state/actions.ts';
import { openCaptures } from '../state/captures.ts';
import { useApp } from '../state/app-state.ts';
import { LoadProgressBar } from './LoadProgressBar.tsx';
import { ShareControls } from '../share/ShareControls.tsx';
import { closeMenu, menuStore, openMenu, useListMenu } from '../state/menus.ts';
import { StatisticsMenu } from '../stats/StatisticsMenu.tsx';

export function Toolbar() {
  const input = useRef<HTMLInputElement>(null);
  const capture = useApp((s) => s.capture);
  const viewOpen = useListMenu()?.kind === 'view';
  return (
    <div className="toolbar" role="toolbar" aria-label="Capture">
      <span className="brand" aria-hidden="true">
        <span className="logo">◈</span> Tunnelscope
      </span>
      <button type="button" className="btn primary" onClick={() => input.current?.click()}>
        Open…
      </button>
      <input
        ref={input}
        type="file"
        className="visually-hidden"
        // Open… is its Tab stop; focus on the hidden input itself would be invisible.
        tabIndex={-1}
        multiple
        aria-label="Open capture file"
        accept=".pcap,.pcapng,.cap,.gz,.pcap.gz,.pcapng.gz,application/vnd.tcpdump.pcap"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          void openCaptures(files);
        }}
      />
      <button type="button" className="btn" onClick={() => void loadSample()}>
        Load sample
      </button>
      <ShareControls />
      <button
        type="button"
        className="btn"
        aria-haspopup="menu"
        aria-expanded={viewOpen}
        // The menu closes itself on a press outside it; a press on this button while it is open must not reopen it.
        onMouseDown={(e) => { if (viewOpen) e.stopPropagation(); }}
        onClick={(e) => {
          if (menuStore.get().menu?.kind === 'view') { closeMenu(); return; }
          const box = e.currentTarget.getBoundingClientRect();
          openMenu({ kind: 'view', x: box.left, y: box.bottom + 4 });
        }}
      >
        View ▾
      </button>
      <StatisticsMenu />
      <span className="tb-file" title={capture?.name}>{capture ? capture.name : ''}</span>
      <span className="tb-spacer" />
      <LoadProgressBar />
      <span className="tb-hint">Drop a capture anywhere</span>
    </div>
  );
}
