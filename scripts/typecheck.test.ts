// The whole tree type-checks (tsc --noEmit): vitest and esbuild strip types without checking them,
// so a type error would otherwise only show in an editor.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

it('tsc --noEmit reports no error', async () => {
  const tsc = resolve(root, 'node_modules/.bin/tsc');
  const r = await promisify(execFile)(tsc, ['--noEmit', '-p', root], { cwd: root }).then(
    (ok) => ({ code: 0, out: ok.stdout + ok.stderr }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code ?? 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
  );
  expect(r.out.trim()).toBe('');
  expect(r.code).toBe(0);
}, 120_000);
