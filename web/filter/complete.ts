// Field-name completion for the filter bar: the word under the caret and the registry fields it starts.
import type { FilterField } from '../../workers/api.ts';

export interface Completion {
  /** Span of the text the chosen name replaces. */
  from: number;
  to: number;
  items: FilterField[];
}

const WORD = /[A-Za-z0-9_.-]/;

export function completions(text: string, caret: number, fields: readonly FilterField[], max = 12): Completion | null {
  let from = caret;
  while (from > 0 && WORD.test(text[from - 1])) from--;
  let to = caret;
  while (to < text.length && WORD.test(text[to])) to++;
  const word = text.slice(from, caret);
  if (word === '' || !/^[A-Za-z]/.test(word)) return null;
  // After a comparison operator a word is a value, not a field: no completion there.
  if (/(==|!=|===|!==|~=|>=|<=|[<>]|\b(eq|ne|gt|lt|ge|le|contains|matches))\s*$/.test(text.slice(0, from))) return null;
  const low = word.toLowerCase();
  const starts = fields.filter((f) => f.name.startsWith(low));
  // Whole components first (ip. -> ip.src before ipv6.src), then shorter names.
  starts.sort((a, b) => {
    const ad = a.name.startsWith(`${low}.`) || a.name === low ? 0 : 1;
    const bd = b.name.startsWith(`${low}.`) || b.name === low ? 0 : 1;
    return ad - bd || a.name.split('.').length - b.name.split('.').length || (a.name < b.name ? -1 : 1);
  });
  const items = starts.slice(0, max);
  if (items.length === 0 || (items.length === 1 && items[0].name === low && to === caret)) return null;
  return { from, to, items };
}
