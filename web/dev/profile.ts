import { chromium } from '@playwright/test';
import { writeFileSync } from 'node:fs';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1600, height: 960 } });
await page.goto('' + (process.argv[3] ?? 'http://127.0.0.1:4188/') + '');
await page.waitForSelector('.app[data-load-state="ready"]');
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
await page.getByLabel('Open capture file').setInputFiles(process.argv[2]);
await page.waitForSelector('.app[data-load-state="ready"][data-capture="big300.pcapng"]', { timeout: 120000 });
const { profile } = await cdp.send('Profiler.stop');
type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
const nodes = profile.nodes as Node[];
const byId = new Map(nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
const dt = profile.timeDeltas as number[];
(profile.samples as number[]).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0)));
const agg = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
  agg.set(k, (agg.get(k) ?? 0) + t);
}
const top = [...agg.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
for (const [k, t] of top) console.log((t / 1000).toFixed(1).padStart(8), 'ms', k);
// inclusive by top-level component-ish: parent chain
const parent = new Map<number, number>();
for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map<string, number>();
for (const [id, t] of self) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const fn = byId.get(cur)!.callFrame.functionName;
    if (/^[A-Z][A-Za-z]+$/.test(fn) && !seen.has(fn)) { seen.add(fn); incl.set(fn, (incl.get(fn) ?? 0) + t); }
  }
}
console.log('--- inclusive (Capitalized fns)');
for (const [k, t] of [...incl.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log((t / 1000).toFixed(1).padStart(8), 'ms', k);
writeFileSync('/tmp/profile.cpuprofile', JSON.stringify(profile));
await browser.close();
