// Display filters in the app, on the bundled sample: the bar (green/red as you type with the reason,
// completion, history, Enter, Esc), counts that match the CLI's --filter, a filter that needs the frame
// bytes, Apply/Prepare as filter from the details tree, keyboard (/ Ctrl+F Ctrl+G), colouring rules
// (defaults, tenant stripes, a user rule saved across reloads). Saves screenshots of each.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { SCREENSHOTS, savePage, savePane, statusBar, waitLoaded } from './support/app.ts';
import { parseStatus, ROOT } from './support/expect-cli.ts';

const SAMPLE = resolve(ROOT, 'public/samples/demo.pcapng');

/** Frame numbers the CLI's --filter matches (the same decoders, in Node). */
function cliFrames(filter: string): number[] {
  const out = execFileSync(process.execPath, [resolve(ROOT, 'cli/tunnelscope.mjs'), SAMPLE, '--frames', '--filter', filter], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  return out.split('\n').filter((l) => l.trim() !== '').map((l) => (JSON.parse(l) as { n: number }).n);
}

const bar = (page: Page) => page.getByRole('combobox', { name: 'Display filter' });
const list = (page: Page) => page.getByRole('grid', { name: 'Packets' });

/** Screenshot of the filter bar with the popup below it. */
async function saveBar(page: Page, testInfo: TestInfo, file: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const box = await page.getByRole('search', { name: 'Display filter' }).boundingBox();
  if (box === null) throw new Error('no filter bar');
  const path = resolve(SCREENSHOTS, file);
  await page.screenshot({ path, clip: { x: 0, y: 0, width: page.viewportSize()?.width ?? 1600, height: box.y + box.height + 8 } });
  await testInfo.attach(file, { path, contentType: 'image/png' });
}

async function shown(page: Page): Promise<number> {
  return parseStatus(await statusBar(page).innerText()).shown;
}

async function applyFilter(page: Page, f: string): Promise<void> {
  await bar(page).fill(f);
  await expect(bar(page)).toHaveAttribute('data-state', 'valid');
  await bar(page).press('Enter');
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await waitLoaded(page, 'demo.pcapng');
});

test('the bar turns green or red as you type, says why and where, and applies on Enter', async ({ page }, testInfo) => {
  const total = await shown(page);
  await bar(page).fill('ip.scr == 10.0.0.1');
  await expect(bar(page)).toHaveAttribute('data-state', 'invalid');
  await expect(bar(page)).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#fb-error')).toHaveText("'ip.scr' is not a known field or protocol; did you mean 'ip.src'? (at character 1)");
  const bg = await bar(page).evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(bg).toBe('rgb(251, 220, 220)');
  await saveBar(page, testInfo, 'filter-bar-invalid.png');
  // Enter does nothing with a bad filter.
  await bar(page).press('Enter');
  expect(await shown(page)).toBe(total);

  await bar(page).fill('nvgre.vsid == 5001 && tcp.dstport == 443');
  await expect(bar(page)).toHaveAttribute('data-state', 'valid');
  expect(await bar(page).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(220, 245, 220)');
  await saveBar(page, testInfo, 'filter-bar-valid.png');
  await bar(page).press('Enter');
  const want = cliFrames('nvgre.vsid == 5001 && tcp.dstport == 443');
  expect(want.length).toBeGreaterThan(10);
  await expect.poll(() => shown(page)).toBe(want.length);
  await expect(list(page).locator('[role=row][data-frame]').first()).toHaveAttribute('data-frame', String(want[0]));
  const visible = await list(page).locator('[role=row][data-frame]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-frame'))));
  expect(visible).toEqual(want.slice(0, visible.length));
  await savePage(page, testInfo, 'filter-applied.png');

  // Esc clears the filter: every frame again.
  await bar(page).focus();
  await bar(page).press('Escape');
  await expect(bar(page)).toHaveValue('');
  await expect.poll(() => shown(page)).toBe(total);
});

