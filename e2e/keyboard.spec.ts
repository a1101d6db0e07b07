// The keyboard on the bundled sample: Enter in the filter bar applies the text as typed (a completion only
// once the arrows chose it), skip links reach the panes in a few Tabs, tenant and flow rows are one Tab
// stop each with arrows and Enter, every Tab stop up to the packet list can be seen, and the list's focus
// ring is visible (3:1) on its row. Saves screenshots of a focused skip link, tenant row and list row.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { contrast, over, parseColour, type Rgba } from '../web/a11y/contrast.ts';
import { savePage, statusBar, waitLoaded } from './support/app.ts';
import { parseStatus, ROOT } from './support/expect-cli.ts';

const SAMPLE = resolve(ROOT, 'public/samples/demo.pcapng');

function cliCount(filter: string): number {
  const out = execFileSync(process.execPath, [resolve(ROOT, 'cli/tunnelscope.mjs'), SAMPLE, '--frames', '--filter', filter], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  return out.split('\n').filter((l) => l.trim() !== '').length;
}

const bar = (page: Page) => page.getByRole('combobox', { name: 'Display filter' });
const list = (page: Page) => page.getByRole('grid', { name: 'Packets' });
const tenants = (page: Page) => page.getByRole('region', { name: 'Tenants', exact: true });

async function shown(page: Page): Promise<number> {
  return parseStatus(await statusBar(page).innerText()).shown;
}

/** What has the keyboard focus: the tag, a few attributes and its text. */
async function focused(page: Page): Promise<{ tag: string; text: string; tenant: string | null; firstFrame: string | null; role: string | null }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName ?? '',
      text: (el?.textContent ?? '').trim(),
      tenant: el?.getAttribute('data-tenant') ?? null,
      firstFrame: el?.getAttribute('data-first-frame') ?? null,
      role: el?.getAttribute('role') ?? null,
    };
  });
}

/** A computed colour as painted on the panes' white (a transparent background is the pane's). */
function rgb(css: string): Rgba {
  const c = parseColour(css);
  if (c === null) throw new Error(`not a colour: ${css}`);
  return over(c, { r: 255, g: 255, b: 255, a: 1 });
}

/** Tabs from the top of the page until `name` (a skip link) has the focus; returns how many it took. */
async function tabTo(page: Page, name: string, max: number): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if ((await focused(page)).text === name) return i;
  }
  throw new Error(`${name} not reached in ${max} Tabs`);
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

test('skip links reach a tenant row in a few Tabs; tenant rows are one Tab stop, arrows and Enter', async ({ page }, testInfo) => {
  const nav = page.getByRole('navigation', { name: 'Skip links' });
  await expect(nav).toBeAttached();
  const offScreen = await nav.boundingBox();
  expect(offScreen === null || offScreen.y + offScreen.height <= 0).toBe(true);

  await page.keyboard.press('Tab');
  const first = nav.getByRole('button', { name: 'Skip to packet list' });
  await expect(first).toBeFocused();
  // Shown while it has the focus.
  const box = await first.boundingBox();
  expect(box).not.toBeNull();
  expect((box?.y ?? -1) >= 0).toBe(true);
  await savePage(page, testInfo, 'keyboard-skip-link.png');

  const tabs = 1 + await tabTo(page, 'Skip to tenants', 5);
  expect(tabs).toBeLessThanOrEqual(3);
  await page.keyboard.press('Enter');
  const rows = tenants(page).locator('tr[data-tenant]');
  expect(await rows.count()).toBeGreaterThan(2);
  const firstKey = await rows.first().getAttribute('data-tenant');
  expect((await focused(page)).tenant).toBe(firstKey);
  await expect(nav.getByRole('button', { name: 'Skip to tenants' })).not.toBeInViewport();
  // One Tab stop for the whole table.
  await expect(tenants(page).locator('tr[data-tenant][tabindex="0"]')).toHaveCount(1);

  await page.keyboard.press('ArrowDown');
  const second = await rows.nth(1).getAttribute('data-tenant');
  expect((await focused(page)).tenant).toBe(second);
  await expect(rows.nth(1)).toHaveAttribute('tabindex', '0');
  await savePage(page, testInfo, 'keyboard-tenant-row.png');
  const outline = await rows.nth(1).evaluate((el) => {
    const s = getComputedStyle(el);
    return { style: s.outlineStyle, colour: s.outlineColor, bg: getComputedStyle(el.querySelector('td') as Element).backgroundColor };
  });
  expect(outline.style).not.toBe('none');
  expect(contrast(rgb(outline.colour), rgb(outline.bg))).toBeGreaterThanOrEqual(3);

  await page.keyboard.press('Enter');
  await expect(rows.nth(1)).toHaveAttribute('aria-current', 'true');
  await expect(page.locator('.packet-list .chip')).toBeVisible();
  // Enter again on the selected tenant shows every tenant again.
  await page.keyboard.press('Enter');
  await expect(rows.nth(1)).not.toHaveAttribute('aria-current', 'true');
  await expect(page.locator('.packet-list .chip')).toHaveCount(0);
});

