// worker_threads entry for `--jobs`: loads the TypeScript worker through tsx, like tunnelscope.mjs.
import { tsImport } from 'tsx/esm/api';

await tsImport('./decode-worker.ts', import.meta.url);
