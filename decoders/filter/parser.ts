// Display-filter parser: text -> AST with source spans. Grammar (Wireshark 4.x; `not` binds tightest,
// then `and`, `xor`, `or`):
//
//   expr     := xor (('||' | 'or') xor)*
//   xor      := and (('^^' | 'xor') and)*
//   and      := unary (('&&' | 'and') unary)*
//   unary    := ('!' | 'not') unary | relation
//   relation := '(' expr ')' | operand [ relop operand | ['not'] 'in' set | 'contains' operand
//                                       | ('matches' | '~') operand ]
//   operand  := term ('&' term)*                       bitwise and
//   term     := WORD ['#' layer] ['[' slices ']'] | FUNC '(' operand ')' | STRING | CHAR
//             | '(' operand ')'                        grouping, e.g. (tcp.flags & 0x12) == 0x12
//   set      := '{' item ((',')? item)* '}'            item := operand ['..' operand]
//
// Whether a WORD is a field or a literal is the compiler's business (it knows the registry).

import { FilterError } from './errors.ts';
import { Lexer, type TokKind, type Token } from './lexer.ts';

export interface Span {
  start: number;
  end: number;
}

export type CmpOp = '==' | '!=' | '===' | '!==' | '>' | '<' | '>=' | '<=';

/** [from, from+len) bytes; len null = to the end. `from` may be negative (from the end). */
export interface SliceRange {
  from: number;
  len: number | null;
}

export type Operand =
  | (Span & { t: 'word'; text: string; layer: number | null; slice: SliceRange[] | null })
  | (Span & { t: 'string'; value: string })
  | (Span & { t: 'char'; value: number })
  | (Span & { t: 'band'; a: Operand; b: Operand })
  | (Span & { t: 'call'; fn: string; arg: Operand });

export interface SetItem {
  lo: Operand;
  hi: Operand | null;
}

export type Expr =
  | (Span & { t: 'or' | 'and' | 'xor'; a: Expr; b: Expr })
  | (Span & { t: 'not'; a: Expr })
  | (Span & { t: 'test'; e: Operand })
  | (Span & { t: 'cmp'; op: CmpOp; a: Operand; b: Operand; opSpan: Span })
  | (Span & { t: 'in'; a: Operand; items: SetItem[]; neg: boolean })
  | (Span & { t: 'contains'; a: Operand; b: Operand })
  | (Span & { t: 'matches'; a: Operand; b: Operand });

export const FUNCTIONS = new Set(['len', 'count', 'upper', 'lower']);

const WORD_OPS: Record<string, CmpOp> = {
  eq: '==', any_eq: '==', ne: '!=', all_ne: '!=', all_eq: '===', any_ne: '!==',
  gt: '>', lt: '<', ge: '>=', le: '<=',
};
const SYM_OPS: Partial<Record<TokKind, CmpOp>> = {
  '==': '==', '!=': '!=', '===': '===', '!==': '!==', '~=': '!==', '>': '>', '<': '<', '>=': '>=', '<=': '<=',
};

function kw(t: Token, ...words: string[]): boolean {
  return t.kind === 'word' && words.includes(t.text.toLowerCase());
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the filter';
  if (t.kind === 'string') return `"${t.text}"`;
  return `'${t.text}'`;
}

export function parse(src: string): Expr {
  const p = new Parser(src);
  return p.parseAll();
}

class Parser {
  private readonly lx: Lexer;

  constructor(private readonly src: string) {
    this.lx = new Lexer(src);
  }

  parseAll(): Expr {
    if (this.lx.peek().kind === 'eof') throw new FilterError('the filter is empty', 0, 0);
    const e = this.expr();
    const t = this.lx.peek();
    if (t.kind !== 'eof') {
      if (t.kind === ')') throw new FilterError("')' without a matching '('", t.start, t.end);
      throw new FilterError(`expected 'and', 'or' or the end of the filter, found ${describe(t)}`, t.start, t.end);
    }
    return e;
  }

  private expr(): Expr {
    let a = this.xor();
    for (;;) {
      const t = this.lx.peek();
      if (t.kind !== '||' && !kw(t, 'or')) return a;
      this.lx.next();
      const b = this.xor();
      a = { t: 'or', a, b, start: a.start, end: b.end };
    }
  }

  private xor(): Expr {
    let a = this.and();
    for (;;) {
      const t = this.lx.peek();
      if (t.kind !== '^^' && !kw(t, 'xor')) return a;
      this.lx.next();
      const b = this.and();
      a = { t: 'xor', a, b, start: a.start, end: b.end };
    }
  }

