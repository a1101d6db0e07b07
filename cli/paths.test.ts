// `tunnelscope --paths` as users run it, on generated captures of the same packets at several points.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pairScenario, pktmonScenario, type Scenario } from '../scripts/lib/paths-captures.ts';
import type { PathsJson } from '../decoders/analysis/paths.ts';
import { Engine } from '../decoders/analysis/engine.ts';
import { MemorySource } from '../decoders/capture/memory-source.ts';
import { frameBytes } from './paths.ts';

const root = resolve(import.meta.dirname, '..');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'cli/tunnelscope.mjs'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(sc: Scenario, dir: string): string[] {
  return sc.captures.map((c) => {
    const p = join(dir, c.name);
    writeFileSync(p, c.bytes);
    return p;
  });
}

const counted = (f: { cause: string; from: string | null; to: string; tenant: string | null; check: string | null; count: number }): string =>
  JSON.stringify([f.cause, f.from, f.to, f.tenant, f.check, f.count]);

describe('tunnelscope --paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tunnelscope-paths-'));
  const pair = pairScenario();
  const [sender, receiver] = write(pair, dir);

  it('prints where it broke for a sender-side and a receiver-side capture', () => {
    const r = cli('--paths', sender, receiver, '--jobs', '1');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as PathsJson & { warnings: unknown[] };
    expect(Object.keys(j)).toEqual(['captures', 'window', 'packets', 'matched', 'unmatched', 'points', 'offsets', 'pairs', 'folded', 'undetermined', 'findings', 'warnings']);
    expect(j.captures).toEqual(['sender.pcapng', 'receiver.pcapng']);
    expect(j.window).toBe(1);
    expect(j.matched).toBe(pair.matched);
    expect(j.unmatched).toEqual(pair.unmatched);
    expect(j.findings.map(counted).sort()).toEqual(pair.findings.map(counted).sort());
    expect(Object.keys(j.findings[0])).toEqual(['cause', 'from', 'to', 'tenant', 'check', 'count', 'examples', 'text']);
    expect(j.findings.every((f) => f.examples.every(([c, n]) => j.captures.includes(c) && Number.isInteger(n) && n > 0))).toBe(true);
    expect(Math.abs((j.offsets[1].seconds ?? NaN) - 3.7)).toBeLessThan(0.0001);
    expect(j.warnings).toEqual([]);
  });

  it('reads a gzip capture twice over (keys, then the frames that went bad)', () => {
    const gz = join(dir, 'receiver.pcapng.gz');
    writeFileSync(gz, gzipSync(pair.captures[1].bytes));
    const r = cli('--paths', sender, gz, '--jobs', '1', '--window=2');
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as PathsJson;
    expect(j.window).toBe(2);
    const renamed = pair.findings.map((f) => ({ ...f, from: f.from === 'receiver.pcapng' ? 'receiver.pcapng.gz' : f.from, to: f.to === 'receiver.pcapng' ? 'receiver.pcapng.gz' : f.to }));
    expect(j.findings.map(counted).sort()).toEqual(renamed.map(counted).sort());
    expect(j.undetermined).toBe(0);
  });

  it('reads a gzip capture at an offset before the last one read by decompressing it again', async () => {
    const bytes = pair.captures[1].bytes;
    const gz = join(dir, 'again.pcapng.gz');
    writeFileSync(gz, gzipSync(bytes));
    const e = new Engine();
    await e.load(new MemorySource(gzipSync(bytes)), 'again.pcapng.gz');
    expect(e.result?.gzip).toBe(true);
    const src = frameBytes(e, gz);
    try {
      const late = bytes.length - 100, early = 200;
      expect(await src.read(late, 50)).toEqual(bytes.subarray(late, late + 50));
      expect(await src.read(early, 50)).toEqual(bytes.subarray(early, early + 50));
    } finally {
      await src.close();
    }
  });

  it('takes one pktmon capture alone: the packet ids give the paths', () => {
    const sc = pktmonScenario();
    const [file] = write(sc, dir);
    const j = JSON.parse(cli('--paths', file, '--jobs', '1', '--pretty').stdout) as PathsJson;
    expect(j.findings.map(counted).sort()).toEqual(sc.findings.map(counted).sort());
    expect(j.folded['pktmon.pcapng']).toBeGreaterThan(0);
  });

  it('says what is wrong with the command or a file, exit 2', () => {
    const none = cli('--paths');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('--paths needs the capture files to compare');
    const win = cli('--paths', sender, receiver, '--window', '0');
    expect(win.status).toBe(2);
    expect(win.stderr).toContain('--window needs a positive number of seconds');
    const missing = cli('--paths', sender, join(dir, 'nope.pcapng'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`tunnelscope: ${join(dir, 'nope.pcapng')}: no such file\n`);
    const notCapture = join(dir, 'notes.txt');
    writeFileSync(notCapture, 'hello, this is not a capture file at all');
    const bad = cli('--paths', sender, notCapture);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^tunnelscope: .*notes\.txt: /);
    const opt = cli('--paths', sender, '--frames');
    expect(opt.status).toBe(2);
    expect(opt.stderr).toContain('unknown option --frames with --paths');
    const help = cli('--paths', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: tunnelscope --paths FILE [FILE...]');
  });
});
