#!/usr/bin/env node
// Runs the bundled CLI (build/cli/, made by `npm install` through scripts/build-cli.mjs) when it is
// at least as new as every source file it was built from; otherwise the TypeScript through tsx, so
// `npx tunnelscope` always runs the code in the checkout.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'build/cli/main.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (ent.name.endsWith('.ts') && !ent.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    return built >= newestSource(join(root, 'decoders')) && built >= newestSource(join(root, 'cli'));
  } catch {
    return false;
  }
}

let main;
if (process.env.TUNNELSCOPE_NO_BUNDLE !== '1' && bundleIsFresh()) {
  ({ main } = await import(pathToFileURL(bundle).href));
} else {
  const { tsImport } = await import('tsx/esm/api');
  ({ main } = await tsImport('./main.ts', import.meta.url));
}
process.exitCode = await main(process.argv.slice(2));
