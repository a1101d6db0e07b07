// Top bar: the app name, Open… (file picker), Load sample, and the load progress.
import { useRef } from 'react';
import { loadSample, openCapture } from '../state/actions.ts';
import { useApp } from '../state/app-state.ts';
import { LoadProgressBar } from './LoadProgressBar.tsx';
import { ShareControls } from '../share/ShareControls.tsx';

export function Toolbar() {
  const input = useRef<HTMLInputElement>(null);
  const capture = useApp((s) => s.capture);
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
        aria-label="Open capture file"
        accept=".pcap,.pcapng,.cap,.gz,.pcap.gz,.pcapng.gz,application/vnd.tcpdump.pcap"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void openCapture(f, f.name);
        }}
      />
      <button type="button" className="btn" onClick={() => void loadSample()}>
        Load sample
      </button>
      <ShareControls />
      <span className="tb-file" title={capture?.name}>{capture ? capture.name : ''}</span>
      <span className="tb-spacer" />
      <LoadProgressBar />
      <span className="tb-hint">Drop a capture anywhere</span>
    </div>
  );
}
