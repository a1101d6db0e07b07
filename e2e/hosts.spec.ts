// The Hosts pane says what the CLI summary's `hosts` says, host for host (order, direction, counts, the
// diagnosis words), and selecting a host narrows the packet list to its frames with a display filter. On a
// generated capture (scripts/lib/hosts-capture.ts: a faulty NIC, a sender-side capture, a clean host, VXLAN's
// allowed zero). Saves a screenshot of the pane.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HOSTS, hostsCapture } from '../scripts/lib/hosts-capture.ts';
import { dropBytes, savePane, statusBar, waitLoaded } from './support/app.ts';
import { parseStatus, ROOT } from './support/expect-cli.ts';

interface CliHost { address: string; direction: string | null; frames: number; bad: number; partial: number; diagnosis: Array<{ text: string }>; filter: string }

const pane = (page: Page) => page.getByRole('region', { name: 'Hosts', exact: true });
const bar = (page: Page) => page.getByRole('combobox', { name: 'Display filter' });

test('the Hosts pane equals the CLI summary, and a host selects its frames', async ({ page }, testInfo) => {
  const { bytes } = hostsCapture();
  const file = join(mkdtempSync(join(tmpdir(), 'hosts-')), 'hosts.pcapng');
  writeFileSync(file, bytes);
  const cli = JSON.parse(execFileSync(process.execPath, [resolve(ROOT, 'cli/tunnelscope.mjs'), file], { cwd: ROOT, encoding: 'utf8' })) as { hosts: CliHost[] };
  expect(cli.hosts.map((h) => h.address)).toEqual([HOSTS.faulty, HOSTS.sender, HOSTS.notReady, HOSTS.clean, HOSTS.vxlan]);

  await page.goto('/');
  await waitLoaded(page, 'demo.pcapng');
  await dropBytes(page, 'hosts.pcapng', bytes);
  await waitLoaded(page, 'hosts.pcapng');

  const rows = pane(page).locator('tbody tr[data-host]');
  await expect(rows).toHaveCount(cli.hosts.length);
  for (let k = 0; k < cli.hosts.length; k++) {
    const h = cli.hosts[k];
    const row = rows.nth(k);
    await expect(row).toHaveAttribute('data-host', h.address);
    await expect(row.locator('td').nth(1)).toHaveText(h.direction ?? '—');
    await expect(row.locator('td').nth(2)).toHaveText(String(h.frames));
    await expect(row.locator('td').nth(3)).toHaveText(String(h.bad));
    await expect(row.locator('td').nth(5)).toHaveText(String(h.partial));
  }

  // The faulty host: selecting it applies its filter, the list shows its frames, its diagnosis shows.
  await rows.nth(0).click();
  await expect(bar(page)).toHaveValue(cli.hosts[0].filter);
  await expect.poll(async () => parseStatus(await statusBar(page).innerText()).shown).toBe(cli.hosts[0].frames);
  const dx = pane(page).getByRole('list', { name: `Diagnosis of ${HOSTS.faulty}` });
  await expect(dx.locator('li').first()).toContainText(cli.hosts[0].diagnosis[0].text);
  await savePane(page, testInfo, 'Hosts', 'hosts-pane.png');
  // A frame named by the finding is one click away.
  await dx.getByRole('button', { name: /^#\d+$/ }).first().click();
  await expect(page.locator('.packet-list [role=row][aria-selected="true"]')).toHaveCount(1);

  // Selecting it again shows every frame; a host with a direction filters on it too.
  await rows.nth(0).click();
  await expect(bar(page)).toHaveValue('');
  await rows.nth(1).click();
  await expect(bar(page)).toHaveValue(cli.hosts[1].filter);
  expect(cli.hosts[1].filter).toContain('frame.packet_flags_direction == 2');
  await expect.poll(async () => parseStatus(await statusBar(page).innerText()).shown).toBe(cli.hosts[1].frames);
});
