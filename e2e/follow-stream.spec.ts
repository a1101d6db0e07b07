// Follow TCP/UDP stream in the web app: right-click a row → Follow ▸ TCP Stream opens the dialog with the
// stream's payload (client and server apart), the filter bar reads `tcp.stream eq N` and the list narrows to
// the stream's frames (24 of 81, as `tshark -Y 'tcp.stream eq 1'` counts them); Ctrl+Alt+Shift+T does the
// same from the selected row; the TCP rows' Info carries the relative sequence numbers. Saves a screenshot.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropBytes, statusBar, waitLoaded } from './support/app.ts';
import { parseStatus, ROOT } from './support/expect-cli.ts';

const list = (page: Page) => page.getByRole('grid', { name: 'Packets' });
const row = (page: Page, n: number) => list(page).locator(`[role=row][data-frame="${n}"]`);
const bar = (page: Page) => page.getByRole('combobox', { name: 'Display filter' });
const CAPTURE = join(ROOT, 'captures/PcapPlusPlus/pcappp__four_ipv6_http_streams.pcap');

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await waitLoaded(page, 'demo.pcapng');
  await dropBytes(page, 'four.pcap', new Uint8Array(readFileSync(CAPTURE)));
  await waitLoaded(page, 'four.pcap');
});

test('right-click → Follow TCP Stream shows the payload, applies tcp.stream eq N and narrows the list', async ({ page }, testInfo) => {
  await expect(row(page, 11)).toContainText('35997 → 80 [ACK] Seq=1 Ack=1 Win=5680 Len=0 TSval=14491376 TSecr=2618044766');
  await row(page, 11).click({ button: 'right' });
  await page.getByRole('menuitem', { name: /Follow ▸ TCP Stream/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Follow TCP Stream (tcp.stream eq 1)' });
  await expect(dialog).toBeVisible();
  const text = dialog.getByLabel('Stream content');
  await expect(text.locator('.follow-client').first()).toContainText('GET /style1.css HTTP/1.1');
  await expect(text.locator('.follow-server').first()).toContainText('HTTP/1.1 200 OK');
  await expect(bar(page)).toHaveValue('tcp.stream eq 1');
  await expect.poll(async () => parseStatus(await statusBar(page).innerText()).shown).toBe(24);
  await dialog.screenshot({ path: testInfo.outputPath('follow-dialog.png') });
  await dialog.screenshot({ path: join(ROOT, 'test-results', 'follow-dialog.png') });
  await dialog.getByRole('combobox', { name: 'Show data as' }).selectOption('hex');
  await expect(text).toContainText('00000000  47 45 54 20 2f 73 74 79  6c 65 31 2e 63 73 73 20  GET /sty le1.css ');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(list(page).locator('[role=row][data-frame]').first()).toHaveAttribute('data-frame', '9');
});

test('Ctrl+Alt+Shift+T follows the selected frame\'s stream', async ({ page }) => {
  await row(page, 3).click();
  await page.keyboard.press('Control+Alt+Shift+T');
  await expect(page.getByRole('dialog', { name: 'Follow TCP Stream (tcp.stream eq 0)' })).toBeVisible();
  await expect(bar(page)).toHaveValue('tcp.stream eq 0');
  await expect.poll(async () => parseStatus(await statusBar(page).innerText()).shown).toBe(28);
});
