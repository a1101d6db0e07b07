// Page helpers: open files by drop and by picker, wait for a load to finish, save pane screenshots.
import { expect, type Page, type TestInfo } from '@playwright/test';
import { readFileSync, mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ROOT } from './expect-cli.ts';

export const SCREENSHOTS = resolve(ROOT, 'e2e/screenshots');

export const PANES = ['Packet list', 'Packet details', 'Packet bytes', 'Tenants', 'Offload', 'Charts'] as const;

/** Waits until `name` is the open capture and its load has finished. */
export async function waitLoaded(page: Page, name: string): Promise<void> {
  await expect(page.locator('.app')).toHaveAttribute('data-capture', name, { timeout: 60_000 });
  await expect(page.locator('.app')).toHaveAttribute('data-load-state', 'ready', { timeout: 60_000 });
}

/** Drops bytes as a File on the page, the way a user's drag and drop does (DataTransfer + drop event). */
export async function dropBytes(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  const b64 = Buffer.from(bytes).toString('base64');
  await page.evaluate(
    ({ name, b64 }) => {
      const bin = atob(b64);
      const data = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([data], name, { type: 'application/octet-stream' }));
      const target = document.querySelector('.packet-list') ?? document.body;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    },
    { name, b64 },
  );
}

export async function dropFile(page: Page, path: string): Promise<void> {
  await dropBytes(page, basename(path), new Uint8Array(readFileSync(path)));
}

export async function pickFile(page: Page, path: string): Promise<void> {
  await page.getByLabel('Open capture file').setInputFiles(path);
}

export function statusBar(page: Page) {
  return page.getByRole('status').filter({ hasText: /^Frames: / });
}

export async function savePane(page: Page, testInfo: TestInfo, pane: string, file: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = resolve(SCREENSHOTS, file);
  await page.getByRole('region', { name: pane, exact: true }).screenshot({ path });
  await testInfo.attach(file, { path, contentType: 'image/png' });
}

export async function savePage(page: Page, testInfo: TestInfo, file: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = resolve(SCREENSHOTS, file);
  await page.screenshot({ path });
  await testInfo.attach(file, { path, contentType: 'image/png' });
}
