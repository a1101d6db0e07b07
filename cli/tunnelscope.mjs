#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npx tunnelscope` works right after `npm install`
// without a build step.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('./main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
