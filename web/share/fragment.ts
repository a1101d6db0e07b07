// The URL fragment of a shared analysis: `#key=value&…`. Browsers never send the fragment to a
// server, so nothing in it is uploaded. Parsing is strict and never throws: an invalid fragment gives
// one message naming every problem. Nothing parsed here is ever rendered as HTML or executed: values
// end up as text in React (escaped), as a fetch() URL (http/https only), or as capture bytes read by
// the same readers as a dropped file.
//
// Keys:
//   src=<http(s) URL>                  the capture is fetched from there
//   cap=<base64url deflate-raw pcapng> the capture is in the link (name=<file>: its name, optional)
//   sha256=<hex>&name=<file>&size=<n>  a fingerprint: the recipient opens their own copy
//   view=packets|tenants|offload|charts, tenant=<encap>:<vnid>, sort=<column>:<asc|desc>,
//   frame=<n>, f=<display filter>, fold=1 (pktmon copies folded)
import type { ColumnId } from '../../workers/api.ts';
import { MAX_FILTER_CHARS, MAX_FRAGMENT_CHARS, MAX_NAME_CHARS, MAX_SRC_CHARS } from './limits.ts';
import type { Result } from './result.ts';
import { tunnelIdBits, tunnelNames } from '../../decoders/tunnels.ts';

export const VIEW_NAMES = ['packets', 'tenants', 'offload', 'charts'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

export const SORT_COLUMNS = ['no', 'time', 'src', 'dst', 'protocol', 'length', 'tenant', 'flowId', 'checks', 'info'] as const satisfies readonly ColumnId[];
// Every ColumnId must be listed above: this line stops compiling when the API gains a column.
const allColumnsListed: Exclude<ColumnId, (typeof SORT_COLUMNS)[number]> extends never ? true : false = true;
void allColumnsListed;


export type CaptureRef =
  | { kind: 'src'; url: string }
  /** `name`: the capture's file name; links made before it was added have none. */
  | { kind: 'cap'; data: string; name?: string }
  | { kind: 'fingerprint'; sha256: string; name: string; size: number };

export interface ShareView {
  view: ViewName;
  /** Tenant key (`nvgre:5001`, `gre:` for GRE without tenant id), or null for all frames. */
  tenant: string | null;
  sort: { column: ColumnId; desc: boolean } | null;
  /** Selected frame number (1-based), or null. */
  frame: number | null;
  /** Display filter text; empty for none. Passed through as is (filtering is issue 5). */
  filter: string;
  /** pktmon copies folded (each packet once, at its last point): `fold=1`. */
  fold: boolean;
}

export interface ShareState {
  capture: CaptureRef | null;
  view: ShareView;
}

export const DEFAULT_VIEW: ShareView = { view: 'packets', tenant: null, sort: null, frame: null, filter: '', fold: false };

const KEYS = ['src', 'cap', 'sha256', 'name', 'size', 'view', 'tenant', 'sort', 'frame', 'f', 'fold'] as const;
type Key = (typeof KEYS)[number];
const isKey = (k: string): k is Key => (KEYS as readonly string[]).includes(k);

const MAX_VNID = 0xffffffff; // VSID and VNI are 24-bit, other tunnel ids (GTP-U TEID) 32
const MAX_FRAME = 0xffffffff;

/** Parses `#…` (the leading `#` is optional). The empty fragment is the default view of no capture. */
export function parseFragment(fragment: string): Result<ShareState> {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (text.length > MAX_FRAGMENT_CHARS) {
    return fail([`the link is too long (${text.length} characters after #; at most ${MAX_FRAGMENT_CHARS})`]);
  }
  const errors: string[] = [];
  const values = new Map<Key, string>();
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const key = decode(rawKey);
    if (key === null || !isKey(key)) {
      errors.push(`unknown key "${shorten(key ?? rawKey)}" (known: ${KEYS.join(', ')})`);
      continue;
    }
    if (eq < 0) {
      errors.push(`${key} has no value (write ${key}=…)`);
      continue;
    }
    const value = decode(part.slice(eq + 1));
    if (value === null) {
      errors.push(`${key}: bad percent-encoding`);
      continue;
    }
    if (values.has(key)) {
      errors.push(`${key} is given more than once`);
      continue;
    }
    values.set(key, value);
  }

  const view: ShareView = { ...DEFAULT_VIEW };
  const v = values.get('view');
  if (v !== undefined) {
    if ((VIEW_NAMES as readonly string[]).includes(v)) view.view = v as ViewName;
    else errors.push(`view "${shorten(v)}" is not one of ${VIEW_NAMES.join(', ')}`);
  }
  const t = values.get('tenant');
  if (t !== undefined) {
    const key = parseTenant(t);
    if (key === null) errors.push(`tenant "${shorten(t)}" is not <encap>:<vnid> (encap ${tunnelNames().join(', ')}; vnid 0..${MAX_VNID}; "gre:" for GRE without a key)`);
    else view.tenant = key;
  }
  const s = values.get('sort');
  if (s !== undefined) {
    const m = /^([A-Za-z]+):(asc|desc)$/.exec(s);
    const col = m?.[1];
    if (!m || col === undefined || !(SORT_COLUMNS as readonly string[]).includes(col)) {
      errors.push(`sort "${shorten(s)}" is not <column>:<asc|desc> with a column among ${SORT_COLUMNS.join(', ')}`);
    } else {
      view.sort = { column: col as ColumnId, desc: m[2] === 'desc' };
    }
  }
  const fr = values.get('frame');
  if (fr !== undefined) {
    const n = parseCount(fr, MAX_FRAME);
    if (n === null || n < 1) errors.push(`frame "${shorten(fr)}" is not a frame number (a whole number from 1)`);
    else view.frame = n;
  }
  const f = values.get('f');
  if (f !== undefined) {
    if (f.length > MAX_FILTER_CHARS) errors.push(`the display filter is too long (${f.length} characters; at most ${MAX_FILTER_CHARS})`);
    else if (hasControl(f)) errors.push('the display filter contains control characters');
    else view.filter = f;
  }
  const fold = values.get('fold');
  if (fold !== undefined) {
    if (fold === '1') view.fold = true;
    else errors.push(`fold "${shorten(fold)}" is not 1 (fold=1 lists each pktmon packet once)`);
  }

  const capture = parseCapture(values, errors);
  if (errors.length > 0) return fail(errors);
  return { ok: true, value: { capture, view } };
}

