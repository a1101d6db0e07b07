// `src=` links: the capture is fetched from an http(s) URL by the browser, without cookies or other
// credentials and without a Referer, with progress, a size limit, and one clear message per failure.
import { checkSourceUrl } from './fragment.ts';
import { MAX_FETCH_BYTES } from './limits.ts';
import type { Result } from './result.ts';

export interface FetchProgress {
  loaded: number;
  /** Expected bytes, or -1 when the server does not say (or compresses the transfer). */
  total: number;
}

export interface FetchOptions {
  signal?: AbortSignal;
  onProgress?: (p: FetchProgress) => void;
  maxBytes?: number;
  /** The fetch to use (tests pass their own). */
  fetchImpl?: typeof fetch;
  /** Protocol of the page (`https:` blocks http:// fetches as mixed content); default: location's. */
  pageProtocol?: string;
}

export interface FetchedCapture {
  blob: Blob;
  /** File name from the URL path, for the title and the status bar. */
  name: string;
  url: string;
}

export async function fetchCapture(url: string, opts: FetchOptions = {}): Promise<Result<FetchedCapture>> {
  const checked = checkSourceUrl(url);
  if (!checked.ok) return checked;
  const href = checked.value;
  const max = opts.maxBytes ?? MAX_FETCH_BYTES;
  const doFetch = opts.fetchImpl ?? fetch;
  const where = displayUrl(href);
  let res: Response;
  try {
    res = await doFetch(href, {
      method: 'GET',
      credentials: 'omit',
      mode: 'cors',
      redirect: 'follow',
      referrerPolicy: 'no-referrer',
      signal: opts.signal,
    });
  } catch (e) {
    if (isAbort(e, opts.signal)) return { ok: false, error: `Download of ${where} cancelled.` };
    const page = opts.pageProtocol ?? globalThis.location?.protocol;
    if (page === 'https:' && href.startsWith('http:')) {
      return { ok: false, error: `Cannot fetch ${where}: this page is served over https, and browsers block plain http downloads from it (mixed content). Use an https URL.` };
    }
    return {
      ok: false,
      error: `Cannot fetch ${where}: the server could not be reached, or it does not allow this page to read the file (CORS: the server must send Access-Control-Allow-Origin).`,
    };
  }
  if (!res.ok) {
    const text = res.statusText ? ` ${res.statusText}` : '';
    const hint = res.status === 404 ? ' (no file at that address)' : res.status === 401 || res.status === 403 ? ' (the server refuses access; links are fetched without cookies)' : '';
    return { ok: false, error: `Cannot fetch ${where}: the server answered HTTP ${res.status}${text}${hint}.` };
  }
  const lengthHeader = res.headers.get('content-length');
  const encoded = (res.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const declared = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : -1;
  if (declared > max) {
    await res.body?.cancel().catch(() => undefined);
    return { ok: false, error: `Cannot open ${where}: it is ${formatBytes(declared)}, more than the ${formatBytes(max)} a link may fetch.` };
  }
  const total = encoded ? -1 : declared;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let loaded = 0;
  opts.onProgress?.({ loaded, total });
  if (res.body === null) return { ok: false, error: `Cannot open ${where}: the server sent no data.` };
  const reader = res.body.getReader();
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      loaded += r.value.length;
      if (loaded > max) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, error: `Cannot open ${where}: it is larger than the ${formatBytes(max)} a link may fetch; the download was stopped.` };
      }
      chunks.push(r.value);
      opts.onProgress?.({ loaded, total });
    }
  } catch (e) {
    if (isAbort(e, opts.signal)) return { ok: false, error: `Download of ${where} cancelled.` };
    return { ok: false, error: `The download of ${where} broke off after ${formatBytes(loaded)}.` };
  }
  if (loaded === 0) return { ok: false, error: `Cannot open ${where}: the file is empty.` };
  return { ok: true, value: { blob: new Blob(chunks), name: nameFromUrl(href), url: href } };
}

/** Last path segment, decoded, or `capture` when there is none. */
export function nameFromUrl(href: string): string {
  try {
    const path = new URL(href).pathname;
    const last = path.slice(path.lastIndexOf('/') + 1);
    const name = decodeURIComponent(last).replace(/[\u0000-\u001f\u007f]/g, '');
    return name === '' ? 'capture' : name.slice(0, 255);
  } catch {
    return 'capture';
  }
}

function displayUrl(href: string): string {
  return href.length > 120 ? `${href.slice(0, 117)}…` : href;
}

function isAbort(e: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (e instanceof DOMException && e.name === 'AbortError');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  do {
    v /= 1024;
    u++;
  } while (v >= 1024 && u < units.length - 1);
  return `${v >= 10 ? Math.round(v) : Math.round(v * 10) / 10} ${units[u]}`;
}
