// The captures a command line names: files as given, directories walked (recursively, hidden entries
// skipped, files that start like a capture taken), globs matched (`*`, `?`, `[...]`, and `**` for any
// depth, for shells that leave them unexpanded). Every capture gets a name: its path from the deepest
// directory common to all of them (the file name when they share one folder).
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { sniffFormat } from '../decoders/capture/sniff.ts';

export interface CaptureInput {
  path: string;
  /** The `file` of its summary, rows and partitions. */
  name: string;
}

export interface InputError {
  path: string;
  message: string;
}

const GLOB = /[*?[]/;

export function isGlob(arg: string): boolean {
  return GLOB.test(arg);
}

/** A glob segment as a regular expression (`*` and `?` within one name, `[...]` a class). */
function segmentRe(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = seg.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

async function entries(dir: string): Promise<Array<{ name: string; dir: boolean }>> {
  try {
    const list = await readdir(dir, { withFileTypes: true });
    const out: Array<{ name: string; dir: boolean }> = [];
    for (const d of list) {
      let isDir = d.isDirectory();
      // Symbolic links count as what they point to.
      if (d.isSymbolicLink()) isDir = await stat(join(dir, d.name)).then((s) => s.isDirectory(), () => false);
      out.push({ name: d.name, dir: isDir });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

/** Paths matching a glob, sorted. */
export async function expandGlob(pattern: string): Promise<string[]> {
  const abs = pattern.startsWith('/');
  const segs = pattern.split('/').filter((s, k) => s !== '' || k === 0);
  let base = abs ? '/' : '.';
  let k = abs ? 1 : 0;
  while (k < segs.length - 1 && !isGlob(segs[k])) base = join(base, segs[k++]);
  const out: string[] = [];
  const walk = async (dir: string, rest: string[], shown: string): Promise<void> => {
    if (rest.length === 0) return;
    const [seg, ...tail] = rest;
    if (seg === '**') {
      await walk(dir, tail, shown);
      for (const e of await entries(dir)) if (e.dir && !e.name.startsWith('.')) await walk(join(dir, e.name), rest, join(shown, e.name));
      return;
    }
    const re = segmentRe(seg);
    for (const e of await entries(dir)) {
      if (!re.test(e.name) || (e.name.startsWith('.') && !seg.startsWith('.'))) continue;
      if (tail.length === 0) out.push(join(shown, e.name));
      else if (e.dir) await walk(join(dir, e.name), tail, join(shown, e.name));
    }
  };
  await walk(base, segs.slice(k), abs ? base : base === '.' ? '' : base);
  return out;
}

/** Whether a file starts like a capture: pcap or pcapng, or gzip whose first bytes inflate to one. */
export async function looksLikeCapture(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'r');
    const buf = new Uint8Array(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    const f = sniffFormat(head);
    if (f !== 'gzip') return f !== null;
    try {
      const inner = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
      return sniffFormat(inner.subarray(0, 16)) !== null && sniffFormat(inner.subarray(0, 16)) !== 'gzip';
    } catch {
      return false;
    }
  } catch {
    return false;
  } finally {
    await fh?.close();
  }
}

async function walkDir(dir: string, out: string[]): Promise<void> {
  for (const e of await entries(dir)) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.dir) await walkDir(p, out);
    else if (await looksLikeCapture(p)) out.push(p);
  }
}

/**
 * The captures of the arguments, in argument order (a directory's and a glob's sorted), each once. Names that
 * match nothing are errors; a file named outright is taken whatever it holds (reading it says what is wrong).
 */
export async function expandInputs(args: readonly string[]): Promise<{ captures: CaptureInput[]; errors: InputError[] }> {
  const paths: string[] = [];
  const errors: InputError[] = [];
  for (const a of args) {
    const st = await stat(a).catch(() => null);
    if (st?.isDirectory()) {
      const found: string[] = [];
      await walkDir(a, found);
      if (found.length === 0) errors.push({ path: a, message: 'no capture files in this directory' });
      paths.push(...found);
    } else if (st === null && isGlob(a)) {
      const found = await expandGlob(a);
      if (found.length === 0) errors.push({ path: a, message: 'no file matches' });
      paths.push(...found);
    } else paths.push(a);
  }
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const p of paths) {
    const key = await realpath(p).catch(() => resolve(p));
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(p);
  }
  return { captures: nameCaptures(unique), errors };
}

/** Names relative to the deepest directory all the paths share (`/` separated); one path: its file name. */
export function nameCaptures(paths: readonly string[]): CaptureInput[] {
  if (paths.length <= 1) return paths.map((p) => ({ path: p, name: basename(p) }));
  const dirs = paths.map((p) => dirname(resolve(p)).split(sep));
  let common = dirs[0];
  for (const d of dirs) {
    let k = 0;
    while (k < common.length && k < d.length && common[k] === d[k]) k++;
    common = common.slice(0, k);
  }
  const root = common.join(sep) || sep;
  return paths.map((p) => ({ path: p, name: relative(root, resolve(p)).split(sep).join('/') }));
}
