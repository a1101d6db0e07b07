// Test helpers: generated frames written to a capture, read by tshark and by our engine, so a test can set
// tshark's Protocol/Info columns and filter matches beside ours. Used by the application-layer tests.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillLayerRows } from '../../decoders/analysis/layer-rows.ts';
import { Engine } from '../../decoders/analysis/engine.ts';
import type { PacketRow } from '../../decoders/analysis/rows.ts';
import { MemorySource } from '../../decoders/capture/memory-source.ts';
import { writePcapng } from '../../decoders/capture/pcapng-writer.ts';
import { resolvePending } from '../../decoders/filter/runner.ts';

export const TSHARK = '/usr/bin/tshark';

/**
 * tshark as the application-layer tests run it: no name resolution, no TCP reassembly (we decode one segment
 * at a time), VXLAN also on Linux's port 8472 (as we do).
 */
export const TSHARK_APP_ARGS = ['-n', '-o', 'tcp.desegment_tcp_streams:FALSE', '-d', 'udp.port==8472,vxlan'];

/** A frame captured short: its first bytes, and its length on the wire. */
export interface CutFrame {
  data: Uint8Array;
  origlen: number;
}

/** Ethernet frames as one pcapng (one second apart). */
export function framesCapture(frames: ReadonlyArray<Uint8Array | CutFrame>): Uint8Array {
  return writePcapng([{ linktype: 1, snaplen: 65535, name: 'eth0' }], frames.map((f, i) => (
    f instanceof Uint8Array ? { tsSec: 1_700_000_000 + i, tsNsec: 0, data: f } : { tsSec: 1_700_000_000 + i, tsNsec: 0, data: f.data, origlen: f.origlen })));
}

/** Runs fn with the capture written to a temporary file (removed when fn, or the promise it returns, ends). */
export function withFile<T>(bytes: Uint8Array, fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'tunnelscope-app-'));
  const done = () => rmSync(dir, { recursive: true, force: true });
  let result: T;
  try {
    const path = join(dir, 'frames.pcapng');
    writeFileSync(path, bytes);
    result = fn(path);
  } catch (e) {
    done();
    throw e;
  }
  if (result instanceof Promise) return result.finally(done) as T;
  done();
  return result;
}

/** tshark's values of `fields` per frame number (tab-separated fields, text as UTF-8). */
export function tsharkFields(path: string, fields: readonly string[], filter = ''): Map<number, string[]> {
  const args = ['-r', path, ...TSHARK_APP_ARGS, ...(filter !== '' ? ['-Y', filter] : []), '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.number', ...fields.flatMap((f) => ['-e', f])];
  let out: string;
  try {
    out = execFileSync(TSHARK, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
  } catch (e) {
    // A damaged capture makes tshark exit non-zero after printing what it read.
    out = String((e as { stdout?: string }).stdout ?? '');
  }
  const m = new Map<number, string[]>();
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const [n, ...rest] = line.split('\t');
    m.set(Number(n), rest);
  }
  return m;
}

/** `Protocol | Info` per frame number, as tshark writes them. */
export function tsharkColumns(path: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const [n, [p, i]] of tsharkFields(path, ['_ws.col.Protocol', '_ws.col.Info'])) m.set(n, `${p} | ${i ?? ''}`);
  return m;
}

/** The frame numbers tshark's display filter matches. */
export function tsharkMatches(path: string, filter: string): Set<number> {
  return new Set(tsharkFields(path, [], filter).keys());
}

/** Our rows of a capture, completed from the frames' bytes as the app shows them. */
export async function ourRows(bytes: Uint8Array): Promise<PacketRow[]> {
  const e = new Engine();
  const src = new MemorySource(bytes);
  await e.load(src, 'frames.pcapng');
  const rows = e.rows(0, e.frames, { tenant: null, sort: null, filter: '' }).rows;
  await fillLayerRows(e, rows, src);
  return rows;
}

/** The frame numbers our display filter matches (column tier, then the bytes). */
export async function ourMatches(bytes: Uint8Array, filter: string): Promise<Set<number>> {
  const e = new Engine();
  const src = new MemorySource(bytes);
  await e.load(src, 'frames.pcapng');
  const run = e.filters.get(filter);
  await resolvePending(e, run, src);
  const out = new Set<number>();
  for (let i = 0; i < e.frames; i++) if (run.state[i] === 1) out.add(i + 1);
  return out;
}
