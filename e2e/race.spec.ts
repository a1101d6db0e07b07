// The file the user opens last is the file shown, whatever earlier load is still under way: the bundled
// sample at start, a `#src=` link still downloading, an earlier drop. At "ready", and again once the
// earlier load's requests have ended, `.app[data-capture]`, the status bar (the CLI's figures) and the
// first rows of the list belong to the file opened last, and no message speaks of the earlier load.
//
// The races are made certain, not left to chance: the earlier download is held with page.route until the
// later file has been dropped, and the second of two drops is made from inside the page the moment the
// first capture shows while it is still loading.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { FrameJson } from '../decoders/analysis/types.ts';
import { waitLoaded } from './support/app.ts';
import { writeBigCapture, type BigCapture } from './support/big-capture.ts';
import { cliExpect, parseStatus, ROOT, SHARED, statusText } from './support/expect-cli.ts';
import { tenantIdText } from '../decoders/tenant-id.ts';

const SAMPLE = resolve(ROOT, 'public/samples/demo.pcapng');
const GENEVE = resolve(SHARED, 'tcpdump/geneve.pcap');
/** Large enough that it is still loading when the earlier load's late answers arrive (~0.5 s here). */
const BIG_BYTES = Number(process.env.E2E_RACE_MB ?? 128) * 1024 * 1024;
const FIRST_ROWS = 5;

interface Shown {
  capture: string | undefined;
  loadState: string | undefined;
  status: string | null | undefined;
  rowCount: string | null | undefined;
  firstRows: { n: string | null; length: string; tenant: string }[];
  notices: string[];
  hashNamesCapture: boolean;
}

let big: BigCapture;
let bigWant: Shown;
let geneveWant: Shown;

/** What the page must show for `file` once it is open: the CLI's status figures and first frames. */
function want(file: string): Shown {
  const e = cliExpect(file);
  const out = execFileSync(process.execPath, [resolve(ROOT, 'cli/tunnelscope.mjs'), '--frames', '--filter', `frame.number <= ${FIRST_ROWS}`, file], { cwd: ROOT, encoding: 'utf8' });
  const frames = out.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as FrameJson);
  return {
    capture: basename(file),
    loadState: 'ready',
    status: statusText(e),
    rowCount: String(e.frames + 1), // the header row counts
    firstRows: frames.map((f) => ({ n: String(f.n), length: String(f.len), tenant: f.encap === null ? '' : `${f.encap}${f.vnid === null ? '' : ` ${tenantIdText(f.vnid)}`}` })),
    notices: [],
    hashNamesCapture: false,
  };
}

