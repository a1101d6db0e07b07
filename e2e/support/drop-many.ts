// Drops several files at once, the way a user drags a selection of files onto the page.
import type { Page } from '@playwright/test';

export async function dropMany(page: Page, files: ReadonlyArray<{ name: string; bytes: Uint8Array }>): Promise<void> {
  const list = files.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64') }));
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const { name, b64 } of list) {
      const bin = atob(b64);
      const data = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
      dt.items.add(new File([data], name, { type: 'application/octet-stream' }));
    }
    const target = document.querySelector('.packet-list') ?? document.body;
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, list);
}
