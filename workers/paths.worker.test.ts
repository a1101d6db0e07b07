// Several captures open in the worker: files opened together join the open captures (the shown one stays),
// showCapture() switches which one rows()/status() answer from, a file opened alone replaces them all, and
// paths() compares them as the CLI does, once every one has loaded.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { pairScenario, pktmonScenario } from '../scripts/lib/paths-captures.ts';
import type { AnalyzerWorker as Worker } from './analyzer.worker.ts';
import type { OpenProgress, RowView } from './api.ts';

const ALL: RowView = { tenant: null, sort: null, filter: '' };
const pair = pairScenario();
const pktmon = pktmonScenario();
const blob = (b: Uint8Array): Blob => new Blob([new Uint8Array(b)]);
const counted = (f: { cause: string; from: string | null; to: string; tenant: string | null; check: string | null; count: number }): string =>
  JSON.stringify([f.cause, f.from, f.to, f.tenant, f.check, f.count]);

let AnalyzerWorker: typeof Worker;
beforeAll(async () => {
  vi.stubGlobal('addEventListener', () => undefined);
  ({ AnalyzerWorker } = await import('./analyzer.worker.ts'));
});

/** Opens the pair as the UI does: the first replaces what is open, the second joins it. */
async function openPair(w: Worker, id = 1): Promise<number[]> {
  const [a, b] = pair.captures;
  const first = await w.open(id, blob(a.bytes), a.name, (p: OpenProgress) => { if (p.frames > 0) w.activate(id); });
  w.activate(id);
  const second = await w.open(id, blob(b.bytes), b.name, undefined, true);
  w.activate(id);
  return [first.frames, second.frames];
}

describe('AnalyzerWorker: several captures', () => {
  it('keeps the shown capture when another joins, and switches with showCapture', async () => {
    const w = new AnalyzerWorker();
    const [na, nb] = await openPair(w);
    expect(na).not.toBe(nb);
    expect((await w.status(ALL)).frames).toBe(na);
    w.showCapture(1);
    expect((await w.status(ALL)).frames).toBe(nb);
    w.showCapture(0);
    expect((await w.status(ALL)).frames).toBe(na);
    expect(() => w.showCapture(2)).toThrow(/no capture 2/);
    expect(await w.pathsScope()).toEqual({ captures: ['sender.pcapng', 'receiver.pcapng'], packetIds: [false, false], comparable: true });
  });

  it('compares the open captures: the findings that were built, and each packet\'s path', async () => {
    const w = new AnalyzerWorker();
    await openPair(w);
    const r = await w.paths(1);
    expect(r.captures).toEqual(['sender.pcapng', 'receiver.pcapng']);
    expect(r.findings.map(counted).sort()).toEqual(pair.findings.map(counted).sort());
    expect(r.matched).toBe(pair.matched);
    expect(r.warnings).toEqual([]);
    const offload = r.findings.find((f) => f.cause === 'offload');
    expect(offload).toBeDefined();
    const [name, frame] = offload!.examples[0];
    const path = await w.pathOf(r.captures.indexOf(name), frame);
    expect(path?.stops.map((s) => s.captureName)).toEqual(['sender.pcapng', 'receiver.pcapng']);
    expect(path?.findings.map((f) => f.cause)).toEqual(['offload']);
    const [s0, s1] = path!.stops;
    const d = await w.pathDiff([s0.capture, s0.frame], [s1.capture, s1.frame]);
    expect(d.checksumOnly).toBe(true);
    expect(d.fields).toContain('tcp.checksum');
    expect(d.ranges[0].aBytes).not.toEqual(d.ranges[0].bBytes);
  });

  it('a file opened alone replaces the captures open together, and its comparison', async () => {
    const w = new AnalyzerWorker();
    await openPair(w);
    await w.paths(1);
    const one = await w.open(2, blob(pair.captures[1].bytes), 'again.pcapng', (p: OpenProgress) => { if (p.frames > 0) w.activate(2); });
    w.activate(2);
    expect(await w.pathsScope()).toEqual({ captures: ['again.pcapng'], packetIds: [false], comparable: false });
    expect((await w.status(ALL)).frames).toBe(one.frames);
    expect(await w.pathOf(0, 1)).toBeNull();
    expect(() => w.showCapture(1)).toThrow(/no capture 1/);
  });

  it('does not compare while a capture is still loading', async () => {
    const w = new AnalyzerWorker();
    const [a, b] = pair.captures;
    await w.open(1, blob(a.bytes), a.name);
    w.activate(1);
    let tried: Promise<unknown> | null = null;
    await w.open(1, blob(b.bytes), b.name, (p: OpenProgress) => {
      if (p.frames > 0 && tried === null) { w.activate(1); tried = w.paths(1).catch((e: unknown) => e); }
    }, true);
    expect(tried).not.toBeNull();
    expect(String(await tried)).toMatch(/still loading/);
  });

  it('merges the open captures by time, each frame once with its capture, clock offsets taken out', async () => {
    const w = new AnalyzerWorker();
    const [na, nb] = await openPair(w);
    const r = await w.paths(1);
    const shifts = r.offsets.map((o) => o.seconds ?? 0);
    const m = await w.mergedRows(0, na + nb + 10, shifts);
    expect(m.total).toBe(na + nb);
    const seen = new Set(m.rows.map((x) => `${x.capture}:${x.n}`));
    expect(seen.size).toBe(na + nb);
    for (let k = 1; k < m.rows.length; k++) expect(m.rows[k].mergedTime ?? NaN).toBeGreaterThanOrEqual(m.rows[k - 1].mergedTime ?? NaN);
    // With the receiver's 3.7 s taken out, a packet's two copies are next to each other in time.
    const f = r.findings.find((x) => x.cause === 'offload')!;
    const path = await w.pathOf(1, f.examples[0][1]);
    const [a, b] = path!.stops;
    const pa = await w.mergedIndexOf(a.capture, a.frame, shifts), pb = await w.mergedIndexOf(b.capture, b.frame, shifts);
    expect(m.rows[pa]).toMatchObject({ capture: a.capture, n: a.frame });
    expect(m.rows[pb]).toMatchObject({ capture: b.capture, n: b.frame });
    expect(Math.abs((m.rows[pb].mergedTime ?? NaN) - (m.rows[pa].mergedTime ?? NaN))).toBeLessThan(0.01);
    // Unshifted, the receiver's frames all come after the sender's (its clock is 3.7 s ahead).
    const raw = await w.mergedRows(0, na + nb, [0, 0]);
    expect(raw.rows.slice(0, na).every((x) => x.capture === 0)).toBe(true);
    const part = await w.mergedRows(5, 3, shifts);
    expect(part.rows.map((x) => `${x.capture}:${x.n}`)).toEqual(m.rows.slice(5, 8).map((x) => `${x.capture}:${x.n}`));
  });

  it('folds a pktmon capture: each packet once, its copies one call away', async () => {
    const w = new AnalyzerWorker();
    const c = pktmon.captures[0];
    const res = await w.open(1, blob(c.bytes), c.name);
    w.activate(1);
    expect((await w.pathsScope()).comparable).toBe(true);
    const f = await w.foldedCounts(0);
    expect(f?.frames).toBe(res.frames);
    expect(f?.packets).toBe(pktmon.packets.length);
    const copies = await w.copiesOf(0, 1);
    expect(copies.length).toBeGreaterThan(1);
    expect(await w.copiesOf(0, copies[copies.length - 1])).toEqual(copies);
  });
});
