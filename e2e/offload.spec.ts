// The Offload pane says one thing about zero and flagged: its headline (frames per verdict) and its
// tables count the same frames, "flagged" is a bad checksum only, a UDP checksum of 0 over IPv4 is "no
// checksum" (allowed) and nowhere a finding, and every count applies the display filter that shows
// exactly that many frames. On the bundled sample, a capture with only "no checksum" zeros, and one
// with zeros that are findings. Saves screenshots of the pane and of the packet list.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { dropFile, savePane, statusBar, waitLoaded } from './support/app.ts';
import { parseStatus, ROOT, SHARED } from './support/expect-cli.ts';

const SAMPLE = resolve(ROOT, 'public/samples/demo.pcapng');

interface FrameLine { n: number; checks: Record<string, string> }

/** The CLI's per-frame verdicts (the same decoders, in Node). */
function cliFrames(file: string, filter?: string): FrameLine[] {
  const args = [resolve(ROOT, 'cli/tunnelscope.mjs'), file, '--frames', ...(filter ? ['--filter', filter] : [])];
  const out = execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  return out.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as FrameLine);
}

const offload = (page: Page) => page.getByRole('region', { name: 'Offload', exact: true });
const list = (page: Page) => page.getByRole('grid', { name: 'Packets' });
const bar = (page: Page) => page.getByRole('combobox', { name: 'Display filter' });

async function shown(page: Page): Promise<number> {
  return parseStatus(await statusBar(page).innerText()).shown;
}

/** [filter, frames] of every count button inside `scope`. */
async function counts(scope: Locator): Promise<Array<[string, number]>> {
  return scope.locator('button[data-filter]').evaluateAll((els) => els.map((el) => [el.getAttribute('data-filter') ?? '', Number(el.getAttribute('data-frames'))] as [string, number]));
}

/** Clicks the count that applies `filter` and checks the list then shows exactly that many frames. */
async function applyCount(page: Page, scope: Locator, filter: string, frames: number): Promise<void> {
  await scope.locator(`button[data-filter='${filter}']`).first().click();
  await expect(bar(page)).toHaveValue(filter);
  await expect.poll(() => shown(page)).toBe(frames);
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await waitLoaded(page, 'demo.pcapng');
});

test('sample: the headline and the tables count the same frames, and each count shows them', async ({ page }, testInfo) => {
  const frames = cliFrames(SAMPLE);
  const withVerdict = (v: string) => frames.filter((f) => Object.values(f.checks).includes(v)).length;
  const pane = offload(page);
  const headline = pane.getByRole('list', { name: 'Checksum findings' });
  await expect(headline).toBeVisible();
  // Frames per verdict: flagged = a bad checksum (the status bar's Bad, the CLI's flagged); partial is not flagged.
  const head = new Map(await counts(headline));
  expect(head.get('checksum.bad')).toBe(withVerdict('bad'));
  expect(head.get('checksum.partial')).toBe(withVerdict('partial'));
  const status = parseStatus(await statusBar(page).innerText());
  expect([status.bad, status.partial]).toEqual([head.get('checksum.bad'), head.get('checksum.partial')]);
  await expect(headline.getByRole('listitem').filter({ hasText: 'flagged' })).toHaveCount(1);
  await expect(headline.getByRole('listitem').filter({ hasText: 'flagged' })).toContainText('bad checksum');
  // "Flagged" is said of bad checksums only (the headline and the explanation of bad).
  const flagged = await pane.getByText(/flagged/).allInnerTexts();
  expect(flagged.length).toBe(2);
  for (const t of flagged) expect(t).toMatch(/bad checksum/);
  // The sample's zeros are all UDP over IPv4: "no checksum", no zero finding, not listed.
  expect(head.has('checksum.zero')).toBe(false);
  const zeros = frames.reduce((n, f) => n + Object.values(f.checks).filter((v) => v === 'zero').length, 0);
  await expect(headline).toContainText(`${zeros.toLocaleString('en-US')} UDP checksums are 0 over IPv4: "no checksum", which is allowed (not listed)`);

  // The findings table (per check and sender) and the per-check table give each check the same count.
  const groups = new Map(await counts(pane.getByRole('table', { name: /^Checksum findings by check and sender/ })));
  const perCheck = pane.getByRole('table', { name: 'Verdicts per check' });
  const table = new Map(await counts(perCheck));
  for (const [f, n] of groups) expect(table.get(f), f).toBe(n);
  for (const [f, n] of table) if (!f.startsWith('checksum.unverified')) expect(groups.get(f), f).toBe(n);
  // ... and the headline: in the sample no frame has the same verdict in two checks.
  for (const v of ['bad', 'partial']) {
    const sum = [...groups].filter(([f]) => f.startsWith(`checksum.${v}.check`)).reduce((a, [, n]) => a + n, 0);
    expect(sum, v).toBe(head.get(`checksum.${v}`));
  }
  const noChecksum = await perCheck.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [r.querySelectorAll('td')[4].textContent, r.querySelectorAll('td')[5].textContent]));
  expect(noChecksum.every(([zero]) => zero === '0')).toBe(true);
  expect(noChecksum.reduce((a, [, n]) => a + Number((n ?? '').replace(/,/g, '')), 0)).toBe(zeros);
  await savePane(page, testInfo, 'Offload', 'offload-pane.png');

  // Every count applies the filter that shows exactly that many frames, as the CLI's --filter counts them.
  expect(groups.get('checksum.partial.check == "inner.tcp"')).toBeGreaterThan(0);
  for (const [f, n] of groups) {
    await applyCount(page, pane.getByRole('table', { name: /^Checksum findings/ }), f, n);
    expect(cliFrames(SAMPLE, f).length, f).toBe(n);
  }
  const [check, verdict] = ['inner.tcp', 'partial'];
  await applyCount(page, perCheck, `checksum.${verdict}.check == "${check}"`, withVerdict('partial') - frames.filter((fr) => fr.checks['inner.udp'] === 'partial').length);
  // The rows shown are that check's, amber by the default rule.
  const row = list(page).locator('[role=row][data-frame]').first();
  await expect(row.locator('.c-checks')).toContainText(`${check} ${verdict}`);
  await expect(row).toHaveAttribute('data-rule', 'Partial or zero checksum');
  await applyCount(page, headline, 'checksum.bad', head.get('checksum.bad') ?? -1);
  await savePane(page, testInfo, 'Packet list', 'offload-list-bad.png');
  // Typed by hand: `checksum.partial` also completes to checksum.partial.check, and Enter applies it as typed.
  await bar(page).fill('checksum.partial');
  await expect(page.getByRole('listbox', { name: 'Field names' }).getByRole('option')).toHaveCount(2);
  await expect(bar(page)).toHaveAttribute('data-state', 'valid');
  await bar(page).press('Enter');
  await expect.poll(() => shown(page)).toBe(head.get('checksum.partial'));
});

