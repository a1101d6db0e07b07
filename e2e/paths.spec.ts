// Where did it break, in the web app: two captures of the same packets dropped (or picked) together both open (a tab each),
// the Paths pane's findings equal `tunnelscope --paths` on the same files, an example frame goes to its copy
// in the other capture, and the details show that packet's path as the analysis in Node gives it (its points,
// the verdicts there, its finding) with the byte diff of the two copies. Captures from
// scripts/lib/paths-captures.ts, written to a temp dir. Saves screenshots of the pane and of a path.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { pairScenario, pktmonScenario, type Scenario } from '../scripts/lib/paths-captures.ts';
import { analyzePaths, type PathsJson } from '../decoders/analysis/paths.ts';
import { Engine } from '../decoders/analysis/engine.ts';
import { MemorySource } from '../decoders/capture/memory-source.ts';
import { tenantLabel } from '../web/format.ts';
import { byCapture, hop } from '../web/paths/format.ts';
import { dropBytes, savePage, savePane, statusBar, waitLoaded } from './support/app.ts';
import { dropMany } from './support/drop-many.ts';
import { parseStatus, ROOT } from './support/expect-cli.ts';

const pane = (page: Page) => page.getByRole('region', { name: 'Paths', exact: true });
const tabs = (page: Page) => page.getByRole('tablist', { name: 'Open captures' });

/** A finding as the pane shows it: its row's cells and its example frames, per capture. */
type ShownFinding = { cells: string[]; examples: string[] };

async function shownFindings(page: Page): Promise<ShownFinding[]> {
  return pane(page).getByRole('table', { name: 'Where it broke' }).evaluate((t) => {
    const out: ShownFinding[] = [];
    for (const row of t.querySelectorAll('tr.pf-row')) {
      const text = row.nextElementSibling as HTMLElement;
      out.push({
        cells: Array.from(row.querySelectorAll('td'), (td) => (td.textContent ?? '').trim()),
        examples: Array.from(text.querySelectorAll('button[data-frame]'), (b) => `${b.getAttribute('data-capture')}#${b.getAttribute('data-frame')}`),
      });
    }
    return out;
  });
}

/** Writes the scenario's captures to a temp dir and runs `tunnelscope --paths` on them. */
function cliPaths(sc: Scenario): PathsJson & { files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'paths-e2e-'));
  const files = sc.captures.map((c) => {
    const p = join(dir, c.name);
    writeFileSync(p, c.bytes);
    return p;
  });
  const json = JSON.parse(execFileSync(process.execPath, [resolve(ROOT, 'cli/tunnelscope.mjs'), '--paths', ...files, '--jobs', '1'], { cwd: ROOT, encoding: 'utf8' })) as PathsJson;
  return { ...json, files };
}

function asShown(cli: PathsJson): ShownFinding[] {
  return cli.findings.map((f) => ({
    cells: [f.cause, hop(f.from, f.to), tenantLabel(f.tenant), f.check ?? '—', String(f.count)],
    examples: byCapture(f.examples).flatMap(([c, ns]) => ns.map((n) => `${c}#${n}`)),
  }));
}

