// Share links and export (issue 4), in Chromium against the built app:
// - set tenant, sort, frame and pane, Share, open the link in a fresh page: the same view;
// - a link with the capture embedded reopens with no capture file served at all;
// - a src link to a capture on a local test server (127.0.0.1, CORS) opens; a missing one shows the error;
// - a fingerprint link waits for the user's copy and warns about a different file;
// - back/forward move between views, a hand-edited fragment applies, a garbage fragment shows an error;
// - the exported pcapng reopens with the same frame count, and tshark/capinfos read it.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Engine } from '../decoders/analysis/engine.ts';
import { MemorySource } from '../decoders/capture/memory-source.ts';
import { dropBytes, dropFile, savePage, statusBar, waitLoaded, SCREENSHOTS } from './support/app.ts';
import { cliExpect, parseStatus, ROOT, SHARED, statusText } from './support/expect-cli.ts';

const SAMPLE = resolve(ROOT, 'public/samples/demo.pcapng');
const GENEVE = resolve(SHARED, 'tcpdump/geneve.pcap'); // 39 frames, two Geneve tenants: small enough to embed
const GRE = resolve(SHARED, 'PcapPlusPlus/packetpp__GrePackets.pcap');
const ARKIME = resolve(SHARED, 'arkime/arkime_synthetic.pcap');

function list(page: Page) {
  return page.getByRole('grid', { name: 'Packets' });
}

/** Everything a shared link must restore, read from the page. */
async function viewOf(page: Page) {
  const sorted = list(page).locator('[role=columnheader]:not([aria-sort="none"])');
  return {
    capture: await page.locator('.app').getAttribute('data-capture'),
    status: await statusBar(page).textContent(),
    tenantChip: (await page.locator('.packet-list .chip').count()) > 0 ? await page.locator('.packet-list .chip').textContent() : null,
    sort: (await sorted.count()) > 0 ? `${await sorted.textContent()} ${await sorted.getAttribute('aria-sort')}` : null,
    selected: await list(page).locator('[role=row][aria-selected="true"]').getAttribute('data-frame'),
    details: await page.getByRole('region', { name: 'Packet details', exact: true }).getByRole('tree').getAttribute('aria-label'),
    view: await page.evaluate(() => document.documentElement.dataset.view ?? null),
    firstRows: await list(page).locator('[role=row][data-frame]').evaluateAll((rows) => rows.slice(0, 8).map((r) => r.getAttribute('data-frame'))),
  };
}

/** Clicks Share; returns the link and what kind of link it is. */
async function share(page: Page): Promise<{ url: string; kind: string; description: string }> {
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Share' });
  await expect(dialog.getByRole('status')).toHaveText(/Link copied to the clipboard|Copy this link/, { timeout: 60_000 });
  const url = await dialog.getByLabel('Share link').inputValue();
  const text = dialog.locator('[data-share-kind]');
  return { url, kind: (await text.getAttribute('data-share-kind')) ?? '', description: (await text.textContent()) ?? '' };
}

/** Opens a link in a new browser context (no shared storage, no cached files) and returns its page. */
async function fresh(browser: Browser, url: string, opts: { blockCaptures?: boolean } = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 960 } });
  const page = await ctx.newPage();
  const captureRequests: string[] = [];
  page.on('request', (r) => {
    if (/\.(pcap|pcapng|cap|gz)(\?|$)/.test(r.url())) captureRequests.push(r.url());
  });
  if (opts.blockCaptures) await page.route(/\.(pcap|pcapng|cap|gz)(\?|$)/, (route) => route.abort());
  await page.goto(url);
  return { ctx, page, captureRequests };
}

async function setView(page: Page, tenant: string, sortHeader: string, clicks: number): Promise<string> {
  await page.getByRole('region', { name: 'Tenants', exact: true }).locator(`tr[data-tenant="${tenant}"]`).click();
  const header = list(page).getByRole('columnheader', { name: sortHeader });
  for (let i = 0; i < clicks; i++) await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', clicks === 1 ? 'ascending' : 'descending');
  const row = list(page).locator('[role=row][data-frame]').nth(3);
  const n = (await row.getAttribute('data-frame')) ?? '';
  await row.click();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  return n;
}

let server: Server;
let origin = '';
const served: string[] = [];

