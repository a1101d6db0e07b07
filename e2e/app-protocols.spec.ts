// Application protocols in the packet list, on real captures: DNS and TLS inside VXLAN (nDPI/vxlan.pcap),
// HTTP, DNS and DHCP over raw IP (PcapPlusPlus/pcappp__raw_ip.pcap). A display filter on their fields shows
// the frames tshark's does, and the Protocol and Info of the rows read as tshark 4.0 writes them (with TCP
// reassembly off: we decode one segment at a time), the ClientHello's SNI added as Wireshark 4.2 writes it.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { dropFile, savePage, savePane, statusBar, waitLoaded } from './support/app.ts';
import { parseStatus, SHARED } from './support/expect-cli.ts';

const VXLAN = resolve(SHARED, 'nDPI/vxlan.pcap');
const RAW = resolve(SHARED, 'PcapPlusPlus/pcappp__raw_ip.pcap');

const bar = (page: Page) => page.getByRole('combobox', { name: 'Display filter' });
const list = (page: Page) => page.getByRole('grid', { name: 'Packets' });
const row = (page: Page, n: number) => list(page).locator(`[role=row][data-frame="${n}"]`);
const tree = (page: Page) => page.getByRole('region', { name: 'Packet details', exact: true }).getByRole('tree');

/** tshark's `Protocol | Info` of the frames a filter matches, by frame number. */
function tshark(file: string, filter: string): Map<number, string> {
  const out = execFileSync('/usr/bin/tshark', [
    '-n', '-o', 'tcp.desegment_tcp_streams:FALSE', '-r', file, '-Y', filter,
    '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info',
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const m = new Map<number, string>();
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const [n, p, i] = line.split('\t');
    // With reassembly off tshark marks a chunked body the segment cuts; we read the segment as it is.
    m.set(Number(n), `${p} | ${i.replace(/\[BoundErrorUnreassembled Packet\]$/, '')}`);
  }
  return m;
}

async function applyFilter(page: Page, f: string): Promise<void> {
  await bar(page).fill(f);
  await expect(bar(page)).toHaveAttribute('data-state', 'valid');
  await bar(page).press('Enter');
}

/** The rows on screen as `n: Protocol | Info`, the SNI left out (tshark 4.0 does not write it). */
async function shownRows(page: Page): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const r of await list(page).locator('[role=row][data-frame]').all()) {
    const n = Number(await r.getAttribute('data-frame'));
    const protocol = (await r.locator('.c-protocol').innerText()).trim();
    // The cell shows text as is; innerText would fold the trailing space Wireshark writes after a request line.
    const info = await r.locator('.c-info').evaluate((el) => el.textContent ?? '');
    out.set(n, `${protocol} | ${info.replace(/ \(SNI=[^)]*\)/, '')}`);
  }
  return out;
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await waitLoaded(page, 'demo.pcapng');
});

test('DNS and TLS inside VXLAN: the rows say what tshark says, the ClientHello its SNI', async ({ page }, testInfo) => {
  await dropFile(page, VXLAN);
  await waitLoaded(page, 'vxlan.pcap');
  const filter = 'dns || tls.handshake';
  const want = tshark(VXLAN, filter);
  await applyFilter(page, filter);
  await expect.poll(async () => parseStatus(await statusBar(page).innerText()).shown).toBe(want.size);
  await expect(row(page, 1).locator('.c-info')).toHaveText('Standard query 0x90c6 A facebook.com');
  const got = await shownRows(page);
  expect(got.size).toBe(want.size);
  expect([...got]).toEqual([...want]);
  // Inside the tenant's tunnel: the inner addresses, the tenant, and the SNI in Info and in the details.
  await expect(row(page, 8).locator('.c-tenant')).toHaveText('VXLAN 1111 (0x000457)');
  await expect(row(page, 8).locator('.c-info')).toHaveText(/^Client Hello \(SNI=[a-z0-9.-]+\)$/);
  const sni = /SNI=([^)]+)/.exec(await row(page, 8).locator('.c-info').innerText())?.[1];
  await row(page, 8).click();
  await page.getByRole('region', { name: 'Packet details', exact: true }).getByRole('button', { name: 'Expand all' }).click();
  await expect(tree(page).locator('[role=treeitem][data-field="tls.handshake.extensions_server_name"]').first()).toContainText(`Server Name: ${sni}`);
  await savePage(page, testInfo, 'app-protocols-vxlan.png');
  await tree(page).locator('[role=treeitem][data-field="tls.handshake.extensions_server_name"]').first().scrollIntoViewIfNeeded();
  await savePane(page, testInfo, 'Packet details', 'app-protocols-tls-details.png');
  // The list scrolled to its right end: Protocol and Info side by side.
  await page.locator('.packet-list .grid-scroll').evaluate((el) => { el.scrollLeft = el.scrollWidth; });
  await savePane(page, testInfo, 'Packet list', 'app-protocols-vxlan-info.png');
});

test('HTTP and DHCP: request and status lines, the body type tshark adds, DHCP message types', async ({ page }, testInfo) => {
  await dropFile(page, RAW);
  await waitLoaded(page, 'pcappp__raw_ip.pcap');
  const filter = 'http.request || http.response || dhcp';
  const want = tshark(RAW, filter);
  await applyFilter(page, filter);
  await expect.poll(async () => parseStatus(await statusBar(page).innerText()).shown).toBe(want.size);
  await expect(row(page, 4).locator('.c-info')).toHaveText('GET / HTTP/1.1');
  const got = await shownRows(page);
  // The rows the list has drawn (it draws what is on screen): each as tshark writes it.
  expect(got.size).toBeGreaterThanOrEqual(10);
  for (const [n, text] of got) expect(`${n}: ${text}`).toBe(`${n}: ${want.get(n)}`);
  expect(got.get(5)).toBe('HTTP | HTTP/1.1 200 OK  (text/html)');
  await savePage(page, testInfo, 'app-protocols-http.png');
  await page.locator('.packet-list .grid-scroll').evaluate((el) => { el.scrollLeft = el.scrollWidth; });
  await savePane(page, testInfo, 'Packet list', 'app-protocols-http-info.png');
});