test('field names complete as you type; applied filters come back from the history', async ({ page }, testInfo) => {
  await bar(page).click();
  await bar(page).pressSequentially('nvgre.v');
  const options = page.getByRole('listbox', { name: 'Field names' }).getByRole('option');
  await expect(options.first()).toContainText('nvgre.vsid');
  await savePage(page, testInfo, 'filter-completion.png');
  await bar(page).press('Tab');
  await expect(bar(page)).toHaveValue('nvgre.vsid');
  await bar(page).pressSequentially(' == 5002');
  await bar(page).press('Enter');
  await expect.poll(() => shown(page)).toBe(cliFrames('nvgre.vsid == 5002').length);
  await applyFilter(page, 'udp.port == 53');
  await expect.poll(() => shown(page)).toBe(cliFrames('udp.port == 53').length);

  await bar(page).fill('');
  await bar(page).press('ArrowDown');
  const recent = page.getByRole('listbox', { name: 'Recent filters' }).getByRole('option');
  await expect(recent).toHaveText(['udp.port == 53', 'nvgre.vsid == 5002']);
  await bar(page).press('ArrowDown');
  await bar(page).press('Enter');
  await expect(bar(page)).toHaveValue('nvgre.vsid == 5002');
  await expect.poll(() => shown(page)).toBe(cliFrames('nvgre.vsid == 5002').length);
});

test('a filter on fields only the bytes hold reads the frames and matches what the CLI finds', async ({ page }) => {
  const f = 'ip.ttl == 64 || eth.src[0:3] == 00:50:56 || frame contains "HTTP"';
  await bar(page).fill(f);
  await expect(bar(page)).toHaveAttribute('data-state', 'valid');
  await expect(page.getByText('reads frames')).toBeVisible();
  await bar(page).press('Enter');
  const want = cliFrames(f);
  expect(want.length).toBeGreaterThan(0);
  await expect.poll(() => shown(page), { timeout: 30_000 }).toBe(want.length);
  await expect(list(page).locator('[role=row][data-frame]').first()).toHaveAttribute('data-frame', String(want[0]));
});

test('right-click a field in the details: Apply as filter, Prepare as filter', async ({ page }, testInfo) => {
  const row = list(page).locator('[role=row][data-frame]').filter({ has: page.locator('.c-tenant', { hasText: /NVGRE/ }) }).first();
  await row.click();
  const details = page.getByRole('region', { name: 'Packet details', exact: true });
  await details.getByRole('button', { name: 'Expand all' }).click();
  const vsid = details.locator('[role=treeitem][data-field="nvgre.vsid"]').first();
  const want = await vsid.getAttribute('data-filter');
  expect(want).toMatch(/^nvgre\.vsid == \d+$/);
  await vsid.click({ button: 'right' });
  const menu = page.getByRole('menu');
  await expect(menu).toBeVisible();
  await savePage(page, testInfo, 'filter-field-menu.png');
  await menu.getByRole('menuitem', { name: 'Apply as filter', exact: true }).click();
  await expect(bar(page)).toHaveValue(want as string);
  await expect.poll(() => shown(page)).toBe(cliFrames(want as string).length);

  // Prepare: the text goes into the bar (focused), nothing is applied yet.
  const before = await shown(page);
  const src = details.locator('[role=treeitem][data-field="ip.src"]').nth(1);
  const srcFilter = await src.getAttribute('data-filter');
  await src.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Prepare as filter' }).click();
  await expect(bar(page)).toHaveValue(srcFilter as string);
  await expect(bar(page)).toBeFocused();
  expect(await shown(page)).toBe(before);
  // … and selected, from the keyboard (Shift+F10 on the selected line).
  await bar(page).press('Escape');
  await expect.poll(() => shown(page)).toBeGreaterThan(before);
  await vsid.click();
  await page.getByRole('tree').press('Shift+F10');
  await page.getByRole('menuitem', { name: 'Apply as filter: not selected' }).click();
  await expect(bar(page)).toHaveValue(`!(${want as string})`);
  await expect.poll(() => shown(page)).toBe(cliFrames(`!(${want as string})`).length);
});

