// The worker and its Comlink proxy. The UI talks to the engine only through this typed remote.
import * as Comlink from 'comlink';
import type { Analyzer } from '../workers/api.ts';

export type RemoteAnalyzer = Comlink.Remote<Analyzer>;

let remote: RemoteAnalyzer | null = null;

export function analyzer(): RemoteAnalyzer {
  if (!remote) {
    const worker = new Worker(new URL('../workers/analyzer.worker.ts', import.meta.url), { type: 'module', name: 'analyzer' });
    remote = Comlink.wrap<Analyzer>(worker);
  }
  return remote;
}

export { Comlink };