test.beforeAll(async () => {
  // A capture server on 127.0.0.1 only, another origin than the app: it must send CORS headers.
  server = createServer((req, res) => {
    served.push(req.url ?? '');
    if (req.url === '/caps/demo.pcapng') {
      const body = readFileSync(SAMPLE);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length), 'access-control-allow-origin': '*' });
      res.end(body);
    } else if (req.url === '/caps/no-cors.pcapng') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(readFileSync(GRE));
    } else {
      res.writeHead(404, 'Not Found', { 'access-control-allow-origin': '*' });
      res.end('missing');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

test.describe('share links', () => {
  const cspViolations: string[] = [];
  test.beforeEach(async ({ page }) => {
    cspViolations.length = 0;
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
    });
  });

  test('a link to the sample restores tenant, sort, frame and pane in a fresh page', async ({ page, browser, context }, testInfo) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto('/');
    await waitLoaded(page, 'demo.pcapng');
    const frame = await setView(page, 'nvgre:5002', 'Length', 2);
    await page.getByRole('region', { name: 'Offload', exact: true }).locator('.pane-head').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#view=offload&tenant=nvgre:5002&sort=length:desc&frame=${frame}`);
    const before = await viewOf(page);
    expect(before.view).toBe('offload');
    expect(before.tenantChip).toMatch(/NVGRE 5002/);

    const link = await share(page);
    expect(link.kind).toBe('src'); // the sample came from a URL: the link points there
    expect(link.url).toContain('src=http://127.0.0.1:');
    expect(link.url).toContain('/samples/demo.pcapng');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link.url);
    await page.getByRole('dialog', { name: 'Share' }).screenshot({ path: join(SCREENSHOTS, 'share-panel.png') });
    await savePage(page, testInfo, 'share-open.png');

    const other = await fresh(browser, link.url);
    await waitLoaded(other.page, 'demo.pcapng');
    await expect(list(other.page).locator('[role=row][aria-selected="true"]')).toHaveAttribute('data-frame', frame);
    await expect.poll(() => viewOf(other.page)).toEqual(before);
    expect(cspViolations).toEqual([]);
    await other.ctx.close();
  });

  test('a link to a frame far down the list shows that frame selected and in view at "ready"', async ({ page }) => {
    // The list used to scroll before it knew how many rows it had, which went nowhere.
    const n = Math.floor(cliExpect(SAMPLE).frames * 0.8);
    await page.goto(`/#frame=${n}`);
    await waitLoaded(page, 'demo.pcapng');
    const seen = await page.evaluate(() => {
      const grid = document.querySelector('[role=grid][aria-label="Packets"]');
      const row = grid?.querySelector('[role=row][aria-selected="true"]');
      if (!grid || !row) return null;
      const r = row.getBoundingClientRect();
      const g = grid.getBoundingClientRect();
      return { frame: row.getAttribute('data-frame'), inView: r.top >= g.top && r.bottom <= g.bottom };
    });
    expect(seen).toEqual({ frame: String(n), inView: true });
    await expect(page.getByRole('region', { name: 'Packet details', exact: true }).getByRole('tree')).toHaveAttribute('aria-label', `Layers of frame ${n}`);
  });

  test('a capture opened from a file is embedded in the link and reopens with no file served', async ({ page, browser }) => {
    await page.goto('/');
    await waitLoaded(page, 'demo.pcapng');
    await dropFile(page, GENEVE);
    await waitLoaded(page, 'geneve.pcap');
    const tenant = await page.getByRole('region', { name: 'Tenants', exact: true }).locator('tr[data-tenant]').nth(1).getAttribute('data-tenant');
    const frame = await setView(page, tenant ?? '', 'Source', 1);
    const before = await viewOf(page);
    const link = await share(page);
    expect(link.kind).toBe('embedded');
    expect(link.description).toMatch(/whole capture geneve\.pcap embedded \(39 frames/);
    expect(link.url.length).toBeLessThanOrEqual(8000);
    expect(link.url).toMatch(/&name=geneve\.pcap&cap=[A-Za-z0-9_-]+$/);

    const other = await fresh(browser, link.url, { blockCaptures: true });
    // The capture keeps its name, and the address bar keeps it for the next share.
    await waitLoaded(other.page, 'geneve.pcap');
    await expect(list(other.page).locator('[role=row][aria-selected="true"]')).toHaveAttribute('data-frame', frame);
    const after = await viewOf(other.page);
    expect(after).toEqual(before);
    expect(other.captureRequests).toEqual([]); // not even the sample
    await expect(statusBar(other.page)).toHaveText(statusText({ ...cliExpect(GENEVE), shown: parseStatus(before.status ?? '').shown }));
    expect(new URL(other.page.url()).hash).toMatch(/&name=geneve\.pcap&cap=/);
    await other.ctx.close();

    // A link made before `name` existed still opens, under a generic name.
    const old = await fresh(browser, link.url.replace('&name=geneve.pcap', ''), { blockCaptures: true });
    await waitLoaded(old.page, 'embedded.pcapng');
    await expect(list(old.page).locator('[role=row][aria-selected="true"]')).toHaveAttribute('data-frame', frame);
    await old.ctx.close();
  });

  test('too big to embed whole: the frames shown are embedded, the selected frame renumbered', async ({ page, browser }) => {
    await page.goto('/');
    await waitLoaded(page, 'demo.pcapng');
    await dropFile(page, ARKIME); // 918 frames: ~44k characters compressed, far over the limit
    await waitLoaded(page, 'arkime_synthetic.pcap');
    await page.getByRole('region', { name: 'Tenants', exact: true }).locator('tr[data-tenant="vxlan:12345"]').click();
    await expect(statusBar(page)).toContainText('Shown: 2');
    const second = list(page).locator('[role=row][data-frame]').nth(1);
    await second.click();
    await expect(second).toHaveAttribute('aria-selected', 'true');
    const link = await share(page);
    expect(link.kind).toBe('embedded-shown');
    expect(link.description).toMatch(/only the 2 frames shown of arkime_synthetic\.pcap embedded/);
    expect(link.url).toMatch(/#tenant=vxlan:12345&frame=2&name=arkime_synthetic-shown\.pcapng&cap=/);

    const other = await fresh(browser, link.url, { blockCaptures: true });
    await waitLoaded(other.page, 'arkime_synthetic-shown.pcapng');
    await expect(statusBar(other.page)).toHaveText('Frames: 2 · Shown: 2 · Tenants: 1 · Bad: 0 · Partial: 0');
    await expect(other.page.locator('.packet-list .chip')).toContainText('VXLAN 12345');
    await expect(list(other.page).locator('[role=row][aria-selected="true"]')).toHaveAttribute('data-frame', '2');
    // The same packet: its bytes pane shows the same length as the original's.
    const len = await page.getByRole('region', { name: 'Packet bytes', exact: true }).locator('.pane-meta').textContent();
    await expect(other.page.getByRole('region', { name: 'Packet bytes', exact: true }).locator('.pane-meta')).toHaveText((len ?? '').replace(/Frame \d+/, 'Frame 2'));
    expect(other.captureRequests).toEqual([]);
    await other.ctx.close();
  });

  test('a src link to a local server opens the capture; a missing file shows the error', async ({ browser }) => {
    const ok = await fresh(browser, `/#src=${origin}/caps/demo.pcapng&tenant=vxlan:300&view=tenants`);
    await waitLoaded(ok.page, 'demo.pcapng');
    await expect(statusBar(ok.page)).toHaveText(statusText({ ...cliExpect(SAMPLE), shown: 282 }));
    await expect(ok.page.locator('.packet-list .chip')).toContainText('VXLAN 300');
    expect(served).toContain('/caps/demo.pcapng');
    expect(ok.captureRequests.filter((u) => u.includes('/samples/'))).toEqual([]);
    await ok.ctx.close();

    const missing = await fresh(browser, `/#src=${origin}/caps/nope.pcapng`);
    const alert = missing.page.getByRole('alert');
    await expect(alert).toContainText(`Cannot fetch ${origin}/caps/nope.pcapng: the server answered HTTP 404 Not Found`);
    await expect(missing.page.getByRole('toolbar', { name: 'Capture' })).toBeVisible();
    await missing.ctx.close();

    const noCors = await fresh(browser, `/#src=${origin}/caps/no-cors.pcapng`);
    await expect(noCors.page.getByRole('alert')).toContainText('CORS');
    await noCors.ctx.close();

    const scheme = await fresh(browser, '/#src=javascript:alert(1)');
    await expect(scheme.page.getByRole('alert')).toContainText('src must be an http or https URL, not javascript:');
    await scheme.ctx.close();
  });

  test('a fingerprint link waits for the file, accepts the same one and warns about another', async ({ page, browser }) => {
    await page.goto('/');
    await waitLoaded(page, 'demo.pcapng');
    await dropFile(page, SAMPLE);
    await waitLoaded(page, 'demo.pcapng');
    await page.getByRole('region', { name: 'Tenants', exact: true }).locator('tr[data-tenant="nvgre:5001"]').click();
    await list(page).getByRole('columnheader', { name: 'No.' }).getByRole('button').click();
    await list(page).getByRole('columnheader', { name: 'No.' }).getByRole('button').click();
    // The demo's payloads do not compress: the whole capture, the tenant's and the flagged frames all
    // exceed the limit, so the link is a fingerprint.
    const link = await share(page);
    expect(link.kind).toBe('fingerprint');
    const sha = execFileSync('sha256sum', [SAMPLE], { encoding: 'utf8' }).split(' ')[0];
    const fp = `#sha256=${sha}&name=demo.pcapng&size=${readFileSync(SAMPLE).length}&tenant=nvgre:5001&sort=no:desc`;
    expect(link.url.slice(link.url.indexOf('#'))).toBe(fp);
    expect(link.description).toMatch(/the recipient opens their own copy of the file/);

    const other = await fresh(browser, `/${fp}`, { blockCaptures: true });
    await expect(other.page.getByRole('status').filter({ hasText: 'This link is for the capture demo.pcapng' })).toBeVisible();
    await expect(other.page.locator('.app')).toHaveAttribute('data-load-state', 'idle');
    await dropFile(other.page, SAMPLE);
    await waitLoaded(other.page, 'demo.pcapng');
    await expect(other.page.getByText('demo.pcapng is the file the link refers to (SHA-256 matches)')).toBeVisible();
    await expect(other.page.locator('.packet-list .chip')).toContainText('NVGRE 5001');
    await expect(list(other.page).getByRole('columnheader', { name: 'No.' })).toHaveAttribute('aria-sort', 'descending');
    await expect.poll(() => other.page.evaluate(() => location.hash)).toBe(fp);
    await other.ctx.close();

    const wrong = await fresh(browser, `/${fp}`, { blockCaptures: true });
    await expect(wrong.page.getByRole('status').filter({ hasText: 'This link is for the capture' })).toBeVisible();
    await dropFile(wrong.page, GRE);
    await waitLoaded(wrong.page, 'packetpp__GrePackets.pcap');
    await expect(wrong.page.getByRole('alert').filter({ hasText: 'is not the file the link refers to' })).toBeVisible();
    await wrong.ctx.close();
  });

  test('back and forward move between views; a hand-edited fragment applies', async ({ page }) => {
    await page.goto('/');
    await waitLoaded(page, 'demo.pcapng');
    const tenants = page.getByRole('region', { name: 'Tenants', exact: true });
    await tenants.locator('tr[data-tenant="nvgre:5001"]').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#view=tenants&tenant=nvgre:5001');
    await list(page).getByRole('columnheader', { name: 'Length' }).getByRole('button').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#tenant=nvgre:5001&sort=length:asc');
    await page.goBack();
    await expect(list(page).getByRole('columnheader', { name: 'Length' })).toHaveAttribute('aria-sort', 'none');
    await expect(page.locator('.packet-list .chip')).toContainText('NVGRE 5001');
    await page.goBack();
    await expect(page.locator('.packet-list .chip')).toHaveCount(0);
    await expect(statusBar(page)).toContainText('Shown: 2347');
    await page.goForward();
    await page.goForward();
    await expect(list(page).getByRole('columnheader', { name: 'Length' })).toHaveAttribute('aria-sort', 'ascending');
    await expect(page.locator('.packet-list .chip')).toContainText('NVGRE 5001');

    // By hand: another tenant, a frame, the charts pane; non-canonical numbers are normalised in place.
    await page.evaluate(() => { location.hash = '#view=charts&tenant=vxlan:0300&frame=0088'; });
    await expect(page.locator('.packet-list .chip')).toContainText('VXLAN 300');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#view=charts&tenant=vxlan:300&frame=88');
    await expect(page.getByRole('region', { name: 'Packet details', exact: true }).getByRole('tree')).toHaveAccessibleName('Layers of frame 88');
    expect(await page.evaluate(() => document.documentElement.dataset.view)).toBe('charts');
    // A bad edit says what is wrong and leaves the view alone.
    await page.evaluate(() => { location.hash = '#tenant=vxlan:300&frame=zero'; });
    await expect(page.getByRole('alert')).toContainText('Invalid link: frame "zero" is not a frame number');
    await expect(page.locator('.packet-list .chip')).toContainText('VXLAN 300');
  });

  test('a fragment full of garbage shows an error, not a blank page', async ({ browser }) => {
    for (const frag of ['#%%%&&==&cap=***&src=file:///etc/passwd&<img src=x onerror=alert(1)>', '#cap=AAAAAAAAAAAA', `#cap=${'A'.repeat(100)}B`]) {
      const { ctx, page } = await fresh(browser, `/${frag}`);
      let dialogs = 0;
      page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
      await expect(page.getByRole('alert')).toContainText(/Invalid link|Cannot open the capture embedded in the link/);
      await expect(page.getByRole('toolbar', { name: 'Capture' })).toBeVisible();
      await expect(list(page)).toBeVisible();
      expect(await page.locator('img').count()).toBe(0);
      expect(dialogs).toBe(0);
      await ctx.close();
    }
  });
});

