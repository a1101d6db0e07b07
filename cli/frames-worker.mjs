// worker_threads entry for the --parquet frames writer: loads the TypeScript worker through tsx, like tunnelscope.mjs.
import { tsImport } from 'tsx/esm/api';

await tsImport('./frames-worker.ts', import.meta.url);
