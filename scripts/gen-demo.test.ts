import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDemo, type DemoTruth, type TruthFrame, type Verdict } from './gen-demo.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let dir = '';
let truth: DemoTruth;
let file = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gen-demo-'));
  // Through the command line, as `npm run gen:demo` runs it, with the output directory as a parameter.
  execFileSync('npx', ['tsx', join(root, 'scripts/gen-demo.ts'), '--out-dir', dir], { cwd: root, stdio: 'pipe' });
  file = join(dir, 'demo.pcapng');
  truth = JSON.parse(readFileSync(join(dir, 'demo.truth.json'), 'utf8')) as DemoTruth;
});
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('gen-demo determinism', () => {
  it('is byte-identical across runs (CLI run and two in-process runs)', () => {
    const a = generateDemo();
    const b = generateDemo();
    expect(Buffer.from(a.pcapng).equals(Buffer.from(b.pcapng))).toBe(true);
    expect(a.truthJson).toBe(b.truthJson);
    expect(Buffer.from(a.pcapng).equals(readFileSync(file))).toBe(true);
    expect(a.truthJson).toBe(readFileSync(join(dir, 'demo.truth.json'), 'utf8'));
  });

  it('the committed public/samples files are up to date', () => {
    const committed = join(root, 'public/samples/demo.pcapng');
    expect(existsSync(committed)).toBe(true);
    expect(readFileSync(committed).equals(readFileSync(file))).toBe(true);
    expect(readFileSync(join(root, 'public/samples/demo.truth.json'), 'utf8')).toBe(readFileSync(join(dir, 'demo.truth.json'), 'utf8'));
  });
});

describe('gen-demo content', () => {
  it('has the size and scene the brief asks for', () => {
    const size = readFileSync(file).length;
    expect(size).toBeLessThan(1_000_000);
    expect(truth.bytes).toBe(size);
    expect(truth.frames).toBeGreaterThanOrEqual(2000);
    expect(truth.frames).toBeLessThanOrEqual(4000);
    expect(truth.packets.length).toBe(truth.frames);
    expect(truth.packets.map((p) => p.n)).toEqual(Array.from({ length: truth.frames }, (_, i) => i + 1));
    const vsids = truth.tenants.filter((t) => t.encap === 'nvgre').map((t) => t.vnid);
    expect(vsids).toEqual([5001, 5002, 5003, 6001]);
    expect(truth.tenants.find((t) => t.encap === 'vxlan')?.vnid).toBe(300);
    expect(truth.tenants.find((t) => t.encap === 'geneve')?.vnid).toBe(0x123456);
    for (const t of truth.tenants) expect(t.frames).toBeGreaterThan(100);
    expect(truth.packets.filter((p) => p.encap === null).length).toBeGreaterThan(50);
  });

  it('bad checksums come from one host, partial ones from another; zero and truncated are few', () => {
    const has = (p: TruthFrame, v: Verdict): boolean => Object.values(p.checks).includes(v);
    const bad = truth.packets.filter((p) => has(p, 'bad'));
    expect(bad.length).toBeGreaterThanOrEqual(24);
    expect(bad.length).toBeLessThanOrEqual(60);
    expect(new Set(bad.map((p) => p.outerSrc))).toEqual(new Set([truth.hosts.badNic]));
    for (const p of bad) {
      expect(p.encap).toBe('nvgre');
      expect(Object.entries(p.checks).filter(([, v]) => v === 'bad').map(([k]) => k)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^inner\.(tcp|udp)$/)]),
      );
    }
    const partial = truth.packets.filter((p) => has(p, 'partial'));
    expect(partial.length).toBeGreaterThan(20);
    expect(new Set(partial.map((p) => p.outerSrc))).toEqual(new Set([truth.hosts.beforeOffload]));
    // Zero UDP checksums over IPv4 inside a tunnel or in plain traffic (besides the VXLAN/Geneve outer UDP).
    const zeroInner = truth.packets.filter((p) => p.checks['inner.udp'] === 'zero' || (p.encap === null && p.checks.udp === 'zero'));
    expect(zeroInner.length).toBeGreaterThanOrEqual(2);
    expect(zeroInner.length).toBeLessThanOrEqual(5);
    const outerUdp = truth.packets.filter((p) => p.encap === 'vxlan' || p.encap === 'geneve').map((p) => p.checks.udp);
    expect(outerUdp.filter((v) => v === 'zero').length).toBeGreaterThan(outerUdp.length / 2);
    expect(outerUdp.filter((v) => v === 'good').length).toBeGreaterThan(0);
    const truncated = truth.packets.filter((p) => p.caplen < p.origlen);
    expect(truncated.length).toBe(1);
    expect(Object.values(truncated[0].checks)).toContain('unverified');
  });
});

