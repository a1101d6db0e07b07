// AST -> typed program: words resolved against the field registry (field or literal), literals parsed
// for the type of the field they meet, operators checked against the types. Every error names the span
// of the text at fault; an unknown field suggests the nearest registered names.

import { FIELDS, type FieldType } from '../fields.ts';
import { FilterError, nearestNames } from './errors.ts';
import { parse, type CmpOp, type Expr, type Operand, type SliceRange } from './parser.ts';
import { parseInteger, parseLiteral, TYPE_TEXT, vtypeOf, type Lit, type VType } from './values.ts';

/** Filter-only names that stand for either of two tree fields (Wireshark's ip.addr, tcp.port, …). */
export const ALIASES: Record<string, readonly string[]> = {
  'eth.addr': ['eth.src', 'eth.dst'],
  'ip.addr': ['ip.src', 'ip.dst'],
  'ipv6.addr': ['ipv6.src', 'ipv6.dst'],
  'tcp.port': ['tcp.srcport', 'tcp.dstport'],
  'udp.port': ['udp.srcport', 'udp.dstport'],
  // Wireshark 4.0 spells it ipv6.reassembled.in; the IPv4 name's spelling works too.
  'ipv6.reassembled_in': ['ipv6.reassembled.in'],
};

export interface FieldRef {
  name: string;
  type: FieldType;
  /** `#n` layer: 1-based, negative from the last; null for any layer. */
  layer: number | null;
  /** The tree fields it reads (itself, or the two of an alias). */
  members: readonly string[];
}

export type CExpr =
  | { k: 'field'; f: FieldRef; vt: VType }
  | { k: 'band'; e: CExpr; mask: number; vt: 'num' }
  | { k: 'slice'; e: CExpr; ranges: SliceRange[]; vt: 'bytes' }
  | { k: 'len'; e: CExpr; vt: 'num' }
  | { k: 'count'; f: FieldRef; vt: 'num' }
  | { k: 'case'; e: CExpr; upper: boolean; vt: 'str' };

/** Comparison semantics over the occurrences of a field (Wireshark 4.x). */
export type CmpKind = 'any_eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'gt' | 'ge' | 'lt' | 'le';

export type Pred =
  | { k: 'and' | 'or' | 'xor'; a: Pred; b: Pred }
  | { k: 'not'; a: Pred }
  | { k: 'exists'; f: FieldRef }
  | { k: 'truthy'; e: CExpr }
  | { k: 'cmp'; op: CmpKind; e: CExpr; lit: Lit }
  | { k: 'cmpf'; op: CmpKind; a: CExpr; b: CExpr }
  | { k: 'in'; e: CExpr; items: { lo: Lit; hi: Lit | null }[] }
  | { k: 'contains'; e: CExpr; lit: Lit }
  | { k: 'matches'; e: CExpr; re: RegExp };

export interface Program {
  text: string;
  pred: Pred;
  /** Every registry field the filter reads (aliases expanded). */
  fields: ReadonlySet<string>;
}

const OPS: Record<CmpOp, CmpKind> = {
  '==': 'any_eq', '!=': 'all_ne', '===': 'all_eq', '!==': 'any_ne', '>': 'gt', '>=': 'ge', '<': 'lt', '<=': 'le',
};
const FLIP: Record<CmpKind, CmpKind> = {
  any_eq: 'any_eq', all_ne: 'all_ne', all_eq: 'all_eq', any_ne: 'any_ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge',
};

/** Parses and compiles; throws FilterError. */
export function compile(text: string): Program {
  const ast = parse(text);
  const c = new Compiler();
  const pred = c.pred(ast);
  return { text, pred, fields: c.fields };
}

type Side = { kind: 'expr'; e: CExpr; type: FieldType } | { kind: 'lit'; op: Operand & { t: 'word' | 'string' | 'char' } };

const looksLikeField = (s: string) => /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/i.test(s) && !/^[0-9a-f]{1,2}([:.-][0-9a-f]{1,2})+$/i.test(s);

