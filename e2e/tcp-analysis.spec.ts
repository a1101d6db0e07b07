// TCP analysis in the web app, on captures generated from scripts/lib/tcp-scenarios.ts: Wireshark's notes
// before the Info text, the [SEQ/ACK analysis] details under TCP (a duplicate ACK links to the frame it
// repeats), the tcp.analysis.* filters, and the Tenants pane's Retx column (the cost of bad checksums),
// equal to the CLI summary's `retransmitted`. Saves screenshots of the packet list and the Tenants pane.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { conversationPcapng } from '../scripts/lib/tcp-conversation.ts';
import { BAD_CHECKSUM_CONVS, TCP_SCENARIOS } from '../scripts/lib/tcp-scenarios.ts';
import type { CaptureSummaryJson } from '../decoders/analysis/types.ts';
import { dropBytes, savePane, statusBar, waitLoaded } from './support/app.ts';
import { parseStatus, ROOT } from './support/expect-cli.ts';

const list = (page: Page) => page.getByRole('grid', { name: 'Packets' });
const row = (page: Page, n: number) => list(page).locator(`[role=row][data-frame="${n}"]`);
const tree = (page: Page) => page.getByRole('region', { name: 'Packet details', exact: true }).getByRole('tree');
const bar = (page: Page) => page.getByRole('combobox', { name: 'Display filter' });

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await waitLoaded(page, 'demo.pcapng');
});

test('notes in the Info column and the details, a duplicate ACK links to its frame, the filters select', async ({ page }, testInfo) => {
  const fast = TCP_SCENARIOS.find((s) => s.name.startsWith('fast retransmission'));
  await dropBytes(page, 'fast.pcapng', conversationPcapng(fast?.convs ?? []));
  await waitLoaded(page, 'fast.pcapng');
  await expect(row(page, 9)).toContainText('[TCP Dup ACK 7#2] 443 → 40000 [ACK]');
  await expect(row(page, 11)).toContainText('[TCP Fast Retransmission] 40000 → 443 [PSH, ACK]');
  await savePane(page, testInfo, 'Packet list', 'tcp-analysis-list.png');

  await row(page, 9).click();
  await expect(tree(page)).toHaveAccessibleName('Layers of frame 9');
  await page.getByRole('region', { name: 'Packet details', exact: true }).getByRole('button', { name: 'Expand all' }).click();
  await expect(tree(page).locator('[role=treeitem][data-field="tcp.analysis.duplicate_ack_num"]')).toContainText('[Duplicate ACK #: 2]');
  const link = tree(page).locator('[role=treeitem][data-field="tcp.analysis.duplicate_ack_frame"]');
  await expect(link).toContainText('[Duplicate to the ACK in frame: 7]');
  await link.scrollIntoViewIfNeeded();
  await savePane(page, testInfo, 'Packet details', 'tcp-analysis-details.png');
  await expect(link).toHaveClass(/tl-link/);
  await link.click();
  await expect(list(page).locator('[role=row][aria-selected="true"]')).toHaveAttribute('data-frame', '7');

  await bar(page).fill('tcp.analysis.retransmission');
  await bar(page).press('Enter');
  await expect.poll(async () => parseStatus(await statusBar(page).innerText()).shown).toBe(1);
  await expect(list(page).locator('[role=row][data-frame]')).toHaveCount(1);
  await bar(page).fill('tcp.analysis.duplicate_ack_num >= 2');
  await bar(page).press('Enter');
  await expect.poll(async () => parseStatus(await statusBar(page).innerText()).shown).toBe(2);
});

