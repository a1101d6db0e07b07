// View preferences, remembered in this browser (localStorage), as Wireshark keeps its recent settings:
// the time display format, which columns show (and the custom ones), column widths and pane sizes.
// Whatever is stored is checked value by value: a bad or foreign value falls back to its default
// alone, and stored text that is not JSON at all gives the defaults.

/** Wireshark's View > Time Display Format, by the names it gives them. */
export type TimeFormat = 'absolute' | 'time-of-day' | 'epoch' | 'relative' | 'delta' | 'delta-displayed' | 'utc' | 'utc-time-of-day';

export const TIME_FORMATS: ReadonlyArray<{ id: TimeFormat; label: string }> = [
  { id: 'absolute', label: 'Date and Time of Day' },
  { id: 'time-of-day', label: 'Time of Day' },
  { id: 'epoch', label: 'Seconds Since 1970-01-01' },
  { id: 'relative', label: 'Seconds Since Beginning of Capture' },
  { id: 'delta', label: 'Seconds Since Previous Captured Packet' },
  { id: 'delta-displayed', label: 'Seconds Since Previous Displayed Packet' },
  { id: 'utc', label: 'UTC Date and Time of Day' },
  { id: 'utc-time-of-day', label: 'UTC Time of Day' },
];

/** A column showing one details field (`ip.ttl`) for every row: "Apply as column". */
export interface CustomColumn {
  field: string;
  title: string;
}

export interface PaneSizes {
  /** Packet list height, percent of the left side. */
  list: number;
  /** Packet details width, percent of the lower row. */
  details: number;
  /** Left side width, percent of the workspace (the rest is the side panel). */
  side: number;
}

export interface ViewPrefs {
  time: TimeFormat;
  /** Column ids hidden (built-in ids, `custom:<field>`). */
  hidden: string[];
  /** Column widths the user set, px by column id; columns not listed have their default width. */
  widths: Record<string, number>;
  custom: CustomColumn[];
  panes: PaneSizes;
}

export const STORAGE_KEY = 'tunnelscope.view';
export const MAX_CUSTOM = 16;
export const PANE_MIN = 15;
export const PANE_MAX = 85;
const WIDTH_MIN = 20;
const WIDTH_MAX = 2000;
const FIELD_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/i;

export const DEFAULT_PANES: PaneSizes = { list: 50, details: 50, side: 63 };

export function defaultPrefs(): ViewPrefs {
  return { time: 'relative', hidden: ['outerSrc', 'outerDst'], widths: {}, custom: [], panes: { ...DEFAULT_PANES } };
}

export function customColumnId(field: string): string {
  return `custom:${field}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pane(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= PANE_MIN && v <= PANE_MAX ? v : fallback;
}

/** The preferences a stored value holds, each part checked on its own (anything unusable: its default). */
export function parsePrefs(raw: unknown): ViewPrefs {
  const d = defaultPrefs();
  if (!isRecord(raw)) return d;
  const time = TIME_FORMATS.some((f) => f.id === raw.time) ? (raw.time as TimeFormat) : d.time;
  const custom: CustomColumn[] = [];
  if (Array.isArray(raw.custom)) {
    for (const c of raw.custom) {
      if (!isRecord(c) || typeof c.field !== 'string' || !FIELD_NAME.test(c.field) || custom.some((x) => x.field === c.field)) continue;
      const title = typeof c.title === 'string' && c.title.trim() !== '' ? c.title.slice(0, 100) : c.field;
      if (custom.length < MAX_CUSTOM) custom.push({ field: c.field, title });
    }
  }
  const hidden = Array.isArray(raw.hidden) ? [...new Set(raw.hidden.filter((x): x is string => typeof x === 'string' && x.length <= 200))] : d.hidden;
  const widths: Record<string, number> = {};
  if (isRecord(raw.widths)) {
    for (const [k, v] of Object.entries(raw.widths)) {
      if (typeof v === 'number' && Number.isFinite(v) && v >= WIDTH_MIN && v <= WIDTH_MAX && k.length <= 200) widths[k] = Math.round(v);
    }
  }
  const p = isRecord(raw.panes) ? raw.panes : {};
  const panes = { list: pane(p.list, d.panes.list), details: pane(p.details, d.panes.details), side: pane(p.side, d.panes.side) };
  return { time, hidden, widths, custom, panes };
}

/** The stored preferences, or the defaults (nothing stored, not JSON, storage unavailable). */
export function loadPrefs(storage: Pick<Storage, 'getItem'> | null = safeStorage()): ViewPrefs {
  try {
    const text = storage?.getItem(STORAGE_KEY) ?? null;
    return text === null ? defaultPrefs() : parsePrefs(JSON.parse(text));
  } catch {
    return defaultPrefs();
  }
}

export function savePrefs(prefs: ViewPrefs, storage: Pick<Storage, 'setItem'> | null = safeStorage()): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(prefs));
  } catch {
    // storage full or disabled: the preferences hold for this session only
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
