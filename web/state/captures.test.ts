// Several files opened together, against a stand-in worker: the first replaces what is open and shows, the
// others join it (open with `add`, activate) without being shown, all under one load ticket, so a later
// open stops the ones still to come; switching shows another capture of the group; a capture opened alone
// starts a new group (unfolded).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OpenResult } from '../../workers/api.ts';

const calls: string[] = [];
let gate: Promise<void> = Promise.resolve();
const worker = {
  open: vi.fn(async (id: number, file: Blob, name: string, onProgress?: (p: { frames: number; done: boolean }) => void, add?: boolean): Promise<OpenResult> => {
    calls.push(`open ${id} ${name}${add ? ' add' : ''}`);
    await gate;
    onProgress?.({ frames: 3, done: false });
    return { name, size: file.size, format: 'pcapng', gzip: false, frames: 3, bytes: 300, firstTime: null, lastTime: null, warnings: [], error: null, cancelled: false };
  }),
  activate: vi.fn((id: number) => { calls.push(`activate ${id}`); }),
  cancel: vi.fn((id: number) => { calls.push(`cancel ${id}`); }),
  showCapture: vi.fn((k: number) => { calls.push(`show ${k}`); }),
};
vi.mock('../analyzer.ts', () => ({ analyzer: () => worker, Comlink: { proxy: <T>(x: T): T => x } }));

const { appStore } = await import('./app-state.ts');
const { groupStore, openCaptures, showMerged, switchCapture } = await import('./captures.ts');
const { openCapture } = await import('./actions.ts');

const file = (name: string): File => new File([new Uint8Array(10)], name);

beforeEach(() => {
  calls.length = 0;
  gate = Promise.resolve();
});

describe('several captures', () => {
  it('opens the first as usual and adds the others without showing them', async () => {
    await openCaptures([file('a.pcapng'), file('b.pcapng'), file('c.pcapng')]);
    const id = Number(/^open (\d+)/.exec(calls[0])?.[1]);
    expect(calls).toEqual([`open ${id} a.pcapng`, `activate ${id}`, `open ${id} b.pcapng add`, `activate ${id}`, `open ${id} c.pcapng add`, `activate ${id}`]);
    const g = groupStore.get();
    expect(g.list.map((e) => [e.name, e.loading, e.result?.frames])).toEqual([['a.pcapng', false, 3], ['b.pcapng', false, 3], ['c.pcapng', false, 3]]);
    expect(g.shown).toBe(0);
    expect(appStore.get().capture?.name).toBe('a.pcapng');
    expect(appStore.get().loading).toBeNull();
  });

  it('switches to another capture of the group with a frame selected, and back', async () => {
    await openCaptures([file('a.pcapng'), file('b.pcapng')]);
    const before = appStore.get().analysisId;
    calls.length = 0;
    switchCapture(1, 2);
    expect(calls).toEqual(['show 1']);
    expect(appStore.get()).toMatchObject({ selected: 2, analysisId: before + 1 });
    expect(appStore.get().capture?.name).toBe('b.pcapng');
    expect(groupStore.get().shown).toBe(1);
    expect(groupStore.get().list).toHaveLength(2);
    switchCapture(0);
    expect(appStore.get().capture?.name).toBe('a.pcapng');
    expect(appStore.get().selected).toBeNull();
    showMerged(true);
    expect(groupStore.get().merged).toBe(true);
  });

  it('a later open stops the files still to come, and its capture alone is the group, unfolded', async () => {
    let release = (): void => undefined;
    gate = new Promise((r) => { release = r; });
    const together = openCaptures([file('a.pcapng'), file('b.pcapng'), file('c.pcapng')]);
    appStore.set((s) => ({ view: { ...s.view, fold: true } }));
    const alone = openCapture(file('d.pcapng'), 'd.pcapng');
    release();
    await Promise.all([together, alone]);
    expect(calls.filter((c) => c.startsWith('open'))).toEqual([expect.stringMatching(/a\.pcapng$/), expect.stringMatching(/d\.pcapng$/)]);
    expect(groupStore.get().list.map((e) => e.name)).toEqual(['d.pcapng']);
    expect(groupStore.get().merged).toBe(false);
    expect(appStore.get().capture?.name).toBe('d.pcapng');
    expect(appStore.get().view.fold).toBe(false);
    showMerged(true);
    expect(groupStore.get().merged).toBe(false);
  });
});
