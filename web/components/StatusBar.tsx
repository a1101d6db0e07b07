// Status bar: `Frames: N · Shown: M · Tenants: T · Bad: B · Partial: P` (role status), plus the
// open file and its warnings outside the live region.
import { analyzer } from '../analyzer.ts';
import { bytes } from '../format.ts';
import { useApp, viewKey } from '../state/app-state.ts';
import { useWorkerQuery } from '../state/useWorkerQuery.ts';

export function StatusBar() {
  const vkey = useApp(viewKey);
  const view = useApp((s) => s.view);
  const capture = useApp((s) => s.capture);
  const loading = useApp((s) => s.loading);
  const st = useWorkerQuery(() => analyzer().status(view), vkey, { live: 'data' });
  const s = st ?? { frames: 0, shown: 0, tenants: 0, bad: 0, partial: 0 };
  const result = capture?.result ?? null;
  return (
    <footer className="statusbar">
      <span className="sb-file" title={capture ? capture.name : undefined}>
        {capture ? `${capture.name} · ${bytes(capture.size)}${result ? ` · ${result.format}${result.gzip ? ' (gzip)' : ''}` : ''}` : 'No capture'}
        {loading && capture && loading.name !== capture.name ? ` · loading ${loading.name}…` : ''}
      </span>
      <span role="status" className="sb-counts" aria-live="polite">
        {`Frames: ${s.frames} · Shown: ${s.shown} · Tenants: ${s.tenants} · Bad: ${s.bad} · Partial: ${s.partial}`}
      </span>
    </footer>
  );
}
