// The command line as users run it: `node cli/tunnelscope.mjs FILE` (what `npx tunnelscope` runs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_CAPTURES } from '../scripts/lib/shared-captures.ts';
import { mtuCapture } from '../scripts/lib/mtu-capture.ts';
import { metadataCapture } from '../scripts/lib/metadata-capture.ts';

const root = resolve(import.meta.dirname, '..');
const demo = join(root, 'public/samples/demo.pcapng');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return cliEnv({}, ...args);
}

function cliEnv(env: Record<string, string>, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'cli/tunnelscope.mjs'), ...args], {
    cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Summary {
  file: string; format: string; frames: number; bytes: number; firstTime: string | null; lastTime: string | null;
  tenants: Array<{
    encap: string; vnid: number | null; frames: number; bytes: number; flows: number; bad: number; partial: number;
    retransmitted: { badSegments: number; retransmitted: number; medianDelayMs: number | null };
  }>;
  checks: Record<string, Record<string, number>>; flagged: number[]; warnings: Array<{ offset: number; frame: number; message: string }>;
}

describe('tunnelscope CLI', () => {
  it('prints the summary contract for the demo capture', () => {
    const r = cli(demo);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(Object.keys(s)).toEqual(['file', 'format', 'frames', 'bytes', 'firstTime', 'lastTime', 'tenants', 'checks', 'flagged', 'warnings', 'fragments', 'mtu', 'hosts']);
    expect(s.file).toBe('demo.pcapng');
    expect(s.format).toBe('pcapng');
    expect(s.frames).toBeGreaterThan(100);
    expect(s.firstTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    const sorted = [...s.tenants].sort((a, b) => (a.encap < b.encap ? -1 : a.encap > b.encap ? 1 : (a.vnid ?? -1) - (b.vnid ?? -1)));
    expect(s.tenants).toEqual(sorted);
    expect(s.tenants.map((t) => t.encap)).toEqual(expect.arrayContaining(['nvgre', 'vxlan', 'geneve']));
    for (const t of s.tenants) {
      expect(Object.keys(t)).toEqual(['encap', 'vnid', 'frames', 'bytes', 'flows', 'bad', 'partial', 'retransmitted']);
      expect(Object.keys(t.retransmitted)).toEqual(['badSegments', 'retransmitted', 'medianDelayMs']);
      expect(t.retransmitted.retransmitted).toBeLessThanOrEqual(t.retransmitted.badSegments);
    }
    expect(s.flagged.length).toBeGreaterThan(0);
    expect([...s.flagged].sort((a, b) => a - b)).toEqual(s.flagged);
    // bytes sums captured lengths: equals the sum of caplen over the --frames output.
    const frames = cli(demo, '--frames').stdout.trim().split('\n').map((l) => JSON.parse(l) as { n: number; caplen: number; checks: Record<string, string> });
    expect(frames.length).toBe(s.frames);
    expect(frames.reduce((n, f) => n + f.caplen, 0)).toBe(s.bytes);
    expect(frames.map((f) => f.n)).toEqual(frames.map((_, i) => i + 1));
    // flagged = frames with at least one bad verdict
    expect(frames.filter((f) => Object.values(f.checks).includes('bad')).map((f) => f.n)).toEqual(s.flagged);
    // checks counts agree with the per-frame verdicts
    const counts: Record<string, Record<string, number>> = {};
    for (const f of frames) for (const [k, v] of Object.entries(f.checks)) {
      counts[k] ??= { good: 0, bad: 0, partial: 0, zero: 0, unverified: 0 };
      counts[k][v]++;
    }
    const verdicts = Object.fromEntries(Object.entries(s.checks).map(([k, { good, bad, partial, zero, unverified }]) => [k, { good, bad, partial, zero, unverified }]));
    expect(verdicts).toEqual(counts);
    // noChecksum: the zeros that are UDP-over-IPv4 "no checksum". The demo has no other zeros.
    for (const [k, c] of Object.entries(s.checks)) expect(c.noChecksum, k).toBe(k.endsWith('udp') ? c.zero : 0);
    expect(s.checks.udp.noChecksum).toBeGreaterThan(0);
  });

  it('--frames prints one NDJSON object per frame with the contract keys', () => {
    const r = cli(demo, '--frames');
    expect(r.status).toBe(0);
    const first = JSON.parse(r.stdout.split('\n')[0]) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(['n', 'time', 'caplen', 'len', 'encap', 'vnid', 'flowId', 'outer', 'inner', 'checks', 'reassembledIn', 'direction', 'superframe']);
    const nvgre = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { encap: string | null; vnid: number | null; flowId: number | null; outer: unknown })
      .find((f) => f.encap === 'nvgre');
    expect(nvgre).toBeDefined();
    expect(nvgre?.vnid).toEqual(expect.any(Number));
    expect(nvgre?.flowId).toEqual(expect.any(Number));
    expect(nvgre?.outer).toEqual({ src: expect.any(String), dst: expect.any(String) });
  });

  it('--frames rows carry the epb_flags direction and whether the frame is a super-frame; filters select by direction', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunnelscope-cli-'));
    const file = join(dir, 'meta.pcapng');
    writeFileSync(file, metadataCapture([
      ...[0x1, 0x2, 0x3, 0].map((flags) => ({ iface: 0, opts: { flags } })),
      { iface: 1 },
      { iface: 0, opts: { flags: 0x2 | 0x800 }, checksum: 'partial' as const, size: 5000 },
    ]));
    const r = cli(file, '--frames');
    expect(r.status).toBe(0);
    const rows = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { n: number; direction: unknown; superframe: unknown });
    expect(rows.map((f) => f.direction)).toEqual(['in', 'out', null, null, null, 'out']);
    expect(rows.map((f) => f.superframe)).toEqual([false, false, false, false, false, true]);
    const out = cli(file, '--frames', '--filter', 'frame.packet_flags_direction == 2');
    expect(out.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { n: number }).n)).toEqual([2, 6]);
  });

  it('--pretty indents, --fail-on-bad exits 3 when frames are flagged', () => {
    const pretty = cli(demo, '--pretty');
    expect(pretty.stdout.split('\n').length).toBeGreaterThan(10);
    expect(cli(demo, '--fail-on-bad').status).toBe(3);
    const clean = join(SHARED_CAPTURES, 'PcapPlusPlus/packetpp__Vxlan1.pcap');
    const r = cli(clean, '--fail-on-bad');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as Summary).tenants).toEqual([{
      encap: 'vxlan', vnid: 3000001, frames: 1, bytes: expect.any(Number), flows: 1, bad: 0, partial: 0,
      retransmitted: { badSegments: 0, retransmitted: 0, medianDelayMs: null },
    }]);
  });

  it('exits 2 with a one-line error for a file that is not a capture or does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-cli-'));
    const txt = join(dir, 'notes.txt');
    writeFileSync(txt, 'hello, this is not a capture\n');
    const r = cli(txt);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/notes\.txt.*not a pcap or pcapng/);
    const missing = cli(join(dir, 'nope.pcap'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.pcap: no such file/);
    expect(cli().status).toBe(2);
    expect(cli(demo, '--bogus').status).toBe(2);
  });

  it('keeps what was read before a file is cut short, with a warning', () => {
    const bytes = readFileSync(demo);
    const dir = mkdtempSync(join(tmpdir(), 'ts-cli-'));
    const cut = join(dir, 'cut.pcapng');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2) + 3));
    const r = cli(cut);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    const full = JSON.parse(cli(demo).stdout) as Summary;
    expect(s.frames).toBeGreaterThan(0);
    expect(s.frames).toBeLessThan(full.frames);
    expect(s.warnings.length).toBeGreaterThan(0);
    expect(s.warnings[s.warnings.length - 1].offset).toBeGreaterThan(0);
  });

  it('prints the same through tsx as through the bundle npm install builds', () => {
    const viaTsx = cliEnv({ TUNNELSCOPE_NO_BUNDLE: '1' }, demo, '--frames');
    expect(viaTsx.status).toBe(0);
    expect(viaTsx.stdout).toBe(cli(demo, '--frames').stdout);
  });

  it('mtu: the MTU diagnosis per host, the same with one or two threads, and over the frames a filter selects', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-cli-'));
    const file = join(dir, 'mtu.pcap');
    writeFileSync(file, mtuCapture());
    const one = JSON.parse(cli(file, '--jobs', '1').stdout) as { mtu: Array<Record<string, unknown>> };
    expect(one.mtu.map((m) => [m.host, m.encap, m.fragmented, m.incomplete, m.tenantFragmented, m.largestInner, m.overhead, m.underlayMtu, m.needed])).toEqual([
      ['192.168.10.11', 'nvgre', 2, 1, 0, 1500, 42, 1500, 1542],
      ['fd00::31', 'vxlan', 1, 0, 0, 1500, 70, 1496, 1570],
      ['192.168.20.21', 'vxlan', 1, 0, 0, 1500, 50, 1500, 1550],
      ['192.168.10.13', 'nvgre', 0, 0, 1, null, null, null, null],
    ]);
    expect(Object.keys(one.mtu[0])).toEqual(['host', 'encap', 'fragmented', 'incomplete', 'tenantFragmented', 'largestInner', 'overhead', 'underlayMtu', 'needed', 'icmp', 'advice', 'frames']);
    expect(one.mtu[0].advice).toMatch(/^Underlay MTU of at least 1542 .* or jumbo frames; or a tenant MTU of at most 1458\./);
    expect(JSON.parse(cli(file, '--jobs', '2').stdout)).toEqual(one);
    const sub = JSON.parse(cli(file, '--filter', 'ip.src#1 == 192.168.20.21').stdout) as { mtu: Array<Record<string, unknown>> };
    expect(sub.mtu).toEqual([one.mtu[2]]);
  });

  it('reads gzip-compressed captures', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-cli-'));
    const gz = join(dir, 'demo.pcapng.gz');
    const z = spawnSync('gzip', ['-c', demo], { maxBuffer: 1 << 26 });
    writeFileSync(gz, z.stdout);
    const a = JSON.parse(cli(gz).stdout) as Summary;
    const b = JSON.parse(cli(demo).stdout) as Summary;
    expect({ ...a, file: '' }).toEqual({ ...b, file: '' });
  });
});
