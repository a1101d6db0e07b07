// Section headers, interface options and Interface Statistics Blocks: what Capture File Properties shows.
// Generated files state every byte; the real captures with ISBs are compared with capinfos.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { block, collectAll, concat, epb, idb, isb, payload, shb, utf8, Writer } from './test-bytes.ts';

const u64 = (le: boolean, v: bigint): Uint8Array => new Writer(le).u64(v).done();

function richCapture(le: boolean): Uint8Array {
  const ifOpts = [
    { code: 2, value: utf8('eth0') },
    { code: 9, value: Uint8Array.of(9) }, // nanoseconds
    { code: 8, value: u64(le, 25_000_000_000n) },
    { code: 11, value: concat(Uint8Array.of(0), utf8('udp port 4789')) },
    { code: 12, value: utf8('Linux 6.1.0') },
    { code: 13, value: Uint8Array.of(4) },
    { code: 15, value: utf8('Mellanox ConnectX-6') },
    { code: 1, value: utf8('uplink') },
  ];
  return concat(
    shb(le, [
      { code: 1, value: utf8('first comment') },
      { code: 2, value: utf8('x86_64 box') },
      { code: 3, value: utf8('Debian 12') },
      { code: 4, value: utf8('tunnelscope test') },
      { code: 1, value: utf8('second comment') },
    ]),
    block(le, 1, (w) => w.u16(1).u16(0).u32(262144), ifOpts),
    idb(le, { name: 'lo', linktype: 1 }),
    epb(le, { ts: 1_700_000_000_000_000_000n, data: payload(60) }),
    isb(le, { ifId: 1, ts: 1_700_000_000_500_000_000n, ifrecv: 7n }),
    epb(le, { ts: 1_700_000_001_000_000_000n, data: payload(70) }),
    isb(le, {
      ifId: 0, ts: 1_700_000_002_000_000_000n, start: 1_699_999_999_000_000_000n, end: 1_700_000_002_000_000_001n,
      ifrecv: 1234n, ifdrop: 5n, filteraccept: 1200n, osdrop: 3n, usrdeliv: 2n ** 40n + 1n, comments: ['final'],
    }),
  );
}

describe('pcapng section, interface and statistics blocks', () => {
  for (const le of [true, false]) {
    it(`reads shb_* options, if_os/filter/speed/hardware/fcslen and every isb_* counter (${le ? 'little' : 'big'}-endian)`, async () => {
      const { result, frames } = await collectAll(richCapture(le));
      expect(result.error).toBeNull();
      expect(result.warnings).toEqual([]);
      expect(frames).toHaveLength(2);
      expect(result.sections).toEqual([{
        offset: 0, byteOrder: le ? 'little-endian' : 'big-endian', version: '1.0', hardware: 'x86_64 box', os: 'Debian 12',
        userappl: 'tunnelscope test', comments: ['first comment', 'second comment'],
      }]);
      expect(result.interfaces[0]).toMatchObject({
        name: 'eth0', snaplen: 262144, tsUnitsPerSec: 1e9, speed: 25e9, filter: 'udp port 4789', os: 'Linux 6.1.0', fcsLen: 4,
        hardware: 'Mellanox ConnectX-6', comments: ['uplink'],
      });
      expect(result.interfaces[1].os).toBeUndefined();
      const stats = result.statistics ?? [];
      expect(stats.map((s) => s.interfaceIndex)).toEqual([1, 0]);
      // Interface 1 has microsecond units: the same count reads as a different second.
      expect(stats[0]).toMatchObject({ ifrecv: 7, ifdrop: null, osdrop: null, startSec: null, endSec: null, comments: [] });
      expect([stats[0].sec, stats[0].nsec]).toEqual([1_700_000_000_500, 0]);
      expect(stats[1]).toMatchObject({
        sec: 1_700_000_002, nsec: 0, startSec: 1_699_999_999, startNsec: 0, endSec: 1_700_000_002, endNsec: 1,
        ifrecv: 1234, ifdrop: 5, filteraccept: 1200, osdrop: 3, usrdeliv: 2 ** 40 + 1, comments: ['final'],
      });
    });
  }

  it('an ISB naming an undefined interface or too short is ignored with a warning; a filter not in libpcap text is not shown', async () => {
    const le = true;
    const bytes = concat(
      shb(le),
      block(le, 1, (w) => w.u16(1).u16(0).u32(0), [{ code: 11, value: Uint8Array.of(1, 0xde, 0xad) }]),
      isb(le, { ifId: 3, ts: 1n, ifdrop: 1n }),
      block(le, 5, (w) => w.u32(0).u32(0)),
      epb(le, { ts: 1n, data: payload(8) }),
    );
    const { result, frames } = await collectAll(bytes);
    expect(frames).toHaveLength(1);
    expect(result.statistics).toEqual([]);
    expect(result.interfaces[0].filter).toBeUndefined();
    expect(result.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('interface 3 is not defined in this section'),
      expect.stringContaining('block length 20 is less than 24'),
    ]);
  });
});

