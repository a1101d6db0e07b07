// The numbers the status bar must show for a file, taken from the CLI (`tunnelscope FILE`, i.e.
// cli/tunnelscope.mjs running cli/main.ts through tsx).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import type { CaptureSummaryJson, FrameJson } from '../../decoders/analysis/types.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = resolve(ROOT, 'captures');

export interface StatusExpect {
  frames: number;
  tenants: number;
  bad: number;
  partial: number;
  summary: CaptureSummaryJson;
}

function cli(args: string[]): string {
  return execFileSync(process.execPath, [resolve(ROOT, 'cli/tunnelscope.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
}

/** Frames / tenants / frames with a bad verdict / frames with a partial verdict, as the CLI reports them. */
export function cliExpect(file: string): StatusExpect {
  const summary = JSON.parse(cli([file])) as CaptureSummaryJson;
  let partial = 0;
  for (const line of cli(['--frames', file]).split('\n')) {
    if (!line.trim()) continue;
    const f = JSON.parse(line) as FrameJson;
    if (Object.values(f.checks).includes('partial')) partial++;
  }
  return { frames: summary.frames, tenants: summary.tenants.length, bad: summary.flagged.length, partial, summary };
}

export function statusText(e: { frames: number; shown?: number; tenants: number; bad: number; partial: number }): string {
  return `Frames: ${e.frames} · Shown: ${e.shown ?? e.frames} · Tenants: ${e.tenants} · Bad: ${e.bad} · Partial: ${e.partial}`;
}

export function parseStatus(text: string): { frames: number; shown: number; tenants: number; bad: number; partial: number } {
  const m = /^Frames: (\d+) · Shown: (\d+) · Tenants: (\d+) · Bad: (\d+) · Partial: (\d+)$/.exec(text.trim());
  if (!m) throw new Error(`status bar text not in the expected format: ${text}`);
  return { frames: +m[1], shown: +m[2], tenants: +m[3], bad: +m[4], partial: +m[5] };
}