function parseCapture(values: Map<Key, string>, errors: string[]): CaptureRef | null {
  const src = values.get('src');
  const cap = values.get('cap');
  const sha = values.get('sha256');
  const name = values.get('name');
  const size = values.get('size');
  // `name` names an embedded capture too: beside `cap` it is not part of a fingerprint.
  const fingerprint = sha !== undefined || size !== undefined || (name !== undefined && cap === undefined);
  const kinds = [src !== undefined, cap !== undefined, fingerprint].filter(Boolean).length;
  if (kinds > 1) {
    errors.push('a link holds one capture: src, cap, or sha256 with name and size, not several');
    return null;
  }
  if (src !== undefined) {
    const r = checkSourceUrl(src);
    if (!r.ok) {
      errors.push(r.error);
      return null;
    }
    return { kind: 'src', url: r.value };
  }
  if (cap !== undefined) {
    if (cap === '') errors.push('cap (the embedded capture) is empty');
    else if (!/^[A-Za-z0-9_-]+$/.test(cap)) errors.push('cap (the embedded capture) holds characters that base64url does not use: was the link changed?');
    else if (cap.length % 4 === 1) errors.push('cap (the embedded capture) has an impossible length: was the link cut short?');
    else if (name !== undefined && !validName(name)) errors.push(nameError());
    else return { kind: 'cap', data: cap, name };
    return null;
  }
  if (sha === undefined && name === undefined && size === undefined) return null;
  const before = errors.length;
  if (sha === undefined || name === undefined || size === undefined) {
    const missing = [sha === undefined ? 'sha256' : '', name === undefined ? 'name' : '', size === undefined ? 'size' : ''].filter(Boolean);
    errors.push(`a fingerprint needs sha256, name and size together (missing: ${missing.join(', ')})`);
    return null;
  }
  if (!/^[0-9a-fA-F]{64}$/.test(sha)) errors.push(`sha256 "${shorten(sha)}" is not 64 hexadecimal digits`);
  if (!validName(name)) errors.push(nameError());
  const bytes = parseCount(size, Number.MAX_SAFE_INTEGER);
  if (bytes === null) errors.push(`size "${shorten(size)}" is not a number of bytes`);
  if (errors.length > before || bytes === null) return null;
  return { kind: 'fingerprint', sha256: sha.toLowerCase(), name, size: bytes };
}

function validName(name: string): boolean {
  return name !== '' && name.length <= MAX_NAME_CHARS && !hasControl(name);
}

