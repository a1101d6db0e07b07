// What a Wireshark user reaches for in the first minutes, on the bundled sample: right-click a row (filters
// on the column under the pointer, conversation filter, mark, go to the frame that reassembled it), Ctrl+M
// and Export > Marked frames (read back with the CLI), Apply as column from the details, time display
// formats, column widths and pane sizes kept across a reload, the column header menu, Info filling the
// width, a chart click selecting a bucket's first frame and filtering to its time range, and a flow's
// filter. The truth comes from the CLI (`--frames`, `--filter`). Saves screenshots of the menus and views.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FrameJson } from '../decoders/analysis/types.ts';
import { dropFile, savePage, savePane, statusBar, waitLoaded } from './support/app.ts';
import { parseStatus, ROOT } from './support/expect-cli.ts';

const SAMPLE = resolve(ROOT, 'public/samples/demo.pcapng');
const FRAGMENTS = resolve(ROOT, 'e2e/fixtures/fragments.pcapng');

// Local times are checked in a zone without daylight saving time: UTC+9.
test.use({ timezoneId: 'Asia/Tokyo' });

function cli(args: string[]): string {
  return execFileSync(process.execPath, [resolve(ROOT, 'cli/tunnelscope.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
}

function cliFrames(file: string, filter?: string): FrameJson[] {
  return cli([file, '--frames', ...(filter !== undefined ? ['--filter', filter] : [])])
    .split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as FrameJson);
}

const list = (page: Page) => page.getByRole('grid', { name: 'Packets' });
const bar = (page: Page) => page.getByRole('combobox', { name: 'Display filter' });
const row = (page: Page, n: number) => list(page).locator(`[role=row][data-frame="${n}"]`);
const cell = (page: Page, n: number, col: string) => row(page, n).locator(`[role=gridcell][data-col="${col}"]`);
const header = (page: Page, name: string) => list(page).getByRole('columnheader', { name, exact: true });

async function status(page: Page) {
  return parseStatus(await statusBar(page).innerText());
}

/** The frame numbers of the rows on screen. */
async function shownFrames(page: Page): Promise<number[]> {
  return (await list(page).locator('[role=row][data-frame]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-frame')))));
}

/** The texts of one column in the rows on screen. */
async function columnTexts(page: Page, col: string): Promise<string[]> {
  return list(page).locator(`[role=row][data-frame] [data-col="${col}"]`).allInnerTexts();
}

async function settled(page: Page): Promise<void> {
  await expect(page.locator('.app')).toHaveAttribute('data-load-state', 'ready');
}

