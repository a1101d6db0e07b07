// Which analysis the worker answers from when loads overlap: only the one the UI activated, never a load
// the user replaced before it showed, even if that load had read frames already. And one load reads at a
// time: the next starts once the one it stops has ended and answered.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { AnalyzerWorker as Worker } from './analyzer.worker.ts';
import type { OpenProgress, RowView } from './api.ts';

const CAPS = resolve(import.meta.dirname, '../captures');
const geneve = (): Blob => new Blob([readFileSync(resolve(CAPS, 'tcpdump/geneve.pcap'))]); // 39 frames
const gre = (): Blob => new Blob([readFileSync(resolve(CAPS, 'PcapPlusPlus/packetpp__GrePackets.pcap'))]); // 7 frames
const ALL: RowView = { tenant: null, sort: null, filter: '' };

let AnalyzerWorker: typeof Worker;
beforeAll(async () => {
  // Importing the module exposes an instance with Comlink, which listens for messages on globalThis.
  vi.stubGlobal('addEventListener', () => undefined);
  ({ AnalyzerWorker } = await import('./analyzer.worker.ts'));
});

describe('AnalyzerWorker: overlapping loads', () => {
  it('answers from a load only once the UI activates it', async () => {
    const w = new AnalyzerWorker();
    const res = await w.open(1, geneve(), 'geneve.pcap');
    expect(res.frames).toBe(39);
    expect((await w.status(ALL)).frames).toBe(0);
    w.activate(1);
    expect((await w.status(ALL)).frames).toBe(39);
  });

  it('never answers from a load replaced before the UI activated it, though it had read frames', async () => {
    const w = new AnalyzerWorker();
    w.activate(1);
    let second: Promise<unknown> | null = null;
    // The user's next open() arrives while the first load reports frames the UI has not acted on yet.
    const first = w.open(1, geneve(), 'geneve.pcap', (p: OpenProgress) => {
      if (p.frames > 0 && second === null) second = w.open(2, gre(), 'gre.pcap');
    });
    await expect(first).rejects.toThrow(/superseded/);
    expect(second).not.toBeNull();
    // The UI's activation of the first load, sent before it learnt of the second, comes too late.
    w.activate(1);
    expect((await w.status(ALL)).frames).toBe(0);
    await second;
    expect((await w.status(ALL)).frames).toBe(0);
    w.activate(2);
    expect((await w.status(ALL)).frames).toBe(7);
  });

  it('keeps the shown load when the next file is not a capture', async () => {
    const w = new AnalyzerWorker();
    const first = await w.open(1, geneve(), 'geneve.pcap', (p: OpenProgress) => {
      if (p.frames > 0) w.activate(1);
    });
    expect(first.frames).toBe(39);
    await expect(w.open(2, new Blob([new TextEncoder().encode('not a capture\n'.repeat(20))]), 'notes.txt')).rejects.toThrow();
    w.activate(2);
    expect((await w.status(ALL)).frames).toBe(39);
  });
});

/**
 * A Blob whose bytes past `held` arrive only once `gate` opens: a load still reading when the test
 * opens the next one.
 */
function heldBlob(bytes: Uint8Array, held: number, gate: Promise<void>): Blob {
  const part = (from: number): Pick<Blob, 'size' | 'slice' | 'stream'> => ({
    size: bytes.length - from,
    slice: ((at = 0) => part(from + at)) as Blob['slice'],
    stream: () => {
      let at = from;
      return new ReadableStream<Uint8Array>({
        async pull(c) {
          if (at >= held) await gate;
          const end = at < held ? held : bytes.length;
          c.enqueue(bytes.slice(at, end));
          at = end;
          if (at >= bytes.length) c.close();
        },
      }) as ReturnType<Blob['stream']>;
    },
  });
  return part(0) as Blob;
}

describe('AnalyzerWorker: one load at a time', () => {
  it('the next load starts reading only once the load it stops has ended, which answers first', async () => {
    const w = new AnalyzerWorker();
    let gateOpen = false;
    let open = (): void => undefined;
    const gate = new Promise<void>((r) => {
      open = () => {
        gateOpen = true;
        r();
      };
    });
    const settled: string[] = [];
    /** Whether the second load read its file while the first still waited for its bytes. */
    let readBeforeFirstEnded: boolean | null = null;
    const notes = new Blob([new TextEncoder().encode('not a capture\n'.repeat(20))]);
    const spied = {
      size: notes.size,
      slice: (...a: Parameters<Blob['slice']>) => {
        readBeforeFirstEnded ??= !gateOpen;
        return notes.slice(...a);
      },
      stream: () => {
        readBeforeFirstEnded ??= !gateOpen;
        return notes.stream();
      },
    } as Blob;
    let second: Promise<void> | null = null;
    const first = w.open(1, heldBlob(readFileSync(resolve(CAPS, 'tcpdump/geneve.pcap')), 2048, gate), 'geneve.pcap', (p: OpenProgress) => {
      if (p.frames === 0 || second !== null) return;
      // The UI shows the first load, then the user drops a file that is not a capture.
      w.activate(1);
      second = w.open(2, spied, 'notes.txt').then(() => { settled.push('second'); }, () => { settled.push('second'); });
      setTimeout(open, 0);
    }).then((r) => {
      settled.push('first');
      return r;
    });
    const r = await first;
    await second;
    expect(readBeforeFirstEnded).toBe(false);
    expect(settled).toEqual(['first', 'second']);
    // The first load stays active, with what it read before it was stopped.
    expect(r.cancelled).toBe(true);
    expect(r.frames).toBeGreaterThan(0);
    expect((await w.status(ALL)).frames).toBe(r.frames);
  });
});
