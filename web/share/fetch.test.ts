// fetchCapture against a real HTTP server on 127.0.0.1 (Node's fetch) and a fake fetch for the
// failures a browser reports as a bare TypeError (network, CORS, mixed content).
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCapture, formatBytes, nameFromUrl } from './fetch.ts';
import type { FetchProgress } from './fetch.ts';

const body = new Uint8Array(300_000).map((_, i) => (i * 11) & 0xff);
let server: Server;
let base = '';
const seen: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(req);
    const path = req.url ?? '';
    if (path === '/caps/demo%20one.pcapng') {
      res.writeHead(200, { 'content-length': String(body.length), 'content-type': 'application/octet-stream' });
      res.end(body);
    } else if (path === '/big-declared') {
      res.writeHead(200, { 'content-length': String(10_000_000) });
      res.write(body.subarray(0, 1000));
      // never finishes: the client must give up on the header alone
    } else if (path === '/big-chunked') {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      let sent = 0;
      const more = (): void => {
        if (sent > 5_000_000 || res.destroyed) { res.end(); return; }
        sent += 100_000;
        res.write(new Uint8Array(100_000), more);
      };
      more();
    } else if (path === '/cut') {
      res.writeHead(200, { 'content-length': String(body.length) });
      res.write(body.subarray(0, 50_000), () => res.destroy());
    } else if (path === '/empty') {
      res.writeHead(200, { 'content-length': '0' });
      res.end();
    } else if (path === '/secret') {
      res.writeHead(403, 'Forbidden');
      res.end('no');
    } else {
      res.writeHead(404, 'Not Found');
      res.end('missing');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('fetchCapture', () => {
  it('downloads with progress, without credentials or referrer, and names the file from the URL', async () => {
    const progress: FetchProgress[] = [];
    const r = await fetchCapture(`${base}/caps/demo%20one.pcapng`, { onProgress: (p) => progress.push(p) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(new Uint8Array(await r.value.blob.arrayBuffer())).toEqual(body);
    expect(r.value.name).toBe('demo one.pcapng');
    expect(progress[0]).toEqual({ loaded: 0, total: body.length });
    expect(progress[progress.length - 1]).toEqual({ loaded: body.length, total: body.length });
    const req = seen[seen.length - 1];
    expect(req.headers.cookie).toBeUndefined();
    expect(req.headers.authorization).toBeUndefined();
    expect(req.headers.referer).toBeUndefined();
  });

  it('passes credentials: omit, CORS mode and no referrer to fetch', async () => {
    let init: RequestInit | undefined;
    const fake: typeof fetch = async (_url, i) => {
      init = i;
      return new Response(new Uint8Array([1, 2, 3]));
    };
    const r = await fetchCapture('https://example.org/x.pcap', { fetchImpl: fake });
    expect(r.ok).toBe(true);
    expect(init).toMatchObject({ credentials: 'omit', mode: 'cors', referrerPolicy: 'no-referrer', method: 'GET' });
  });

  it('reports HTTP errors with the status', async () => {
    const r = await fetchCapture(`${base}/missing.pcapng`);
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/HTTP 404 Not Found \(no file at that address\)/) });
    const f = await fetchCapture(`${base}/secret`);
    expect(f).toEqual({ ok: false, error: expect.stringMatching(/HTTP 403 Forbidden.*without cookies/) });
  });

  it('refuses a declared size over the limit before downloading, and stops an undeclared one at the limit', async () => {
    const declared = await fetchCapture(`${base}/big-declared`, { maxBytes: 1_000_000 });
    expect(declared).toEqual({ ok: false, error: expect.stringMatching(/it is 9\.5 MiB, more than the 977 KiB a link may fetch/) });
    const chunked = await fetchCapture(`${base}/big-chunked`, { maxBytes: 1_000_000 });
    expect(chunked).toEqual({ ok: false, error: expect.stringMatching(/larger than the 977 KiB a link may fetch; the download was stopped/) });
  });

  it('reports a download that breaks off, and an empty file', async () => {
    expect(await fetchCapture(`${base}/cut`)).toEqual({ ok: false, error: expect.stringMatching(/broke off after/) });
    expect(await fetchCapture(`${base}/empty`)).toEqual({ ok: false, error: expect.stringMatching(/the file is empty/) });
  });

  it('explains network and CORS failures, and mixed content from an https page', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const r = await fetchCapture(`http://127.0.0.1:${port}/x.pcap`);
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/could not be reached, or it does not allow this page to read the file \(CORS/) });
    const typeError: typeof fetch = async () => { throw new TypeError('Failed to fetch'); };
    const mixed = await fetchCapture('http://example.org/x.pcap', { fetchImpl: typeError, pageProtocol: 'https:' });
    expect(mixed).toEqual({ ok: false, error: expect.stringMatching(/mixed content/) });
    const cors = await fetchCapture('https://example.org/x.pcap', { fetchImpl: typeError, pageProtocol: 'https:' });
    expect(cors).toEqual({ ok: false, error: expect.stringMatching(/CORS/) });
  });

  it('refuses other schemes without fetching', async () => {
    const never: typeof fetch = async () => { throw new Error('must not be called'); };
    for (const u of ['javascript:alert(1)', 'file:///etc/passwd', 'data:,x', 'ftp://h/x']) {
      expect(await fetchCapture(u, { fetchImpl: never })).toEqual({ ok: false, error: expect.stringMatching(/src must be an http or https URL/) });
    }
  });

  it('can be cancelled', async () => {
    const ac = new AbortController();
    const p = fetchCapture(`${base}/big-declared`, { signal: ac.signal, onProgress: () => ac.abort() });
    expect(await p).toEqual({ ok: false, error: expect.stringMatching(/cancelled/) });
  });
});

describe('helpers', () => {
  it('names files from URLs', () => {
    expect(nameFromUrl('https://h/a/b/c.pcapng?x=1')).toBe('c.pcapng');
    expect(nameFromUrl('https://h/')).toBe('capture');
    expect(nameFromUrl('https://h/%E0%A4')).toBe('capture');
    expect(nameFromUrl('https://h/a%0Ab.pcap')).toBe('ab.pcap');
  });

  it('formats sizes', () => {
    expect(formatBytes(12)).toBe('12 bytes');
    expect(formatBytes(2048)).toBe('2 KiB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2 GiB');
  });
});