/** capinfos' per-file and per-interface lines for the fields both show. */
function capinfos(path: string): { hardware?: string; os?: string; app?: string; comments: string[]; ifaces: Array<Record<string, string>> } {
  const out = execFileSync('capinfos', ['-M', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const res: ReturnType<typeof capinfos> = { comments: [], ifaces: [] };
  for (const line of out.split('\n')) {
    const top = /^(Capture hardware|Capture oper-sys|Capture application|Capture comment):\s+(.*)$/.exec(line);
    if (top) {
      if (top[1] === 'Capture hardware') res.hardware = top[2];
      else if (top[1] === 'Capture oper-sys') res.os = top[2];
      else if (top[1] === 'Capture application') res.app = top[2];
      else res.comments.push(top[2]);
      continue;
    }
    if (/^Interface #\d+ info:/.test(line)) res.ifaces.push({});
    const kv = /^\s+([A-Za-z ]+?) = (.*)$/.exec(line);
    if (kv && res.ifaces.length > 0) res.ifaces[res.ifaces.length - 1][kv[1]] = kv[2];
  }
  return res;
}

function pcapngWithIsb(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.pcapng')) {
        const b = readFileSync(p);
        // Only single-section files: capinfos shows the first section's header only.
        if (b.length > 0 && hasIsb(b)) out.push(p);
      }
    }
  };
  walk('captures');
  return out.sort();
}

function hasIsb(b: Uint8Array): boolean {
  let le = b[8] === 0x4d;
  const rd = (p: number): number => new DataView(b.buffer, b.byteOffset + p, 4).getUint32(0, le);
  let p = 0, isbs = 0, sections = 0;
  while (p + 12 <= b.length) {
    if (rd(p) === 0x0a0d0d0a) { le = b[p + 8] === 0x4d; sections++; }
    const type = rd(p), len = rd(p + 4);
    if (len < 12) break;
    if (type === 5) isbs++;
    p += len;
  }
  return isbs > 0 && sections === 1;
}

const haveCapinfos = existsSync('/usr/bin/capinfos');

describe.skipIf(!haveCapinfos)('real captures with interface statistics blocks, against capinfos', () => {
  const files = pcapngWithIsb();
  it('finds them', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });
  for (const path of files) {
    it(path, async () => {
      const { result, frames } = await collectAll(new Uint8Array(readFileSync(path)));
      const want = capinfos(path);
      const sec = result.sections?.[0];
      expect(sec?.hardware ?? undefined).toBe(want.hardware);
      expect(sec?.os ?? undefined).toBe(want.os);
      expect(sec?.userappl ?? undefined).toBe(want.app);
      expect(sec?.comments).toEqual(want.comments);
      expect(result.interfaces).toHaveLength(want.ifaces.length);
      result.interfaces.forEach((ifc, k) => {
        const w = want.ifaces[k];
        const stats = (result.statistics ?? []).filter((s) => s.interfaceIndex === k);
        expect(String(stats.length), `interface ${k} stat entries`).toBe(w['Number of stat entries']);
        expect(String(frames.filter((f) => f.interfaceIndex === k).length)).toBe(w['Number of packets']);
        if (w.Name !== undefined) expect(ifc.name).toBe(w.Name);
        if (w.Description !== undefined) expect(ifc.description).toBe(w.Description);
        expect(ifc.os).toBe(w['Operating system']);
        expect(ifc.filter).toBe(w['Filter string']);
        expect(ifc.hardware).toBe(w.Hardware);
        if (ifc.speed !== undefined) expect(String(ifc.speed)).toBe(w['Interface speed']?.replace(/ .*/, ''));
      });
    });
  }
});
