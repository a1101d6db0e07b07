// The web app on a large capture in Chromium: time to the first row, time to the full analysis, detail
// latency when selecting frames, and main-thread stalls while loading and scrolling. Figures only.
//
//   npx tsx bench/browser.ts [--size-mb 1024] [--file PATH] [--port 4190] [--no-build]   (npm run bench:browser)
//
// Memory: Chromium runs the page and its workers (analyzer, decode workers) in one renderer process;
// its peak resident set (VmHWM, Linux) is the figure that bounds a large capture. The page's own JS
// heap (CDP Performance.getMetrics) is sampled too.
//
// Builds the app (vite build), serves it with vite preview, generates the capture with
// scripts/gen-bench.ts (bench/data/nvgre-<size>m.pcapng, reused when present) unless --file is given,
// and drives Debian's Chromium (CHROMIUM_PATH overrides /usr/bin/chromium).
import { chromium, type Page } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const sizeMb = Number(opt('--size-mb') ?? 1024);
const port = Number(opt('--port') ?? 4190);
const file = resolve(opt('--file') ?? resolve(root, `bench/data/nvgre-${sizeMb}m.pcapng`));
const name = basename(file);
const node = process.execPath;
const vite = resolve(root, 'node_modules/vite/bin/vite.js');

if (!opt('--file') && !existsSync(file)) {
  execFileSync(node, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), resolve(root, 'scripts/gen-bench.ts'), '--size-mb', String(sizeMb), '--out', file, '--quiet'], { cwd: root, stdio: 'inherit' });
}
if (!argv.includes('--no-build')) execFileSync(node, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });

const server = spawn(node, [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((ok, fail) => {
  server.stdout.on('data', (d: Buffer) => {
    if (d.toString().includes(`${port}`)) ok();
  });
  server.on('exit', (c) => fail(new Error(`vite preview exited (${c})`)));
});

interface Marks {
  picked: number;
  firstRow: number;
  ready: number;
  maxGap: number;
  longTasks: number[];
}

async function installMarks(page: Page): Promise<void> {
  await page.evaluate((name) => {
    const m: Marks = { picked: 0, firstRow: 0, ready: 0, maxGap: 0, longTasks: [] };
    (window as unknown as { __marks: Marks }).__marks = m;
    document.querySelector('input[type=file]')?.addEventListener('change', () => {
      m.picked = performance.now();
    }, { capture: true });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) if (m.picked && !m.ready) m.longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask' });
    const app = document.querySelector<HTMLElement>('.app');
    const check = (): void => {
      if (!app || !m.picked) return;
      const now = performance.now();
      if (!m.firstRow && app.dataset.capture === name && document.querySelector('[role=grid] [role=row][data-frame]')) m.firstRow = now;
      if (!m.ready && app.dataset.capture === name && app.dataset.loadState === 'ready') m.ready = now;
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-load-state', 'data-capture'] });
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      if (m.picked && !m.ready) m.maxGap = Math.max(m.maxGap, now - last);
      last = now;
    }, 5);
  }, name);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 960 } });
  // tsx keeps function names with a `__name` helper that page.evaluate bodies would miss.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  // The analyzer worker's heap (JS objects + array buffers, which hold the frame index), through CDP.
  const wcdp = await page.context().newCDPSession(page);
  const workerSessions = new Set<string>();
  const replies = new Map<number, (v: { usedSize: number; backingStorageSize?: number } | null) => void>();
  let msgId = 1;
  wcdp.on('Target.attachedToTarget', (ev: { sessionId: string; targetInfo: { type: string } }) => {
    if (ev.targetInfo.type === 'worker') workerSessions.add(ev.sessionId);
  });
  wcdp.on('Target.detachedFromTarget', (ev: { sessionId: string }) => { workerSessions.delete(ev.sessionId); });
  wcdp.on('Target.receivedMessageFromTarget', (ev: { message: string }) => {
    const m = JSON.parse(ev.message) as { id: number; result?: { usedSize: number; backingStorageSize?: number } };
    replies.get(m.id)?.(m.result ?? null);
    replies.delete(m.id);
  });
  await wcdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const workerHeap = (sessionId: string): Promise<number> => new Promise((ok) => {
    const id = msgId++;
    replies.set(id, (r) => ok(r === null ? 0 : r.usedSize + (r.backingStorageSize ?? 0)));
    wcdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) }).catch(() => ok(0));
    setTimeout(() => ok(0), 2000);
  });
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForSelector('.app[data-load-state="ready"][data-capture="demo.pcapng"]');
  await installMarks(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  let pageHeapPeak = 0;
  let workerHeapPeak = 0;
  const sampler = setInterval(() => {
    cdp.send('Performance.getMetrics').then((r) => {
      for (const m of r.metrics) if (m.name === 'JSHeapUsedSize') pageHeapPeak = Math.max(pageHeapPeak, m.value);
    }, () => undefined);
    for (const s of workerSessions) void workerHeap(s).then((v) => { workerHeapPeak = Math.max(workerHeapPeak, v); });
  }, 50);
  const bcdp = await browser.newBrowserCDPSession();
  const rendererPids = async (): Promise<number[]> => {
    const info = await bcdp.send('SystemInfo.getProcessInfo') as { processInfo: Array<{ type: string; id: number }> };
    return info.processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  };
  const vm = (pid: number, key: string): number => {
    try {
      const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : 0;
    } catch {
      return 0;
    }
  };
  const rssBefore = Math.max(0, ...(await rendererPids()).map((p) => vm(p, 'VmRSS')));
  await page.getByLabel('Open capture file').setInputFiles(file);
  await page.waitForSelector(`.app[data-load-state="ready"][data-capture="${name}"]`, { timeout: 600_000 });
  clearInterval(sampler);
  const hwm = Math.max(0, ...(await rendererPids()).map((p) => vm(p, 'VmHWM')));
  const m = await page.evaluate(() => (window as unknown as { __marks: Marks }).__marks);
  const status = (await page.locator('[role=status]').filter({ hasText: /^Frames:/ }).textContent()) ?? '';

  // Detail latency: select frames spread over the capture and time until their tree shows.
  const grid = page.getByRole('grid', { name: 'Packets' });
  await grid.locator('[role=row][data-frame="1"]').click();
  await page.evaluate(() => {
    window.addEventListener('keydown', () => {
      (window as unknown as { __kd: number }).__kd = performance.now();
    }, { capture: true });
  });
  const detailMs: number[] = [];
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press(i % 3 === 2 ? 'PageDown' : 'ArrowDown');
    const t = await page.evaluate(async () => {
      const t0 = (window as unknown as { __kd: number }).__kd;
      const sel = (): string | null | undefined => document.querySelector('[role=grid] [aria-selected="true"]')?.getAttribute('data-frame');
      for (;;) {
        const n = sel();
        const tree = document.querySelector('[role=tree]')?.getAttribute('aria-label');
        if (n && tree === `Layers of frame ${n}`) return performance.now() - t0;
        await new Promise((r) => setTimeout(r, 1));
      }
    });
    detailMs.push(t);
  }
  // Scrolling: jump through the list with End/Home and big wheel moves; measure main-thread stalls.
  const scroll = await page.evaluate(async () => {
    const el = document.querySelector<HTMLElement>('[role=grid]');
    if (!el) return { maxFrameMs: -1, frames: 0 };
    let maxFrame = 0;
    let frames = 0;
    let last = performance.now();
    const step = el.scrollHeight / 120;
    for (let i = 0; i < 120; i++) {
      el.scrollTop = i * step;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      maxFrame = Math.max(maxFrame, now - last);
      last = now;
      frames++;
    }
    return { maxFrameMs: Math.round(maxFrame), frames };
  });

  const mb = statSync(file).size / 1048576;
  const sorted = [...detailMs].sort((a, b) => a - b);
  const secs = (ms: number): string => (ms / 1000).toFixed(2);
  console.log(`capture        ${name} (${mb.toFixed(0)} MiB); load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`status         ${status}`);
  console.log(`first row      ${secs(m.firstRow - m.picked)} s after the file was chosen`);
  console.log(`full analysis  ${secs(m.ready - m.picked)} s  (${(mb / ((m.ready - m.picked) / 1000)).toFixed(0)} MiB/s)`);
  console.log(`memory         renderer peak RSS ${hwm.toFixed(0)} MiB (page + all workers; ${rssBefore.toFixed(0)} MiB before the load), page JS heap peak ${(pageHeapPeak / 1048576).toFixed(0)} MiB, analyzer worker heap peak ${(workerHeapPeak / 1048576).toFixed(0)} MiB (JS + array buffers: the frame index is there)`);
  console.log(`main thread    longest stall while loading ${m.maxGap.toFixed(0)} ms; long tasks ${JSON.stringify(m.longTasks)}`);
  console.log(`detail         median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms over ${sorted.length} selections`);
  console.log(`scrolling      ${scroll.frames} jumps across the list, slowest frame ${scroll.maxFrameMs} ms`);
} finally {
  await browser.close();
  server.kill();
}