test('two captures dropped together: both open, the findings equal the CLI\'s, a frame shows its path', async ({ page }, testInfo) => {
  const sc = pairScenario();
  const cli = cliPaths(sc);
  expect(cli.findings.length).toBeGreaterThan(3);

  await page.goto('/');
  await waitLoaded(page, 'demo.pcapng');
  await dropMany(page, sc.captures);
  await waitLoaded(page, 'sender.pcapng');

  // Both open, each with its own frames; the first shows, the other is a tab away.
  const t = tabs(page).getByRole('tab', { name: /\.pcapng/ });
  await expect(t).toHaveCount(2);
  await expect(t.nth(0)).toContainText('sender.pcapng');
  await expect(t.nth(1)).toContainText('receiver.pcapng');
  await expect(t.nth(1)).toBeEnabled();
  await expect(t.nth(0)).toHaveAttribute('aria-selected', 'true');
  const senderFrames = parseStatus(await statusBar(page).innerText()).frames;
  await t.nth(1).click();
  await waitLoaded(page, 'receiver.pcapng');
  const receiverFrames = parseStatus(await statusBar(page).innerText()).frames;
  expect(senderFrames).not.toBe(receiverFrames);
  await expect(t.nth(0)).toContainText(`${senderFrames} frames`);
  await expect(t.nth(1)).toContainText(`${receiverFrames} frames`);

  // The Paths pane: the CLI's figures, finding for finding, in its order, with its examples.
  await expect(pane(page).getByRole('table', { name: 'Where it broke' })).toBeVisible({ timeout: 60_000 });
  await expect(pane(page).locator('.pane-meta')).toHaveText(`2 captures · ${cli.packets} packets · ${cli.matched} matched`);
  const alone = await pane(page).getByRole('table', { name: 'Captures compared' }).locator('tbody tr').evaluateAll((rows) => rows.map((r) => [r.children[0].textContent, Number(r.children[1].textContent)]));
  expect(Object.fromEntries(alone)).toEqual(cli.unmatched);
  expect(await shownFindings(page)).toEqual(asShown(cli));
  await savePane(page, testInfo, 'Paths', 'paths-pane.png');

  // An offload example of the receiver, clicked from the sender's tab: the receiver shows with it selected.
  await t.nth(0).click();
  await waitLoaded(page, 'sender.pcapng');
  const offload = cli.findings.find((f) => f.cause === 'offload' && f.examples[0][0] === 'receiver.pcapng');
  expect(offload).toBeDefined();
  const [, frame] = offload!.examples[0];
  await pane(page).locator(`button[data-capture="receiver.pcapng"][data-frame="${frame}"]`).first().click();
  await waitLoaded(page, 'receiver.pcapng');
  await expect(page.locator('.packet-list [role=row][aria-selected="true"]')).toHaveCount(1);
  await expect(page.getByRole('region', { name: 'Packet details' }).locator('.pane-meta')).toHaveText(`Frame ${frame}`);

  // Its path, as the analysis gives it in Node for the same bytes.
  const inputs = [];
  for (const c of sc.captures) {
    const e = new Engine();
    const src = new MemorySource(c.bytes);
    await e.load(src, c.name);
    inputs.push({ name: c.name, index: e, bytes: src });
  }
  const want = await (await analyzePaths(inputs)).pathOf(1, frame);
  const path = page.getByRole('region', { name: 'Path' });
  const copies = path.getByRole('table', { name: 'Copies of this packet' }).locator('tbody tr');
  await expect(copies).toHaveCount(want.stops.length);
  for (let k = 0; k < want.stops.length; k++) {
    const s = want.stops[k];
    await expect(copies.nth(k)).toHaveAttribute('data-point', s.point);
    await expect(copies.nth(k).locator('td').nth(2)).toContainText(`#${s.frame}`);
    for (const [check, verdict] of Object.entries(s.checks)) await expect(copies.nth(k).locator(`[data-check="${check}"]`)).toHaveText(`${check} ${verdict}`);
  }
  await expect(path.getByRole('list', { name: 'Where this packet broke' }).locator('li')).toHaveText(want.findings.map((f) => `${f.cause} ${f.text}`));
  const diff = path.locator('.path-diff');
  await expect(diff).toContainText('tcp.checksum: the checksum field only');
  await expect(diff.getByRole('list').locator('li')).toHaveCount(1);
  await savePage(page, testInfo, 'paths-frame.png');

  // The sender's copy is one click away.
  await copies.nth(0).getByRole('button').click();
  await waitLoaded(page, 'sender.pcapng');
  await expect(page.getByRole('region', { name: 'Packet details' }).locator('.pane-meta')).toHaveText(`Frame ${want.stops[0].frame}`);
});