  private and(): Expr {
    let a = this.unary();
    for (;;) {
      const t = this.lx.peek();
      if (t.kind !== '&&' && !kw(t, 'and')) return a;
      this.lx.next();
      const b = this.unary();
      a = { t: 'and', a, b, start: a.start, end: b.end };
    }
  }

  private unary(): Expr {
    const t = this.lx.peek();
    if (t.kind === '!' || kw(t, 'not')) {
      this.lx.next();
      if (this.lx.peek().kind === 'eof') throw new FilterError(`expected a test after '${t.text}'`, t.start, t.end);
      const a = this.unary();
      return { t: 'not', a, start: t.start, end: a.end };
    }
    return this.relation();
  }

  private relation(): Expr {
    const t = this.lx.peek();
    let a: Operand;
    if (t.kind === '(') {
      this.lx.next();
      const inner = this.expr();
      const close = this.expect(')', `expected ')' to close the '(' at position ${t.start + 1}`, t);
      // `(tcp.flags & 0x12) == 0x12`: a parenthesised operand followed by an operator is an operand.
      if (inner.t === 'test' && this.startsRelation(this.lx.peek())) {
        a = { ...inner.e, start: t.start, end: close.end };
      } else {
        return { ...inner, start: t.start, end: close.end };
      }
    } else {
      a = this.operand();
    }
    const op = this.lx.peek();
    const sym = SYM_OPS[op.kind];
    const word = op.kind === 'word' ? WORD_OPS[op.text.toLowerCase()] : undefined;
    if (sym !== undefined || word !== undefined) {
      this.lx.next();
      const b = this.operandAfter(op);
      return { t: 'cmp', op: (sym ?? word) as CmpOp, a, b, opSpan: { start: op.start, end: op.end }, start: a.start, end: b.end };
    }
    if (kw(op, 'in')) {
      this.lx.next();
      return this.set(a, false, op);
    }
    if (kw(op, 'not')) {
      this.lx.next();
      const inTok = this.lx.peek();
      if (!kw(inTok, 'in')) throw new FilterError(`expected 'in' after 'not' here, found ${describe(inTok)}`, inTok.start, inTok.end);
      this.lx.next();
      return this.set(a, true, inTok);
    }
    if (kw(op, 'contains')) {
      this.lx.next();
      const b = this.operandAfter(op);
      return { t: 'contains', a, b, start: a.start, end: b.end };
    }
    if (kw(op, 'matches') || op.kind === '~') {
      this.lx.next();
      const b = this.operandAfter(op);
      return { t: 'matches', a, b, start: a.start, end: b.end };
    }
    if ((op.kind === 'word' && !kw(op, 'and', 'or', 'xor')) || op.kind === 'string' || op.kind === 'char') {
      throw new FilterError(`expected an operator (==, !=, >, <, in, contains, …), 'and', 'or' or the end, found ${describe(op)}`, op.start, op.end);
    }
    return { t: 'test', e: a, start: a.start, end: a.end };
  }

  private startsRelation(t: Token): boolean {
    if (SYM_OPS[t.kind] !== undefined || t.kind === '~' || t.kind === '&') return true;
    return t.kind === 'word' && (WORD_OPS[t.text.toLowerCase()] !== undefined || kw(t, 'in', 'contains', 'matches'));
  }

  private set(a: Operand, neg: boolean, inTok: Token): Expr {
    const open = this.expect('{', `expected '{' after '${inTok.text}', as in tcp.port in {80, 443}`, inTok);
    const items: SetItem[] = [];
    for (;;) {
      const t = this.lx.peek();
      if (t.kind === '}') break;
      if (t.kind === 'eof') throw new FilterError(`expected '}' to close the set opened at position ${open.start + 1}`, open.start, this.src.length);
      if (t.kind === ',' && items.length > 0) {
        this.lx.next();
        continue;
      }
      const lo = this.term();
      let hi: Operand | null = null;
      if (this.lx.peek().kind === '..') {
        const dots = this.lx.next();
        hi = this.operandAfter(dots);
      }
      items.push({ lo, hi });
    }
    const close = this.lx.next();
    if (items.length === 0) throw new FilterError('the set is empty', open.start, close.end);
    return { t: 'in', a, items, neg, start: a.start, end: close.end };
  }

  private operandAfter(op: Token): Operand {
    const t = this.lx.peek();
    if (t.kind === 'eof' || t.kind === ')' || t.kind === '&&' || t.kind === '||' || kw(t, 'and', 'or')) {
      throw new FilterError(`expected a value or a field after '${op.text}', found ${describe(t)}`, t.kind === 'eof' ? op.start : t.start, t.kind === 'eof' ? op.end : t.end);
    }
    return this.operand();
  }