test('a flow row can be selected by keyboard', async ({ page }) => {
  await tabTo(page, 'Skip to tenants', 5);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  const tenant = (await focused(page)).tenant;
  expect(tenant).not.toBeNull();
  await expect(tenants(page).locator(`tr[data-tenant="${tenant}"]`)).toHaveAttribute('aria-current', 'true');
  const flows = page.getByRole('region', { name: /^Flows of / });
  const rows = flows.locator('tr[data-first-frame]');
  expect(await rows.count()).toBeGreaterThan(1);

  // Tab leaves the tenant table for the flows table, one stop too.
  await page.keyboard.press('Tab');
  expect((await focused(page)).firstFrame).toBe(await rows.first().getAttribute('data-first-frame'));
  await expect(flows.locator('tr[data-first-frame][tabindex="0"]')).toHaveCount(1);
  await page.keyboard.press('ArrowDown');
  const frame = await rows.nth(1).getAttribute('data-first-frame');
  expect((await focused(page)).firstFrame).toBe(frame);
  await page.keyboard.press('Enter');
  await expect(list(page).locator('[role=row][aria-selected="true"]')).toHaveAttribute('data-frame', frame ?? '');
  await expect(page.getByRole('tree')).toHaveAccessibleName(`Layers of frame ${frame}`);
  // End, then Home.
  await page.keyboard.press('End');
  expect((await focused(page)).firstFrame).toBe(await rows.last().getAttribute('data-first-frame'));
  await page.keyboard.press('Home');
  expect((await focused(page)).firstFrame).toBe(await rows.first().getAttribute('data-first-frame'));
});

test('every Tab stop from the top of the page to the packet list shows where the focus is', async ({ page }) => {
  const seen: string[] = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return {
        name: el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? el.tagName,
        role: el.getAttribute('role'),
        size: Math.min(r.width, r.height),
        inView: r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
        ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ? s.outlineColor : s.boxShadow !== 'none' ? s.boxShadow : null,
      };
    });
    seen.push(stop.name);
    expect(stop.size, `Tab stop ${i + 1} (${stop.name}) is not visible`).toBeGreaterThan(4);
    expect(stop.inView, `Tab stop ${i + 1} (${stop.name}) is off screen`).toBe(true);
    expect(stop.ring, `Tab stop ${i + 1} (${stop.name}) shows no focus ring`).not.toBeNull();
    if (stop.role === 'grid') break;
  }
  expect(seen.at(-1)).toBe('Packets');
});

/** The computed outline of an element and the background it is drawn on. */
async function ringOf(row: Locator): Promise<{ style: string; width: number; colour: string; bg: string }> {
  return row.evaluate((el) => {
    const s = getComputedStyle(el);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor, bg: s.backgroundColor };
  });
}

test('the packet list\'s focus ring contrasts 3:1 with the row it is on', async ({ page }, testInfo) => {
  await tabTo(page, 'Skip to packet list', 3);
  await page.keyboard.press('Enter');
  expect((await focused(page)).role).toBe('grid');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const sel = list(page).locator('[role=row][aria-selected="true"]');
  await expect(sel).toHaveAttribute('data-frame', '2');
  const ring = await ringOf(sel);
  expect(ring.style).not.toBe('none');
  expect(ring.width).toBeGreaterThanOrEqual(2);
  expect(contrast(rgb(ring.colour), rgb(ring.bg))).toBeGreaterThanOrEqual(3);
  // … and with the rows around it (the ring's outer edge).
  for (const n of ['1', '3']) {
    const bg = await list(page).locator(`[role=row][data-frame="${n}"]`).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(contrast(rgb(ring.colour), rgb(bg))).toBeGreaterThanOrEqual(3);
  }
  await savePage(page, testInfo, 'keyboard-list-row.png');

  // A row the colouring rules paint (a bad checksum), selected from the keyboard.
  const bad = list(page).locator('[role=row][data-rule="Bad checksum"]').first();
  const badFrame = Number(await bad.getAttribute('data-frame'));
  for (let i = 2; i < badFrame; i++) await page.keyboard.press('ArrowDown');
  await expect(sel).toHaveAttribute('data-frame', String(badFrame));
  const onBad = await ringOf(sel);
  expect(onBad.style).not.toBe('none');
  expect(contrast(rgb(onBad.colour), rgb(onBad.bg))).toBeGreaterThanOrEqual(3);
  const neighbour = list(page).locator(`[role=row][data-frame="${badFrame + 1}"]`);
  const nbg = await neighbour.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(contrast(rgb(onBad.colour), rgb(nbg))).toBeGreaterThanOrEqual(3);
});
