// Rows as plain objects (the small tables: flows, tenants, hosts) to ParquetWriter's column data: one
// typed array per leaf, null for a missing value, strings keyed per row group.
import type { FieldSpec, LeafData, LeafSpec } from '../parquet/writer.ts';

function leafData(spec: LeafSpec, get: (r: number) => unknown, n: number): LeafData {
  const valid = new Uint8Array(n);
  if (spec.type === 'string') {
    const keys = new Int32Array(n);
    const ids = new Map<string, number>();
    const texts: string[] = [];
    for (let r = 0; r < n; r++) {
      const v = get(r);
      if (v === null || v === undefined) continue;
      const s = String(v);
      let k = ids.get(s);
      if (k === undefined) {
        k = texts.length;
        ids.set(s, k);
        texts.push(s);
      }
      keys[r] = k;
      valid[r] = 1;
    }
    return { values: keys, valid, text: (k) => texts[k] };
  }
  const values = spec.type === 'int32' ? new Int32Array(n) : spec.type === 'bool' ? new Uint8Array(n) : new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const v = get(r);
    if (v === null || v === undefined) continue;
    if (!spec.optional && typeof v !== 'number' && typeof v !== 'boolean') throw new TypeError(`column ${spec.name}: ${String(v)} is not a number`);
    values[r] = Number(v);
    valid[r] = 1;
  }
  if (!spec.optional) for (let r = 0; r < n; r++) if (valid[r] === 0) throw new TypeError(`column ${spec.name}: row ${r} has no value`);
  return { values, valid };
}

/** Column data of rows[from..to) for a schema (a group's values are an object under its name). */
export function rowLeaves(schema: readonly FieldSpec[], rows: ReadonlyArray<Record<string, unknown>>, from = 0, to = rows.length): LeafData[] {
  const n = to - from;
  const out: LeafData[] = [];
  for (const f of schema) {
    if ('fields' in f) {
      for (const l of f.fields) out.push(leafData(l, (r) => (rows[from + r][f.name] as Record<string, unknown> | undefined)?.[l.name], n));
    } else out.push(leafData(f, (r) => rows[from + r][f.name], n));
  }
  return out;
}