class Compiler {
  readonly fields = new Set<string>();

  pred(n: Expr): Pred {
    switch (n.t) {
      case 'and': case 'or': case 'xor': return { k: n.t, a: this.pred(n.a), b: this.pred(n.b) };
      case 'not': return { k: 'not', a: this.pred(n.a) };
      case 'test': return this.test(n.e);
      case 'cmp': return this.cmp(n.op, n.a, n.b, n.opSpan);
      case 'in': {
        const side = this.side(n.a);
        if (side.kind !== 'expr') throw this.notAField(n.a, `'in' needs a field on its left, as in tcp.port in {80, 443}`);
        const items = n.items.map(({ lo, hi }) => {
          const l = this.literalFor(side, lo);
          const h = hi === null ? null : this.literalFor(side, hi);
          if (h !== null && (l.vt !== 'num' && l.vt !== 'ipv4' || (l.vt === 'num' && l.set !== null))) {
            throw new FilterError(`a range (a..b) needs numbers or IPv4 addresses; ${this.what(side)} is ${TYPE_TEXT[side.type]}`, lo.start, (hi as Operand).end);
          }
          return { lo: l, hi: h };
        });
        const p: Pred = { k: 'in', e: side.e, items };
        return n.neg ? { k: 'not', a: p } : p;
      }
      case 'contains': {
        const side = this.side(n.a);
        if (side.kind !== 'expr') throw this.notAField(n.a, "'contains' needs a field on its left");
        const vt = side.e.vt;
        if (vt !== 'bytes' && vt !== 'str') {
          throw new FilterError(`'contains' works on byte, protocol and string fields; ${this.what(side)} is ${TYPE_TEXT[side.type]}`, n.a.start, n.a.end);
        }
        const b = this.side(n.b);
        if (b.kind !== 'lit') throw new FilterError("'contains' needs a value on its right (a string or bytes)", n.b.start, n.b.end);
        // A part of a check name (`checksum.bad.check contains "inner"`) is a plain string.
        return { k: 'contains', e: side.e, lit: this.literalFor(side.type === 'check' ? { ...side, type: 'string' } : side, b.op) };
      }
      case 'matches': {
        const side = this.side(n.a);
        if (side.kind !== 'expr') throw this.notAField(n.a, "'matches' needs a field on its left");
        if (side.e.vt !== 'str' && side.e.vt !== 'bytes') {
          throw new FilterError(`'matches' works on string, byte and protocol fields; ${this.what(side)} is ${TYPE_TEXT[side.type]}`, n.a.start, n.a.end);
        }
        if (n.b.t !== 'string') throw new FilterError('\'matches\' needs a regular expression in double quotes', n.b.start, n.b.end);
        let src = n.b.value;
        let flags = 's';
        if (src.startsWith('(?i)')) { src = src.slice(4); flags += 'i'; }
        try {
          return { k: 'matches', e: side.e, re: new RegExp(src, flags) };
        } catch (err) {
          throw new FilterError(`not a valid regular expression: ${(err as Error).message}`, n.b.start, n.b.end);
        }
      }
    }
  }

  private test(o: Operand): Pred {
    if (o.t === 'word' && o.slice === null) {
      const f = this.fieldRef(o);
      if (f !== null) return { k: 'exists', f };
      // `ip.addr == 10.0.0.1 or 10.0.0.2`: the second value is not a test.
      if (!looksLikeField(o.text) || /^\d/.test(o.text)) {
        throw new FilterError(`'${o.text}' is a value, not a test: name the field again (… or field == ${o.text})`, o.start, o.end);
      }
      throw this.unknownField(o);
    }
    if (o.t === 'band') {
      const e = this.expr(o);
      return { k: 'truthy', e };
    }
    if (o.t === 'word' && o.slice !== null) {
      const side = this.side(o);
      if (side.kind === 'expr') return { k: 'truthy', e: { k: 'len', e: side.e, vt: 'num' } };
    }
    if (o.t === 'word') throw this.unknownField(o);
    throw new FilterError('a value alone is not a test: compare it with a field, as in ip.src == 10.0.0.1', o.start, o.end);
  }