test('the Tenants pane says what bad checksums cost, as the CLI summary does', async ({ page }, testInfo) => {
  const dir = mkdtempSync(join(tmpdir(), 'ts-tcpa-'));
  const file = join(dir, 'bad-retx.pcapng');
  const bytes = conversationPcapng(BAD_CHECKSUM_CONVS);
  writeFileSync(file, bytes);
  const summary = JSON.parse(execFileSync(process.execPath, [resolve(ROOT, 'cli/tunnelscope.mjs'), file], { cwd: ROOT, encoding: 'utf8' })) as CaptureSummaryJson;
  expect(summary.tenants.map((t) => [t.encap, t.vnid, t.retransmitted])).toEqual([
    ['nvgre', 5001, { badSegments: 2, retransmitted: 2, medianDelayMs: 525 }],
    ['vxlan', 300, { badSegments: 4, retransmitted: 3, medianDelayMs: 139 }],
  ]);

  await dropBytes(page, 'bad-retx.pcapng', bytes);
  await waitLoaded(page, 'bad-retx.pcapng');
  const pane = page.getByRole('region', { name: 'Tenants', exact: true });
  await expect(pane.locator('th', { hasText: 'Retx' })).toBeVisible();
  const nvgre = pane.locator('tr[data-tenant="nvgre:5001"] td[data-col="retx"]');
  const vxlan = pane.locator('tr[data-tenant="vxlan:300"] td[data-col="retx"]');
  await expect(nvgre).toHaveText('2/2');
  await expect(vxlan).toHaveText('3/4');
  await expect(vxlan).toHaveAttribute('title', '3 of 4 TCP segments with a bad checksum were retransmitted (the receiver dropped them), adding 139 ms in the median');
  await expect(nvgre).toHaveAttribute('title', '2 of 2 TCP segments with a bad checksum were retransmitted (the receiver dropped them), adding 525 ms in the median');
  await savePane(page, testInfo, 'Tenants', 'tcp-analysis-tenants.png');
});

test('the Hosts pane says what each host\'s bad checksums cost, as the CLI summary\'s hosts do', async ({ page }, testInfo) => {
  const dir = mkdtempSync(join(tmpdir(), 'ts-tcpa-'));
  const file = join(dir, 'bad-retx.pcapng');
  const bytes = conversationPcapng(BAD_CHECKSUM_CONVS);
  writeFileSync(file, bytes);
  const summary = JSON.parse(execFileSync(process.execPath, [resolve(ROOT, 'cli/tunnelscope.mjs'), file], { cwd: ROOT, encoding: 'utf8' })) as CaptureSummaryJson;
  const sent = summary.hosts.filter((h) => h.retransmitted.badSegments > 0);
  expect(sent.map((h) => h.address).sort()).toEqual(['10.7.0.1', '192.168.10.11', '192.168.20.21']);

  await dropBytes(page, 'bad-retx.pcapng', bytes);
  await waitLoaded(page, 'bad-retx.pcapng');
  const pane = page.getByRole('region', { name: 'Hosts', exact: true });
  await expect(pane.locator('th', { hasText: 'Retx' })).toBeVisible();
  for (const h of summary.hosts) {
    const r = h.retransmitted;
    await expect(pane.locator(`tr[data-host="${h.address}"] td[data-col="retx"]`)).toHaveText(r.badSegments === 0 ? '—' : `${r.retransmitted}/${r.badSegments}`);
  }
  // The host's diagnosis says it in words, as the summary's does.
  const worst = summary.hosts.find((h) => h.address === '192.168.10.11');
  const cost = worst?.diagnosis.find((d) => d.kind === 'retransmitted');
  expect(cost?.text).toContain('3 were retransmitted');
  await pane.locator('tr[data-host="192.168.10.11"]').click();
  await expect(pane.getByRole('list', { name: 'Diagnosis of 192.168.10.11' })).toContainText(cost?.text ?? '?');
  await savePane(page, testInfo, 'Hosts', 'tcp-analysis-hosts.png');
});

test('the sample: every tenant\'s Retx cell says what the CLI summary says', async ({ page }, testInfo) => {
  const summary = JSON.parse(execFileSync(process.execPath, [resolve(ROOT, 'cli/tunnelscope.mjs'), resolve(ROOT, 'public/samples/demo.pcapng')], { cwd: ROOT, encoding: 'utf8' })) as CaptureSummaryJson;
  // The sample retransmits the segments whose checksum it spoils (after a timeout) in some tenants.
  expect(summary.tenants.some((t) => t.retransmitted.retransmitted > 0)).toBe(true);
  const pane = page.getByRole('region', { name: 'Tenants', exact: true });
  for (const t of summary.tenants) {
    const r = t.retransmitted;
    await expect(pane.locator(`tr[data-tenant="${t.encap}:${t.vnid ?? ''}"] td[data-col="retx"]`)).toHaveText(r.badSegments === 0 ? '—' : `${r.retransmitted}/${r.badSegments}`);
  }
  await savePane(page, testInfo, 'Tenants', 'tcp-analysis-tenants-sample.png');
});
