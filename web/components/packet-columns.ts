// Column definitions of the packet list (TanStack Table v9). Sorting runs in the worker, so the table is
// in manual-sorting mode; visibility and widths come from the view preferences, as do the custom columns
// ("Apply as column": a details field, its values fetched for the rows on screen) and the time format.
import {
  columnResizingFeature, columnSizingFeature, columnVisibilityFeature, createColumnHelper, rowSortingFeature,
  tableFeatures,
} from '@tanstack/react-table';
import type { ColumnId, CustomCell, PacketRow } from '../../workers/api.ts';
import { customColumnId, type CustomColumn, type TimeFormat } from '../prefs/view-prefs.ts';
import { formatTime, timeColumnWidth } from '../packet-list/time-format.ts';

/** A row slot of the virtual list: the fetched row, or a placeholder (n = 0) while it is fetched. */
export interface GridRow extends PacketRow {
  idx: number;
  /** Cells of the custom columns shown, by field, once fetched. */
  custom?: Readonly<Record<string, CustomCell>>;
}

export const features = tableFeatures({ rowSortingFeature, columnVisibilityFeature, columnSizingFeature, columnResizingFeature });

const col = createColumnHelper<typeof features, GridRow>();

export const SORTABLE: ReadonlySet<string> = new Set<ColumnId>(['no', 'time', 'src', 'dst', 'protocol', 'length', 'tenant', 'flowId', 'checks', 'info']);

/** The built-in columns: id, title, default width (Info stretches into what the others leave). */
const BASE: ReadonlyArray<{ id: string; title: string; size: number; minSize: number }> = [
  { id: 'no', title: 'No.', size: 56, minSize: 40 },
  { id: 'time', title: 'Time', size: 92, minSize: 50 },
  { id: 'src', title: 'Source', size: 124, minSize: 60 },
  { id: 'dst', title: 'Destination', size: 124, minSize: 60 },
  { id: 'outerSrc', title: 'Outer source', size: 124, minSize: 60 },
  { id: 'outerDst', title: 'Outer destination', size: 124, minSize: 60 },
  { id: 'protocol', title: 'Protocol', size: 66, minSize: 40 },
  { id: 'length', title: 'Length', size: 56, minSize: 40 },
  { id: 'tenant', title: 'Tenant', size: 168, minSize: 50 },
  { id: 'flowId', title: 'FlowID', size: 52, minSize: 40 },
  { id: 'checks', title: 'Checksums', size: 104, minSize: 60 },
  { id: 'info', title: 'Info', size: 120, minSize: 80 },
];

/** Every column the list can show, in order, with its title (the View menu and the header menu list them). */
export function columnList(custom: readonly CustomColumn[]): Array<{ id: string; title: string }> {
  const base = BASE.map(({ id, title }) => ({ id, title }));
  return [...base.slice(0, -1), ...custom.map((c) => ({ id: customColumnId(c.field), title: c.title })), ...base.slice(-1)];
}

/** The text a cell shows. */
export function cellText(id: string, r: GridRow, time: TimeFormat): string {
  switch (id) {
    case 'no': return r.n > 0 ? String(r.n) : '';
    case 'time': return formatTime(r, time);
    case 'length': return r.n > 0 ? String(r.length) : '';
    case 'flowId': return r.flowId === null ? '' : String(r.flowId);
    case 'src': case 'dst': case 'outerSrc': case 'outerDst': case 'protocol': case 'tenant': case 'checks': case 'info':
      return r[id];
    default:
      return id.startsWith('custom:') ? r.custom?.[id.slice(7)]?.text ?? '' : '';
  }
}

export function buildColumns(time: TimeFormat, custom: readonly CustomColumn[]) {
  const text = (id: string) => (r: GridRow): string => cellText(id, r, time);
  const defs = BASE.map((b) => col.accessor(text(b.id), {
    id: b.id,
    header: b.title,
    size: b.id === 'time' ? timeColumnWidth(time) : b.size,
    minSize: b.minSize,
    enableSorting: SORTABLE.has(b.id),
  }));
  const extra = custom.map((c) => col.accessor(text(customColumnId(c.field)), {
    id: customColumnId(c.field),
    header: c.title,
    size: 90,
    minSize: 40,
    enableSorting: false,
  }));
  // Custom columns go before Info, which stays last and takes the width left.
  return col.columns([...defs.slice(0, -1), ...extra, ...defs.slice(-1)]);
}

/** Columns right-aligned (numbers). */
export const NUMERIC: ReadonlySet<string> = new Set(['no', 'time', 'length', 'flowId']);

export function placeholder(idx: number): GridRow {
  return {
    idx, n: 0, time: null, epoch: null, delta: null, deltaShown: null, src: '', dst: '', outerSrc: '', outerDst: '', protocol: '', length: 0, tenant: '',
    tenantKey: null, flowId: null, checks: '', info: '', severity: null,
  };
}
