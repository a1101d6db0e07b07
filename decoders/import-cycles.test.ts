// The modules of decoders/analysis, decoders/filter and decoders/parallel are in no import circle (type-only
// imports count too): the code that reads an analysis (rows, reports, filters, export) sees it through
// analysis/frame-index.ts, so the engine can build those readers without them importing the engine back.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname);

function modules(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) modules(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** Relative module specifiers of the import and export-from statements of a source text. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /^(?:import|export)\s[\w$*\s,{}]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|^import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2]);
  return out;
}

/** The import graph of decoders/: module path (relative to decoders/) to the modules it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of modules(ROOT)) {
    const deps = importsOf(readFileSync(file, 'utf8')).map((s) => resolve(dirname(file), s));
    graph.set(relative(ROOT, file), deps.filter((d) => d.startsWith(ROOT + '/')).map((d) => relative(ROOT, d)));
  }
  return graph;
}

/** One cycle per strongly connected group of modules (Tarjan), each as its module paths in order. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>(), low = new Map<string, number>();
  const stack: string[] = [], onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do { w = stack.pop()!; onStack.delete(w); group.push(w); } while (w !== v);
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(group.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

describe('decoders/ import graph', () => {
  it('reads import and export-from statements, type-only and multi-line ones included', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      'import {\n  c,\n  d,\n} from "./cd.ts";',
      "export { e } from './e.ts';",
      "export * from './f.ts';",
      "import 'node:fs';",
      "import './side-effect.ts';",
      "export const path = './not-an-import.ts';",
      "// import { g } from './g.ts';",
      "const h = 'from ./h.ts';",
    ].join('\n');
    expect(importsOf(text)).toEqual(['./a.ts', '../b.ts', './cd.ts', './e.ts', './f.ts', './side-effect.ts']);
  });

  it('finds a circle, and only the modules in it', () => {
    const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a', 'd']], ['d', []], ['e', ['e']]]);
    expect(cycles(g)).toEqual([['a', 'b', 'c'], ['e']]);
    expect(cycles(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });

  it('has no circle through analysis/, filter/ or parallel/', () => {
    const graph = importGraph();
    // The scan sees the modules that matter here (a broken scan would find no circle either).
    expect(graph.get('analysis/engine.ts')).toEqual(expect.arrayContaining(['analysis/rows.ts', 'analysis/report.ts', 'filter/runner.ts']));
    expect(graph.get('filter/runner.ts')).toEqual(expect.arrayContaining(['filter/columns.ts', 'filter/compile.ts']));
    // layers/ctx.ts and layers/registry.ts name each other's types: a circle of their own, not checked here.
    const ours = /^(analysis|filter|parallel)\//;
    expect(cycles(graph).filter((c) => c.some((m) => ours.test(m)))).toEqual([]);
  });
});