test('the details show a frame\'s tenant and checksum flags, which apply as filters too', async ({ page }, testInfo) => {
  const bad = list(page).locator('[role=row].sev-bad').first();
  await bad.click();
  const details = page.getByRole('region', { name: 'Packet details', exact: true });
  const node = details.getByRole('treeitem', { name: /^Tunnelscope: NVGRE \d+ \(0x[0-9a-f]{6}\), bad checksum/ });
  await expect(node).toBeVisible();
  await details.getByRole('button', { name: 'Expand all' }).click();
  const flag = details.locator('[role=treeitem][data-field="checksum.bad"]');
  await expect(flag).toContainText(/True \(inner\.tcp\)/);
  await expect(details.locator('[role=treeitem][data-field="tenant.vnid"]')).toHaveAttribute('data-filter', /^tenant\.vnid == \d+$/);
  await savePane(page, testInfo, 'Packet details', 'filter-details-flags.png');
  await flag.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Apply as filter', exact: true }).click();
  await expect(bar(page)).toHaveValue('checksum.bad == 1');
  await expect.poll(() => shown(page)).toBe(cliFrames('checksum.bad').length);
});

test('keyboard: / and Ctrl+F focus the filter, Ctrl+G goes to a frame', async ({ page }) => {
  await list(page).locator('[role=row][data-frame="2"]').click();
  await page.keyboard.press('/');
  await expect(bar(page)).toBeFocused();
  await bar(page).blur();
  await list(page).focus();
  await page.keyboard.press('Control+f');
  await expect(bar(page)).toBeFocused();
  await page.keyboard.press('Control+g');
  const dialog = page.getByRole('dialog', { name: 'Go to frame' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox').fill('99999');
  await dialog.getByRole('textbox').press('Enter');
  await expect(dialog).toContainText(/Enter a frame number from 1 to \d+/);
  await dialog.getByRole('textbox').fill('1200');
  await dialog.getByRole('textbox').press('Enter');
  await expect(dialog).toBeHidden();
  await expect(list(page).locator('[role=row][aria-selected="true"]')).toHaveAttribute('data-frame', '1200');
  await expect(page.getByRole('tree')).toHaveAccessibleName('Layers of frame 1200');
});

test('colouring rules: defaults colour checksum trouble, tenants get stripes, a rule of your own is kept', async ({ page }, testInfo) => {
  const bad = list(page).locator('[role=row].sev-bad').first();
  await expect(bad).toHaveAttribute('data-rule', 'Bad checksum');
  expect(await bad.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(252, 222, 222)');
  const partial = list(page).locator('[role=row][data-rule="Partial or zero checksum"]').first();
  await expect(partial).toHaveClass(/sev-(partial|zero)/);
  // Tenant stripes: one colour per tenant, the same on every row of it.
  const stripes = await list(page).locator('[role=row][data-tenant-colour]').evaluateAll((rows) => rows.map((r) => [r.querySelector('.c-tenant')?.textContent ?? '', r.getAttribute('data-tenant-colour')]));
  const byTenant = new Map<string, Set<string>>();
  for (const [t, c] of stripes) byTenant.set(t as string, (byTenant.get(t as string) ?? new Set()).add(c as string));
  expect(byTenant.size).toBeGreaterThan(1);
  for (const cs of byTenant.values()) expect(cs.size).toBe(1);
  await savePane(page, testInfo, 'Packet list', 'filter-row-colours.png');

  await page.getByRole('button', { name: 'Colours…' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Colouring rules' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Add rule' }).click();
  const filter = dialog.getByRole('textbox', { name: 'Rule 3 filter' });
  await filter.fill('vxlan.vni ==');
  await expect(dialog.getByText(/expected a value or a field after '=='/)).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled();
  await filter.fill('vxlan.vni == 300');
  await dialog.getByRole('textbox', { name: 'Rule 3 name' }).fill('VXLAN 300');
  await dialog.getByLabel('Rule 3 background').fill('#cfe8ff');
  await savePage(page, testInfo, 'filter-colour-rules.png');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  await applyFilter(page, 'vxlan.vni == 300 && !checksum.bad && !checksum.partial && !checksum.zero');
  const vx = list(page).locator('[role=row][data-frame]').first();
  await expect(vx).toHaveAttribute('data-rule', 'VXLAN 300');
  expect(await vx.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(207, 232, 255)');

  // Saved in this browser: the rule is still there after a reload.
  await page.reload();
  await waitLoaded(page, 'demo.pcapng');
  await page.getByRole('button', { name: 'Colours…' }).first().click();
  await expect(page.getByRole('dialog', { name: 'Colouring rules' }).getByRole('textbox', { name: 'Rule 3 filter' })).toHaveValue('vxlan.vni == 300');
});
