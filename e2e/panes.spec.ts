// The panes on the bundled sample: packet list (selection, keyboard, sorting, colours), details tree
// and bytes (highlight both ways), tenants narrowing the list, offload and charts. Saves a screenshot
// of each pane.
import { expect, test, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { PANES, savePage, savePane, statusBar, waitLoaded } from './support/app.ts';
import { cliExpect, parseStatus, ROOT, statusText } from './support/expect-cli.ts';

const SAMPLE = resolve(ROOT, 'public/samples/demo.pcapng');

function list(page: Page) {
  return page.getByRole('grid', { name: 'Packets' });
}

function selectedRow(page: Page) {
  return list(page).locator('[role=row][aria-selected="true"]');
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await waitLoaded(page, 'demo.pcapng');
});

test('every pane is a named landmark', async ({ page }) => {
  for (const name of PANES) await expect(page.getByRole('region', { name, exact: true })).toBeVisible();
});

test('selecting a frame shows its layers and highlights the bytes of a field', async ({ page }, testInfo) => {
  // A tunnelled frame: its Tenant cell is filled in.
  const row = list(page).locator('[role=row][data-frame]').filter({ has: page.locator('.c-tenant', { hasText: /\S/ }) }).first();
  await row.click();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  const n = await row.getAttribute('data-frame');

  const details = page.getByRole('region', { name: 'Packet details', exact: true });
  const tree = details.getByRole('tree');
  await expect(tree).toHaveAccessibleName(`Layers of frame ${n}`);
  const top = tree.getByRole('treeitem');
  expect(await top.count()).toBeGreaterThan(3);
  await expect(tree).toContainText(/Frame \d+/);

  // Open everything, pick a field with bytes (an IP source address), check the highlight.
  await details.getByRole('button', { name: 'Expand all' }).click();
  const field = tree.locator('[role=treeitem][data-field="ip.src"]').first();
  await field.click();
  await expect(field).toHaveAttribute('aria-selected', 'true');
  const bytesPane = page.getByRole('region', { name: 'Packet bytes', exact: true });
  const hl = bytesPane.locator('.hex-hex span.hl');
  await expect(hl).toHaveCount(4);
  await expect(bytesPane.locator('.hex-asc span.hl')).toHaveCount(4);

  // Clicking a byte selects the deepest field covering it: byte 0 is the (outer) destination MAC.
  await bytesPane.locator('.hex-hex span[data-off="0"]').click();
  const sel = tree.locator('[role=treeitem][aria-selected="true"]');
  await expect(sel).toHaveCount(1);
  await expect(sel).toHaveAttribute('data-field', /^eth\.dst$/);
  await expect(bytesPane.locator('.hex-hex span.hl')).toHaveCount(6);

  await savePane(page, testInfo, 'Packet details', 'pane-details.png');
  await savePane(page, testInfo, 'Packet bytes', 'pane-bytes.png');
});

test('a bad checksum shows its verdict and the value it should have been', async ({ page }) => {
  const bad = list(page).locator('[role=row].sev-bad').first();
  await expect(bad).toBeVisible();
  const bg = await bad.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(bg).toMatch(/rgb\(25[0-5], 2[0-3]\d, 2[0-3]\d\)/); // a red tint
  await bad.click();
  const tree = page.getByRole('region', { name: 'Packet details', exact: true }).getByRole('tree');
  await page.getByRole('button', { name: 'Expand all' }).click();
  const line = tree.locator('[role=treeitem].v-bad').first();
  await expect(line).toBeVisible();
  await expect(line).toContainText(/should be 0x[0-9a-f]{4}/);
  await expect(line).toContainText('[bad]');
});

test('the keyboard moves the selection: arrows, page keys, Home and End', async ({ page }) => {
  const e = cliExpect(SAMPLE);
  await list(page).locator('[role=row][data-frame="1"]').click();
  await expect(selectedRow(page)).toHaveAttribute('data-frame', '1');
  await page.keyboard.press('ArrowDown');
  await expect(selectedRow(page)).toHaveAttribute('data-frame', '2');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await expect(selectedRow(page)).toHaveAttribute('data-frame', '2');
  await page.keyboard.press('End');
  await expect(selectedRow(page)).toHaveAttribute('data-frame', String(e.frames));
  await page.keyboard.press('PageUp');
  const afterPgUp = Number(await selectedRow(page).getAttribute('data-frame'));
  expect(afterPgUp).toBeLessThan(e.frames);
  await page.keyboard.press('PageDown');
  await expect(selectedRow(page)).toHaveAttribute('data-frame', String(e.frames));
  await page.keyboard.press('Home');
  await expect(selectedRow(page)).toHaveAttribute('data-frame', '1');
  await expect(list(page)).toHaveAttribute('aria-activedescendant', 'pkt-1');
});

