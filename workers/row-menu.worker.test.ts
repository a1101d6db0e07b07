// The worker's side of the packet list's menus: exporting the marked frames, a frame's facts and the
// cells of custom columns, through the Analyzer API.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Engine } from '../decoders/analysis/engine.ts';
import { MemorySource } from '../decoders/capture/memory-source.ts';
import type { AnalyzerWorker as Worker } from './analyzer.worker.ts';

const CAPS = resolve(import.meta.dirname, '../captures');
const geneve = (): Blob => new Blob([readFileSync(resolve(CAPS, 'tcpdump/geneve.pcap'))]); // 39 frames

let AnalyzerWorker: typeof Worker;
beforeAll(async () => {
  vi.stubGlobal('addEventListener', () => undefined);
  ({ AnalyzerWorker } = await import('./analyzer.worker.ts'));
});

async function opened(): Promise<Worker> {
  const w = new AnalyzerWorker();
  await w.open(1, geneve(), 'geneve.pcap');
  w.activate(1);
  return w;
}

describe('marked frames', () => {
  it('export as pcapng holding those frames only, in file order, each once', async () => {
    const w = await opened();
    const ex = await w.exportPcapng({ kind: 'marked', frames: [30, 4, 12, 4] });
    expect(ex.frames).toBe(3);
    const file = new Uint8Array(await ex.blob.arrayBuffer());
    const back = new Engine();
    await back.load(new MemorySource(file), 'marked.pcapng');
    expect(back.frames).toBe(3);
    const orig = await Promise.all([4, 12, 30].map((n) => w.detail(n)));
    for (let k = 0; k < 3; k++) {
      const loc = back.frameLocation(k + 1);
      expect(file.subarray(loc.offset, loc.offset + loc.caplen)).toEqual(orig[k].bytes);
    }
    const times = (await w.rows(0, 39, { tenant: null, sort: null, filter: 'frame.number in {4 12 30}' })).rows.map((r) => r.epoch);
    expect(back.rows(0, 3, { tenant: null, sort: null, filter: '' }).rows.map((r) => r.epoch)).toEqual(times);
    expect(await w.estimateExport({ kind: 'marked', frames: [4, 12, 30] })).toBeGreaterThan(0);
  });

  it('refuse a frame number the capture does not have', async () => {
    const w = await opened();
    await expect(w.exportPcapng({ kind: 'marked', frames: [1, 40] })).rejects.toThrow(/no frame 40/);
    await expect(w.estimateExport({ kind: 'marked', frames: [0] })).rejects.toThrow(/no frame 0/);
  });
});

describe('frame facts and custom cells', () => {
  it('answer for the open capture', async () => {
    const w = await opened();
    const f = await w.frameFacts(1);
    expect(f.n).toBe(1);
    expect(f.tenant).toMatch(/^geneve:\d+$/);
    const cells = await w.customCells([2, 1], ['geneve.vni', 'frame.number']);
    expect(cells.map((c) => c[1].text)).toEqual(['2', '1']);
    expect(cells[1][1].filter).toBe('frame.number == 1');
    expect(cells[1][0].text).not.toBe('');
    await expect(w.frameFacts(99)).rejects.toThrow(/no frame 99/);
  });

  it('say no capture is open before one is', async () => {
    const w = new AnalyzerWorker();
    await expect(w.frameFacts(1)).rejects.toThrow(/no capture is open/);
    await expect(w.customCells([1], ['ip.ttl'])).rejects.toThrow(/no capture is open/);
  });
});
