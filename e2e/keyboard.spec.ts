// The keyboard on the bundled sample: Enter in the filter bar applies the text as typed (a completion only
// once the arrows chose it).
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { statusBar, waitLoaded } from './support/app.ts';
import { parseStatus, ROOT } from './support/expect-cli.ts';

const SAMPLE = resolve(ROOT, 'public/samples/demo.pcapng');

function cliCount(filter: string): number {
  const out = execFileSync(process.execPath, [resolve(ROOT, 'cli/tunnelscope.mjs'), SAMPLE, '--frames', '--filter', filter], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  return out.split('\n').filter((l) => l.trim() !== '').length;
}

const bar = (page: Page) => page.getByRole('combobox', { name: 'Display filter' });

async function shown(page: Page): Promise<number> {
  return parseStatus(await statusBar(page).innerText()).shown;
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await waitLoaded(page, 'demo.pcapng');
});

test('Enter applies the filter as typed on the first press, with completions showing', async ({ page }) => {
  const total = await shown(page);
  const f = 'nvgre.vsid == 5001 && tcp';
  await bar(page).click();
  await bar(page).pressSequentially(f);
  const options = page.getByRole('listbox', { name: 'Field names' }).getByRole('option');
  await expect(options.first()).toBeVisible();
  // Nothing in the list is chosen until the arrows move into it.
  await expect(page.getByRole('listbox').locator('[aria-selected="true"]')).toHaveCount(0);
  await expect(bar(page)).toHaveAttribute('data-state', 'valid');
  await bar(page).press('Enter');
  const want = cliCount(f);
  expect(want).toBeGreaterThan(0);
  expect(want).toBeLessThan(total);
  await expect.poll(() => shown(page)).toBe(want);
  await expect(bar(page)).toHaveValue(f);
  await expect(page.getByRole('listbox')).toHaveCount(0);
});

test('after the arrows move into the completions, Enter takes the chosen name', async ({ page }) => {
  const total = await shown(page);
  await bar(page).click();
  await bar(page).pressSequentially('udp.');
  const listbox = page.getByRole('listbox', { name: 'Field names' });
  expect(await listbox.getByRole('option').count()).toBeGreaterThan(2);
  await bar(page).press('ArrowDown');
  await bar(page).press('ArrowDown');
  const chosen = listbox.locator('[role=option][aria-selected="true"]');
  await expect(chosen).toHaveCount(1);
  await expect(bar(page)).toHaveAttribute('aria-activedescendant', (await chosen.getAttribute('id')) ?? '');
  const name = (await chosen.locator('.fb-name').textContent()) ?? '';
  expect(name).toMatch(/^udp\.\S+$/);
  expect(name).toBe(await listbox.getByRole('option').nth(1).locator('.fb-name').textContent());
  await bar(page).press('Enter');
  await expect(bar(page)).toHaveValue(name);
  await expect(listbox).toHaveCount(0);
  // The name went into the bar; nothing was applied.
  expect(await shown(page)).toBe(total);
  // The next Enter applies it.
  await bar(page).press('Enter');
  await expect.poll(() => shown(page)).toBe(cliCount(name));
});
