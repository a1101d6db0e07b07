// Statistics dialogs on the bundled sample: Conversations (inner TCP per tenant, packet counts equal to the
// engine's own figures for the same capture), Expert Information groups that expand to frames and select them,
// Protocol Hierarchy, and Capture File Properties (interfaces and counts, opened with Ctrl+Alt+Shift+C).
// Saves a screenshot of each dialog.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemorySource } from '../decoders/capture/memory-source.ts';
import { Engine } from '../decoders/analysis/engine.ts';
import { ipConversations } from '../decoders/analysis/conversations.ts';
import { expertInfo } from '../decoders/analysis/expert.ts';
import { waitLoaded } from './support/app.ts';
import { ROOT } from './support/expect-cli.ts';

async function demoEngine(): Promise<Engine> {
  const e = new Engine();
  await e.load(new MemorySource(new Uint8Array(readFileSync(join(ROOT, 'public/samples/demo.pcapng')))), 'demo.pcapng');
  return e;
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await waitLoaded(page, 'demo.pcapng');
});

async function openItem(page: import('@playwright/test').Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Statistics ▾' }).click();
  await page.getByRole('menuitem', { name }).click();
}

test('Conversations: TCP rows per tenant with the engine\'s packet counts; a row applies its filter', async ({ page }, testInfo) => {
  const want = ipConversations(await demoEngine(), 'tcp', 'inner').conversations;
  expect(want.length).toBeGreaterThan(0);
  await openItem(page, 'Conversations');
  const dialog = page.getByRole('dialog', { name: 'Conversations' });
  await dialog.getByRole('tab', { name: /^TCP/ }).click();
  const table = dialog.getByRole('table', { name: 'tcp conversations' });
  await expect(table.locator('tbody tr')).toHaveCount(want.length);
  const cells = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  // Columns: Tenant, Address A, Port A, Address B, Port B, Packets, ...
  const got = cells.map((c) => `${c[1]}:${c[2]} ${c[3]}:${c[4]} ${c[5].replace(/,/g, '')}`).sort();
  expect(got).toEqual(want.map((r) => `${r.a}:${r.aPort} ${r.b}:${r.bPort} ${r.packets}`).sort());
  await dialog.screenshot({ path: testInfo.outputPath('conversations.png') });
  await dialog.screenshot({ path: '/tmp/stats-shots/conversations.png' });
  await table.locator('tbody tr').first().dblclick();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: 'Display filter' })).toHaveValue(/tcp\.port/);
});

test('Conversations and Endpoints sort by a header click: Bytes numerically either way, Address A by value', async ({ page }, testInfo) => {
  const want = ipConversations(await demoEngine(), 'ipv4', 'inner').conversations;
  expect(new Set(want.map((r) => r.bytes)).size).toBeGreaterThan(2);
  await openItem(page, 'Conversations');
  const dialog = page.getByRole('dialog', { name: 'Conversations' });
  const table = dialog.getByRole('table', { name: 'ipv4 conversations' });
  await expect(table.locator('tbody tr')).toHaveCount(want.length);
  // IPv4 columns: Tenant, Address A, Address B, Packets, Bytes, ...
  const column = (k: number): Promise<string[]> => table.locator('tbody tr').evaluateAll((trs, k) => trs.map((tr) => tr.querySelectorAll('td')[k].textContent ?? ''), k);
  const bytes = async (): Promise<number[]> => (await column(4)).map((x) => Number(x.replace(/,/g, '')));
  const header = (name: string) => table.getByRole('columnheader', { name: new RegExp(`^${name}( [▲▼])?$`) });
  // Before any click: busiest first, as the engine lists them.
  expect(await column(1)).toEqual(want.map((r) => r.a));
  await header('Bytes').getByRole('button').click();
  await expect(header('Bytes')).toHaveAttribute('aria-sort', 'ascending');
  await expect(header('Bytes')).toContainText('▲');
  expect(await bytes()).toEqual(want.map((r) => r.bytes).sort((a, b) => a - b));
  await header('Bytes').getByRole('button').click();
  await expect(header('Bytes')).toHaveAttribute('aria-sort', 'descending');
  expect(await bytes()).toEqual(want.map((r) => r.bytes).sort((a, b) => b - a));
  await header('Address A').getByRole('button').click();
  await expect(header('Address A')).toHaveAttribute('aria-sort', 'ascending');
  await expect(header('Bytes')).toHaveAttribute('aria-sort', 'none');
  const v4 = (s: string): number => s.split('.').reduce((x, o) => x * 256 + Number(o), 0);
  expect(await column(1)).toEqual(want.map((r) => r.a).sort((a, b) => v4(a) - v4(b)));
  await dialog.screenshot({ path: testInfo.outputPath('conversations-sorted.png') });
  await dialog.screenshot({ path: '/tmp/stats-shots/conversations-sorted.png' });
  // Endpoints: the same headers sort.
  await page.keyboard.press('Escape');
  await openItem(page, 'Endpoints');
  const ends = page.getByRole('dialog', { name: 'Endpoints' }).getByRole('table', { name: 'ipv4 endpoints' });
  await ends.getByRole('columnheader', { name: /^Address/ }).getByRole('button').click();
  const addrs = await ends.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[1].textContent ?? ''));
  expect(addrs.length).toBeGreaterThan(1);
  expect(addrs).toEqual([...addrs].sort((a, b) => v4(a) - v4(b)));
});

