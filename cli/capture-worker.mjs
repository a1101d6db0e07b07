// worker_threads entry for capture workers: loads the TypeScript worker through tsx, like tunnelscope.mjs.
import { tsImport } from 'tsx/esm/api';

await tsImport('./capture-worker.ts', import.meta.url);