  private cmp(op: CmpOp, ao: Operand, bo: Operand, opSpan: { start: number; end: number }): Pred {
    let a = this.side(ao);
    let b = this.side(bo);
    let kind = OPS[op];
    if (a.kind === 'lit' && b.kind === 'expr') {
      [a, b] = [b, a];
      kind = FLIP[kind];
    }
    if (a.kind === 'lit') {
      // Neither side is a field: blame the word that most looks like a misspelt field.
      const bad = ao.t === 'word' && looksLikeField(ao.text) ? ao : bo.t === 'word' && looksLikeField(bo.text) ? bo : null;
      if (bad !== null && bad.t === 'word') throw this.unknownField(bad);
      throw new FilterError(`neither side of '${op}' is a field`, ao.start, bo.end);
    }
    const ordered = kind === 'gt' || kind === 'ge' || kind === 'lt' || kind === 'le';
    if (ordered && (a.type === 'verdict' || a.type === 'check' || a.type === 'protocol' && a.e.k === 'field' || a.type === 'bool' && a.e.k === 'field')) {
      throw new FilterError(`'${op}' does not order ${TYPE_TEXT[a.type].replace(/^an? /, '')} values: use == or !=`, opSpan.start, opSpan.end);
    }
    // `tenant.encap == nvgre`: a protocol name where a value of another type is expected is that value.
    if (b.kind === 'expr' && a.e.vt !== b.e.vt && bo.t === 'word' && bo.layer === null && bo.slice === null
      && typeof parseLiteral(a.type, bo.text, 'word') !== 'string') {
      b = { kind: 'lit', op: bo };
    }
    if (b.kind === 'expr') {
      if (a.e.vt !== b.e.vt) {
        throw new FilterError(`cannot compare ${this.what(a)} (${TYPE_TEXT[a.type]}) with ${this.what(b)} (${TYPE_TEXT[b.type]})`, ao.start, bo.end);
      }
      return { k: 'cmpf', op: kind, a: a.e, b: b.e };
    }
    return { k: 'cmp', op: kind, e: a.e, lit: this.literalFor(a, b.op) };
  }

  private literalFor(side: Side & { kind: 'expr' }, o: Operand): Lit {
    if (o.t !== 'word' && o.t !== 'string' && o.t !== 'char') {
      const s = this.side(o);
      if (s.kind === 'expr') throw new FilterError('expected a value here, not a field', o.start, o.end);
      throw new FilterError('expected a value here', o.start, o.end);
    }
    if (o.t === 'word' && (o.layer !== null || o.slice !== null)) {
      throw this.unknownField(o);
    }
    const text = o.t === 'char' ? String.fromCharCode(o.value) : o.t === 'string' ? o.value : o.text;
    const lit = parseLiteral(side.type, text, o.t);
    if (typeof lit === 'string') {
      // A bare word that is not a value of this type but looks like a field name: say so.
      if (o.t === 'word' && looksLikeField(o.text) && !/^\d/.test(o.text) && side.type !== 'string' && side.type !== 'verdict' && side.type !== 'check') {
        throw this.unknownField(o, `${lit}, nor a field`);
      }
      throw new FilterError(`${lit} (${this.what(side)} is ${TYPE_TEXT[side.type]})`, o.start, o.end);
    }
    return lit;
  }

  private what(side: Side & { kind: 'expr' }): string {
    const e = side.e;
    if (e.k === 'field') return e.f.name;
    if (e.k === 'slice') return 'a slice';
    if (e.k === 'band') return 'the masked value';
    return `the ${e.k}()`;
  }