function nameError(): string {
  return `name must be 1 to ${MAX_NAME_CHARS} characters without control characters`;
}

/** Only absolute http(s) URLs without user name or password; returns the normalised URL. */
export function checkSourceUrl(text: string): Result<string> {
  if (text.length > MAX_SRC_CHARS) return { ok: false, error: `src is too long (${text.length} characters; at most ${MAX_SRC_CHARS})` };
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { ok: false, error: `src "${shorten(text)}" is not an absolute URL` };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return { ok: false, error: `src must be an http or https URL, not ${u.protocol.replace(/:$/, '')}:` };
  }
  if (u.username !== '' || u.password !== '') {
    return { ok: false, error: 'src must not contain a user name or password' };
  }
  return { ok: true, value: u.href };
}

/** `nvgre:5001` -> canonical key; `gre:` for GRE without a tenant id; null when invalid. */
export function parseTenant(text: string): string | null {
  const m = /^([a-z][a-z0-9-]*):(\d{0,10})$/.exec(text);
  if (!m || !tunnelNames().includes(m[1])) return null;
  // An empty id: a tunnel without tenant ids (plain GRE); the others need one.
  if (m[2] === '') return tunnelIdBits(m[1]) === 0 ? `${m[1]}:` : null;
  const n = Number(m[2]);
  if (n > MAX_VNID) return null;
  return `${m[1]}:${n}`;
}

/** Decimal digits only (no sign, no exponent), at most `max`. */
function parseCount(text: string, max: number): number | null {
  if (!/^\d{1,16}$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n <= max ? n : null;
}

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function hasControl(s: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(s);
}

function shorten(s: string): string {
  const clean = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 37)}…` : clean;
}

function fail(errors: string[]): Result<ShareState> {
  return { ok: false, error: `Invalid link: ${errors.join('; ')}.` };
}

// Characters left as they are in a fragment value: RFC 3986 unreserved plus : @ /, which keeps URLs and
// tenant keys readable. Everything else is percent-encoded as UTF-8: the & and = delimiters, + (some
// tools read it as a space), and the punctuation that chat tools drop from the end of a link ( ) ! , ; ' *.
const KEEP = /^[A-Za-z0-9\-._~:@/]$/;

export function encodeValue(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) {
      out += '%EF%BF%BD'; // a lone surrogate cannot be UTF-8 encoded: U+FFFD instead
      continue;
    }
    out += KEEP.test(ch) ? ch : encodeURIComponent(ch).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  }
  return out;
}

/**
 * `#key=value&…` for a state, in a fixed key order (capture first, `cap` last: it is long), leaving
 * defaults out. The empty state gives ''.
 */
export function serializeFragment(state: ShareState): string {
  const parts: string[] = [];
  const add = (k: Key, v: string): void => {
    parts.push(`${k}=${encodeValue(v)}`);
  };
  const c = state.capture;
  if (c?.kind === 'src') add('src', c.url);
  if (c?.kind === 'fingerprint') {
    add('sha256', c.sha256);
    add('name', c.name);
    add('size', String(c.size));
  }
  const v = state.view;
  if (v.view !== 'packets') add('view', v.view);
  if (v.tenant !== null) add('tenant', v.tenant);
  if (v.sort !== null) add('sort', `${v.sort.column}:${v.sort.desc ? 'desc' : 'asc'}`);
  if (v.frame !== null) add('frame', String(v.frame));
  if (v.filter !== '') add('f', v.filter);
  if (v.fold) add('fold', '1');
  if (c?.kind === 'cap') {
    if (c.name !== undefined) add('name', c.name);
    add('cap', c.data);
  }
  return parts.length === 0 ? '' : `#${parts.join('&')}`;
}

/** Whether two references name the same capture (then only the view changed: nothing to reload). */
export function sameCapture(a: CaptureRef | null, b: CaptureRef | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === 'src' && b.kind === 'src') return a.url === b.url;
  if (a.kind === 'cap' && b.kind === 'cap') return a.data === b.data && a.name === b.name;
  if (a.kind === 'fingerprint' && b.kind === 'fingerprint') return a.sha256 === b.sha256 && a.size === b.size && a.name === b.name;
  return false;
}

export function sameView(a: ShareView, b: ShareView): boolean {
  return a.view === b.view && a.tenant === b.tenant && a.frame === b.frame && a.filter === b.filter && a.fold === b.fold
    && (a.sort === null ? b.sort === null : b.sort !== null && a.sort.column === b.sort.column && a.sort.desc === b.sort.desc);
}
