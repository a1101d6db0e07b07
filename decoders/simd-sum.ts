// Frame buffers in WebAssembly memory, and a SIMD sum of little-endian 16-bit words over them: the
// checksum's word loop, 16 bytes a step, edge bytes included (one call per checksum). A source that reads into these buffers (the CLI's file reader)
// gets it; any other buffer takes the JavaScript loop in checksum.ts. The module is decoders/wasm/sum16.wat
// assembled (wabt), kept here as bytes so nothing is built or fetched at run time.
// Where WebAssembly or its SIMD is missing, frameBuffer() hands out ordinary arrays.

const SUM16_WASM = 'AGFzbQEAAAABBwFgAn9/AX8CCgEBbQNtZW0CAAEDAgEABwcBA3N1bQAACtIBAc8BAgN/AXsgACABaiECIAJBcHEhAwJAA0AgAEEPcUUNASAAIAJPDQEgBCAALQAAIABBAXFBA3R0aiEEIABBAWohAAwACwsCQANAIAAgA08NASAFIAD9AAAA/X/9rgEhBSAAQRBqIQAMAAsLAkADQCAAIAJPDQEgBCAALQAAIABBAXFBA3R0aiEEIABBAWohAAwACwsgBf0M//8AAP//AAD//wAA//8AAP1OIAVBEP2tAf2uASEFIAQgBf0bACAF/RsBaiAF/RsCIAX9GwNqamoL';

/** The memory never grows: growing would detach every buffer already handed out. */
const PAGES = 1024; // 64 MiB of address space; only the pages buffers touch become resident.
const PAGE = 65536;

let memory: WebAssembly.Memory | null = null;
let sum16: ((p: number, n: number) => number) | null = null;
let next = 0;
let tried = false;

function init(): void {
  tried = true;
  try {
    const bytes = Uint8Array.from(atob(SUM16_WASM), (c) => c.charCodeAt(0));
    const mem = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { mem } });
    const fn = inst.exports.sum as (p: number, n: number) => number;
    // A self-check before the hot path trusts it.
    const v = new Uint8Array(mem.buffer, 0, 64);
    for (let i = 0; i < 64; i++) v[i] = (i * 37 + 11) & 255;
    let ref = 0;
    for (let i = 0; i < 64; i += 2) ref += v[i] | (v[i + 1] << 8);
    if (fold16(fn(0, 64)) !== fold16(ref)) return;
    v.fill(0);
    memory = mem;
    sum16 = fn;
  } catch {
    memory = null; // no WebAssembly SIMD here
  }
}

function fold16(x: number): number {
  x = (x & 0xffff) + (x >>> 16);
  return (x & 0xffff) + (x >>> 16);
}

/** Buffers given back (releaseFrameBuffer), reused by the next request of the same size. */
const free: Uint8Array[] = [];

/** A buffer for frame bytes: in WebAssembly memory while there is room, else an ordinary array. */
export function frameBuffer(size: number): Uint8Array {
  if (!tried) init();
  const k = free.findIndex((b) => b.length === size);
  if (k >= 0) return free.splice(k, 1)[0];
  const n = Math.ceil(size / 16) * 16;
  if (memory === null || next + n > PAGES * PAGE) return new Uint8Array(size);
  const b = new Uint8Array(memory.buffer, next, size);
  next += n;
  return b;
}

/** Gives a buffer from frameBuffer() back once nothing reads it any more (ordinary arrays are left to the collector). */
export function releaseFrameBuffer(b: Uint8Array): void {
  if (memory !== null && b.buffer === memory.buffer && !free.includes(b)) free.push(b);
}

/** The ArrayBuffer frameBuffer() carves from, or null. */
export function simdBuffer(): ArrayBufferLike | null {
  return memory === null ? null : memory.buffer;
}

/**
 * Sum of [p, p + n) in the memory with each byte at address a weighted by a's parity (1 or 256: the
 * little-endian 16-bit view), n <= 512 KiB; the result is below 2^22.
 */
export function simdSum(p: number, n: number): number {
  return (sum16 as (p: number, n: number) => number)(p, n);
}