/** `2025-11-24T16:00:00.052736493Z` shifted by `hours`, as the list shows it: `2025-11-24 16:00:00.052736`. */
function shownTime(iso: string, hours: number, withDate = true): string {
  const d = new Date(Date.parse(iso) + hours * 3600_000);
  const us = iso.slice(20, 26);
  const p = (n: number) => String(n).padStart(2, '0');
  const tod = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${us}`;
  return withDate ? `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${tod}` : tod;
}

async function rightClick(target: Locator): Promise<void> {
  await target.click({ button: 'right' });
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await waitLoaded(page, 'demo.pcapng');
});

test('right-click a row: Apply as filter on the column under the pointer narrows the rows to that value', async ({ page }, testInfo) => {
  const total = (await status(page)).frames;
  // The Protocol cell of the first UDP row: Apply as filter keeps the rows whose Protocol column reads UDP,
  // not every frame with a UDP header (every VXLAN and Geneve frame has one).
  const udp = list(page).locator('[role=row][data-frame]').filter({ has: page.locator('[data-col=protocol]', { hasText: /^UDP$/ }) }).first();
  const n = Number(await udp.getAttribute('data-frame'));
  await rightClick(cell(page, n, 'protocol'));
  const menu = page.getByRole('menu', { name: `Frame ${n}` });
  await expect(menu).toBeVisible();
  await expect(row(page, n)).toHaveAttribute('aria-selected', 'true');
  await expect(menu.locator('.fm-head')).toHaveText(`Frame ${n} · Protocol: UDP`);
  await savePage(page, testInfo, 'workflows-row-menu.png');
  await menu.getByRole('menuitem', { name: 'Apply as filter', exact: true }).click();
  await expect(bar(page)).toHaveValue('_ws.col.protocol == "UDP"');
  await settled(page);
  const want = cliFrames(SAMPLE, '_ws.col.protocol == "UDP"');
  expect(want.length).toBeGreaterThan(0);
  expect(want.length).toBeLessThan(cliFrames(SAMPLE, 'udp').length);
  await expect.poll(async () => (await status(page)).shown).toBe(want.length);
  expect((await status(page)).shown).toBeLessThan(total);
  expect(new Set(await columnTexts(page, 'protocol'))).toEqual(new Set(['UDP']));

  // The Source cell of a tunnelled row: its inner address; "… and selected" keeps both conditions.
  const first = (await shownFrames(page))[0];
  const src = await cell(page, first, 'src').innerText();
  await rightClick(cell(page, first, 'src'));
  await page.getByRole('menuitem', { name: 'Apply as filter: … and selected' }).click();
  const f = `(_ws.col.protocol == "UDP") && ip.src#-1 == ${src}`;
  await expect(bar(page)).toHaveValue(f);
  await settled(page);
  await expect.poll(async () => (await status(page)).shown).toBe(cliFrames(SAMPLE, f).length);
  expect(new Set(await columnTexts(page, 'src'))).toEqual(new Set([src]));
  // Info has no filter field: its choices are there but disabled, and say why.
  await rightClick(cell(page, first, 'info'));
  const apply = page.getByRole('menuitem', { name: 'Apply as filter', exact: true });
  await expect(apply).toHaveAttribute('aria-disabled', 'true');
  await expect(page.getByRole('menu')).toContainText('Info has no filter field');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
});

test('the conversation filter of a row keeps its tenant\'s flow, not the same addresses in another tenant', async ({ page }) => {
  // A frame whose inner 5-tuple another tenant reuses (the sample has such a pair).
  const frames = cliFrames(SAMPLE);
  const ends = (x: FrameJson) => (x.inner ? `${x.inner.proto} ${[`${x.inner.src}|${x.inner.sport}`, `${x.inner.dst}|${x.inner.dport}`].sort().join(' ')}` : '');
  const tenantOf = (x: FrameJson) => `${x.encap}:${x.vnid}`;
  const f = frames.find((x) => x.vnid !== null && x.inner?.sport != null
    && frames.some((y) => y.vnid !== null && ends(y) === ends(x) && tenantOf(y) !== tenantOf(x))) as FrameJson;
  expect(f).toBeDefined();
  const want = frames.filter((x) => ends(x) === ends(f) && tenantOf(x) === tenantOf(f)).map((x) => x.n);
  const other = frames.filter((x) => ends(x) === ends(f) && tenantOf(x) !== tenantOf(f) && x.vnid !== null).map((x) => x.n);
  expect(other.length).toBeGreaterThan(0);

  await row(page, 1).click();
  await page.keyboard.press('Control+g');
  await page.getByRole('dialog', { name: 'Go to frame' }).getByRole('textbox').fill(String(f.n));
  await page.keyboard.press('Enter');
  await expect(row(page, f.n)).toHaveAttribute('aria-selected', 'true');

  // The Tenant cell's filter: the tenant alone.
  await rightClick(cell(page, f.n, 'tenant'));
  await page.getByRole('menuitem', { name: 'Prepare as filter', exact: true }).click();
  await expect(bar(page)).toHaveValue(`tenant.encap == ${f.encap} && tenant.vnid == ${f.vnid}`);
  await bar(page).press('Escape');

  await rightClick(cell(page, f.n, 'src'));
  await page.getByRole('menuitem', { name: 'Conversation filter', exact: true }).click();
  await expect(bar(page)).toHaveValue(new RegExp(`^tenant\\.encap == ${f.encap} && tenant\\.vnid == ${f.vnid} && ip\\.addr#-1 == `));
  const conv = await bar(page).inputValue();
  await settled(page);
  // Exactly the frames of that tenant with that inner 5-tuple, either way round; none of the other tenant's.
  expect(cliFrames(SAMPLE, conv).map((x) => x.n)).toEqual(want);
  await expect.poll(async () => (await status(page)).shown).toBe(want.length);
  expect((await shownFrames(page)).slice(0, 5)).toEqual(want.slice(0, 5));
});

