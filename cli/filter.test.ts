// `tunnelscope FILE --filter EXPR`: the summary aggregates over matching frames, --frames and --export
// write only them, a bad filter is exit 2 with a caret under the fault.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const demo = join(root, 'public/samples/demo.pcapng');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'cli/tunnelscope.mjs'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Frame { n: number; caplen: number; encap: string | null; vnid: number | null; checks: Record<string, string> }

const all = (): Frame[] => cli(demo, '--frames').stdout.trim().split('\n').map((l) => JSON.parse(l) as Frame);

describe('tunnelscope --filter', () => {
  it('restricts --frames to matching frames (column tier and byte tier)', () => {
    const frames = all();
    const vsid = cli(demo, '--frames', '--filter', 'nvgre.vsid == 5001').stdout.trim().split('\n').map((l) => JSON.parse(l) as Frame);
    expect(vsid.map((f) => f.n)).toEqual(frames.filter((f) => f.encap === 'nvgre' && f.vnid === 5001).map((f) => f.n));
    // ip.ttl is in the bytes only: the frames are read again.
    const ttl = cli(demo, '--frames', '--filter=nvgre.vsid == 5001 && ip.ttl == 128').stdout.trim().split('\n');
    expect(ttl.length).toBe(vsid.length);
  });

  it('aggregates the summary over matching frames only', () => {
    const frames = all();
    const r = cli(demo, '--filter', 'checksum.bad || tenant.encap == vxlan');
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as {
      frames: number; bytes: number; totalFrames: number; filter: string; flagged: number[];
      tenants: Array<{ encap: string; frames: number }>; checks: Record<string, Record<string, number>>;
    };
    const want = frames.filter((f) => Object.values(f.checks).includes('bad') || f.encap === 'vxlan');
    expect(s.frames).toBe(want.length);
    expect(s.totalFrames).toBe(frames.length);
    expect(s.filter).toBe('checksum.bad || tenant.encap == vxlan');
    expect(s.bytes).toBe(want.reduce((n, f) => n + f.caplen, 0));
    expect(s.flagged).toEqual(want.filter((f) => Object.values(f.checks).includes('bad')).map((f) => f.n));
    expect(s.tenants.reduce((n, t) => n + t.frames, 0)).toBe(want.filter((f) => f.encap !== null).length);
    const innerTcp = want.filter((f) => f.checks['inner.tcp'] !== undefined).length;
    const c = s.checks['inner.tcp'];
    expect(c.good + c.bad + c.partial + c.zero + c.unverified).toBe(innerTcp);
  });

  it('exports only matching frames (with --only-flagged: matching and flagged), gzip input too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-filter-'));
    const gz = join(dir, 'demo.pcapng.gz');
    writeFileSync(gz, gzipSync(readFileSync(demo)));
    const out = join(dir, 'out.pcapng');
    for (const input of [demo, gz]) {
      expect(cli(input, '--filter', 'tenant.encap == geneve && ip.ttl > 0', '--export', out).status).toBe(0);
      const back = cli(out, '--frames').stdout.trim().split('\n').map((l) => JSON.parse(l) as Frame);
      expect(back.length).toBe(all().filter((f) => f.encap === 'geneve').length);
      expect(back.every((f) => f.encap === 'geneve')).toBe(true);
    }
    expect(cli(demo, '--filter', 'tenant.encap == nvgre', '--export', out, '--only-flagged').status).toBe(0);
    const flagged = cli(out, '--frames').stdout.trim().split('\n').map((l) => JSON.parse(l) as Frame);
    expect(flagged.length).toBe(all().filter((f) => f.encap === 'nvgre' && Object.values(f.checks).includes('bad')).length);
    expect(flagged.length).toBeGreaterThan(0);
  });

  it('--fail-on-bad looks at matching frames only', () => {
    expect(cli(demo, '--filter', 'checksum.bad', '--fail-on-bad').status).toBe(3);
    expect(cli(demo, '--filter', '!checksum.bad', '--fail-on-bad').status).toBe(0);
  });

  it('rejects a bad filter with exit 2, the reason and a caret under it', () => {
    const r = cli(demo, '--filter', 'tcp.port == 80 && ip.scr == 10.0.0.1');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "tunnelscope: --filter: 'ip.scr' is not a known field or protocol; did you mean 'ip.src'?\n"
      + 'tcp.port == 80 && ip.scr == 10.0.0.1\n'
      + '                  ^~~~~~ \n',
    );
    expect(cli(demo, '--filter').status).toBe(2);
    expect(cli(demo, '--filter', 'tcp', '--filter', 'udp').stderr).toMatch(/given twice/);
  });
});
