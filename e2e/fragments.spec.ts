// IP reassembly in the web app, as Wireshark shows it, on e2e/fixtures/fragments.pcapng
// (scripts/gen-fragments-sample.ts): frames 1-3 an NVGRE packet the underlay fragmented (frame 3 completes
// it), frames 4-5 a VXLAN packet whose tenant fragmented its datagram (frame 5 completes it). The completing
// frame lists its fragments as links and shows the reassembled layers, whose bytes are a tab of their own in
// the bytes pane; a fragment links to the frame that reassembled it.
import { expect, test, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { dropFile, savePage, savePane, statusBar, waitLoaded } from './support/app.ts';
import { cliExpect, ROOT, statusText } from './support/expect-cli.ts';

const FILE = resolve(ROOT, 'e2e/fixtures/fragments.pcapng');

const list = (page: Page) => page.getByRole('grid', { name: 'Packets' });
const row = (page: Page, n: number) => list(page).locator(`[role=row][data-frame="${n}"]`);
const selectedRow = (page: Page) => list(page).locator('[role=row][aria-selected="true"]');
const details = (page: Page) => page.getByRole('region', { name: 'Packet details', exact: true });
const tree = (page: Page) => details(page).getByRole('tree');
const bytesPane = (page: Page) => page.getByRole('region', { name: 'Packet bytes', exact: true });
const selectedLine = (page: Page) => tree(page).locator('[role=treeitem][aria-selected="true"]');

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await waitLoaded(page, 'demo.pcapng');
  await dropFile(page, FILE);
  await waitLoaded(page, 'fragments.pcapng');
});

test('the status bar and the tenants equal the CLI, every fragment counted for its tenant', async ({ page }) => {
  const e = cliExpect(FILE);
  expect(e.summary.fragments).toEqual({ frames: 5, datagrams: 2, incomplete: 0 });
  await expect(statusBar(page)).toHaveText(statusText(e));
  const pane = page.getByRole('region', { name: 'Tenants', exact: true });
  await expect(pane.locator('tr[data-tenant]')).toHaveCount(e.tenants);
  for (const t of e.summary.tenants) {
    const cells = pane.locator(`tr[data-tenant="${t.encap}:${t.vnid ?? ''}"] td`);
    await expect(cells.nth(2)).toHaveText(String(t.frames));
    await expect(cells.nth(4)).toHaveText(String(t.flows));
    await expect(cells.nth(5)).toHaveText(String(t.bad));
    await expect(cells.nth(6)).toHaveText(String(t.partial));
  }
});

test('the completing frame lists its fragments, shows the reassembled layers and their bytes in a tab of their own', async ({ page }, testInfo) => {
  await row(page, 3).click();
  await expect(tree(page)).toHaveAccessibleName('Layers of frame 3');
  const fragments = tree(page).locator('[role=treeitem][data-field="ip.fragments"]');
  await expect(fragments.locator('.tl-text')).toHaveText('[3 IPv4 Fragments (2062 bytes): #1(1000), #2(1000), #3(62)]');
  await expect(tree(page).locator('[role=treeitem][data-field="tcp"]')).toContainText('Transmission Control Protocol, Src Port: 40000, Dst Port: 443');

  // Two byte sources, as Wireshark's tabs: the frame is shown first.
  const tabs = bytesPane(page).getByRole('tablist', { name: 'Byte sources' }).getByRole('tab');
  await expect(tabs).toHaveText(['Frame (96 bytes)', 'Reassembled IPv4 (2062 bytes)']);
  await expect(tabs.nth(0)).toHaveAttribute('aria-selected', 'true');
  const panel = bytesPane(page).getByRole('tabpanel');
  await expect(panel.locator('.hex-off').first()).toHaveText('0000');

  // A field of the reassembled TCP header: its tab comes to the front with the field's two bytes
  // highlighted where Wireshark has them (GRE 8 + Ethernet 14 + IPv4 20 bytes in: 0x2a).
  await details(page).getByRole('button', { name: 'Expand all' }).click();
  // Its start is plain text (the #Ns are links): selecting the line goes nowhere.
  await fragments.locator('.tl-text').click({ position: { x: 3, y: 5 } });
  await expect(fragments).toHaveAttribute('aria-selected', 'true');
  await expect(tree(page)).toHaveAccessibleName('Layers of frame 3');
  await expect(tree(page).locator('[role=treeitem][data-field="ip.fragment"].tl-link')).toHaveCount(3);
  await savePane(page, testInfo, 'Packet details', 'fragments-details-list.png');
  await tree(page).locator('[role=treeitem][data-field="tcp.srcport"]').click();
  await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(panel).toHaveAttribute('data-source', '1');
  await expect(panel.locator('.hex-hex span.hl')).toHaveText(['9c', '40']); // port 40000
  await expect(panel.locator('.hex-hex span.hl').first()).toHaveAttribute('data-off', '42');
  await expect(bytesPane(page).locator('.pane-meta')).toHaveText('tcp.srcport · 2 bytes at 0x2a in Reassembled IPv4');
  await savePane(page, testInfo, 'Packet details', 'fragments-details.png');
  await savePane(page, testInfo, 'Packet bytes', 'fragments-bytes.png');
  await savePage(page, testInfo, 'fragments-app.png');

  // A byte of the reassembled tab selects the field of the datagram there: byte 0 is GRE's flags.
  await panel.locator('.hex-hex span[data-off="0"]').click();
  await expect(selectedLine(page)).toHaveAttribute('data-field', 'gre.flags_and_version');
  await expect(panel.locator('.hex-hex span.hl')).toHaveCount(2);

  // The frame's own tab (arrow keys on the tab list): its byte 0 is the outer Ethernet destination.
  await tabs.nth(1).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(tabs.nth(0)).toHaveAttribute('aria-selected', 'true');
  await expect(tabs.nth(0)).toBeFocused();
  await expect(panel.locator('.hex-hex span.hl')).toHaveCount(0);
  await panel.locator('.hex-hex span[data-off="0"]').click();
  await expect(selectedLine(page)).toHaveAttribute('data-field', 'eth.dst');
  await expect(panel.locator('.hex-hex span.hl')).toHaveCount(6);
});

