// The packet list's rows, kept by page as the worker sends them (rows(start, count, view)). Plain
// bookkeeping here; use-page-cache.ts asks the worker. A page is asked for again when the analysis has
// grown since (a partial last page, or any page of a sorted view, can change) or the colouring rules
// changed; a view of its own (another key) starts from nothing.
import type { PacketRow } from '../../workers/api.ts';

/** Rows per request: about a screenful, so little more than the visible rows crosses the boundary. */
export const PAGE = 64;

interface CachedPage {
  rows: PacketRow[];
  /** appStore's dataVersion the rows were asked at. */
  version: number;
  /** filterUi.rulesVersion the rows' colours were computed for. */
  rules: number;
}

/** A page request on its way; it stays counted in flight in the view it was asked for. */
export interface PageRequest {
  readonly page: number;
  readonly key: string;
  readonly version: number;
  readonly rules: number;
  readonly inflight: Set<number>;
}

/** The pages (first, last) holding rows first..last. */
export function pagesOf(first: number, last: number): [number, number] {
  return [Math.floor(first / PAGE), Math.floor(last / PAGE)];
}

export class PageCache {
  private pages = new Map<number, CachedPage>();
  private inflight = new Set<number>();

  constructor(private key: string) {}

  /** The view the list shows (its key): another one drops every page and forgets requests on their way. */
  show(key: string): void {
    if (key === this.key) return;
    this.key = key;
    this.pages = new Map();
    this.inflight = new Set();
  }

  rowAt(idx: number): PacketRow | undefined {
    const p = Math.floor(idx / PAGE);
    return this.pages.get(p)?.rows[idx - p * PAGE];
  }

  /**
   * A request for page p, or null when the cached page is still good (or one is on its way already).
   * In file order (not sorted) a full page never changes.
   */
  request(p: number, sorted: boolean, version: number, rules: number): PageRequest | null {
    const c = this.pages.get(p);
    const unsortedFull = c && !sorted && c.rows.length === PAGE;
    if (c && c.rules === rules && (unsortedFull || c.version >= version)) return null;
    if (this.inflight.has(p)) return null;
    this.inflight.add(p);
    return { page: p, key: this.key, version, rules, inflight: this.inflight };
  }

  /** The answer to `req`: kept, unless the list shows another view by now (then false). */
  answer(req: PageRequest, rows: PacketRow[]): boolean {
    req.inflight.delete(req.page);
    if (req.key !== this.key) return false;
    this.pages.set(req.page, { rows, version: req.version, rules: req.rules });
    return true;
  }

  /** The request failed: the page may be asked for again. */
  failed(req: PageRequest): void {
    req.inflight.delete(req.page);
  }
}
