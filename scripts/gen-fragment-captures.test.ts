import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fragmentCaptures } from './gen-fragment-captures.ts';
import { fragmentRanges } from './lib/fragment.ts';
import { buildFrame, eth, ipv4, ipv6, payload, udp } from './lib/packet-builder.ts';

const root = resolve(import.meta.dirname, '..');

describe('gen-fragment-captures', () => {
  it('builds the same bytes every time, each frame labelled with its case', () => {
    const a = fragmentCaptures(), b = fragmentCaptures();
    expect(a.map((c) => c.name)).toEqual(['underlay-ipv4.pcap', 'underlay-ipv6.pcap', 'tenant.pcap', 'nested.pcap', 'overlap.pcap', 'missing.pcap', 'edge.pcap']);
    for (let k = 0; k < a.length; k++) {
      expect(Buffer.from(a[k].bytes).equals(Buffer.from(b[k].bytes)), a[k].name).toBe(true);
      // pcap records: 24-byte header, then 16 bytes + caplen per frame.
      const dv = new DataView(a[k].bytes.buffer, a[k].bytes.byteOffset);
      let frames = 0;
      for (let o = 24; o < a[k].bytes.length; o += 16 + dv.getUint32(o + 8, true)) frames++;
      expect(frames, a[k].name).toBe(a[k].cases.length);
    }
  });

  it('writes them from the command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gen-fragments-'));
    try {
      execFileSync('npx', ['tsx', join(root, 'scripts/gen-fragment-captures.ts'), '--out-dir', dir], { cwd: root, stdio: 'pipe' });
      const caps = fragmentCaptures();
      expect(readdirSync(dir).sort()).toEqual(caps.map((c) => c.name).sort());
      for (const c of caps) expect(Buffer.from(readFileSync(join(dir, c.name))).equals(Buffer.from(c.bytes))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fragmentRanges', () => {
  const frame = (v6: boolean): Uint8Array => buildFrame([
    eth({ src: '00:00:00:00:00:01', dst: '00:00:00:00:00:02' }),
    v6 ? ipv6({ src: 'fd00::1', dst: 'fd00::2' }) : ipv4({ src: '10.0.0.1', dst: '10.0.0.2', id: 42 }),
    udp({ sport: 1, dport: 2 }), payload(92),
  ]).data;

  it('cuts the ranges given, overlapping or not, with the more flag from where each ends unless told', () => {
    const v4 = fragmentRanges(frame(false), 14, [{ offset: 0, len: 64 }, { offset: 56, len: 44 }, { offset: 8, len: 8, more: false }]);
    const hdr = (f: Uint8Array) => ({ len: (f[16] << 8) | f[17], id: (f[18] << 8) | f[19], flags: ((f[20] << 8) | f[21]) >> 13, off: (((f[20] << 8) | f[21]) & 0x1fff) * 8 });
    expect(v4.map(hdr)).toEqual([
      { len: 84, id: 42, flags: 1, off: 0 }, { len: 64, id: 42, flags: 0, off: 56 }, { len: 28, id: 42, flags: 0, off: 8 },
    ]);
    expect([...v4[1].subarray(34, 42)]).toEqual([...frame(false).subarray(34 + 56, 42 + 56)]);
    const v6 = fragmentRanges(frame(true), 14, [{ offset: 96, len: 4 }, { offset: 0, len: 96 }], 0x1234);
    const fh = (f: Uint8Array) => ({ plen: (f[18] << 8) | f[19], next: f[54], off: ((f[56] << 8) | f[57]) & 0xfff8, more: f[57] & 1 });
    expect(v6.map(fh)).toEqual([{ plen: 12, next: 17, off: 96, more: 0 }, { plen: 104, next: 17, off: 0, more: 1 }]);
  });

  it('refuses a range outside the payload or not at a multiple of 8', () => {
    expect(() => fragmentRanges(frame(false), 14, [{ offset: 4, len: 8 }])).toThrow(/multiple of 8/);
    expect(() => fragmentRanges(frame(false), 14, [{ offset: 96, len: 8 }])).toThrow(/not inside the 100-byte payload/);
  });
});
