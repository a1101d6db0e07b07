// The repository carries everything its tests, benches and scripts read: a clone in an empty folder (no
// workspace beside it) must pass `npm install && npm test`. Two ways that broke before: sources that read
// the development workspace's sibling folder of shared captures (absent from a clone), and fixtures present
// on disk but not in git (ignored or never added), so a clone lacks them.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSharedCaptures, SHARED_CAPTURES } from './lib/shared-captures.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SKIP_DIRS = new Set(['node_modules', '.git', 'build', 'dist', 'test-results', 'playwright-report', '.reports', 'captures']);
const SOURCE = /\.(ts|tsx|mjs|js|cjs|sh|json)$/;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!SKIP_DIRS.has(name)) sources(p, out);
    } else if (SOURCE.test(name) && name !== 'package-lock.json') out.push(p);
  }
  return out;
}

/** Paths written into the code that point outside the checkout. */
const OUTSIDE = [
  /\.{2}\/(\.{2}\/)*shared\b/, // the development workspace's shared folder, one or more levels up
  /['"`]\/work\//, // this machine's workspace
  /['"`]\/(root|home)\/[^'"`]*/, // somebody's home directory
];

describe('the repository is self-contained', () => {
  it('no source, test, bench or script names a path outside the checkout', () => {
    // The patterns catch what they are for (the strings are built so that this file names none of them).
    expect(OUTSIDE[0].test(['..', 'shared', 'captures', 'x.pcap'].join('/'))).toBe(true);
    expect(OUTSIDE[0].test(['..', '..', 'shared'].join('/'))).toBe(true);
    expect(OUTSIDE[0].test('./shared-captures.ts')).toBe(false);
    const bad: string[] = [];
    for (const file of sources(ROOT)) {
      if (file === import.meta.filename) continue;
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const re of OUTSIDE) if (re.test(line)) bad.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(bad).toEqual([]);
  });

  it('the test captures are inside the repository, with their origins and licences', () => {
    expect(SHARED_CAPTURES.startsWith(ROOT + '/')).toBe(true);
    const caps = listSharedCaptures();
    expect(caps.length).toBeGreaterThan(500);
    // Every capture is listed in SOURCES.tsv with a repository, a commit and a licence.
    const rows = readFileSync(join(SHARED_CAPTURES, 'SOURCES.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    const byPath = new Map(rows.map((r) => [r[0], r]));
    const unlisted = caps.filter((c) => !byPath.has(c.rel) && c.rel !== 'NOTICE').map((c) => c.rel);
    expect(unlisted).toEqual([]);
    for (const r of rows) {
      expect(r[1], r[0]).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{7,40}$/);
      expect(r[3], r[0]).not.toBe('');
    }
    expect(existsSync(join(ROOT, 'LICENSE'))).toBe(true);
    expect(existsSync(join(SHARED_CAPTURES, 'README.md'))).toBe(true);
  });

  it('every file the tests read from captures/ and public/ is tracked by git (a clone has it)', () => {
    if (!existsSync(join(ROOT, '.git'))) {
      // A source archive without history: nothing to compare against, and nothing missing by construction.
      expect(listSharedCaptures().length).toBeGreaterThan(500);
      return;
    }
    const tracked = new Set(execFileSync('git', ['ls-files', '-z', 'captures', 'public'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean));
    const onDisk: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else onDisk.push(relative(ROOT, p));
      }
    };
    walk(join(ROOT, 'captures'));
    walk(join(ROOT, 'public'));
    expect(onDisk.filter((p) => !tracked.has(p))).toEqual([]);
  });
});
