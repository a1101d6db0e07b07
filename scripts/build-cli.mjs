// Bundles the CLI and its worker threads into plain JavaScript (build/cli/), run by `npm install`
// (the "prepare" script). Loading TypeScript through tsx costs ~0.3 s per process and per worker
// thread; the bundle starts at once. cli/tunnelscope.mjs falls back to tsx when the bundle is
// missing or older than the sources, so a failed build never breaks the CLI.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
try {
  await build({
    entryPoints: {
      main: join(root, 'cli/main.ts'),
      'decode-worker': join(root, 'cli/decode-worker.ts'),
      'capture-worker': join(root, 'cli/capture-worker.ts'),
      'frames-worker': join(root, 'cli/frames-worker.ts'),
    },
    outdir: join(root, 'build/cli'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
} catch (err) {
  console.warn(`build-cli: could not bundle the CLI (${err.message}); it will run through tsx instead`);
}