// tshark 4.0 checksum status: 0 Bad, 1 Good, 2 Unverified, 3 Not present, 4 Illegal.
const STATUS_FIELDS: [string, string][] = [
  ['ipv4', 'ip.checksum.status'], ['tcp', 'tcp.checksum.status'], ['udp', 'udp.checksum.status'],
  ['icmp', 'icmp.checksum.status'], ['icmpv6', 'icmpv6.checksum.status'], ['gre', 'gre.checksum.status'],
];

function expectedStatus(kind: string, v: Verdict): string[] {
  switch (v) {
    case 'good': return ['1'];
    case 'bad':
    case 'partial': return ['0']; // tshark 4.0 marks pseudo-header-only checksums Bad
    case 'zero': return kind === 'udp' ? ['3'] : ['0'];
    case 'unverified': return ['2'];
  }
}

describe('tshark agrees with demo.truth.json', () => {
  it('frame lengths, tunnel ids, outer source and every checksum status', () => {
    const fields = ['frame.number', 'frame.len', 'frame.cap_len', 'gre.key', 'vxlan.vni', 'geneve.vni', 'ip.src', 'ipv6.src', ...STATUS_FIELDS.map(([, f]) => f)];
    const args = ['-r', file, '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
      '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
    for (const f of fields) args.push('-e', f);
    const out = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    const rows = out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
    expect(rows.length).toBe(truth.frames);
    const mismatches: string[] = [];
    const col = (name: string): number => fields.indexOf(name);
    let goodSeen = 0;
    rows.forEach((r, i) => {
      const p = truth.packets[i];
      const say = (what: string, got: string, want: string): void => {
        if (got !== want) mismatches.push(`frame ${p.n} ${what}: tshark ${got} truth ${want}`);
      };
      say('len', r[col('frame.len')], String(p.origlen));
      say('cap_len', r[col('frame.cap_len')], String(p.caplen));
      const num = (s: string): string => (s === '' ? '' : String(Number(s.split(',')[0])));
      say('gre.key', num(r[col('gre.key')]), p.encap === 'nvgre' && p.vnid !== null && p.flowId !== null ? String(p.vnid * 256 + p.flowId) : '');
      say('vxlan.vni', num(r[col('vxlan.vni')]), p.encap === 'vxlan' ? String(p.vnid) : '');
      say('geneve.vni', num(r[col('geneve.vni')]), p.encap === 'geneve' ? String(p.vnid) : '');
      say('outer source', r[col('ip.src')].split(',')[0] || r[col('ipv6.src')].split(',')[0], p.outerSrc ?? '');
      for (const [kind, field] of STATUS_FIELDS) {
        const got = r[col(field)] === '' ? [] : r[col(field)].split(',');
        // Truth checks of this kind, outermost first.
        const want = Object.entries(p.checks)
          .filter(([name]) => name.replace(/^(inner\.)*/, '') === kind)
          .sort(([a], [b]) => a.length - b.length)
          .map(([, v]) => v);
        if (got.length !== want.length) {
          mismatches.push(`frame ${p.n} ${field}: tshark [${got}] truth [${want}]`);
          continue;
        }
        want.forEach((v, k) => {
          if (!expectedStatus(kind, v).includes(got[k])) mismatches.push(`frame ${p.n} ${field}#${k}: tshark ${got[k]} truth ${v}`);
          if (v === 'good') goodSeen++;
        });
      }
    });
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(goodSeen).toBeGreaterThan(truth.frames * 2);
  });

  it('two NVGRE tenants carry the same inner addresses and ports', () => {
    const out = execFileSync('tshark', ['-r', file, '-Y', 'gre && tcp.port == 443 && tcp.port == 50432', '-T', 'fields', '-e', 'gre.key', '-e', 'ip.src', '-e', 'ip.dst'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const rows = out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
    const vsids = new Set(rows.map((r) => Number(r[0]) >>> 8));
    expect(vsids).toEqual(new Set([5001, 5002]));
    for (const r of rows) expect(r[1].split(',').slice(1).concat(r[2].split(',').slice(1)).sort()).toEqual(['10.0.0.1', '10.0.0.2']);
  });
});
