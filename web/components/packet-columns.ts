// Column definitions of the packet list (TanStack Table v9). Sorting runs in the worker, so the table
// is in manual-sorting mode; it owns column sizing, visibility and sort state.
import {
  columnResizingFeature, columnSizingFeature, columnVisibilityFeature, createColumnHelper, rowSortingFeature,
  tableFeatures,
} from '@tanstack/react-table';
import type { ColumnId, PacketRow } from '../../workers/api.ts';
import { relTime } from '../format.ts';

/** A row slot of the virtual list: the fetched row, or a placeholder (n = 0) while it is fetched. */
export interface GridRow extends PacketRow {
  idx: number;
}

export const features = tableFeatures({ rowSortingFeature, columnVisibilityFeature, columnSizingFeature, columnResizingFeature });

const col = createColumnHelper<typeof features, GridRow>();

export const SORTABLE: ReadonlySet<string> = new Set<ColumnId>(['no', 'time', 'src', 'dst', 'protocol', 'length', 'tenant', 'flowId', 'checks', 'info']);

export const columns = col.columns([
  col.accessor('n', { id: 'no', header: 'No.', size: 64, minSize: 40, cell: (c) => (c.getValue() > 0 ? String(c.getValue()) : '') }),
  col.accessor('time', { id: 'time', header: 'Time', size: 90, minSize: 50, cell: (c) => relTime(c.getValue()) }),
  col.accessor('src', { id: 'src', header: 'Source', size: 132, minSize: 60 }),
  col.accessor('dst', { id: 'dst', header: 'Destination', size: 132, minSize: 60 }),
  col.accessor('outerSrc', { id: 'outerSrc', header: 'Outer source', size: 124, minSize: 60, enableSorting: false }),
  col.accessor('outerDst', { id: 'outerDst', header: 'Outer destination', size: 124, minSize: 60, enableSorting: false }),
  col.accessor('protocol', { id: 'protocol', header: 'Protocol', size: 72, minSize: 40 }),
  col.accessor('length', { id: 'length', header: 'Length', size: 60, minSize: 40, cell: (c) => (c.row.original.n > 0 ? String(c.getValue()) : '') }),
  col.accessor('tenant', { id: 'tenant', header: 'Tenant', size: 204, minSize: 50 }),
  col.accessor('flowId', { id: 'flowId', header: 'FlowID', size: 58, minSize: 40, cell: (c) => (c.getValue() === null ? '' : String(c.getValue())) }),
  col.accessor('checks', { id: 'checks', header: 'Checksums', size: 140, minSize: 60 }),
  col.accessor('info', { id: 'info', header: 'Info', size: 240, minSize: 80 }),
]);

/** Columns right-aligned (numbers). */
export const NUMERIC: ReadonlySet<string> = new Set(['no', 'time', 'length', 'flowId']);

export function placeholder(idx: number): GridRow {
  return {
    idx, n: 0, time: null, epoch: null, delta: null, deltaShown: null, src: '', dst: '', outerSrc: '', outerDst: '', protocol: '', length: 0, tenant: '',
    tenantKey: null, flowId: null, checks: '', info: '', severity: null,
  };
}
