// Parallel decoding in the browser: the analyzer worker decodes the head of a large capture itself and
// starts decode workers for the rest. The merged result equals the CLI's, and Cancel (or a finished
// load) leaves no decode worker running.
import { expect, test, type Page, type Worker } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeBigCapture, type BigCapture } from './support/big-capture.ts';
import { parseStatus } from './support/expect-cli.ts';
import { pickFile, statusBar, waitLoaded } from './support/app.ts';

let big: BigCapture;

test.beforeAll(() => {
  // Large enough that the load is still running when Cancel is clicked.
  big = writeBigCapture(join(mkdtempSync(join(tmpdir(), 'tunnelscope-par-')), 'par.pcapng'), 480 * 1024 * 1024);
});

test.afterAll(() => {
  if (big) rmSync(dirname(big.path), { recursive: true, force: true });
});

const isDecoder = (w: Worker): boolean => w.url().includes('decode.worker');
const decodeWorkers = (page: Page): number => page.workers().filter(isDecoder).length;

/** Resolves when the page starts its first decode worker; counts every one started. */
function watchDecoders(page: Page): { started: Promise<void>; count: () => number } {
  let n = 0;
  let ok: () => void = () => undefined;
  const started = new Promise<void>((resolve) => { ok = resolve; });
  page.on('worker', (w) => {
    if (isDecoder(w)) {
      n++;
      ok();
    }
  });
  return { started, count: () => n };
}

test('a large capture is decoded by several workers and every frame is there', async ({ page }) => {
  await page.goto('/');
  await waitLoaded(page, 'demo.pcapng');
  const seen = watchDecoders(page);
  await pickFile(page, big.path);
  await waitLoaded(page, 'par.pcapng');
  expect(seen.count(), 'decode workers started').toBeGreaterThan(0);
  const s = parseStatus((await statusBar(page).textContent()) ?? '');
  expect(s.frames).toBe(big.frames);
  expect(s.shown).toBe(big.frames);
  await expect.poll(() => decodeWorkers(page)).toBe(0);
});

test('Cancel stops every decode worker', async ({ page }) => {
  await page.goto('/');
  await waitLoaded(page, 'demo.pcapng');
  const seen = watchDecoders(page);
  await pickFile(page, big.path);
  await seen.started;
  await page.getByRole('button', { name: 'Cancel' }).click({ timeout: 10_000 });
  await waitLoaded(page, 'par.pcapng');
  await expect(page.getByRole('status').filter({ hasText: 'cancelled' })).toBeVisible();
  expect(seen.count()).toBeGreaterThan(0);
  await expect.poll(() => decodeWorkers(page)).toBe(0);
  const s = parseStatus((await statusBar(page).textContent()) ?? '');
  expect(s.frames).toBeGreaterThan(0);
  expect(s.frames).toBeLessThan(big.frames);
});
