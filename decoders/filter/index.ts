// The display-filter API the worker and the CLI use.

import { Engine } from '../analysis/engine.ts';
import type { FrameIndex } from '../analysis/frame-index.ts';
import { FIELDS } from '../fields.ts';
import { CHECK_NAMES, CHECK_SLOTS, type TreeNode } from '../summary.ts';
import { encapName } from '../layers/index.ts';
import { tenantIdText } from '../tenant-id.ts';
import { ColumnContext, planColumns } from './columns.ts';
import { compile } from './compile.ts';
import { errorInfo, FilterError, type FilterErrorInfo } from './errors.ts';
import { nodeNumber, WS_SCALE } from './tree-fields.ts';
import { readsBytes } from './runner.ts';

export { compile } from './compile.ts';
export { caretText, errorInfo, FilterError, type FilterErrorInfo } from './errors.ts';
export { FilterRun, FilterSet, PENDING, readFrames, resolvePending, type FrameBytesSource, type ResolveOptions } from './runner.ts';

/** A display filter checked without running it (the filter bar's colour as you type). */
export interface FilterCheck {
  /** Null when the filter is valid (or empty). */
  error: FilterErrorInfo | null;
  /** It reads fields only the frame bytes hold: applying it re-reads the frames the index cannot decide. */
  needsBytes: boolean;
}

let probe: ColumnContext | null = null;

/** Parses and compiles without running (the filter bar as you type). */
export function checkFilter(text: string): FilterCheck {
  if (text.trim() === '') return { error: null, needsBytes: false };
  try {
    const p = compile(text.trim());
    probe ??= new ColumnContext(new Engine());
    return { error: null, needsBytes: !planColumns(probe, p.pred).exact && readsBytes(p) };
  } catch (err) {
    if (err instanceof FilterError) {
      // Spans refer to the trimmed text: shift them back.
      const lead = text.length - text.trimStart().length;
      return { error: { ...errorInfo(err), start: err.start + lead, end: err.end + lead }, needsBytes: false };
    }
    throw err;
  }
}

/** A field filters may name (the registry), for completion. */
export interface FilterField {
  name: string;
  label: string;
  type: string;
}

/** Every field a filter may name, sorted by name (for completion). */
export function filterFields(): FilterField[] {
  return [...FIELDS.values()].map((f) => ({ name: f.name, label: f.label, type: f.type })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

const hexDigits = (v: string): number => {
  const m = /^0x([0-9a-f]+)/i.exec(v);
  return m ? m[1].length : 0;
};

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`;
}

/**
 * The filter that selects this field's value ("Apply as filter"), or null for a node that is not a
 * registered field. `bytes` holds the frame from offset 0.
 */
export function filterForNode(n: TreeNode, bytes: Uint8Array): string | null {
  const name = n.field;
  if (name === undefined) return null;
  const def = FIELDS.get(name);
  if (def === undefined) return null;
  const v = n.value ?? '';
  switch (def.type) {
    case 'protocol': return name;
    case 'int': return n.raw !== undefined ? `${name} == ${n.raw}` : null;
    case 'uint': case 'bool': {
      // A decimal value is written as shown: exact for 64-bit ones (frame.packet_id) past 2^53.
      if (/^\d+$/.test(v) && WS_SCALE[name] === undefined) return `${name} == ${v}`;
      let x = nodeNumber(n);
      if (Number.isNaN(x)) return null;
      x *= WS_SCALE[name] ?? 1;
      const d = hexDigits(v);
      return `${name} == ${d > 0 && WS_SCALE[name] === undefined ? `0x${x.toString(16).padStart(d, '0')}` : x}`;
    }
    case 'verdict': return n.verdict !== undefined ? `${name} == ${n.verdict}` : null;
    case 'ipv4': case 'ipv6': case 'ether': return v !== '' ? `${name} == ${v}` : null;
    case 'bytes': {
      if (n.length <= 0 || n.start + n.length > bytes.length) return null;
      const parts: string[] = [];
      for (let i = n.start; i < n.start + n.length; i++) parts.push(bytes[i].toString(16).padStart(2, '0'));
      return `${name} == ${parts.join(':')}`;
    }
    case 'string': case 'abstime': case 'check': return `${name} == ${quote(v)}`;
    case 'float': return v !== '' ? `${name} == ${v}` : null;
  }
}

/**
 * A details node with the fields that come from the frame index rather than the bytes (tenant.encap,
 * tenant.vnid, checksum.bad/partial/zero/unverified), so they can be applied as filters too. Null when
 * the frame has neither a tenant nor a checksum verdict worth a flag.
 */
export function indexNode(e: FrameIndex, n: number): TreeNode | null {
  const i = e.checkFrame(n);
  const st = e.store;
  const kids: TreeNode[] = [];
  const add = (field: string, value: string, raw?: number): void => {
    const label = FIELDS.get(field)?.label ?? field;
    kids.push({ label: `${label}: ${value}`, field, value, ...(raw !== undefined ? { raw } : {}), start: 0, length: 0 });
  };
  const t = st.tenant[i];
  // The frame's tenant (an IP fragment's is its datagram's), as the tenant.* filters see it.
  if (t >= 0) {
    add('tenant.encap', encapName(e.tenants.encap[t]) ?? '');
    if (e.tenants.vnid[t] >= 0) add('tenant.vnid', tenantIdText(e.tenants.vnid[t]), e.tenants.vnid[t]);
  }
  // Each flag with one line per check under it (`checksum.bad.check == "inner.tcp"` to apply).
  const flag = (field: string, mask: number): void => {
    if (mask === 0) return;
    const names: string[] = [];
    for (let s = 0; s < CHECK_SLOTS; s++) if (mask & (1 << s)) names.push(CHECK_NAMES[s]);
    add(field, `True (${names.join(', ')})`, 1);
    const sub = `${field}.check`;
    const label = FIELDS.get(sub)?.label ?? sub;
    kids[kids.length - 1].children = names.map((c) => ({ label: `${label}: ${c}`, field: sub, value: c, start: 0, length: 0 }));
  };
  flag('checksum.bad', st.badMaskOf(i));
  flag('checksum.partial', st.partialMaskOf(i));
  flag('checksum.zero', e.notableZeroMask(i));
  flag('checksum.unverified', st.unverMaskOf(i));
  if (kids.length === 0) return null;
  const head = st.encap[i] !== 0 ? (t >= 0 ? e.tenants.label(t) : 'GRE') : 'no tunnel';
  const node: TreeNode = { label: `Tunnelscope: ${head}${kids.some((k) => k.field === 'checksum.bad') ? ', bad checksum' : ''}`, start: 0, length: 0, children: kids };
  if (st.encap[i] !== 0) node.field = 'tenant';
  return node;
}

/** Sets `filter` on every node of the tree that is a field (the worker does this for the details pane). */
export function annotateFilters(tree: TreeNode[], sources: Uint8Array | readonly Uint8Array[]): void {
  const srcs = sources instanceof Uint8Array ? [sources] : sources;
  for (const n of tree) {
    const f = filterForNode(n, srcs[n.src ?? 0] ?? srcs[0]);
    if (f !== null) n.filter = f;
    if (n.children) annotateFilters(n.children, srcs);
  }
}
