import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1600, height: 960 } });
await page.goto(process.argv[3] ?? 'http://127.0.0.1:4189/');
await page.waitForSelector('.app[data-load-state="ready"]');
await browser.startTracing(page, { path: '/tmp/trace.json', categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink', 'toplevel'] });
await page.getByLabel('Open capture file').setInputFiles(process.argv[2]);
await page.waitForSelector('.app[data-load-state="ready"][data-capture="big300.pcapng"]', { timeout: 120000 });
await browser.stopTracing();
await browser.close();
type Ev = { name: string; ph: string; dur?: number; tid: number; pid: number; args?: { name?: string } };
const evs = (JSON.parse(readFileSync('/tmp/trace.json', 'utf8')) as { traceEvents: Ev[] }).traceEvents;
const threadNames = new Map<string, string>();
for (const e of evs) if (e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
const agg = new Map<string, { n: number; t: number; max: number }>();
for (const e of evs) {
  if (e.ph !== 'X' || !e.dur) continue;
  const th = threadNames.get(`${e.pid}:${e.tid}`) ?? '?';
  if (th !== 'CrRendererMain') continue;
  const a = agg.get(e.name) ?? { n: 0, t: 0, max: 0 };
  a.n++; a.t += e.dur / 1000; a.max = Math.max(a.max, e.dur / 1000);
  agg.set(e.name, a);
}
for (const [k, a] of [...agg.entries()].sort((x, y) => y[1].t - x[1].t).slice(0, 30)) console.log(a.t.toFixed(1).padStart(8), 'ms', String(a.n).padStart(6), 'max', a.max.toFixed(1).padStart(7), k);
