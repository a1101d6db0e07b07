// The MTU section of the Offload pane says what the CLI summary's `mtu` says, host for host (order, encap,
// counts, lengths, advice), and each count applies the display filter that shows exactly the frames it
// stands for (as many as the CLI's --filter selects). On a generated capture (scripts/lib/mtu-capture.ts)
// and on the sample, which has nothing to say. Saves screenshots of the section.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mtuCapture } from '../scripts/lib/mtu-capture.ts';
import type { MtuFinding } from '../decoders/analysis/types.ts';
import { dropBytes, SCREENSHOTS, statusBar, waitLoaded } from './support/app.ts';
import { parseStatus, ROOT } from './support/expect-cli.ts';

function cli(file: string, ...args: string[]): string {
  return execFileSync(process.execPath, [resolve(ROOT, 'cli/tunnelscope.mjs'), file, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
}

const offload = (page: Page) => page.getByRole('region', { name: 'Offload', exact: true });
const bar = (page: Page) => page.getByRole('combobox', { name: 'Display filter' });
const KINDS = ['fragmented', 'incomplete', 'tenantFragmented', 'icmp'] as const;

async function shown(page: Page): Promise<number> {
  return parseStatus(await statusBar(page).innerText()).shown;
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await waitLoaded(page, 'demo.pcapng');
});

test('the sample: no MTU findings', async ({ page }) => {
  const sample = JSON.parse(cli(resolve(ROOT, 'public/samples/demo.pcapng'))) as { mtu: MtuFinding[] };
  expect(sample.mtu).toEqual([]);
  await expect(offload(page).locator('.mtu-none')).toHaveText('No encapsulated packet was fragmented, and no ICMP "fragmentation needed" or "packet too big" was sent on the underlay.');
});

test('a generated capture: the section equals the CLI summary\'s mtu, and every count shows its frames', async ({ page }, testInfo) => {
  const dir = mkdtempSync(join(tmpdir(), 'ts-mtu-'));
  const file = join(dir, 'mtu.pcap');
  const bytes = mtuCapture();
  writeFileSync(file, bytes);
  const { mtu } = JSON.parse(cli(file)) as { mtu: MtuFinding[] };
  expect(mtu.map((f) => f.host)).toEqual(['192.168.10.11', 'fd00::31', '192.168.20.21', '192.168.10.13']);

  await dropBytes(page, 'mtu.pcap', bytes);
  await waitLoaded(page, 'mtu.pcap');
  const pane = offload(page);
  const list = pane.getByRole('list', { name: 'MTU findings by host' });
  const hosts = list.locator('> li.mtu-host');
  await expect(hosts).toHaveCount(mtu.length);
  await expect(pane.locator('.sub-title', { hasText: 'MTU' })).toContainText(`${mtu.length} hosts`);
  await expect(pane.locator('.pane-meta').first()).toHaveText(`no checksum findings · MTU: ${mtu.length} hosts`);

  for (const [k, f] of mtu.entries()) {
    const li = hosts.nth(k);
    await expect(li).toHaveAttribute('data-host', f.host);
    await expect(li.locator('.mtu-head')).toHaveText(`${f.host}${f.encap === null ? '' : { nvgre: 'NVGRE', vxlan: 'VXLAN', geneve: 'Geneve', gre: 'GRE' }[f.encap]}`);
    await expect(li.locator('.mtu-advice')).toHaveText(f.advice);
    const figures = li.locator('.mtu-figures');
    const n = (x: number | null): string => (x ?? NaN).toLocaleString('en-US');
    const parts = [
      ...(f.needed !== null ? [`argest inner packet ${n(f.largestInner)} + ${n(f.overhead)} bytes of encapsulation = ${n(f.needed)} bytes`] : []),
      ...(f.underlayMtu !== null ? [`argest fragment the underlay carried: ${n(f.underlayMtu)} bytes`] : []),
    ];
    if (parts.length > 0) await expect(figures).toHaveText(`L${parts.join('; l')}.`);
    else await expect(figures).toHaveCount(0);
    for (const kind of KINDS) {
      const count = kind === 'icmp' ? f.icmp.count : f[kind];
      const item = li.locator(`li[data-kind="${kind}"]`);
      if (count === 0) {
        await expect(item, `${f.host} ${kind}`).toHaveCount(0);
        continue;
      }
      const button = item.locator('button[data-filter]');
      await expect(button).toHaveText(new RegExp(`^${count} `));
      await expect(button).toHaveAttribute('data-frames', String(f.frames[kind]));
      if (kind === 'icmp' && f.icmp.mtus.length > 0) await expect(item).toContainText(`(MTU ${f.icmp.mtus.map((m) => m.toLocaleString('en-US')).join(', ')})`);
    }
  }
  await list.scrollIntoViewIfNeeded();
  await list.screenshot({ path: resolve(SCREENSHOTS, 'mtu-section.png') });
  await testInfo.attach('mtu-section.png', { path: resolve(SCREENSHOTS, 'mtu-section.png'), contentType: 'image/png' });

  // Each count applies its filter: the list shows exactly its frames, as many as the CLI's --filter finds.
  const buttons = await list.locator('button[data-filter]').evaluateAll((els) => els.map((el) => [el.getAttribute('data-filter') ?? '', Number(el.getAttribute('data-frames'))] as [string, number]));
  expect(buttons.length).toBe(7);
  for (const [filter, frames] of buttons) {
    await list.locator(`button[data-filter='${filter}']`).click();
    await expect(bar(page)).toHaveValue(filter);
    await expect.poll(() => shown(page), { message: filter }).toBe(frames);
    expect(cli(file, '--frames', '--filter', filter).trim().split('\n').filter(Boolean).length, filter).toBe(frames);
  }
  await page.screenshot({ path: resolve(SCREENSHOTS, 'mtu-page.png') });
  await testInfo.attach('mtu-page.png', { path: resolve(SCREENSHOTS, 'mtu-page.png'), contentType: 'image/png' });
});