test('a list taller than the browser allows still reaches every row (scroll space capped, rows mapped)', async ({ page }) => {
  // A cap of 8,000 px makes the 2,347-row sample (46,940 px) take the path a 1.6 M+ frame capture takes.
  await page.addInitScript({ content: 'globalThis.__tunnelscopeMaxScrollPx = 8000;' });
  await page.goto('/');
  await waitLoaded(page, 'demo.pcapng');
  const e = cliExpect(SAMPLE);
  const grid = list(page);
  const body = grid.locator('.grid-body');
  expect(await body.evaluate((el) => el.getBoundingClientRect().height)).toBe(8000);
  const visible = async (n: number): Promise<void> => {
    const row = grid.locator(`[role=row][data-frame="${n}"]`);
    await expect(row).toBeVisible();
    const [g, r] = await Promise.all([grid.boundingBox(), row.boundingBox()]);
    expect(r && g && r.y >= g.y && r.y + r.height <= g.y + g.height + 1).toBe(true);
  };
  await grid.locator('[role=row][data-frame="1"]').click();
  await page.keyboard.press('End');
  await expect(selectedRow(page)).toHaveAttribute('data-frame', String(e.frames));
  await expect(page.getByRole('tree', { name: `Layers of frame ${e.frames}` })).toBeVisible();
  await visible(e.frames);
  await page.keyboard.press('ArrowUp');
  await expect(selectedRow(page)).toHaveAttribute('data-frame', String(e.frames - 1));
  await visible(e.frames - 1);
  await page.keyboard.press('Home');
  await expect(selectedRow(page)).toHaveAttribute('data-frame', '1');
  await visible(1);
  // Dragging the scrollbar to the middle shows the rows about halfway through, 20 px apart.
  await grid.evaluate((el) => { el.scrollTop = (el.scrollHeight - el.clientHeight) / 2; });
  const mid = Math.round(e.frames / 2);
  await expect(grid.locator('[role=row][data-frame]').filter({ hasText: new RegExp(`^${mid}`) }).first()).toBeVisible();
  const tops = await grid.locator('[role=row][data-frame]').evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().top));
  for (let k = 1; k < tops.length; k++) expect(tops[k] - tops[k - 1]).toBeCloseTo(20, 0);
});

test('sorting by a column runs in the worker and keeps the selection', async ({ page }) => {
  await list(page).locator('[role=row][data-frame="3"]').click();
  const header = list(page).getByRole('columnheader', { name: 'Length' });
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  const lengths = await list(page).locator('[role=row][data-frame] .c-length').allTextContents();
  const nums = lengths.map(Number);
  expect(nums.length).toBeGreaterThan(5);
  for (let i = 1; i < nums.length; i++) expect(nums[i]).toBeGreaterThanOrEqual(nums[i - 1]);
  await expect(selectedRow(page)).toHaveAttribute('data-frame', '3');
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
});

test('selecting a tenant narrows the packet list and shows its flows', async ({ page }, testInfo) => {
  const e = cliExpect(SAMPLE);
  const tenants = page.getByRole('region', { name: 'Tenants', exact: true });
  const rows = tenants.locator('tr[data-tenant]');
  await expect(rows).toHaveCount(e.tenants);
  const t = e.summary.tenants.find((x) => x.encap === 'nvgre') ?? e.summary.tenants[0];
  const short = `${t.encap === 'nvgre' ? 'NVGRE' : t.encap === 'vxlan' ? 'VXLAN' : t.encap === 'geneve' ? 'Geneve' : 'GRE'}${t.vnid === null ? '' : ` ${t.vnid}`}`;
  // Tenant ids read decimal with the hex in brackets everywhere: `NVGRE 5001 (0x001389)`.
  const label = t.vnid === null ? short : `${short} (0x${t.vnid.toString(16).padStart(6, '0')})`;
  const row = tenants.locator(`tr[data-tenant="${t.encap}:${t.vnid ?? ''}"]`).or(tenants.getByRole('row', { name: new RegExp(`^${short}\\b`) })).first();
  await row.click();
  await expect(row).toHaveAttribute('aria-current', 'true');
  await expect(statusBar(page)).toHaveText(statusText({ ...e, shown: t.frames }));
  const tenantCells = await list(page).locator('[role=row][data-frame] .c-tenant').allTextContents();
  expect(tenantCells.length).toBeGreaterThan(0);
  for (const c of tenantCells) expect(c).toBe(label);
  await expect(page.getByRole('region', { name: `Flows of ${label}` })).toBeVisible();
  await savePane(page, testInfo, 'Tenants', 'pane-tenants.png');
  await savePane(page, testInfo, 'Packet list', 'pane-packet-list-tenant.png');
  // Back to every frame.
  await tenants.getByRole('button', { name: 'Show all' }).click();
  expect(parseStatus((await statusBar(page).textContent()) ?? '').shown).toBeGreaterThanOrEqual(0);
  await expect(statusBar(page)).toHaveText(statusText(e));
});

test('offload and charts panes explain and plot the checksums', async ({ page }, testInfo) => {
  const offload = page.getByRole('region', { name: 'Offload', exact: true });
  await expect(offload).toContainText('partial');
  await expect(offload).toContainText(/inner\.(tcp|udp|icmp|ipv4)/);
  const charts = page.getByRole('region', { name: 'Charts', exact: true });
  await expect(charts.getByRole('figure', { name: 'Throughput per tenant over time' })).toBeVisible();
  await expect(charts.getByRole('figure', { name: 'Bad and partial checksums over time' })).toBeVisible();
  await expect(charts.getByRole('figure', { name: 'Share of bytes per tenant' })).toBeVisible();
  await expect(charts.locator('.recharts-area').first()).toBeVisible();
  await savePane(page, testInfo, 'Offload', 'pane-offload.png');
  await savePane(page, testInfo, 'Charts', 'pane-charts.png');
  await savePane(page, testInfo, 'Packet list', 'pane-packet-list.png');
  await savePage(page, testInfo, 'app-overview.png');
});

test('packet contents are rendered as text, never as HTML', async ({ page }) => {
  const html = await page.content();
  expect(html).not.toContain('dangerouslySetInnerHTML');
  // Every packet-list cell holds only text nodes.
  const nonText = await list(page).locator('[role=gridcell]').evaluateAll((cells) => cells.filter((c) => Array.from(c.childNodes).some((n) => n.nodeType !== Node.TEXT_NODE)).length);
  expect(nonText).toBe(0);
});