  private side(o: Operand): Side {
    if (o.t === 'string' || o.t === 'char') return { kind: 'lit', op: o };
    if (o.t === 'word') {
      const f = this.fieldRef(o);
      if (f === null) {
        if (o.layer !== null || o.slice !== null) throw this.unknownField(o);
        return { kind: 'lit', op: o };
      }
    }
    const e = this.expr(o);
    const type: FieldType = e.k === 'field' ? e.f.type : e.vt === 'bytes' ? 'bytes' : e.vt === 'str' ? 'string' : 'uint';
    return { kind: 'expr', e, type };
  }

  private expr(o: Operand): CExpr {
    switch (o.t) {
      case 'word': {
        const f = this.fieldRef(o);
        if (f === null) throw this.unknownField(o);
        let e: CExpr = { k: 'field', f, vt: vtypeOf(f.type) };
        if (o.slice !== null) {
          if (f.type !== 'ether' && f.type !== 'bytes' && f.type !== 'protocol' && f.type !== 'ipv4' && f.type !== 'ipv6' && f.type !== 'string') {
            throw new FilterError(`${f.name} is ${TYPE_TEXT[f.type]}: only byte, address, protocol and string fields can be sliced`, o.start, o.end);
          }
          e = { k: 'slice', e, ranges: o.slice, vt: 'bytes' };
        }
        return e;
      }
      case 'band': {
        const a = this.expr(o.a);
        if (a.vt !== 'num' || (a.k === 'field' && a.f.type !== 'uint' && a.f.type !== 'bool')) {
          throw new FilterError(`'&' needs an integer field on its left${a.k === 'field' ? `; ${a.f.name} is ${TYPE_TEXT[a.f.type]}` : ''}`, o.a.start, o.a.end);
        }
        const m = o.b.t === 'word' ? parseInteger(o.b.text) : o.b.t === 'char' ? o.b.value : NaN;
        if (Number.isNaN(m)) throw new FilterError("expected an integer mask after '&', as in tcp.flags & 0x02", o.b.start, o.b.end);
        return { k: 'band', e: a, mask: m, vt: 'num' };
      }
      case 'call': {
        if (o.fn === 'count') {
          if (o.arg.t !== 'word' || o.arg.slice !== null) throw new FilterError('count() takes a field, as in count(ip.src)', o.arg.start, o.arg.end);
          const f = this.fieldRef(o.arg);
          if (f === null) throw this.unknownField(o.arg);
          return { k: 'count', f, vt: 'num' };
        }
        const arg = this.expr(o.arg);
        if (o.fn === 'len') {
          if (arg.vt === 'num') throw new FilterError('len() takes a byte, address, protocol or string field', o.arg.start, o.arg.end);
          return { k: 'len', e: arg, vt: 'num' };
        }
        if (arg.vt !== 'str') throw new FilterError(`${o.fn}() takes a string field`, o.arg.start, o.arg.end);
        return { k: 'case', e: arg, upper: o.fn === 'upper', vt: 'str' };
      }
      default:
        throw new FilterError('expected a field here', o.start, o.end);
    }
  }

  private fieldRef(o: Operand & { t: 'word' }): FieldRef | null {
    const def = FIELDS.get(o.text);
    if (def === undefined) return null;
    const members = ALIASES[def.name] ?? [def.name];
    for (const m of members) this.fields.add(m);
    this.fields.add(def.name);
    return { name: def.name, type: def.type, layer: o.layer, members };
  }

  private notAField(o: Operand, message: string): FilterError {
    if (o.t === 'word' && looksLikeField(o.text)) return this.unknownField(o);
    return new FilterError(message, o.start, o.end);
  }

  private unknownField(o: Operand & { t: 'word' }, why?: string): FilterError {
    const name = o.text;
    const near = nearestNames(name, FIELDS.keys());
    const hint = near.length > 0 ? `; did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : '';
    const head = why ?? `'${name}' is not a known field or protocol`;
    return new FilterError(`${head}${hint}`, o.start, o.start + name.length);
  }
}
