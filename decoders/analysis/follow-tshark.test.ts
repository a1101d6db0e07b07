// Differential test: Follow TCP/UDP stream against `tshark -q -z follow,<tcp|udp>,<ascii|hex>,N` (tshark 4.0):
// the same chunks, in the same order, with the same text, on real captures with payload in both directions; the
// hex dump with each side's offsets counted from its own first byte and the server's lines indented.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../capture/memory-source.ts';
import { Engine } from './engine.ts';
import { followAsciiReport, followHexReport, followStream } from './follow.ts';

const CAPTURES = fileURLToPath(new URL('../../captures/', import.meta.url));
const TSHARK = '/usr/bin/tshark';

function theirs(file: string, kind: string, n: number, mode: 'ascii' | 'hex' = 'ascii'): string {
  return execFileSync(TSHARK, ['-r', file, '-q', '-z', `follow,${kind},${mode},${n}`], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
}

async function load(rel: string): Promise<{ e: Engine; src: MemorySource; file: string }> {
  const file = join(CAPTURES, rel);
  const src = new MemorySource(new Uint8Array(readFileSync(file)));
  const e = new Engine();
  await e.load(src, rel);
  return { e, src, file };
}

describe('Follow stream vs tshark 4.0', () => {
  it('writes the chunks of every TCP stream as tshark does, as ASCII and as a hex dump', { timeout: 120_000 }, async () => {
    let chunks = 0, bothWays = 0, serverChunks = 0;
    for (const rel of ['PcapPlusPlus/pcappp__one_http_stream_fin.pcap', 'PcapPlusPlus/pcappp__four_ipv6_http_streams.pcap', 'PcapPlusPlus/packetpp__dns_over_tcp.pcapng']) {
      const { e, src, file } = await load(rel);
      for (let s = 0; s < e.streams.count('tcp'); s++) {
        const r = await followStream(e, src, 'tcp', s);
        // Our text is bytes as Latin-1 characters where they are not printable ASCII: tshark's dots likewise.
        expect(followAsciiReport(r), `${rel} tcp.stream ${s}`).toBe(theirs(file, 'tcp', s));
        expect(followHexReport(r), `${rel} tcp.stream ${s} hex`).toBe(theirs(file, 'tcp', s, 'hex'));
        if (r.chunks.filter((c) => c.dir === 1).length > 1) serverChunks++;
        chunks += r.chunks.length;
        if (r.bytes[0] > 0 && r.bytes[1] > 0) bothWays++;
      }
    }
    expect(chunks).toBeGreaterThan(20);
    expect(bothWays).toBeGreaterThan(3);
    // Streams where the server's offsets run on across several chunks (the hex dump's per-side count).
    expect(serverChunks).toBeGreaterThan(3);
  });

  it('writes a UDP stream as tshark does', async () => {
    const { e, src, file } = await load('PcapPlusPlus/packetpp__dns_stack_overflow.pcap');
    expect(e.streams.count('udp')).toBeGreaterThan(0);
    const r = await followStream(e, src, 'udp', 0);
    expect(r.chunks.length).toBeGreaterThan(0);
    expect(followAsciiReport(r)).toBe(theirs(file, 'udp', 0));
    expect(followHexReport(r)).toBe(theirs(file, 'udp', 0, 'hex'));
  });

  it('says which streams exist when asked for another', async () => {
    const { e, src } = await load('PcapPlusPlus/pcappp__one_http_stream_fin.pcap');
    await expect(followStream(e, src, 'tcp', 5)).rejects.toThrow('no TCP stream 5: the capture has 1 (numbered from 0)');
  });
});
