// The Conversations and Endpoints tables: Wireshark's columns (plus Tenant), sorted by any column on a header
// click (again: the other way), with ▲/▼ and aria-sort on the sorted header.
import { useMemo, type HTMLAttributes, type ReactNode } from 'react';
import type { ConversationRow, ConvKind, EndpointRow } from '../../workers/api.ts';
import { num, tenantLabel } from '../format.ts';
import { nextSort, sortRows, type SortKind, type SortState } from './sort.ts';

export interface Column<R> {
  id: string;
  label: string;
  kind: SortKind;
  value: (r: R) => string | number | null;
  show?: (r: R) => ReactNode;
  /** Only in the TCP and UDP tabs. */
  ports?: boolean;
}

const secs = (x: number): string => x.toFixed(6);
const tenant = <R extends { tenant: string | null }>(): Column<R> => ({ id: 'tenant', label: 'Tenant', kind: 'text', value: (r) => (r.tenant === null ? null : tenantLabel(r.tenant)) });
const count = <R,>(id: string, label: string, value: (r: R) => number, show: (x: number) => string = num): Column<R> => ({ id, label, kind: 'num', value, show: (r) => show(value(r)) });

export const CONVERSATION_COLUMNS: Column<ConversationRow>[] = [
  tenant(),
  { id: 'a', label: 'Address A', kind: 'addr', value: (r) => r.a },
  { id: 'aPort', label: 'Port A', kind: 'num', value: (r) => r.aPort, ports: true },
  { id: 'b', label: 'Address B', kind: 'addr', value: (r) => r.b },
  { id: 'bPort', label: 'Port B', kind: 'num', value: (r) => r.bPort, ports: true },
  count('packets', 'Packets', (r) => r.packets),
  count('bytes', 'Bytes', (r) => r.bytes),
  count('packetsAB', 'Packets A → B', (r) => r.packetsAB),
  count('bytesAB', 'Bytes A → B', (r) => r.bytesAB),
  count('packetsBA', 'Packets B → A', (r) => r.packetsBA),
  count('bytesBA', 'Bytes B → A', (r) => r.bytesBA),
  count('relStart', 'Rel Start', (r) => r.relStart, secs),
  count('duration', 'Duration', (r) => r.duration, secs),
];

export const ENDPOINT_COLUMNS: Column<EndpointRow>[] = [
  tenant(),
  { id: 'address', label: 'Address', kind: 'addr', value: (r) => r.address },
  { id: 'port', label: 'Port', kind: 'num', value: (r) => r.port, ports: true },
  count('packets', 'Packets', (r) => r.packets),
  count('bytes', 'Bytes', (r) => r.bytes),
  count('txPackets', 'Tx Packets', (r) => r.txPackets),
  count('txBytes', 'Tx Bytes', (r) => r.txBytes),
  count('rxPackets', 'Rx Packets', (r) => r.rxPackets),
  count('rxBytes', 'Rx Bytes', (r) => r.rxBytes),
];

interface Props<R> {
  label: string;
  kind: ConvKind;
  rows: readonly R[];
  columns: Column<R>[];
  sort: SortState | null;
  onSort: (s: SortState) => void;
  /** Row attributes and handlers, by the row's position as shown. */
  rowProps?: (r: R, i: number) => HTMLAttributes<HTMLTableRowElement> & { 'aria-selected'?: boolean };
}

export function SortedTable<R>({ label, kind, rows, columns, sort, onSort, rowProps }: Props<R>) {
  const cols = useMemo(() => columns.filter((c) => !c.ports || kind === 'tcp' || kind === 'udp'), [columns, kind]);
  const shown = useMemo(() => sortRows(rows, sort, cols), [rows, sort, cols]);
  return (
    <table className="stats-table" aria-label={label}>
      <thead><tr>
        {cols.map((c) => {
          const dir = sort?.col === c.id ? sort.dir : undefined;
          return (
            <th key={c.id} className={c.kind === 'num' ? 'n' : undefined} aria-sort={dir ?? 'none'}>
              <button type="button" className="stats-sort" title={`Sort by ${c.label}`} onClick={() => onSort(nextSort(sort, c.id))}>
                {c.label}<span className="stats-sort-mark" aria-hidden="true">{dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ''}</span>
              </button>
            </th>
          );
        })}
      </tr></thead>
      <tbody>
        {shown.map((r, i) => (
          <tr key={i} {...rowProps?.(r, i)}>
            {cols.map((c) => <td key={c.id} className={c.kind === 'num' ? 'n' : undefined}>{c.show !== undefined ? c.show(r) : c.value(r) ?? ''}</td>)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