test('Expert Information lists the groups; a group expands and a frame click selects it', async ({ page }) => {
  const want = expertInfo(await demoEngine());
  await openItem(page, 'Expert Information');
  const dialog = page.getByRole('dialog', { name: 'Expert Information' });
  const groups = dialog.locator('tr.expert-group');
  await expect(groups).toHaveCount(want.groups.length);
  await expect(groups.first()).toContainText(want.groups[0].summary);
  await groups.first().click();
  const first = want.groups[0].frames[0];
  await dialog.locator('.stats-frames a', { hasText: new RegExp(`^${first}$`) }).first().click();
  await dialog.screenshot({ path: '/tmp/stats-shots/expert.png' });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('grid', { name: 'Packets' }).locator(`[role=row][data-frame="${first}"]`)).toHaveAttribute('aria-selected', 'true');
});

test('Expert Information: every group has a filter; double-click or Apply as Filter applies it and the list shows its frames', async ({ page }) => {
  const want = expertInfo(await demoEngine());
  await openItem(page, 'Expert Information');
  const dialog = page.getByRole('dialog', { name: 'Expert Information' });
  const groups = dialog.locator('tr.expert-group');
  await expect(groups).toHaveCount(want.groups.length);
  await expect(groups.getByRole('button', { name: 'Apply as Filter' })).toHaveCount(want.groups.length);
  // The truncated-frame group has no field of its own: its message is the filter.
  const k = want.groups.findIndex((g) => g.filter.startsWith('_ws.expert.message'));
  expect(k).toBeGreaterThanOrEqual(0);
  await groups.nth(k).dblclick();
  await expect(dialog).toHaveCount(0);
  const bar = page.getByRole('combobox', { name: 'Display filter' });
  await expect(bar).toHaveValue(want.groups[k].filter);
  const rows = page.getByRole('grid', { name: 'Packets' }).locator('[role=row][data-frame]');
  await expect(rows).toHaveCount(want.groups[k].frames.length);
  expect(await rows.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-frame'))))).toEqual(want.groups[k].frames);
  // Apply as Filter on the first (most severe) group.
  await openItem(page, 'Expert Information');
  await page.getByRole('dialog', { name: 'Expert Information' }).locator('tr.expert-group').first().getByRole('button', { name: 'Apply as Filter' }).click();
  await expect(bar).toHaveValue(want.groups[0].filter);
});

test('Protocol Hierarchy and Capture File Properties (Ctrl+Alt+Shift+C): interfaces and counts', async ({ page }) => {
  const e = await demoEngine();
  await openItem(page, 'Protocol Hierarchy');
  const ph = page.getByRole('dialog', { name: 'Protocol Hierarchy' });
  await expect(ph.locator('tbody tr').first()).toContainText('eth');
  await expect(ph.locator('tbody tr').first()).toContainText(e.frames.toLocaleString('en-US'));
  await ph.screenshot({ path: '/tmp/stats-shots/hierarchy.png' });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Alt+Shift+C');
  const props = page.getByRole('dialog', { name: 'Capture File Properties' });
  await expect(props.locator('[data-interface]')).toHaveCount(e.interfaces().length);
  await expect(props).toContainText('pcapng');
  await expect(props.locator('dd', { hasText: new RegExp(`^${e.frames.toLocaleString('en-US')}$`) }).first()).toBeVisible();
  await props.screenshot({ path: '/tmp/stats-shots/properties.png' });
});
