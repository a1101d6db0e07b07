// Recently applied display filters, most recent first, kept in localStorage.
const KEY = 'tunnelscope.filter.history';
const MAX = 30;

export function loadHistory(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX) : [];
  } catch {
    return [];
  }
}

export function remember(filter: string): string[] {
  const f = filter.trim();
  const list = loadHistory();
  if (f === '') return list;
  const next = [f, ...list.filter((x) => x !== f)].slice(0, MAX);
  try {
    localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // storage full or disabled: history just does not persist
  }
  return next;
}
