// workers/api.ts is the seam web/ imports its types from; a shape decoders/ already declares is
// re-exported or derived there, not declared a second time (two copies drift apart unnoticed: a field
// added to one is missing from the other, and only the structural check at the worker's return says so).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Names of the interfaces and object/literal type aliases a file declares (an alias of another type is derived). */
function declared(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/^export interface (\w+)(?:<[^>]*>)?\s*(extends\s[^{]*)?\{/gm)) {
    // An extension of decoders' namesake adds to it rather than repeating it.
    if (!m[2]) names.push(m[1]);
  }
  for (const m of text.matchAll(/^export type (\w+)(?:<[^>]*>)? =\s*([{'"|])/gm)) names.push(m[1]);
  return names;
}

it('workers/api.ts declares no type decoders/ declares too', () => {
  const engine = new Set(sources(resolve(root, 'decoders')).flatMap((f) => declared(readFileSync(f, 'utf8'))));
  const api = declared(readFileSync(resolve(root, 'workers/api.ts'), 'utf8'));
  expect(api.length).toBeGreaterThan(5);
  expect(api.filter((n) => engine.has(n))).toEqual([]);
});

it('finds a declaration repeated under the same name', () => {
  const a = declared('export interface FilterField {\n  name: string;\n}\nexport type Kind = \'a\' | \'b\';\nexport type Alias = Other;\n');
  expect(a).toEqual(['FilterField', 'Kind']);
  expect(declared('export interface PacketRow extends EnginePacketRow {\n  rule?: number;\n}\n')).toEqual([]);
});
