// Locates the real captures from public projects (captures/ in the repository) for tests.
// Test-only helper: uses Node APIs, so nothing outside *.test.ts may import it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARED_CAPTURES = resolve(import.meta.dirname, '../../captures');

export interface SharedCapture {
  /** Path relative to SHARED_CAPTURES, as in SOURCES.tsv. */
  rel: string;
  path: string;
  size: number;
  /** SOURCES.tsv summary of what tshark sees, '' when not listed. */
  contents: string;
}

export function listSharedCaptures(): SharedCapture[] {
  const contents = new Map<string, string>();
  // Missing captures are a broken checkout, not a reason to test less: this throws (ENOENT) then.
  for (const line of readFileSync(join(SHARED_CAPTURES, 'SOURCES.tsv'), 'utf8').split('\n').slice(1)) {
    const cols = line.split('\t');
    if (cols.length >= 5) contents.set(cols[0], cols[4]);
  }
  const out: SharedCapture[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = statSync(p);
      if (st.isDirectory()) walk(p, r);
      else if (name !== 'SOURCES.tsv' && name !== 'README.md') out.push({ rel: r, path: p, size: st.size, contents: contents.get(r) ?? '' });
    }
  };
  walk(SHARED_CAPTURES, '');
  return out;
}

/** Every capture file under captures/ (pcap, pcapng, cap, ntar, gzip-compressed), in path order. */
export function captureFilePaths(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(pcap|pcapng|cap|ntar|gz)$/.test(name)) out.push(p);
    }
  };
  walk(SHARED_CAPTURES);
  return out;
}