  private operand(): Operand {
    let a = this.term();
    while (this.lx.peek().kind === '&') {
      const amp = this.lx.next();
      const b = this.operandTerm(amp);
      a = { t: 'band', a, b, start: a.start, end: b.end };
    }
    return a;
  }

  private operandTerm(op: Token): Operand {
    const t = this.lx.peek();
    if (t.kind === 'eof') throw new FilterError(`expected a value after '${op.text}'`, op.start, op.end);
    return this.term();
  }

  private term(): Operand {
    const t = this.lx.next();
    switch (t.kind) {
      case 'string': return { t: 'string', value: t.text, start: t.start, end: t.end };
      case 'char': return { t: 'char', value: t.text.charCodeAt(0), start: t.start, end: t.end };
      case '(': {
        const inner = this.operand();
        const close = this.expect(')', `expected ')' to close the '(' at position ${t.start + 1}`, t);
        return { ...inner, start: t.start, end: close.end };
      }
      case 'word': break;
      case 'eof': throw new FilterError('expected a field or a value, found the end of the filter', t.start, t.end);
      default: throw new FilterError(`expected a field or a value, found ${describe(t)}`, t.start, t.end);
    }
    if (kw(t, 'and', 'or', 'not', 'xor', 'in', 'contains', 'matches') || WORD_OPS[t.text.toLowerCase()] !== undefined) {
      throw new FilterError(`expected a field or a value, found the keyword '${t.text}'`, t.start, t.end);
    }
    if (FUNCTIONS.has(t.text.toLowerCase()) && this.lx.peek().kind === '(' && this.lx.adjacent(t.end)) {
      const open = this.lx.next();
      const arg = this.operand();
      const close = this.expect(')', `expected ')' to close ${t.text}( at position ${open.start + 1}`, open);
      return { t: 'call', fn: t.text.toLowerCase(), arg, start: t.start, end: close.end };
    }
    let end = t.end;
    let layer: number | null = null;
    let slice: SliceRange[] | null = null;
    if (this.lx.peek().kind === '#' && this.lx.adjacent(end)) {
      const hash = this.lx.next();
      const n = this.lx.peek();
      if (n.kind !== 'word' || !/^-?[0-9]+$/.test(n.text) || n.start !== hash.end) {
        throw new FilterError("expected a layer number after '#', as in ip.src#2", hash.start, n.kind === 'eof' ? hash.end : n.end);
      }
      this.lx.next();
      layer = Number(n.text);
      if (layer === 0) throw new FilterError('layers are numbered from 1 (and from -1 for the last)', n.start, n.end);
      end = n.end;
    }
    if (this.lx.peek().kind === '[' && this.lx.adjacent(end)) {
      const open = this.lx.next();
      const raw = this.lx.rawUntil(']', open);
      slice = parseSlices(raw.text, raw.start);
      end = raw.end + 1;
    }
    return { t: 'word', text: t.text, layer, slice, start: t.start, end };
  }

  private expect(kind: TokKind, message: string, at: Token): Token {
    const t = this.lx.peek();
    if (t.kind !== kind) {
      throw new FilterError(`${message}, found ${describe(t)}`, t.kind === 'eof' ? at.start : t.start, t.kind === 'eof' ? this.src.length : t.end);
    }
    return this.lx.next();
  }
}

/** `0:3`, `1-2`, `4`, `:2`, `2:`, `-1`, and lists of them (`0:2,4`). */
function parseSlices(text: string, at: number): SliceRange[] {
  const out: SliceRange[] = [];
  let pos = at;
  for (const part of text.split(',')) {
    const s = part.replace(/\s+/g, '');
    const m = /^(-?\d*)(?:(:)(\d*)|-(-?\d+))?$/.exec(s);
    const bad = (): never => {
      throw new FilterError(`'${part.trim()}' is not a byte range: use [offset:length], [first-last] or [offset]`, pos, pos + part.length);
    };
    if (!m || s === '') bad();
    const [, a, colon, len, last] = m as RegExpExecArray;
    const from = a === '' || a === '-' ? (a === '-' ? bad() : 0) : Number(a);
    if (colon) {
      if (a === '' && len === '') bad();
      out.push({ from, len: len === '' ? null : Number(len) });
    } else if (last !== undefined) {
      const to = Number(last);
      if (to < from && !(from < 0 || to < 0)) bad();
      out.push({ from, len: from >= 0 && to >= 0 ? to - from + 1 : null });
      if (from < 0 || to < 0) bad();
    } else {
      if (a === '') bad();
      out.push({ from, len: 1 });
    }
    pos += part.length + 1;
  }
  return out;
}
