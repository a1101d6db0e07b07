import { describe, expect, it } from 'vitest';
import { defaultPrefs, loadPrefs, MAX_CUSTOM, parsePrefs, savePrefs, STORAGE_KEY, type ViewPrefs } from './view-prefs.ts';

function memory(initial?: string): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  if (initial !== undefined) data.set(STORAGE_KEY, initial);
  return {
    data,
    get length() { return data.size; },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => { data.delete(k); },
    setItem: (k, v) => { data.set(k, v); },
  };
}

const SAVED: ViewPrefs = {
  time: 'utc',
  hidden: ['flowId', 'custom:ip.ttl'],
  widths: { src: 150, info: 300, 'custom:ip.ttl': 60 },
  custom: [{ field: 'ip.ttl', title: 'Time to Live' }],
  panes: { list: 40, details: 55, side: 70 },
};

describe('view preferences', () => {
  it('come back as saved', () => {
    const s = memory();
    savePrefs(SAVED, s);
    expect(loadPrefs(s)).toEqual(SAVED);
  });

  it('are the defaults when nothing is stored, the stored text is not JSON, or storage fails', () => {
    expect(loadPrefs(memory())).toEqual(defaultPrefs());
    expect(loadPrefs(memory('{"time": "utc", '))).toEqual(defaultPrefs());
    expect(loadPrefs(memory('null'))).toEqual(defaultPrefs());
    expect(loadPrefs(memory('[1, 2]'))).toEqual(defaultPrefs());
    expect(loadPrefs({ getItem: () => { throw new Error('denied'); } })).toEqual(defaultPrefs());
    expect(loadPrefs(null)).toEqual(defaultPrefs());
    expect(() => savePrefs(SAVED, { setItem: () => { throw new Error('quota'); } })).not.toThrow();
  });

  it('keep every good part of a damaged value and replace each bad one by its default', () => {
    const p = parsePrefs({
      time: 'sometime',
      hidden: ['info', 3, 'info', null],
      widths: { src: 150, dst: 'wide', info: -5, no: 1e9, time: Number.NaN, length: 61.4 },
      custom: [
        { field: 'ip.ttl', title: 'TTL' }, { field: 'ip.ttl', title: 'again' }, { field: 'x" || 1', title: 'bad' },
        { field: 'tcp.window_size', title: '' }, 'ip.src', null,
      ],
      panes: { list: 90, details: 30, side: 'x' },
    });
    expect(p).toEqual({
      time: 'relative',
      hidden: ['info'],
      widths: { src: 150, length: 61 },
      custom: [{ field: 'ip.ttl', title: 'TTL' }, { field: 'tcp.window_size', title: 'tcp.window_size' }],
      panes: { list: 50, details: 30, side: 63 },
    });
    const many = parsePrefs({ custom: Array.from({ length: MAX_CUSTOM + 5 }, (_, i) => ({ field: `f.x${i}`, title: 'x' })) });
    expect(many.custom).toHaveLength(MAX_CUSTOM);
  });

  it('hide the outer address columns by default', () => {
    expect(defaultPrefs().hidden).toEqual(['outerSrc', 'outerDst']);
    expect(defaultPrefs().time).toBe('relative');
  });
});
