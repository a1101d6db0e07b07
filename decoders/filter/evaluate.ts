// The general evaluator: a compiled filter over the field occurrences of one frame (Wireshark's
// semantics for repeated fields: `==` any, `!=` all-not-equal and present, `===` all, `!==` any-not).

import type { CExpr, CmpKind, FieldRef, Pred } from './compile.ts';
import { concatBytes } from '../bytes.ts';
import { bytesContain, compareLit, compareValues, equalsLit, ipv4Bytes, utf8, type Lit, type Value } from './values.ts';

export interface Occ {
  v: Value;
  /** 1-based instance of the field's protocol in the frame (the `#n` layer). */
  layer: number;
}

export interface FrameFields {
  /** Occurrences of a registry field in tree order; empty when absent. */
  get(name: string): readonly Occ[];
}

const NONE: readonly Occ[] = [];

function occurrences(ff: FrameFields, f: FieldRef): readonly Occ[] {
  let occ: readonly Occ[];
  if (f.members.length === 1) {
    occ = ff.get(f.members[0]);
  } else {
    const all: Occ[] = [];
    for (const m of f.members) all.push(...ff.get(m));
    // Tree order within a layer (src before dst), layers in order.
    occ = all.sort((x, y) => x.layer - y.layer);
  }
  if (f.layer === null || occ.length === 0) return occ;
  let want = f.layer;
  if (want < 0) {
    let max = 0;
    for (const o of occ) if (o.layer > max) max = o.layer;
    want = max + 1 + want;
  }
  const out = occ.filter((o) => o.layer === want);
  return out.length === 0 ? NONE : out;
}

function asBytes(v: Value): Uint8Array {
  if (typeof v === 'number') return ipv4Bytes(v);
  if (typeof v === 'string') return utf8(v);
  return v;
}

function slice(b: Uint8Array, ranges: readonly { from: number; len: number | null }[]): Uint8Array | null {
  const parts: Uint8Array[] = [];
  for (const r of ranges) {
    const from = r.from < 0 ? b.length + r.from : r.from;
    const end = r.len === null ? b.length : from + r.len;
    if (from < 0 || end > b.length || from > end) return null;
    parts.push(b.subarray(from, end));
  }
  return concatBytes(parts);
}

export function values(ff: FrameFields, e: CExpr): Value[] {
  switch (e.k) {
    case 'field': return occurrences(ff, e.f).map((o) => o.v);
    case 'band': return values(ff, e.e).map((v) => ((v as number) & e.mask) >>> 0);
    case 'slice': {
      const out: Value[] = [];
      for (const v of values(ff, e.e)) {
        const s = slice(asBytes(v), e.ranges);
        if (s !== null) out.push(s);
      }
      return out;
    }
    case 'len': return values(ff, e.e).map((v) => (typeof v === 'number' ? 4 : v.length));
    case 'count': { const n = occurrences(ff, e.f).length; return n > 0 ? [n] : []; }
    case 'case': return values(ff, e.e).map((v) => (e.upper ? (v as string).toUpperCase() : (v as string).toLowerCase()));
  }
}

function cmpOk(op: CmpKind, sign: number): boolean {
  switch (op) {
    case 'gt': return sign > 0;
    case 'ge': return sign >= 0;
    case 'lt': return sign < 0;
    case 'le': return sign <= 0;
    default: return sign === 0;
  }
}

function quantify(op: CmpKind, vs: readonly Value[], eq: (v: Value) => boolean, sign: (v: Value) => number): boolean {
  switch (op) {
    case 'any_eq': return vs.some(eq);
    case 'all_ne': return vs.length > 0 && !vs.some(eq);
    case 'all_eq': return vs.length > 0 && vs.every(eq);
    case 'any_ne': return vs.some((v) => !eq(v));
    default: return vs.some((v) => cmpOk(op, sign(v)));
  }
}

function inItem(v: Value, lo: Lit, hi: Lit | null): boolean {
  if (hi === null) return equalsLit(v, lo);
  return compareLit(v, lo) >= 0 && compareLit(v, hi) <= 0;
}

const latin1 = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
};

export function evaluate(p: Pred, ff: FrameFields): boolean {
  switch (p.k) {
    case 'and': return evaluate(p.a, ff) && evaluate(p.b, ff);
    case 'or': return evaluate(p.a, ff) || evaluate(p.b, ff);
    case 'xor': return evaluate(p.a, ff) !== evaluate(p.b, ff);
    case 'not': return !evaluate(p.a, ff);
    case 'exists': return occurrences(ff, p.f).length > 0;
    case 'truthy': return values(ff, p.e).some((v) => v !== 0);
    case 'cmp': {
      const lit = p.lit;
      return quantify(p.op, values(ff, p.e), (v) => equalsLit(v, lit), (v) => compareLit(v, lit));
    }
    case 'cmpf': {
      const bs = values(ff, p.b);
      const as = values(ff, p.a);
      if (p.op === 'all_ne') return as.length > 0 && bs.length > 0 && !as.some((a) => bs.some((b) => compareValues(a, b) === 0));
      if (p.op === 'all_eq') return as.length > 0 && bs.length > 0 && as.every((a) => bs.every((b) => compareValues(a, b) === 0));
      if (p.op === 'any_ne') return as.some((a) => bs.some((b) => compareValues(a, b) !== 0));
      return as.some((a) => bs.some((b) => cmpOk(p.op, compareValues(a, b))));
    }
    case 'in': return values(ff, p.e).some((v) => p.items.some((it) => inItem(v, it.lo, it.hi)));
    case 'contains': {
      const lit = p.lit;
      return values(ff, p.e).some((v) => {
        if (lit.vt === 'str') return (v as string).includes(lit.s);
        if (lit.vt === 'bytes') return bytesContain(asBytes(v), lit.b);
        return false;
      });
    }
    case 'matches': return values(ff, p.e).some((v) => p.re.test(typeof v === 'string' ? v : latin1(asBytes(v))));
  }
}