test('a pktmon capture alone: its findings equal the CLI\'s, its copies fold, each packet\'s copies are a click away', async ({ page }, testInfo) => {
  const sc = pktmonScenario();
  const cli = cliPaths(sc);
  const [{ name, bytes }] = sc.captures;
  await page.goto('/');
  await waitLoaded(page, 'demo.pcapng');
  await dropBytes(page, name, bytes);
  await waitLoaded(page, name);
  await expect(tabs(page)).toHaveCount(0);

  await expect(pane(page).getByRole('table', { name: 'Where it broke' })).toBeVisible({ timeout: 60_000 });
  expect(await shownFindings(page)).toEqual(asShown(cli));
  const frames = parseStatus(await statusBar(page).innerText()).frames;
  expect(cli.folded[name]).toBe(frames - cli.packets);

  // Folded: the list shows each packet once, the counts count packets.
  await pane(page).getByRole('checkbox', { name: /Fold copies/ }).check();
  await expect.poll(async () => parseStatus(await statusBar(page).innerText()).shown).toBe(cli.packets);
  await expect(page.getByRole('grid', { name: 'Packets' }).getByRole('row')).not.toHaveCount(frames + 1);
  await expect(pane(page).locator('[data-folded-packets]')).toHaveAttribute('data-folded-packets', String(cli.packets));
  // The Tenants pane counts packets too: per tenant, its packets (not their encapsulated copies).
  const tenantKeys = [...new Set(sc.packets.map((p) => p.tenant.key))];
  const tenantFrames = (key: string) => page.getByRole('region', { name: 'Tenants' }).locator(`tr[data-tenant="${key}"] td`).nth(2);
  for (const key of tenantKeys) await expect(tenantFrames(key)).toHaveText(String(sc.packets.filter((p) => p.tenant.key === key).length));
  await expect(page.getByRole('region', { name: 'Tenants' }).getByRole('columnheader', { name: 'Packets' })).toBeVisible();
  // So does the Hosts pane: every packet once, for the host of its shown copy.
  const hostFrames = async (): Promise<number> => (await page.getByRole('region', { name: 'Hosts', exact: true }).locator('tbody tr[data-host] td:nth-child(3)').allInnerTexts())
    .reduce((sum, t) => sum + Number(t.replace(/\D/g, '')), 0);
  await expect.poll(hostFrames).toBe(cli.packets);

  // A lost packet's last copy: its path lists its copies at the components, the vSwitch one a click away.
  const lost = cli.findings.find((f) => f.cause === 'lost');
  expect(lost).toBeDefined();
  const [, frame] = lost!.examples[0];
  await pane(page).locator(`button[data-frame="${frame}"]`).first().click();
  const path = page.getByRole('region', { name: 'Path' });
  const copies = path.getByRole('table', { name: 'Copies of this packet' }).locator('tbody tr');
  await expect(copies).toHaveCount(2);
  await expect(copies.nth(0)).toHaveAttribute('data-point', `${name}:vmNIC`);
  await expect(copies.nth(1)).toHaveAttribute('data-point', `${name}:vSwitch`);
  await expect(path.getByRole('list', { name: 'Where this packet broke' }).locator('li')).toContainText(['lost']);
  await savePane(page, testInfo, 'Paths', 'paths-pktmon-pane.png');
  const first = await copies.nth(0).locator('td').nth(2).innerText();
  await copies.nth(0).getByRole('button').click();
  await expect(page.getByRole('region', { name: 'Packet details' }).locator('.pane-meta')).toHaveText(`Frame ${first.replace(/\D+/g, '')}`);
  await savePage(page, testInfo, 'paths-pktmon.png');

  // Unfolded again: every frame.
  await pane(page).getByRole('checkbox', { name: /Fold copies/ }).uncheck();
  await expect.poll(async () => parseStatus(await statusBar(page).innerText()).shown).toBe(frames);
  // ... and the Tenants pane every encapsulated copy.
  for (const key of tenantKeys) {
    const copies = sc.packets.filter((p) => p.tenant.key === key).flatMap((p) => p.path).filter((st) => st.fate !== 'missing' && sc.points[st.point].encap).length;
    await expect(tenantFrames(key)).toHaveText(String(copies));
  }
  await expect.poll(hostFrames).toBe(frames);
});

