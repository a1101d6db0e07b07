// Display-filter lexer (Wireshark's syntax). Field names and unquoted values are both "words": a run of
// letters, digits and `_ . : / -` (so `ip.src`, `10.0.0.0/8`, `fe80::1`, `00:11:22:33:44:55` and
// `0x1f` are one token each); which one a word is, field or literal, is decided by the compiler against
// the registry, as Wireshark does. `..` (a range in a set) ends a word. Positions are UTF-16 offsets.

import { FilterError } from './errors.ts';

export type TokKind =
  | 'word' | 'string' | 'char'
  | '(' | ')' | '{' | '}' | '[' | ']' | ',' | '#' | '..'
  | '==' | '!=' | '===' | '!==' | '~=' | '>' | '<' | '>=' | '<='
  | '&&' | '||' | '^^' | '!' | '&' | '~'
  | 'eof';

export interface Token {
  kind: TokKind;
  /** Source text of the token (for strings: the decoded value; for chars: the character). */
  text: string;
  start: number;
  end: number;
}

const WORD = /[A-Za-z0-9_.:/-]/;

const PUNCT: [string, TokKind][] = [
  ['===', '==='], ['!==', '!=='], ['==', '=='], ['!=', '!='], ['~=', '~='], ['>=', '>='], ['<=', '<='],
  ['&&', '&&'], ['||', '||'], ['^^', '^^'], ['..', '..'],
  ['>', '>'], ['<', '<'], ['!', '!'], ['&', '&'], ['~', '~'], ['(', '('], [')', ')'], ['{', '{'], ['}', '}'], ['[', '['],
  [']', ']'], [',', ','], ['#', '#'],
];

export class Lexer {
  private pos = 0;
  private peeked: Token | null = null;

  constructor(readonly src: string) {}

  peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  next(): Token {
    const t = this.peek();
    this.peeked = null;
    return t;
  }

  /** True when the next token starts right where the previous one ended (no space between). */
  adjacent(prevEnd: number): boolean {
    return this.peek().start === prevEnd;
  }

  /** Raw text up to (not including) `close`, for slice specifications; the closing char is consumed. */
  rawUntil(close: string, open: Token): { text: string; start: number; end: number } {
    if (this.peeked !== null) {
      this.pos = this.peeked.start;
      this.peeked = null;
    }
    const start = this.pos;
    const at = this.src.indexOf(close, start);
    if (at < 0) throw new FilterError(`'${open.text}' at ${open.start + 1} is not closed: expected '${close}'`, open.start, this.src.length);
    this.pos = at + 1;
    return { text: this.src.slice(start, at), start, end: at };
  }

  private scan(): Token {
    const s = this.src;
    let p = this.pos;
    while (p < s.length && /\s/.test(s[p])) p++;
    this.pos = p;
    if (p >= s.length) return { kind: 'eof', text: '', start: p, end: p };
    const c = s[p];
    if (c === '"') return this.string(p);
    if (c === "'") return this.char(p);
    if (WORD.test(c) && !(c === '.' && s[p + 1] === '.')) {
      let q = p;
      while (q < s.length && WORD.test(s[q])) {
        if (s[q] === '.' && s[q + 1] === '.') break;
        q++;
      }
      this.pos = q;
      return { kind: 'word', text: s.slice(p, q), start: p, end: q };
    }
    for (const [text, kind] of PUNCT) {
      if (s.startsWith(text, p)) {
        this.pos = p + text.length;
        return { kind, text, start: p, end: p + text.length };
      }
    }
    throw new FilterError(`unexpected character '${c}'`, p, p + 1);
  }

  private string(p: number): Token {
    const s = this.src;
    let q = p + 1;
    let out = '';
    while (q < s.length && s[q] !== '"') {
      if (s[q] === '\\') {
        const [ch, len] = escape(s, q);
        out += ch;
        q += len;
      } else {
        out += s[q++];
      }
    }
    if (q >= s.length) throw new FilterError('the string is not closed: expected \'"\'', p, s.length);
    this.pos = q + 1;
    return { kind: 'string', text: out, start: p, end: q + 1 };
  }

  private char(p: number): Token {
    const s = this.src;
    let q = p + 1;
    let ch: string;
    if (s[q] === '\\') {
      const [c, len] = escape(s, q);
      ch = c;
      q += len;
    } else {
      ch = s[q] ?? '';
      q++;
    }
    if (ch === '' || s[q] !== "'") throw new FilterError("a character constant is one character between single quotes, like 'a'", p, Math.min(s.length, q + 1));
    this.pos = q + 1;
    return { kind: 'char', text: ch, start: p, end: q + 1 };
  }
}

/** One backslash escape at s[q] ('\\'): the character and the length consumed. */
function escape(s: string, q: number): [string, number] {
  const e = s[q + 1];
  switch (e) {
    case 'n': return ['\n', 2];
    case 't': return ['\t', 2];
    case 'r': return ['\r', 2];
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
      const m = /^[0-7]{1,3}/.exec(s.slice(q + 1)) ?? ['0'];
      return [String.fromCharCode(parseInt(m[0], 8) & 0xff), 1 + m[0].length];
    }
    case 'x': {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(q + 2));
      if (!m) throw new FilterError('\\x needs one or two hex digits', q, q + 2);
      return [String.fromCharCode(parseInt(m[0], 16)), 2 + m[0].length];
    }
    case undefined: throw new FilterError('a backslash ends the filter', q, q + 1);
    default: return [e, 2];
  }
}
