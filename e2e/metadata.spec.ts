// Capture metadata in the web app, on a pcapng generated here (scripts/lib/metadata-capture.ts: named and
// described interfaces, epb_flags, queue, packet id, drop count, verdicts, hashes, comments) plus a TSO
// super-frame: it opens, the details show what the capture says about a frame, a filter on the direction
// selects the outbound frames, and the super-frame's row and details say how it would leave.
import { expect, test, type Page } from '@playwright/test';
import { METADATA_FRAMES, metadataCapture } from '../scripts/lib/metadata-capture.ts';
import { dropBytes, savePane, statusBar, waitLoaded } from './support/app.ts';
import { parseStatus } from './support/expect-cli.ts';

const FRAMES = [...METADATA_FRAMES, { iface: 0, opts: { flags: 0x2 | 0x800 }, checksum: 'partial' as const, size: 4000 }];
const OUTBOUND = FRAMES.flatMap((f, k) => ((f.opts?.flags ?? 0) & 3) === 2 ? [k + 1] : []);

const list = (page: Page) => page.getByRole('grid', { name: 'Packets' });
const row = (page: Page, n: number) => list(page).locator(`[role=row][data-frame="${n}"]`);
const details = (page: Page) => page.getByRole('region', { name: 'Packet details', exact: true });
const tree = (page: Page) => details(page).getByRole('tree');
const bar = (page: Page) => page.getByRole('combobox', { name: 'Display filter' });

test('a pcapng with interface names and packet options: the details show them, a direction filter selects the outbound frames', async ({ page }, testInfo) => {
  await page.goto('/');
  await waitLoaded(page, 'demo.pcapng');
  await dropBytes(page, 'metadata.pcapng', metadataCapture(FRAMES));
  await waitLoaded(page, 'metadata.pcapng');
  await expect(statusBar(page)).toContainText(`Frames: ${FRAMES.length}`);

  await row(page, 1).click();
  await expect(tree(page)).toHaveAccessibleName('Layers of frame 1');
  await details(page).getByRole('button', { name: 'Expand all' }).click();
  const frameLine = tree(page).locator('[role=treeitem]').first();
  await expect(frameLine).toContainText('on interface eth0, id 0 (inbound)');
  for (const text of ['Interface name: eth0', 'Interface description: Uplink port', 'Interface queue: 3', 'Packet flags: 0x00000005',
    'Direction: Inbound (1)', 'Reception type: Unicast (1)', 'Packet id: 18364758544493064720', 'Comment: hello from eth0']) {
    await expect(tree(page).getByText(text, { exact: true })).toBeVisible();
  }
  await savePane(page, testInfo, 'Packet details', 'metadata-details.png');

  // Frame 3: verdicts and hashes; the Tunnelscope name of the flags word's offload bits.
  await row(page, 3).click();
  await expect(tree(page)).toHaveAccessibleName('Layers of frame 3');
  await details(page).getByRole('button', { name: 'Expand all' }).click();
  for (const text of ['Verdict: eBPF_XDP (2), eBPF_TC (1), Hardware (0)', 'eBPF XDP: XDP_PASS (2)', 'Hash Algorithm: CRC32 (2), MD5 (3)',
    'Checksum valid (checked before capture): Set']) {
    await expect(tree(page).getByText(text, { exact: true })).toBeVisible();
  }

  // The super-frame: its Info says how it would leave, its details why.
  const sf = FRAMES.length;
  await expect(row(page, sf)).toContainText('[super-frame: 3 segments of 1460 bytes]');
  await row(page, sf).click();
  await expect(tree(page)).toHaveAccessibleName(`Layers of frame ${sf}`);
  await details(page).getByRole('button', { name: 'Expand all' }).click();
  await expect(tree(page).getByText('[Super-frame: would leave as 3 segments of 1460 bytes, +40 bytes of encapsulation each]', { exact: true })).toBeVisible();
  await expect(tree(page).getByText('the capture marks it TCP segmentation offloaded (epb_flags bit 11)', { exact: true })).toBeVisible();
  await savePane(page, testInfo, 'Packet details', 'metadata-superframe-details.png');

  // A filter on the direction: the outbound frames, and only them.
  expect(OUTBOUND).toEqual([2, 7, 8]);
  await bar(page).fill('frame.packet_flags_direction == 2');
  await expect(bar(page)).toHaveAttribute('data-state', 'valid');
  await bar(page).press('Enter');
  await expect.poll(async () => parseStatus(await statusBar(page).innerText()).shown).toBe(OUTBOUND.length);
  await expect(list(page).locator('[role=row][data-frame]')).toHaveCount(OUTBOUND.length);
  const shownFrames = await list(page).locator('[role=row][data-frame]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-frame'))));
  expect(shownFrames).toEqual(OUTBOUND);
  await savePane(page, testInfo, 'Packet list', 'metadata-outbound.png');
});