test('two captures picked together in Open…, all by time: one list with a Capture column, the copies of a packet side by side', async ({ page }, testInfo) => {
  const sc = pairScenario();
  const cli = cliPaths(sc);
  await page.goto('/');
  await waitLoaded(page, 'demo.pcapng');
  await page.getByLabel('Open capture file').setInputFiles(cli.files);
  await waitLoaded(page, 'sender.pcapng');
  const all = tabs(page).getByRole('tab', { name: 'All, by time' });
  await expect(all).toBeEnabled();
  await expect(pane(page).getByRole('table', { name: 'Where it broke' })).toBeVisible({ timeout: 60_000 });
  const frames = await tabs(page).getByRole('tab', { name: /\.pcapng/ }).evaluateAll((els) => els.map((e) => Number(/(\d+) frames/.exec(e.textContent ?? '')?.[1])));
  await all.click();
  const grid = page.getByRole('grid', { name: 'Packets of all captures' });
  await expect(grid).toHaveAttribute('aria-rowcount', String(frames[0] + frames[1] + 1));
  await expect(page.getByRole('region', { name: 'Packet list' }).locator('.pane-meta')).toContainText('of 2 captures by time, clock offsets taken out');
  const rows = grid.locator('.mg-row[data-frame]');
  await expect(rows.first()).toBeVisible();
  const shown = await rows.evaluateAll((els) => els.map((e) => ({
    capture: e.getAttribute('data-capture'), n: Number(e.getAttribute('data-frame')), time: Number(e.querySelector('.c-time')?.textContent),
  })));
  expect(new Set(shown.map((r) => r.capture))).toEqual(new Set(['sender.pcapng', 'receiver.pcapng']));
  for (let k = 1; k < shown.length; k++) expect(shown[k].time).toBeGreaterThanOrEqual(shown[k - 1].time);
  // The first packet seen at both points: its receiver copy comes right after its sender copy, within the window.
  const firstPair = shown.findIndex((r, k) => k > 0 && r.capture === 'receiver.pcapng' && shown[k - 1].capture === 'sender.pcapng');
  expect(firstPair).toBeGreaterThan(0);
  expect(shown[firstPair].time - shown[firstPair - 1].time).toBeLessThan(cli.window);

  // A receiver row selected: the details show that capture's frame, the list stays merged.
  const row = rows.nth(firstPair);
  const n = await row.getAttribute('data-frame');
  await row.click();
  await waitLoaded(page, 'receiver.pcapng');
  await expect(page.getByRole('region', { name: 'Packet details' }).locator('.pane-meta')).toHaveText(`Frame ${n}`);
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await expect(all).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('region', { name: 'Path' }).getByRole('table', { name: 'Copies of this packet' }).locator('tbody tr')).toHaveCount(2);
  await savePage(page, testInfo, 'paths-merged.png');

  // Back to one capture's list.
  await tabs(page).getByRole('tab', { name: /sender\.pcapng/ }).click();
  await waitLoaded(page, 'sender.pcapng');
  await expect(grid).toHaveCount(0);
  await expect(page.getByRole('grid', { name: 'Packets' })).toBeVisible();
});

test('a share link with fold=1 opens a pktmon capture with its copies folded, and keeps saying so', async ({ page }) => {
  const sc = pktmonScenario();
  const cli = cliPaths(sc);
  const [{ name, bytes }] = sc.captures;
  await page.goto(`/#fold=1&name=${name}&cap=${deflateRawSync(bytes).toString('base64url')}`);
  await waitLoaded(page, name);
  await expect.poll(async () => parseStatus(await statusBar(page).innerText()).shown).toBe(cli.packets);
  await expect(pane(page).getByRole('checkbox', { name: /Fold copies/ })).toBeChecked();
  await expect.poll(() => new URL(page.url()).hash).toMatch(/(^#|&)fold=1(&|$)/);
  // Unfolding writes the link without it.
  await pane(page).getByRole('checkbox', { name: /Fold copies/ }).uncheck();
  await expect.poll(async () => parseStatus(await statusBar(page).innerText()).shown).toBe(parseStatus(await statusBar(page).innerText()).frames);
  await expect.poll(() => new URL(page.url()).hash).not.toMatch(/fold=1/);
});