test('Ctrl+M marks rows black; Export > Marked frames saves a pcapng with exactly those frames', async ({ page }, testInfo) => {
  const frames = cliFrames(SAMPLE);
  await row(page, 3).click();
  await page.keyboard.press('Control+m');
  await row(page, 9).click();
  await page.keyboard.press('Control+m');
  await row(page, 5).click();
  await page.keyboard.press('Control+m');
  await page.keyboard.press('Control+m'); // and unmarked again
  // The row menu marks too.
  await rightClick(cell(page, 12, 'info'));
  await page.getByRole('menuitem', { name: 'Mark frame' }).click();
  for (const n of [3, 9, 12]) await expect(row(page, n)).toHaveAttribute('data-marked', 'true');
  await expect(row(page, 5)).not.toHaveAttribute('data-marked', 'true');
  await row(page, 1).click();
  expect(await row(page, 3).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(0, 0, 0)');
  expect(await row(page, 3).evaluate((el) => getComputedStyle(el).color)).toBe('rgb(255, 255, 255)');
  await savePane(page, testInfo, 'Packet list', 'workflows-marked.png');

  await page.getByRole('button', { name: 'Export ▾' }).click();
  const item = page.getByRole('menuitem', { name: 'Marked frames (3) (pcapng)' });
  const [download] = await Promise.all([page.waitForEvent('download'), item.click()]);
  expect(download.suggestedFilename()).toBe('demo-marked.pcapng');
  const dir = mkdtempSync(join(tmpdir(), 'ts-marked-'));
  try {
    const file = join(dir, 'marked.pcapng');
    await download.saveAs(file);
    const back = cliFrames(file);
    const strip = (x: FrameJson) => ({ ...x, n: 0 });
    expect(back.map(strip)).toEqual([3, 9, 12].map((n) => strip(frames[n - 1])));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Apply as column from the details: a column with the field\'s value for each row', async ({ page }, testInfo) => {
  await row(page, 2).click();
  const details = page.getByRole('region', { name: 'Packet details', exact: true });
  await details.getByRole('button', { name: 'Expand all' }).click();
  const ttl = details.locator('[role=treeitem][data-field="ip.ttl"]');
  const values = (await ttl.allInnerTexts()).map((t) => t.replace(/^Time to Live: /, '').trim());
  expect(values.length).toBe(2); // outer and inner IPv4
  await rightClick(ttl.first());
  await page.getByRole('menuitem', { name: 'Apply as column' }).click();
  await expect(header(page, 'Time to Live')).toBeVisible();
  await settled(page);
  await expect(cell(page, 2, 'custom:ip.ttl')).toHaveText(values.join(','));
  // Every row on screen gets its own value, read from its frame (CLI: the frames whose inner TTL is that).
  const texts = await columnTexts(page, 'custom:ip.ttl');
  const inner = Number(values[1]);
  const onScreen = await shownFrames(page);
  const withIp = new Set(cliFrames(SAMPLE, 'ip').map((x) => x.n));
  const withTtl = new Set(cliFrames(SAMPLE, `ip.ttl#-1 == ${inner}`).map((x) => x.n));
  expect(onScreen.length).toBeGreaterThan(10);
  for (let k = 0; k < onScreen.length; k++) {
    const n = onScreen[k];
    // Frames without IPv4 (ARP) have no value.
    expect(texts[k], `frame ${n}`).toMatch(withIp.has(n) ? /^\d+(,\d+)*$/ : /^$/);
    expect(withTtl.has(n), `frame ${n}: ${texts[k]}`).toBe(texts[k] !== '' && texts[k].split(',').at(-1) === String(inner));
  }
  await savePane(page, testInfo, 'Packet list', 'workflows-custom-column.png');

  // Right-click a value of the column: its filter.
  await rightClick(cell(page, 2, 'custom:ip.ttl'));
  await page.getByRole('menuitem', { name: 'Apply as filter', exact: true }).click();
  await expect(bar(page)).toHaveValue(`ip.ttl == ${values[0]}`);
  // It stays after a reload; the header menu removes it.
  await page.reload();
  await waitLoaded(page, 'demo.pcapng');
  await expect(header(page, 'Time to Live')).toBeVisible();
  await rightClick(header(page, 'Time to Live'));
  await page.getByRole('menuitem', { name: 'Remove column “Time to Live”' }).click();
  await expect(header(page, 'Time to Live')).toHaveCount(0);
});

test('time display formats: absolute, UTC, epoch and deltas, kept across a reload', async ({ page }, testInfo) => {
  const frames = cliFrames(SAMPLE);
  await expect(cell(page, 1, 'time')).toHaveText('0.000000');
  const view = page.getByRole('button', { name: 'View ▾' });
  await view.click();
  await expect(page.getByRole('menu', { name: 'View' })).toBeVisible();
  await savePage(page, testInfo, 'workflows-view-menu.png');
  await page.getByRole('menuitemradio', { name: /UTC Date and Time of Day/ }).click();
  for (const n of [1, 2, 10]) await expect(cell(page, n, 'time')).toHaveText(shownTime(frames[n - 1].time as string, 0));

  await view.click();
  await page.getByRole('menuitemradio', { name: /^Date and Time of Day/ }).click();
  for (const n of [1, 2, 10]) await expect(cell(page, n, 'time')).toHaveText(shownTime(frames[n - 1].time as string, 9));
  // The Time column widened to fit a date: no ellipsis.
  expect(await cell(page, 1, 'time').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await savePane(page, testInfo, 'Packet list', 'workflows-time-absolute.png');

  // Keyboard: Ctrl+Alt+3 is seconds since 1970, Ctrl+Alt+5 since the previous captured packet.
  await row(page, 1).click();
  await page.keyboard.press('Control+Alt+3');
  await expect(cell(page, 1, 'time')).toHaveText(`${Date.parse(frames[0].time as string) / 1000 | 0}.${(frames[0].time as string).slice(20, 26)}`);
  await page.keyboard.press('Control+Alt+5');
  await expect(cell(page, 1, 'time')).toHaveText('0.000000');
  const delta = (Date.parse(frames[1].time as string) - Date.parse(frames[0].time as string)) / 1000
    + (Number((frames[1].time as string).slice(23, 29)) - Number((frames[0].time as string).slice(23, 29))) / 1e9;
  await expect(cell(page, 2, 'time')).toHaveText(delta.toFixed(6));

  // Since the previous displayed packet: with a filter, the previous row shown.
  await view.click();
  await page.getByRole('menuitemradio', { name: 'Seconds Since Previous Displayed Packet' }).click();
  await bar(page).fill('frame.number in {1 4}');
  await bar(page).press('Enter');
  await settled(page);
  await expect(list(page).locator('[role=row][data-frame]')).toHaveCount(2);
  const t = (n: number) => frames[n - 1].time as string;
  const d14 = (Date.parse(t(4)) - Date.parse(t(1))) / 1000 + (Number(t(4).slice(23, 29)) - Number(t(1).slice(23, 29))) / 1e9;
  await expect(cell(page, 4, 'time')).toHaveText(d14.toFixed(6));

  await page.reload();
  await waitLoaded(page, 'demo.pcapng');
  await expect(page.getByRole('button', { name: 'View ▾' })).toBeVisible();
  await view.click();
  await expect(page.getByRole('menuitemradio', { name: 'Seconds Since Previous Displayed Packet' })).toHaveAttribute('aria-checked', 'true');
});

test('column widths, hidden columns and pane sizes survive a reload; Info fills the width', async ({ page }, testInfo) => {
  const grid = list(page);
  // At 1600 px the columns fit: no horizontal scrollbar, and Info reaches the right edge.
  expect(await grid.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  const info = await header(page, 'Info').boundingBox();
  const g = await grid.evaluate((el) => { const r = el.getBoundingClientRect(); return { right: r.left + el.clientWidth }; });
  expect(Math.abs((info!.x + info!.width) - g.right)).toBeLessThan(2);
  await savePane(page, testInfo, 'Packet list', 'workflows-info-width.png');

  // Widen Source by dragging its resizer.
  const src = header(page, 'Source');
  const before = (await src.boundingBox())!.width;
  const handle = src.locator('.resizer');
  const hb = (await handle.boundingBox())!;
  await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
  await page.mouse.down();
  await page.mouse.move(hb.x + hb.width / 2 + 40, hb.y + hb.height / 2, { steps: 5 });
  await page.mouse.move(hb.x + hb.width / 2 + 80, hb.y + hb.height / 2, { steps: 5 });
  await page.mouse.up();
  const widened = (await src.boundingBox())!.width;
  expect(widened).toBeGreaterThan(before + 60);

  // Hide FlowID from its header menu.
  await rightClick(header(page, 'FlowID'));
  await page.getByRole('menuitem', { name: 'Hide column “FlowID”' }).click();
  await expect(header(page, 'FlowID')).toHaveCount(0);

  // Move the splitters: the packet list and the side panel.
  const listSplit = page.getByRole('separator', { name: 'Resize packet list' });
  await listSplit.focus();
  for (let k = 0; k < 4; k++) await page.keyboard.press('ArrowDown');
  const sideSplit = page.getByRole('separator', { name: 'Resize side panel' });
  await sideSplit.focus();
  for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowLeft');
  const listPct = await listSplit.getAttribute('aria-valuenow');
  const sidePct = await sideSplit.getAttribute('aria-valuenow');
  expect(listPct).toBe('62');
  expect(sidePct).toBe('54');
  const listBox = (await page.getByRole('region', { name: 'Packet list', exact: true }).boundingBox())!;

  await page.reload();
  await waitLoaded(page, 'demo.pcapng');
  expect((await header(page, 'Source').boundingBox())!.width).toBeCloseTo(widened, 0);
  await expect(header(page, 'FlowID')).toHaveCount(0);
  await expect(page.getByRole('separator', { name: 'Resize packet list' })).toHaveAttribute('aria-valuenow', listPct as string);
  await expect(page.getByRole('separator', { name: 'Resize side panel' })).toHaveAttribute('aria-valuenow', sidePct as string);
  const after = (await page.getByRole('region', { name: 'Packet list', exact: true }).boundingBox())!;
  expect(after.height).toBeCloseTo(listBox.height, 0);
  expect(after.width).toBeCloseTo(listBox.width, 0);

  // The View menu shows FlowID again and resets the rest.
  await page.getByRole('button', { name: 'View ▾' }).click();
  await page.getByRole('menuitemcheckbox', { name: 'FlowID' }).click();
  await expect(header(page, 'FlowID')).toBeVisible();
  await page.getByRole('button', { name: 'View ▾' }).click();
  await page.getByRole('menuitem', { name: 'Reset column widths' }).click();
  await expect.poll(async () => (await header(page, 'Source').boundingBox())!.width).toBeCloseTo(before, 0);
  await page.getByRole('button', { name: 'View ▾' }).click();
  await page.getByRole('menuitem', { name: 'Reset pane sizes' }).click();
  await expect(page.getByRole('separator', { name: 'Resize packet list' })).toHaveAttribute('aria-valuenow', '50');
});

test('the column header menu sorts', async ({ page }) => {
  await rightClick(header(page, 'Length'));
  await page.getByRole('menuitemradio', { name: 'Sort descending' }).click();
  await expect(header(page, 'Length')).toHaveAttribute('aria-sort', 'descending');
  const lengths = (await columnTexts(page, 'length')).map(Number);
  expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
  await rightClick(header(page, 'Length'));
  await page.getByRole('menuitem', { name: 'Remove sorting' }).click();
  await expect(header(page, 'Length')).toHaveAttribute('aria-sort', 'none');
});

test('a chart click selects the first frame of its time bucket and can filter to that time range', async ({ page }, testInfo) => {
  const frames = cliFrames(SAMPLE);
  const charts = page.getByRole('region', { name: 'Charts', exact: true });
  const chart = charts.getByRole('figure', { name: 'Bad and partial checksums over time' });
  await chart.scrollIntoViewIfNeeded();
  // A bar of bad frames: the bucket holds at least one.
  const bar0 = chart.locator('.recharts-bar-rectangle path').first();
  await expect(bar0).toBeVisible();
  await bar0.click();
  await settled(page);
  const pick = charts.getByRole('status', { name: 'Picked time range' });
  await expect(pick).toContainText(/frame \d+ selected/);
  const n = Number(/frame (\d+) selected/.exec(await pick.innerText())?.[1]);
  await expect(list(page).locator('[role=row][aria-selected="true"]')).toHaveAttribute('data-frame', String(n));
  await expect(page.getByRole('tree', { name: `Layers of frame ${n}` })).toBeVisible();
  // The picked bucket is shaded in both time charts.
  await expect(charts.locator('.recharts-reference-area')).toHaveCount(2);
  await savePane(page, testInfo, 'Charts', 'workflows-chart-pick.png');

  await pick.getByRole('button', { name: 'Filter to this time range' }).click();
  const f = await bar(page).inputValue();
  const m = /^frame\.time >= "([^"]+)" && frame\.time < "([^"]+)"$/.exec(f);
  expect(m, f).not.toBeNull();
  await settled(page);
  const want = cliFrames(SAMPLE, f).map((x) => x.n);
  expect(want[0]).toBe(n);
  await expect.poll(async () => (await status(page)).shown).toBe(want.length);
  expect((await shownFrames(page))[0]).toBe(n);
  // The range is the bucket's: every frame in it, and no frame outside it.
  const [from, to] = [m![1], m![2]];
  expect(frames.filter((x) => (x.time as string) >= from && (x.time as string) < to).map((x) => x.n)).toEqual(want);
});

test('a flow of a tenant filters to its conversation', async ({ page }) => {
  const tenants = page.getByRole('table', { name: 'Tenant list' });
  await tenants.locator('tr[data-tenant^="vxlan:"]').first().click();
  const flows = page.getByRole('region', { name: /^Flows of / });
  const first = flows.locator('tbody tr').first();
  const count = Number((await first.locator('td').nth(3).innerText()).replace(/,/g, ''));
  await first.getByRole('button', { name: 'Filter to this flow' }).click();
  await expect(bar(page)).toHaveValue(/^tenant\.encap == vxlan && tenant\.vnid == \d+ && ip\.addr#-1 == /);
  await settled(page);
  await expect.poll(async () => (await status(page)).shown).toBe(count);
  expect(cliFrames(SAMPLE, await bar(page).inputValue()).length).toBe(count);
});

test('a fragment\'s row menu goes to the frame that reassembled it', async ({ page }) => {
  await dropFile(page, FRAGMENTS);
  await waitLoaded(page, 'fragments.pcapng');
  const frames = cliFrames(FRAGMENTS);
  const frag = frames.find((x) => x.reassembledIn !== null && x.reassembledIn !== x.n) as FrameJson;
  await rightClick(cell(page, frag.n, 'info'));
  await page.getByRole('menuitem', { name: `Go to frame ${frag.reassembledIn} (reassembled in)` }).click();
  await expect(list(page).locator('[role=row][aria-selected="true"]')).toHaveAttribute('data-frame', String(frag.reassembledIn));
  // The frame that completed a datagram has no such item: it shows the datagram itself.
  const done = frames.find((x) => x.reassembledIn === x.n) as FrameJson;
  await rightClick(cell(page, done.n, 'info'));
  await expect(page.getByRole('menu', { name: `Frame ${done.n}` })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: /reassembled in/ })).toHaveCount(0);
});

test('the selected row\'s menu opens from the keyboard', async ({ page }) => {
  await row(page, 4).click();
  await list(page).press('Shift+F10');
  const menu = page.getByRole('menu', { name: 'Frame 4' });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: 'Mark frame' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(row(page, 4)).toHaveAttribute('data-marked', 'true');
  // Esc closes it and gives the focus back to the list.
  await list(page).press('Shift+F10');
  await expect(page.getByRole('menuitem', { name: 'Unmark frame' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(list(page)).toBeFocused();
});