/** One synchronous read of the page: no waiting, no retrying. */
async function shown(page: Page): Promise<Shown> {
  return page.evaluate((n) => {
    const app = document.querySelector<HTMLElement>('.app');
    const grid = document.querySelector('[role=grid][aria-label="Packets"]');
    const rows = [...(grid?.querySelectorAll('[role=row][data-frame]') ?? [])].slice(0, n);
    return {
      capture: app?.dataset.capture,
      loadState: app?.dataset.loadState,
      status: document.querySelector('.statusbar [role=status]')?.textContent,
      rowCount: grid?.getAttribute('aria-rowcount'),
      firstRows: rows.map((r) => ({
        n: r.getAttribute('data-frame'),
        length: r.querySelector('.c-length')?.textContent ?? '',
        tenant: (r.querySelector('.c-tenant')?.textContent ?? '').toLowerCase(),
      })),
      notices: [...document.querySelectorAll('.notices .notice .n-text')].map((e) => e.textContent ?? ''),
      // A dropped file cannot be named in the address: an address still naming a capture names the earlier one.
      hashNamesCapture: /(^#|&)(src|cap|sha256)=/.test(location.hash),
    };
  }, FIRST_ROWS);
}

/**
 * At "ready" the page shows `want`, and still does once the earlier load's requests have ended and
 * anything they could still set off has had time to arrive.
 */
async function expectLastWins(page: Page, w: Shown, earlierEnded: Promise<unknown>): Promise<void> {
  await waitLoaded(page, w.capture ?? '');
  expect(await shown(page)).toEqual(w);
  await earlierEnded;
  await page.waitForTimeout(1500);
  expect(await shown(page)).toEqual(w);
}

interface Held {
  /** The page asked for it (the test holds it from then on). */
  requested: Promise<void>;
  /** Answers it (if the page still wants it). */
  release(): void;
  /** It finished or failed (aborted by the page). */
  ended: Promise<'finished' | 'failed'>;
}

/** Holds the page's requests for `url` until release(), then serves `body`. */
async function hold(page: Page, url: RegExp, body: Buffer): Promise<Held> {
  let requested!: () => void;
  let release!: () => void;
  let ended!: (how: 'finished' | 'failed') => void;
  const held: Held = {
    requested: new Promise<void>((r) => { requested = r; }),
    release: () => release(),
    ended: new Promise((r) => { ended = r; }),
  };
  const gate = new Promise<void>((r) => { release = r; });
  page.on('requestfinished', (r) => { if (url.test(r.url())) ended('finished'); });
  page.on('requestfailed', (r) => { if (url.test(r.url())) ended('failed'); });
  await page.route(url, async (route) => {
    requested();
    await gate;
    // The page may have given the request up meanwhile: nothing to answer then.
    await route.fulfill({
      status: 200,
      headers: { 'content-type': 'application/octet-stream', 'access-control-allow-origin': '*' },
      body,
    }).catch(() => undefined);
  });
  return held;
}

/**
 * Puts a file into a file input of the test's own (not the app's), so the page holds it as a File without
 * it crossing the test channel as bytes; dropStaged(id) in the page then drops it like a user does.
 */
async function stage(page: Page, id: string, path: string): Promise<void> {
  await page.evaluate((id) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = id;
    input.style.display = 'none';
    document.body.append(input);
    (window as unknown as { dropStaged: (id: string) => void }).dropStaged = (which: string): void => {
      const el = document.getElementById(which) as HTMLInputElement;
      const dt = new DataTransfer();
      dt.items.add(el.files![0]);
      const target = document.querySelector('.packet-list') ?? document.body;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    };
  }, id);
  await page.locator(`#${id}`).setInputFiles(path);
}

async function drop(page: Page, id: string): Promise<void> {
  await page.evaluate((id) => (window as unknown as { dropStaged: (id: string) => void }).dropStaged(id), id);
}

/**
 * Drops staged file `first`, then `second` from inside the page the moment `firstName` shows; returns
 * the load state at that moment.
 */
async function dropTwice(page: Page, first: string, firstName: string, second: string): Promise<string> {
  await page.evaluate(({ firstName, second }) => {
    const app = document.querySelector<HTMLElement>('.app')!;
    (window as unknown as { secondDrop: Promise<string> }).secondDrop = new Promise<string>((resolve) => {
      const seen = new MutationObserver(() => {
        if (app.dataset.capture !== firstName) return;
        seen.disconnect();
        const state = app.dataset.loadState ?? '';
        (window as unknown as { dropStaged: (id: string) => void }).dropStaged(second);
        resolve(state);
      });
      seen.observe(app, { attributes: true, attributeFilter: ['data-capture'] });
    });
  }, { firstName, second });
  await drop(page, first);
  return page.evaluate(() => (window as unknown as { secondDrop: Promise<string> }).secondDrop);
}

test.beforeAll(() => {
  big = writeBigCapture(join(mkdtempSync(join(tmpdir(), 'tunnelscope-race-')), 'big.pcapng'), BIG_BYTES);
  bigWant = want(big.path);
  geneveWant = want(GENEVE);
});

test.afterAll(() => {
  if (big) rmSync(dirname(big.path), { recursive: true, force: true });
});

