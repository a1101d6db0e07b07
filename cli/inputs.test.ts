// Which captures a command line names (cli/inputs.ts): globs, capture sniffing in directories, names.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concat, pcapHeader, pcapRecord } from '../decoders/capture/test-bytes.ts';
import { expandGlob, expandInputs, looksLikeCapture, nameCaptures } from './inputs.ts';

let dir = '';
const pcap = concat(pcapHeader(), pcapRecord({ sec: 1, frac: 0, data: new Uint8Array(60) }));
const pcapng = new Uint8Array([0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 28, 0, 0, 0]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tunnelscope-inputs-'));
  for (const d of ['a/b/c', 'a/.hid', 'z']) mkdirSync(join(dir, d), { recursive: true });
  const files: Record<string, Uint8Array | string> = {
    'a/one.pcap': pcap, 'a/b/two.pcapng': pcapng, 'a/b/c/three': pcap, 'a/b/c/four.pcap.gz': gzipSync(pcap), 'a/b/notes.txt': 'text',
    'a/b/text.gz': gzipSync('text, not packets'), 'a/.hid/five.pcap': pcap, 'a/b/.six.pcap': pcap, 'z/seven.pcap': pcap, 'a/[x].pcap': pcap,
  };
  for (const [p, b] of Object.entries(files)) writeFileSync(join(dir, p), b);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('capture inputs', () => {
  it('tells captures from other files by their first bytes (gzip: what it inflates to)', async () => {
    const at = (p: string) => looksLikeCapture(join(dir, p));
    expect(await Promise.all(['a/one.pcap', 'a/b/two.pcapng', 'a/b/c/three', 'a/b/c/four.pcap.gz'].map(at))).toEqual([true, true, true, true]);
    expect(await Promise.all(['a/b/notes.txt', 'a/b/text.gz', 'a/b', 'missing'].map(at))).toEqual([false, false, false, false]);
  });

  it('expands *, ?, [...] and ** (hidden names only when the pattern names them)', async () => {
    const g = (p: string) => expandGlob(join(dir, p)).then((l) => l.map((x) => x.slice(dir.length + 1)));
    expect(await g('a/**/*.pcap*')).toEqual(['a/[x].pcap', 'a/one.pcap', 'a/b/two.pcapng', 'a/b/c/four.pcap.gz']);
    expect(await g('*/?ne.pcap')).toEqual(['a/one.pcap']);
    expect(await g('[az]/*.pcap')).toEqual(['a/[x].pcap', 'a/one.pcap', 'z/seven.pcap']);
    expect(await g('a/[!o]*.pcap')).toEqual(['a/[x].pcap']);
    expect(await g('a/b/.*')).toEqual(['a/b/.six.pcap']);
    expect(await g('**/three')).toEqual(['a/b/c/three']);
  });

  it('walks directories for captures, keeps argument order, counts a file once, reports what matched nothing', async () => {
    const r = await expandInputs([join(dir, 'z'), join(dir, 'a'), join(dir, 'a/one.pcap'), join(dir, 'nope*'), join(dir, 'a/.hid')]);
    expect(r.captures.map((c) => c.name)).toEqual(['z/seven.pcap', 'a/[x].pcap', 'a/b/c/four.pcap.gz', 'a/b/c/three', 'a/b/two.pcapng', 'a/one.pcap', 'a/.hid/five.pcap']);
    expect(r.errors).toEqual([{ path: join(dir, 'nope*'), message: 'no file matches' }]);
    const none = await expandInputs([join(dir, 'a/b/c/three'), join(dir, 'a/b/notes.txt')]);
    expect(none.captures.map((c) => c.name)).toEqual(['c/three', 'notes.txt']);
  });

  it('names captures from the deepest directory they share; one capture by its file name', () => {
    expect(nameCaptures(['/x/h1/a.pcap', '/x/h2/b/a.pcap']).map((c) => c.name)).toEqual(['h1/a.pcap', 'h2/b/a.pcap']);
    expect(nameCaptures(['/x/a.pcap', '/x/b.pcap']).map((c) => c.name)).toEqual(['a.pcap', 'b.pcap']);
    expect(nameCaptures(['/x/y/a.pcap']).map((c) => c.name)).toEqual(['a.pcap']);
    expect(nameCaptures(['/a.pcap', '/x/b.pcap']).map((c) => c.name)).toEqual(['a.pcap', 'x/b.pcap']);
  });
});
