// Embedded captures: pcapng bytes <-> deflate-raw <-> base64url text, with the platform's
// CompressionStream/DecompressionStream (Chromium, Node 20). Decompression is bounded: reading stops
// as soon as the output passes the limit.
import { concatBytes } from '../../decoders/bytes.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { MAX_EMBEDDED_BYTES } from './limits.ts';
import type { Result } from './result.ts';

async function collect(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | 'too large'> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    total += r.value.length;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return 'too large';
    }
    chunks.push(r.value);
  }
  return concatBytes(chunks);
}

function streamOf(bytes: Uint8Array): ReadableStream<BufferSource> {
  return new ReadableStream<BufferSource>({
    start(ctrl) {
      ctrl.enqueue(new Uint8Array(bytes)); // a copy backed by a plain ArrayBuffer
      ctrl.close();
    },
  });
}

export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const out = await collect(streamOf(bytes).pipeThrough(new CompressionStream('deflate-raw')), Number.MAX_SAFE_INTEGER);
  if (out === 'too large') throw new Error('unreachable');
  return out;
}

/** Inflates deflate-raw data; stops reading (and fails) once the output exceeds `limit` bytes. */
export async function inflateRaw(bytes: Uint8Array, limit: number): Promise<Result<Uint8Array>> {
  try {
    const out = await collect(streamOf(bytes).pipeThrough(new DecompressionStream('deflate-raw')), limit);
    if (out === 'too large') {
      return { ok: false, error: `the embedded capture is larger than ${formatLimit(limit)} once decompressed; it was not opened` };
    }
    return { ok: true, value: out };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `the embedded capture is damaged or cut short (was the link truncated?): ${why}` };
  }
}

/** pcapng bytes -> the text of a `cap=` value. */
export async function encodeCapture(pcapng: Uint8Array): Promise<string> {
  return encodeBase64url(await deflateRaw(pcapng));
}

/** The text of a `cap=` value -> capture bytes, at most `limit` of them. */
export async function decodeCapture(text: string, limit = MAX_EMBEDDED_BYTES): Promise<Result<Uint8Array>> {
  const raw = decodeBase64url(text);
  if (raw === null) return { ok: false, error: 'the embedded capture (cap=) is not valid base64url text' };
  if (raw.length === 0) return { ok: false, error: 'the embedded capture (cap=) is empty' };
  return inflateRaw(raw, limit);
}

function formatLimit(n: number): string {
  return n >= 1024 * 1024 && n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}
