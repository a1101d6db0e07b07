// DEV ONLY (deleted before finishing): screenshot the running preview.
import { chromium } from '@playwright/test';

const url = process.argv[2] ?? 'http://127.0.0.1:4188/';
const out = process.argv[3] ?? '/tmp/shot.png';
const actions = process.argv.slice(4);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1600, height: 960 } });
page.on('console', (m) => console.log('console', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto(url);
await page.waitForSelector('.app[data-load-state="ready"]', { timeout: 30000 }).catch(() => console.log('not ready'));
for (const a of actions) {
  const i = a.indexOf('='); const kind = a.slice(0, i); const arg = a.slice(i + 1);
  if (kind === 'click') await page.locator(arg).first().click();
  if (kind === 'key') await page.keyboard.press(arg);
  if (kind === 'eval') console.log(await page.evaluate(arg));
  if (kind === 'wait') await page.waitForTimeout(Number(arg));
}
await page.waitForTimeout(600);
await page.screenshot({ path: out });
console.log(await page.locator('.statusbar').textContent());
await browser.close();