test('a large capture dropped while the sample loads at start stays open', async ({ page }) => {
  const sample = await hold(page, /\/samples\/demo\.pcapng$/, readFileSync(SAMPLE));
  await page.goto('/');
  await sample.requested;
  await stage(page, 'race-big', big.path);
  await drop(page, 'race-big');
  sample.release();
  await expectLastWins(page, bigWant, sample.ended);
  // The sample's download was given up, not merely outrun.
  expect(await sample.ended).toBe('failed');
});

test('a file dropped while a #src= link still downloads stays open, and the address stops naming the link', async ({ page, baseURL }) => {
  const src = await hold(page, /\/slow\/geneve\.pcap$/, readFileSync(GENEVE));
  await page.goto(`/#src=${new URL('slow/geneve.pcap', baseURL).href}`);
  await src.requested;
  await stage(page, 'race-big', big.path);
  await drop(page, 'race-big');
  src.release();
  await expectLastWins(page, bigWant, src.ended);
  expect(await src.ended).toBe('failed');
});

test('of two quick drops the second stays open, even with the first one large and on screen', async ({ page }) => {
  // Every pane answer held back 300 ms: answers about the first capture arrive after the second was dropped.
  await page.addInitScript(() => {
    (globalThis as { __tunnelscopeHoldAnswersMs?: number }).__tunnelscopeHoldAnswersMs = 300;
  });
  await page.goto('/');
  await waitLoaded(page, 'demo.pcapng');
  await stage(page, 'race-big', big.path);
  await stage(page, 'race-small', GENEVE);
  expect(await dropTwice(page, 'race-big', 'big.pcapng', 'race-small')).toBe('loading');
  await expectLastWins(page, geneveWant, Promise.resolve());
});

test('a file that is not a capture, dropped while a large one shows and loads, leaves that one open with all it read', async ({ page }) => {
  const notes = join(dirname(big.path), 'notes.txt');
  writeFileSync(notes, 'These are my notes, not a capture.\n');
  await page.goto('/');
  await waitLoaded(page, 'demo.pcapng');
  await stage(page, 'race-big', big.path);
  await stage(page, 'race-notes', notes);
  expect(await dropTwice(page, 'race-big', 'big.pcapng', 'race-notes')).toBe('loading');
  // The large load was stopped by the second drop: what it read stays, and at "ready" every figure is
  // its last one (the status bar's file line names the format only once the load's result is in).
  await waitLoaded(page, 'big.pcapng');
  const cut = await shown(page);
  const file = await page.locator('.statusbar .sb-file').textContent();
  const counts = parseStatus(cut.status ?? '');
  expect(file).toMatch(/^big\.pcapng · .* · pcapng$/);
  expect(counts.frames).toBeGreaterThan(0);
  expect(counts.frames).toBeLessThan(big.frames);
  expect(counts.shown).toBe(counts.frames);
  expect(cut.rowCount).toBe(String(counts.frames + 1));
  expect(cut.firstRows).toEqual(bigWant.firstRows);
  expect(cut.notices).toEqual([expect.stringMatching(new RegExp(
    `^Cannot open notes\\.txt: not a pcap or pcapng file\\b.*\\. big\\.pcapng is still open with the ${counts.frames} frames read before its load was stopped\\.$`,
  ))]);
  // A fresh question gets the same answer: sorting by No. (file order again) asks the worker anew.
  await page.getByRole('grid', { name: 'Packets' }).getByRole('columnheader', { name: 'No.' }).getByRole('button').click();
  await expect(page.getByRole('grid', { name: 'Packets' }).getByRole('columnheader', { name: 'No.' })).toHaveAttribute('aria-sort', 'ascending');
  await waitLoaded(page, 'big.pcapng');
  expect(await shown(page)).toEqual(cut);
  await page.waitForTimeout(1500);
  expect(await shown(page)).toEqual(cut);
});
