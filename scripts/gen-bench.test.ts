import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBench, type BenchParams, type BenchStamp } from './gen-bench.ts';
import { Engine } from '../decoders/analysis/engine.ts';
import { MemorySource } from '../decoders/capture/memory-source.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const params: BenchParams = { sizeMb: 3, seed: 20251124, tenants: 64 };
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gen-bench-'));
});
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('gen-bench', () => {
  it('is deterministic and writes a parameters stamp', () => {
    const a = generateBench({ out: join(dir, 'a.pcapng'), params, force: true });
    const b = generateBench({ out: join(dir, 'b.pcapng'), params, force: true });
    expect(a.skipped).toBe(false);
    expect(readFileSync(join(dir, 'a.pcapng')).equals(readFileSync(join(dir, 'b.pcapng')))).toBe(true);
    const stamp = JSON.parse(readFileSync(join(dir, 'a.pcapng.json'), 'utf8')) as BenchStamp;
    expect(stamp.params).toEqual(params);
    expect(stamp.bytes).toBe(statSync(join(dir, 'a.pcapng')).size);
    expect(stamp.bytes).toBeLessThanOrEqual(params.sizeMb * 1048576);
    expect(stamp.bytes).toBeGreaterThan(params.sizeMb * 1048576 - 2000);
    expect(stamp.tenants).toBeGreaterThanOrEqual(50);
    expect(stamp.framesPerTenant.reduce((x, y) => x + y, 0)).toBe(stamp.frames);
    expect(stamp.badFrames / stamp.frames).toBeGreaterThan(0.004);
    expect(stamp.badFrames / stamp.frames).toBeLessThan(0.02);
  });

  it('--underlay-mtu fragments the large encapsulated packets, and every datagram reassembles', async () => {
    const out = join(dir, 'frag.pcapng');
    const r = generateBench({ out, params: { sizeMb: 2, seed: 5, tenants: 16, underlayMtu: 1400 }, force: true });
    const e = new Engine();
    await e.load(new MemorySource(new Uint8Array(readFileSync(out))), 'frag.pcapng');
    expect(e.frames).toBe(r.stamp.frames);
    expect(e.fragments.frames).toBeGreaterThan(r.stamp.frames / 5);
    expect(e.fragments.completed * 2).toBe(e.fragments.frames);
    expect(e.fragments.incomplete).toBe(0);
    // Every frame, fragments included, counts for its tenant; the bad inner checksums are all found.
    expect(e.tenantStats().reduce((n, t) => n + t.frames, 0)).toBe(r.stamp.frames);
    expect(e.badFrames).toBe(r.stamp.badFrames);
  });

  it('skips when the output matches its stamp, regenerates when parameters differ or when forced', () => {
    const out = join(dir, 'skip.pcapng');
    generateBench({ out, params, force: true });
    const mtime = statSync(out).mtimeMs;
    const again = generateBench({ out, params });
    expect(again.skipped).toBe(true);
    expect(statSync(out).mtimeMs).toBe(mtime);
    const other = generateBench({ out, params: { ...params, seed: 7 } });
    expect(other.skipped).toBe(false);
    const forced = generateBench({ out, params: { ...params, seed: 7 }, force: true });
    expect(forced.skipped).toBe(false);
  });

  it('the command line takes --size-mb and --out', () => {
    const out = join(dir, 'cli.pcapng');
    const text = execFileSync('npx', ['tsx', join(root, 'scripts/gen-bench.ts'), '--size-mb', '1', '--out', out, '--tenants', '52'], { cwd: root, encoding: 'utf8' });
    expect(text).toMatch(/frames \d+, bytes \d+/);
    expect(text).toMatch(/tenants 52 /);
    const stamp = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as BenchStamp;
    expect(stamp.params).toEqual({ sizeMb: 1, seed: 20251124, tenants: 52 });
    const again = execFileSync('npx', ['tsx', join(root, 'scripts/gen-bench.ts'), '--size-mb', '1', '--out', out, '--tenants', '52'], { cwd: root, encoding: 'utf8' });
    expect(again).toMatch(/up to date/);
  });

  it('tshark: all checksums good except the counted bad inner ones; tenants and frame sizes as stated', () => {
    const out = join(dir, 'a.pcapng');
    const stamp = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as BenchStamp;
    const text = execFileSync('tshark', [
      '-r', out, '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
      '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.len', '-e', 'gre.key', '-e', 'ip.checksum.status',
      '-e', 'tcp.checksum.status', '-e', 'udp.checksum.status', '-e', 'frame.time_epoch',
    ], { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    const rows = text.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
    expect(rows.length).toBe(stamp.frames);
    const vsids = new Set<number>();
    let badTcp = 0;
    let badUdp = 0;
    let small = 0;
    let full = 0;
    let prevTime = '';
    const problems: string[] = [];
    rows.forEach((r, i) => {
      const len = Number(r[0]);
      if (len < 96 || len > 1514) problems.push(`frame ${i + 1}: length ${len}`);
      if (len === 96) small++;
      if (len === 1514) full++;
      vsids.add(Number(r[1]) >>> 8);
      if (r[2] !== '1,1') problems.push(`frame ${i + 1}: ip.checksum.status ${r[2]}`);
      if (r[3] === '0') badTcp++;
      else if (r[4] === '0') badUdp++;
      else if (!(r[3] === '1' || r[4] === '1')) problems.push(`frame ${i + 1}: tcp ${r[3]} udp ${r[4]}`);
      if (r[5] < prevTime) problems.push(`frame ${i + 1}: time goes back`);
      prevTime = r[5];
    });
    expect(problems.slice(0, 10)).toEqual([]);
    expect(badTcp).toBe(stamp.bad['inner.tcp']);
    expect(badUdp).toBe(stamp.bad['inner.udp']);
    expect(vsids.size).toBe(stamp.tenants);
    expect(small / rows.length).toBeGreaterThan(0.2);
    expect(full / rows.length).toBeGreaterThan(0.2);
    expect(rows[0][5]).toBe(`${stamp.firstTime}`);
  });
});
