// Follow TCP/UDP stream in the web app: right-click a row → Follow ▸ TCP Stream opens the dialog with the
// stream's payload (client and server apart), the filter bar reads `tcp.stream eq N` and the list narrows to
// the stream's frames (24 of 81, as `tshark -Y 'tcp.stream eq 1'` counts them); Ctrl+Alt+Shift+T does the
// same from the selected row; the TCP rows' Info carries the relative sequence numbers. The hex dump reads as
// `tshark -q -z follow,tcp,hex,N` writes it; right-click a UDP row → Follow ▸ UDP Stream likewise. Saves screenshots.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropBytes, statusBar, waitLoaded } from './support/app.ts';
import { parseStatus, ROOT } from './support/expect-cli.ts';

const list = (page: Page) => page.getByRole('grid', { name: 'Packets' });
const row = (page: Page, n: number) => list(page).locator(`[role=row][data-frame="${n}"]`);
const bar = (page: Page) => page.getByRole('combobox', { name: 'Display filter' });
const CAPTURE = join(ROOT, 'captures/PcapPlusPlus/pcappp__four_ipv6_http_streams.pcap');

/** The hex dump lines tshark 4.0 writes for a stream (between its Node lines and the closing rule). */
function tsharkHex(file: string, kind: 'tcp' | 'udp', n: number): string {
  const out = execFileSync('/usr/bin/tshark', ['-r', file, '-q', '-z', `follow,${kind},hex,${n}`], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = out.split('\n');
  const from = lines.findIndex((l) => l.startsWith('Node 1: ')) + 1;
  const to = lines.lastIndexOf('='.repeat(67));
  return lines.slice(from, to).join('\n') + '\n';
}

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
  await expect(text).toContainText('00000000  47 45 54 20 2f 73 74 79  6c 65 31 2e 63 73 73 20  GET /sty le1.css');
  // Each side's offsets from its own first byte, the server's lines behind a tab: tshark's text, line for line.
  expect(await text.evaluate((el) => el.textContent)).toBe(tsharkHex(CAPTURE, 'tcp', 1));
  await dialog.screenshot({ path: testInfo.outputPath('follow-hex.png') });
  await dialog.screenshot({ path: '/tmp/stats-shots/follow-hex.png' });
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

test('right-click a UDP row → Follow ▸ UDP Stream shows its payload and applies udp.stream eq N', async ({ page }) => {
  const file = join(ROOT, 'captures/arkime/dns-udp.pcap');
  await dropBytes(page, 'dns-udp.pcap', new Uint8Array(readFileSync(file)));
  await waitLoaded(page, 'dns-udp.pcap');
  await row(page, 3).click({ button: 'right' });
  await page.getByRole('menuitem', { name: /Follow ▸ UDP Stream/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Follow UDP Stream (udp.stream eq 1)' });
  await expect(dialog).toBeVisible();
  await expect(bar(page)).toHaveValue('udp.stream eq 1');
  await expect.poll(async () => parseStatus(await statusBar(page).innerText()).shown).toBe(2);
  const text = dialog.getByLabel('Stream content');
  // The query (client) and the answer (server), each naming www.github.com in its DNS question.
  await expect(text.locator('.follow-client')).toHaveCount(1);
  await expect(text.locator('.follow-client')).toContainText('github');
  await expect(text.locator('.follow-server')).toHaveCount(1);
  await expect(text.locator('.follow-server')).toContainText('dynect');
  await dialog.getByRole('combobox', { name: 'Show data as' }).selectOption('hex');
  expect(await text.evaluate((el) => el.textContent)).toBe(tsharkHex(file, 'udp', 1));
});