test.describe('export', () => {
  test('the frames shown export as pcapng that reopens with the same frames and tshark reads', async ({ page }) => {
    await page.goto('/');
    await waitLoaded(page, 'demo.pcapng');
    await page.getByRole('region', { name: 'Tenants', exact: true }).locator('tr[data-tenant="nvgre:6001"]').click();
    await expect(statusBar(page)).toContainText('Shown: 334');
    const dir = mkdtempSync(join(tmpdir(), 'ts-e2e-export-'));

    await page.getByRole('button', { name: 'Export ▾' }).click();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Frames shown (pcapng)' }).click()]);
    expect(dl.suggestedFilename()).toBe('demo-shown.pcapng');
    const out = join(dir, dl.suggestedFilename());
    await dl.saveAs(out);
    const e = new Engine();
    await e.load(new MemorySource(new Uint8Array(readFileSync(out))), out);
    expect(e.frames).toBe(334);
    expect(e.tenantStats().map((t) => t.key)).toEqual(['nvgre:6001']);
    const capinfos = execFileSync('capinfos', ['-M', '-c', '-T', '-r', out], { encoding: 'utf8' }).trim().split('\t');
    expect(capinfos[1]).toBe('334');
    const tshark = execFileSync('tshark', ['-n', '-r', out, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(tshark.trim().split('\n')).toHaveLength(334);
    // The exported file opens in the app too.
    await dropBytes(page, 'demo-shown.pcapng', new Uint8Array(readFileSync(out)));
    await waitLoaded(page, 'demo-shown.pcapng');
    await expect(statusBar(page)).toContainText('Frames: 334 · Shown: 334 · Tenants: 1');

    await page.getByRole('button', { name: 'Export ▾' }).click();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Tenants (CSV)' }).click()]);
    expect(csv.suggestedFilename()).toBe('demo-shown-tenants.csv');
    const csvPath = join(dir, 'tenants.csv');
    await csv.saveAs(csvPath);
    const lines = readFileSync(csvPath, 'utf8').split('\r\n');
    expect(lines[0]).toBe('key,encap,vnid,frames,bytes,flows,bad,partial,firstTime,lastTime');
    expect(lines[1]).toMatch(/^nvgre:6001,nvgre,6001,334,/);

    await page.getByRole('button', { name: 'Export ▾' }).click();
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Flows (JSON)' }).click()]);
    const jsonPath = join(dir, 'flows.json');
    await json.saveAs(jsonPath);
    const flows = JSON.parse(readFileSync(jsonPath, 'utf8')) as Array<{ tenant: string; frames: number }>;
    expect(flows.reduce((n, f) => n + f.frames, 0)).toBeLessThanOrEqual(334);
    expect(flows.every((f) => f.tenant === 'nvgre:6001')).toBe(true);
  });

  test('the page keeps a CSP without inline or remote script', async ({ page }) => {
    await page.goto('/');
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toBeTruthy();
    const directives = new Map((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'", 'blob:', 'https:', 'http:']);
    // An inline script is refused.
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.appendChild(s);
      return (window as unknown as { __inline?: number }).__inline ?? 0;
    });
    expect(ran).toBe(0);
  });
});