test('the fragment links go to the fragments, and a fragment back to where it was reassembled', async ({ page }, testInfo) => {
  await row(page, 3).click();
  // The packet list marks the frames the selected one refers to, as Wireshark's related-packet indicator.
  const related = list(page).locator('[role=row].related');
  await expect(related).toHaveCount(2);
  await expect(related.nth(0)).toHaveAttribute('data-frame', '1');
  await expect(related.nth(1)).toHaveAttribute('data-frame', '2');
  const fragments = tree(page).locator('[role=treeitem][data-field="ip.fragments"]');
  await fragments.getByText('#1', { exact: true }).click();
  await expect(selectedRow(page)).toHaveAttribute('data-frame', '1');
  await expect(tree(page)).toHaveAccessibleName('Layers of frame 1');
  await expect(row(page, 1).locator('.c-info')).toContainText('[Reassembled in #3]');
  await expect(related).toHaveCount(1);
  await expect(related).toHaveAttribute('data-frame', '3');
  await savePane(page, testInfo, 'Packet list', 'fragments-packet-list.png');
  await expect(bytesPane(page).getByRole('tablist')).toHaveCount(0);

  // The fragment's IPv4 header says where it was reassembled: Enter on that line goes there.
  await details(page).getByRole('button', { name: 'Expand all' }).click();
  const back = tree(page).locator('[role=treeitem][data-field="ip.reassembled_in"]');
  await expect(back.locator('.tl-text')).toHaveText('[Reassembled IPv4 in frame: 3]');
  await back.scrollIntoViewIfNeeded();
  await savePane(page, testInfo, 'Packet details', 'fragments-details-fragment.png');
  // It is the line right under the addresses, as Wireshark puts it.
  await tree(page).locator('[role=treeitem][data-field="ip.dst"]').click();
  await page.keyboard.press('ArrowDown');
  await expect(selectedLine(page)).toHaveAttribute('data-field', 'ip.reassembled_in');
  await page.keyboard.press('Enter');
  await expect(selectedRow(page)).toHaveAttribute('data-frame', '3');
  await expect(tree(page)).toHaveAccessibleName('Layers of frame 3');
  await expect(tree(page)).toBeFocused();

  // A fragment's own line under the list: one click goes to that frame.
  await details(page).getByRole('button', { name: 'Expand all' }).click();
  await tree(page).locator('[role=treeitem][data-field="ip.fragment"][data-goto="2"]').click();
  await expect(selectedRow(page)).toHaveAttribute('data-frame', '2');
  await expect(tree(page)).toHaveAccessibleName('Layers of frame 2');
});

test('a tenant-fragmented VXLAN packet: the reassembled datagram starts with the tenant UDP header', async ({ page }) => {
  await row(page, 5).click();
  await expect(tree(page)).toHaveAccessibleName('Layers of frame 5');
  await expect(tree(page).locator('[role=treeitem][data-field="ip.fragments"] .tl-text')).toHaveText('[2 IPv4 Fragments (2408 bytes): #4(1400), #5(1008)]');
  const tabs = bytesPane(page).getByRole('tab');
  await expect(tabs).toHaveText(['Frame (1092 bytes)', 'Reassembled IPv4 (2408 bytes)']);
  await tabs.nth(1).click();
  const panel = bytesPane(page).getByRole('tabpanel');
  await panel.locator('.hex-hex span[data-off="2"]').click();
  await expect(selectedLine(page)).toHaveAttribute('data-field', 'udp.dstport');
  await expect(selectedLine(page)).toContainText('9000');
  await expect(row(page, 4).locator('.c-info')).toContainText('[Reassembled in #5]');
});
