// The `tenants` table: the summary's tenants of a capture, one row each, with their tenant key and times.
import type { Engine } from '../analysis/engine.ts';
import { tenantStats } from '../analysis/report.ts';
import type { FieldSpec } from '../parquet/writer.ts';

export const TENANT_SCHEMA: FieldSpec[] = [
  { name: 'file', type: 'string' },
  { name: 'tenant', type: 'string' },
  { name: 'encap', type: 'string' },
  { name: 'vnid', type: 'int64', optional: true },
  { name: 'frames', type: 'int64' },
  { name: 'bytes', type: 'int64' },
  { name: 'flows', type: 'int64' },
  { name: 'bad', type: 'int64' },
  { name: 'partial', type: 'int64' },
  { name: 'firstTime', type: 'timestamp', optional: true },
  { name: 'lastTime', type: 'timestamp', optional: true },
];

export function tenantRows(e: Engine, file: string): Array<Record<string, unknown>> {
  const t = e.tenants;
  const micros = (sec: number, nsec: number): number => sec * 1e6 + Math.floor(nsec / 1000);
  return t.sortedIds().map((id) => ({
    file, tenant: t.key(id), encap: t.encapName(id), vnid: t.vnidOrNull(id),
    frames: t.frames[id], bytes: t.bytes[id], flows: t.flows[id], bad: t.bad[id], partial: t.partial[id],
    firstTime: t.hasTime[id] ? micros(t.firstSec[id], t.firstNsec[id]) : null,
    lastTime: t.hasTime[id] ? micros(t.lastSec[id], t.lastNsec[id]) : null,
  }));
}
