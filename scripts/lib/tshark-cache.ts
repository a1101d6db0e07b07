// tshark as a test oracle: its start-up (~0.2 s of CPU, more on a busy machine) dominates a run over the
// hundreds of captures in captures/, so its output is cached in the temporary folder per capture content,
// tshark binary and arguments. Test-only helper: uses Node APIs, so nothing outside *.test.ts may import it.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TSHARK = '/usr/bin/tshark';
const CACHE = join(tmpdir(), 'tunnelscope-tshark-cache');

/**
 * What `tshark -r file ...args` prints on stdout (cached). A damaged capture makes tshark exit non-zero after
 * printing what it read: that part is kept. A display filter tshark refuses rejects (nothing is cached).
 * `tag` keeps callers' entries apart.
 */
export function cachedTshark(tag: string, file: string, bytes: Uint8Array, args: readonly string[], timeoutMs = 120_000): Promise<string> {
  const st = statSync(TSHARK);
  const key = createHash('sha1').update(`${tag}/${st.size}/${st.mtimeMs}\0${args.join('\0')}\0`).update(bytes).digest('hex');
  const cached = join(CACHE, `${key}.tsv`);
  if (existsSync(cached)) return Promise.resolve(readFileSync(cached, 'utf8'));
  return new Promise((resolve, reject) => {
    execFile(TSHARK, ['-r', file, ...args], { maxBuffer: 256 << 20, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err && String(stderr).includes('valid display filter')) {
        reject(new Error(`tshark rejects ${args.join(' ')}: ${String(stderr).trim()}`));
        return;
      }
      const out = String(stdout);
      mkdirSync(CACHE, { recursive: true });
      writeFileSync(cached, out);
      resolve(out);
    });
  });
}
