// Layout: toolbar, messages, then the packet list over details | bytes on the left and the tenant,
// offload and chart panes on the right; status bar at the bottom.
import { useEffect, useRef } from 'react';
import { CaptureTabs } from './components/CaptureTabs.tsx';
import { ChartsPane } from './components/ChartsPane.tsx';
import { ColourRulesDialog } from './components/ColourRulesDialog.tsx';
import { FollowStreamDialog } from './components/FollowStreamDialog.tsx';
import { FieldMenu } from './components/FieldMenu.tsx';
import { ListMenus } from './components/ListMenus.tsx';
import { FilterBar } from './components/FilterBar.tsx';
import { GoToFrame } from './components/GoToFrame.tsx';
import { startFilterController } from './filter/controller.ts';
import { useFilterKeys } from './filter/keys.ts';
import { useListShortcuts } from './packet-list/shortcuts.ts';
import { setPanes, usePrefs } from './prefs/store.ts';
import { DropZone } from './components/DropZone.tsx';
import { FrameInspector } from './components/FrameInspector.tsx';
import { NoticeBar } from './components/NoticeBar.tsx';
import { HostsPane } from './components/HostsPane.tsx';
import { OffloadPane } from './components/OffloadPane.tsx';
import { PathsPane } from './components/PathsPane.tsx';
import { ListArea } from './components/ListArea.tsx';
import { Splitter } from './components/Splitter.tsx';
import { SkipLinks } from './components/SkipLinks.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { TenantsPane } from './components/TenantsPane.tsx';
import { Toolbar } from './components/Toolbar.tsx';
import { FilePropertiesDialog } from './stats/FilePropertiesDialog.tsx';
import { StatisticsDialog } from './stats/StatisticsDialog.tsx';
import { startRouter } from './share/router.ts';
import { useApp } from './state/app-state.ts';
import { pendingWork } from './state/settle.ts';

let sampleRequested = false;

export function App() {
  // Pane sizes are view preferences: they survive a reload.
  const listPct = usePrefs((p) => p.panes.list);
  const detailPct = usePrefs((p) => p.panes.details);
  const mainPct = usePrefs((p) => p.panes.side);
  const loadState = useApp((s) => (s.loading ? 'loading' : s.capture ? 'ready' : 'idle'));
  const captureName = useApp((s) => s.capture?.name ?? '');
  const appRef = useRef<HTMLDivElement>(null);

  // data-load-state "ready" also waits for the panes' last answers to show (settle.ts). Both attributes
  // are written here, together, straight to the element: the pending count changes many times a second
  // during a load and must not re-render the app, and this effect runs after the panes' own, so their
  // requests for this state are already counted.
  useEffect(() => {
    const el = appRef.current;
    if (!el) return;
    el.dataset.capture = captureName;
    const write = (): void => {
      el.dataset.loadState = loadState === 'ready' && pendingWork.get().count > 0 ? 'settling' : loadState;
    };
    write();
    return pendingWork.subscribe(write);
  }, [loadState, captureName]);

  useEffect(() => {
    document.title = captureName ? `${captureName} · Tunnelscope` : 'Tunnelscope';
  }, [captureName]);

  useEffect(() => {
    if (sampleRequested) return;
    sampleRequested = true;
    // Opens what the address's #fragment names (a shared link), or the bundled sample.
    void startRouter();
    startFilterController();
  }, []);
  useFilterKeys();
  useListShortcuts();

  return (
    <div className="app" ref={appRef}>
      <SkipLinks />
      <Toolbar />
      <FilterBar />
      <CaptureTabs />
      <NoticeBar />
      <main className="workspace" style={{ gridTemplateColumns: `minmax(0, ${mainPct}fr) 5px minmax(0, ${100 - mainPct}fr)` }}>
        <div className="left" style={{ gridTemplateRows: `${listPct}fr 5px ${100 - listPct}fr` }}>
          <ListArea />
          <Splitter orientation="horizontal" label="Resize packet list" value={listPct} onChange={(list) => setPanes({ list })} />
          <div className="lower" style={{ gridTemplateColumns: `${detailPct}fr 5px ${100 - detailPct}fr` }}>
            <FrameInspectorSplit pct={detailPct} onPct={(details) => setPanes({ details })} />
          </div>
        </div>
        <Splitter orientation="vertical" label="Resize side panel" value={mainPct} onChange={(side) => setPanes({ side })} />
        <aside className="side" aria-label="Analysis">
          <PathsPane />
          <TenantsPane />
          <HostsPane />
          <OffloadPane />
          <ChartsPane />
        </aside>
      </main>
      <StatusBar />
      <DropZone />
      <GoToFrame />
      <FieldMenu />
      <ListMenus />
      <ColourRulesDialog />
      <FollowStreamDialog />
      <StatisticsDialog />
      <FilePropertiesDialog />
    </div>
  );
}

function FrameInspectorSplit({ pct, onPct }: { pct: number; onPct: (p: number) => void }) {
  return <FrameInspector splitter={<Splitter orientation="vertical" label="Resize packet details" value={pct} onChange={onPct} />} />;
}
