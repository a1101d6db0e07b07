// Opening captures: the bundled sample on start, a file by drop, a file by picker, a file that is not
// a capture, a truncated capture. The status bar must equal the CLI's numbers for the same file.
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dropBytes, dropFile, pickFile, savePage, statusBar, waitLoaded } from './support/app.ts';
import { cliExpect, ROOT, SHARED, statusText } from './support/expect-cli.ts';

const SAMPLE = resolve(ROOT, 'public/samples/demo.pcapng');
const GRE = resolve(SHARED, 'PcapPlusPlus/packetpp__GrePackets.pcap');
const ARKIME = resolve(SHARED, 'arkime/arkime_synthetic.pcap');
const GENEVE = resolve(SHARED, 'tcpdump/geneve.pcap');

test.describe('opening captures', () => {
  const cspViolations: string[] = [];

  test.beforeEach(async ({ page }) => {
    cspViolations.length = 0;
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto('/');
  });

  test('the bundled sample is open on start and matches the CLI', async ({ page }, testInfo) => {
    await waitLoaded(page, 'demo.pcapng');
    const e = cliExpect(SAMPLE);
    expect(e.frames).toBeGreaterThan(0);
    await expect(statusBar(page)).toHaveText(statusText(e));
    await expect(page.getByRole('grid', { name: 'Packets' }).getByRole('row').nth(1)).toBeVisible();
    await savePage(page, testInfo, 'app-sample.png');
    expect(cspViolations).toEqual([]);
  });

  test('a capture dropped on the page opens and matches the CLI', async ({ page }) => {
    await waitLoaded(page, 'demo.pcapng');
    await dropFile(page, GRE);
    await waitLoaded(page, 'packetpp__GrePackets.pcap');
    await expect(statusBar(page)).toHaveText(statusText(cliExpect(GRE)));
  });

  test('a capture chosen with the file picker opens and matches the CLI', async ({ page }) => {
    await waitLoaded(page, 'demo.pcapng');
    await pickFile(page, ARKIME);
    await waitLoaded(page, 'arkime_synthetic.pcap');
    await expect(statusBar(page)).toHaveText(statusText(cliExpect(ARKIME)));
    // And the GRE capture through the picker, the sample through drop: every path, both files.
    await pickFile(page, GRE);
    await waitLoaded(page, 'packetpp__GrePackets.pcap');
    await expect(statusBar(page)).toHaveText(statusText(cliExpect(GRE)));
    await dropFile(page, SAMPLE);
    await waitLoaded(page, 'demo.pcapng');
    await expect(statusBar(page)).toHaveText(statusText(cliExpect(SAMPLE)));
  });

  test('Load sample reopens the bundled sample', async ({ page }) => {
    await waitLoaded(page, 'demo.pcapng');
    await pickFile(page, GRE);
    await waitLoaded(page, 'packetpp__GrePackets.pcap');
    await page.getByRole('button', { name: 'Load sample' }).click();
    await waitLoaded(page, 'demo.pcapng');
    await expect(statusBar(page)).toHaveText(statusText(cliExpect(SAMPLE)));
  });

  test('a file that is not a capture shows why and keeps the previous analysis', async ({ page }, testInfo) => {
    await waitLoaded(page, 'demo.pcapng');
    const before = await statusBar(page).textContent();
    await dropBytes(page, 'notes.txt', new TextEncoder().encode('These are my notes, not a capture.\n'));
    const alert = page.getByRole('alert').filter({ hasText: 'notes.txt' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText('not a pcap or pcapng file');
    await expect(alert).toContainText('demo.pcapng is still open');
    await expect(page.locator('.app')).toHaveAttribute('data-capture', 'demo.pcapng');
    await expect(statusBar(page)).toHaveText(before ?? '');
    await expect(page.getByRole('grid', { name: 'Packets' }).locator('[role=row][data-frame="1"]')).toBeVisible();
    await savePage(page, testInfo, 'app-not-a-capture.png');
  });

  test('a gzip-compressed capture opens and its frames show their bytes', async ({ page }) => {
    await waitLoaded(page, 'demo.pcapng');
    const path = join(mkdtempSync(join(tmpdir(), 'tunnelscope-e2e-')), 'arkime_synthetic.pcap.gz');
    writeFileSync(path, gzipSync(readFileSync(ARKIME)));
    await dropFile(page, path);
    await waitLoaded(page, 'arkime_synthetic.pcap.gz');
    await expect(statusBar(page)).toHaveText(statusText(cliExpect(path)));
    await expect(page.locator('.statusbar')).toContainText('(gzip)');
    // Frame offsets are in the decompressed stream: the bytes pane must show the real frame.
    const row = page.getByRole('grid', { name: 'Packets' }).locator('[role=row][data-frame="3"]');
    await row.click();
    const tree = page.getByRole('region', { name: 'Packet details', exact: true }).getByRole('tree');
    await expect(tree).toHaveAccessibleName('Layers of frame 3');
    await expect(tree).toContainText('Ethernet');
    const bytesPane = page.getByRole('region', { name: 'Packet bytes', exact: true });
    await expect(bytesPane.locator('.hex-hex span[data-off="12"]')).toHaveText(/08|86|81/); // an EtherType high byte
  });

  test('a truncated capture opens with a visible warning', async ({ page }, testInfo) => {
    await waitLoaded(page, 'demo.pcapng');
    const full = readFileSync(ARKIME);
    const cut = full.subarray(0, Math.floor(full.length * 0.6) + 3); // ends in the middle of a record
    const path = join(mkdtempSync(join(tmpdir(), 'tunnelscope-e2e-')), 'truncated.pcap');
    writeFileSync(path, cut);
    await pickFile(page, path);
    await waitLoaded(page, 'truncated.pcap');
    const warning = page.getByRole('alert', { name: 'Capture warnings' });
    await expect(warning).toBeVisible();
    await expect(warning).toContainText('truncated.pcap');
    await expect(statusBar(page)).toHaveText(statusText(cliExpect(path)));
    await savePage(page, testInfo, 'app-truncated.png');
  });
  test('"ready" means every pane shows the capture just opened, even when the worker answers late', async ({ page }) => {
    // Every answer held back 300 ms: a "ready" that did not wait for the panes would show the
    // sample's tenants and counts here (two CI runs failed on exactly that, by chance).
    await page.addInitScript(() => {
      (globalThis as { __tunnelscopeHoldAnswersMs?: number }).__tunnelscopeHoldAnswersMs = 300;
    });
    await page.goto('/');
    await waitLoaded(page, 'demo.pcapng');
    await dropFile(page, GENEVE);
    await waitLoaded(page, 'geneve.pcap');
    // One synchronous read of the page, right at "ready": no waiting, no retrying.
    const seen = await page.evaluate(() => ({
      tenants: [...document.querySelectorAll('[aria-label="Tenants"] tr[data-tenant]')].map((r) => r.getAttribute('data-tenant')),
      status: document.querySelector('.statusbar [role=status]')?.textContent,
      rows: document.querySelector('[role=grid][aria-label="Packets"]')?.getAttribute('aria-rowcount'),
      firstFrame: document.querySelector('[role=grid][aria-label="Packets"] [role=row][data-frame]')?.getAttribute('data-frame'),
    }));
    const e = cliExpect(GENEVE);
    expect(seen.status).toBe(statusText(e));
    expect(seen.tenants.sort()).toEqual(e.summary.tenants.map((t) => `${t.encap}:${t.vnid}`).sort());
    expect(Number(seen.rows)).toBe(e.frames + 1); // the header row counts
    expect(seen.firstFrame).toBe('1');
  });
});