test('only "no checksum" zeros: no finding anywhere, and the list says what they are', async ({ page }, testInfo) => {
  const file = resolve(SHARED, 'tcpdump/geneve.pcap');
  await dropFile(page, file);
  await waitLoaded(page, 'geneve.pcap');
  const pane = offload(page);
  await expect(pane.getByText('No bad, partial or zero checksums: every verified checksum is good; 39 UDP checksums are 0 over IPv4: "no checksum", which is allowed.')).toBeVisible();
  await expect(pane.getByRole('table', { name: /^Checksum findings/ })).toHaveCount(0);
  const udp = pane.getByRole('table', { name: 'Verdicts per check' }).locator('tr[data-check="udp"] td');
  await expect(udp.nth(4)).toHaveText('0');
  await expect(udp.nth(5)).toHaveText('39');
  // In the list: "udp no checksum", not coloured, and the legend says why.
  const rows = list(page).locator('[role=row][data-frame]');
  await expect(rows.first().locator('.c-checks')).toHaveText('udp no checksum');
  await expect(list(page).locator('[role=row][data-rule]')).toHaveCount(0);
  await expect(page.locator('.legend .lg-none')).toHaveText('udp no checksum: allowed');
  await expect(page.locator('.legend .lg-rule', { hasText: 'Partial or zero checksum' })).toHaveAttribute('title', /UDP checksum of 0 over IPv4 means "no checksum".*not coloured/);
  await savePane(page, testInfo, 'Offload', 'offload-no-checksum.png');
  await savePane(page, testInfo, 'Packet list', 'offload-list-no-checksum.png');
});

test('zeros that are findings: counted, filtered and coloured as zero', async ({ page }) => {
  const file = resolve(SHARED, 'zeek/krb__kerberos_tso.pcapng');
  await dropFile(page, file);
  await waitLoaded(page, 'krb__kerberos_tso.pcapng');
  const frames = cliFrames(file);
  const pane = offload(page);
  const head = new Map(await counts(pane.getByRole('list', { name: 'Checksum findings' })));
  const zero = cliFrames(file, 'checksum.zero').length;
  expect(zero).toBeGreaterThan(0);
  expect(head.get('checksum.zero')).toBe(zero);
  expect(head.get('checksum.partial')).toBe(frames.filter((f) => Object.values(f.checks).includes('partial')).length);
  const groups = await counts(pane.getByRole('table', { name: /^Checksum findings/ }));
  const zeroGroups = groups.filter(([f]) => f.startsWith('checksum.zero.check'));
  expect(zeroGroups.length).toBeGreaterThan(0);
  for (const [f, n] of zeroGroups) {
    await applyCount(page, pane.getByRole('table', { name: /^Checksum findings/ }), f, n);
    await expect(list(page).locator('[role=row][data-frame]').first()).toHaveAttribute('data-rule', 'Partial or zero checksum');
  }
});
