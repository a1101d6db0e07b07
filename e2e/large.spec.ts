// A large capture (about 80 MB, generated here): rows appear before the load finishes, the main thread
// keeps answering clicks while the worker loads, the progress bar shows bytes and frames, and Cancel
// keeps the frames read so far.
import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBigCapture, type BigCapture } from './support/big-capture.ts';
import { parseStatus, statusText } from './support/expect-cli.ts';
import { pickFile, savePage, statusBar, waitLoaded } from './support/app.ts';

const TARGET = Number(process.env.E2E_BIG_MB ?? 80) * 1024 * 1024;
let big: BigCapture;

test.beforeAll(() => {
  big = writeBigCapture(join(mkdtempSync(join(tmpdir(), 'tunnelscope-big-')), 'big.pcapng'), TARGET);
});

test('the UI stays responsive while a large capture loads', async ({ page }, testInfo) => {
  await page.goto('/');
  await waitLoaded(page, 'demo.pcapng');
  // Record main-thread long tasks from here on.
  await page.evaluate(() => {
    const w = window as unknown as { __long: number[] };
    w.__long = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.__long.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  await pickFile(page, big.path);
  const progress = page.getByRole('progressbar', { name: 'Loading big.pcapng' });
  await expect(progress).toBeVisible();

  // Rows appear before the load finishes.
  await expect(page.getByRole('grid', { name: 'Packets' }).locator('[role=row][data-frame="1"]')).toBeVisible();
  await expect(progress).toBeVisible();
  await savePage(page, testInfo, 'app-large-loading.png');

  // The main thread answers clicks during the load.
  const box = page.getByRole('checkbox', { name: 'Outer addresses' });
  for (let i = 0; i < 3; i++) {
    const t0 = Date.now();
    await box.click();
    await expect(box).toBeChecked({ checked: i % 2 === 0, timeout: 1000 });
    expect(Date.now() - t0).toBeLessThan(1000);
  }
  const mid = parseStatus((await statusBar(page).textContent()) ?? '');
  expect(page.locator('.app')).toHaveAttribute('data-load-state', 'loading');
  expect(mid.frames).toBeLessThan(big.frames);

  await waitLoaded(page, 'big.pcapng');
  const status = parseStatus((await statusBar(page).textContent()) ?? '');
  expect(status.frames).toBe(big.frames);
  const longTasks = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
  testInfo.annotations.push({ type: 'long tasks (ms)', description: JSON.stringify(longTasks.map(Math.round)) });
  expect(Math.max(0, ...longTasks)).toBeLessThan(500);
});

test('Cancel stops a load and keeps the frames read so far', async ({ page }) => {
  await page.goto('/');
  await waitLoaded(page, 'demo.pcapng');
  await pickFile(page, big.path);
  await expect(page.getByRole('grid', { name: 'Packets' }).locator('[role=row][data-frame="1"]')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await waitLoaded(page, 'big.pcapng');
  await expect(page.getByRole('status').filter({ hasText: 'cancelled' })).toBeVisible();
  const s = parseStatus((await statusBar(page).textContent()) ?? '');
  expect(s.frames).toBeGreaterThan(0);
  expect(s.frames).toBeLessThan(big.frames);
  await expect(statusBar(page)).toHaveText(statusText({ ...s }));
});
