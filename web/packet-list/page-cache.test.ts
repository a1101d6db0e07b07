// The packet list's page cache: which pages are asked for again, and what a change of view forgets.
import { describe, expect, it } from 'vitest';
import type { PacketRow } from '../../workers/api.ts';
import { PAGE, PageCache, pagesOf } from './page-cache.ts';

function rows(from: number, count: number): PacketRow[] {
  return Array.from({ length: count }, (_, i) => ({
    n: from + i + 1, time: null, epoch: null, delta: null, deltaShown: null, src: '', dst: '', outerSrc: '', outerDst: '', protocol: '', length: 0, tenant: '',
    tenantKey: null, flowId: null, checks: '', info: '', severity: null,
  }));
}

describe('pagesOf', () => {
  it('gives the pages holding a window of rows', () => {
    expect(PAGE).toBe(64);
    expect(pagesOf(0, 0)).toEqual([0, 0]);
    expect(pagesOf(0, 63)).toEqual([0, 0]);
    expect(pagesOf(60, 64)).toEqual([0, 1]);
    expect(pagesOf(130, 300)).toEqual([2, 4]);
  });
});

describe('PageCache', () => {
  it('keeps an answered page and finds its rows by index', () => {
    const c = new PageCache('a');
    const req = c.request(1, false, 1, 0);
    expect(req).not.toBeNull();
    expect(c.rowAt(64)).toBeUndefined();
    expect(c.answer(req!, rows(64, PAGE))).toBe(true);
    expect(c.rowAt(64)?.n).toBe(65);
    expect(c.rowAt(127)?.n).toBe(128);
    expect(c.rowAt(63)).toBeUndefined();
    expect(c.rowAt(128)).toBeUndefined();
  });

  it('asks for a page once while it is on its way, and again after a failure', () => {
    const c = new PageCache('a');
    const req = c.request(0, false, 1, 0);
    expect(req).not.toBeNull();
    expect(c.request(0, false, 1, 0)).toBeNull();
    c.failed(req!);
    expect(c.request(0, false, 1, 0)).not.toBeNull();
  });

  it('asks again as the analysis grows for a partial page, and for any page of a sorted view', () => {
    const c = new PageCache('a');
    const partial = c.request(0, false, 1, 0)!;
    c.answer(partial, rows(0, 10));
    expect(c.request(0, false, 1, 0)).toBeNull();
    const again = c.request(0, false, 2, 0);
    expect(again).not.toBeNull();
    c.answer(again!, rows(0, PAGE));
    // In file order a full page never changes.
    expect(c.request(0, false, 3, 0)).toBeNull();

    const sorted = new PageCache('s');
    sorted.answer(sorted.request(0, true, 1, 0)!, rows(0, PAGE));
    expect(sorted.request(0, true, 1, 0)).toBeNull();
    expect(sorted.request(0, true, 2, 0)).not.toBeNull();
  });

  it('asks again for a full page when the colouring rules changed', () => {
    const c = new PageCache('a');
    c.answer(c.request(0, false, 1, 0)!, rows(0, PAGE));
    expect(c.request(0, false, 1, 0)).toBeNull();
    const req = c.request(0, false, 1, 1);
    expect(req).not.toBeNull();
    c.answer(req!, rows(0, PAGE));
    expect(c.request(0, false, 1, 1)).toBeNull();
  });

  it('keeps the version the page was asked at, not the one it was answered at', () => {
    const c = new PageCache('a');
    const req = c.request(0, false, 1, 0)!;
    // The analysis grew to version 2 while the answer was on its way: it may not hold version 2's rows.
    c.answer(req, rows(0, 10));
    expect(c.request(0, false, 2, 0)).not.toBeNull();
  });

  it('another view starts empty: its pages are asked for, answers for the old view are not kept', () => {
    const c = new PageCache('a');
    c.answer(c.request(0, false, 1, 0)!, rows(0, PAGE));
    const old = c.request(1, false, 1, 0)!;
    c.show('a');
    expect(c.rowAt(0)?.n).toBe(1);

    c.show('b');
    expect(c.rowAt(0)).toBeUndefined();
    // Page 1 is no longer on its way for this view: it is asked for.
    const fresh = c.request(1, false, 1, 0);
    expect(fresh).not.toBeNull();
    // The old view's answer is dropped and does not end the new view's request.
    expect(c.answer(old, rows(64, PAGE))).toBe(false);
    expect(c.rowAt(64)).toBeUndefined();
    expect(c.request(1, false, 1, 0)).toBeNull();
    expect(c.answer(fresh!, rows(1000, PAGE))).toBe(true);
    expect(c.rowAt(64)?.n).toBe(1001);
  });
});
