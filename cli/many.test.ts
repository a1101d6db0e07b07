// `tunnelscope CAPTURE...` over several captures: each file's summary exactly as for it alone, a total over
// them, --frames rows with their file, directories and globs, errors that cost only their file, the same
// output whatever --jobs is, and nothing on stderr when it is no terminal.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureSummaryJson } from '../decoders/analysis/types.ts';
import type { TotalSummaryJson } from '../decoders/analysis/total.ts';
import { mtuCapture } from '../scripts/lib/mtu-capture.ts';
import { generateBench } from '../scripts/gen-bench.ts';

const root = resolve(import.meta.dirname, '..');
const CLI = join(root, 'cli/tunnelscope.mjs');
let dir = '';

interface Many {
  files: Array<CaptureSummaryJson & { filter?: string; totalFrames?: number }>;
  total: TotalSummaryJson;
  errors: Array<{ file: string; error: string }>;
}

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tunnelscope-many-'));
  mkdirSync(join(dir, 'caps/sub/.hidden'), { recursive: true });
  copyFileSync(join(root, 'public/samples/demo.pcapng'), join(dir, 'caps/demo.pcapng'));
  writeFileSync(join(dir, 'caps/mtu.pcap'), mtuCapture());
  generateBench({ out: join(dir, 'caps/sub/bench.pcapng'), params: { sizeMb: 2, seed: 3, tenants: 4 } });
  rmSync(join(dir, 'caps/sub/bench.pcapng.json'));
  writeFileSync(join(dir, 'caps/sub/mtu.pcap.gz'), gzipSync(mtuCapture()));
  writeFileSync(join(dir, 'caps/sub/notes.txt'), 'not a capture\n');
  writeFileSync(join(dir, 'caps/sub/notes.gz'), gzipSync('not a capture either\n'));
  copyFileSync(join(root, 'public/samples/demo.pcapng'), join(dir, 'caps/sub/.hidden/skipped.pcapng'));
  writeFileSync(join(dir, 'broken.pcap'), 'no packets here\n');
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('tunnelscope over several captures', () => {
  it('prints each file\'s summary as for it alone, a total over them, and nothing on stderr', () => {
    const r = cli('caps/demo.pcapng', 'caps/mtu.pcap', '--jobs', '2');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const m = JSON.parse(r.stdout) as Many;
    expect(Object.keys(m)).toEqual(['files', 'total', 'errors']);
    expect(m.files).toEqual([JSON.parse(cli('caps/demo.pcapng').stdout), JSON.parse(cli('caps/mtu.pcap').stdout)]);
    expect(m.errors).toEqual([]);
    const [a, b] = m.files;
    expect(m.total).toMatchObject({
      captures: 2, format: 'mixed', frames: a.frames + b.frames, bytes: a.bytes + b.bytes, firstTime: b.firstTime, lastTime: a.lastTime,
      flagged: a.flagged.length + b.flagged.length, warnings: a.warnings.length + b.warnings.length,
      fragments: { frames: a.fragments.frames + b.fragments.frames, datagrams: a.fragments.datagrams + b.fragments.datagrams, incomplete: a.fragments.incomplete + b.fragments.incomplete },
    });
    const nvgre5001 = (s: { tenants: CaptureSummaryJson['tenants'] }) => s.tenants.find((t) => t.encap === 'nvgre' && t.vnid === 5001);
    expect(nvgre5001(m.total)?.frames).toBe((nvgre5001(a)?.frames ?? 0) + (nvgre5001(b)?.frames ?? 0));
    expect(m.total.checks['inner.tcp'].good).toBe(a.checks['inner.tcp'].good + b.checks['inner.tcp'].good);
    expect(m.total.mtu).toEqual(b.mtu.map((x) => ({ file: 'mtu.pcap', ...x })).sort((p, q) => q.fragmented - p.fragmented));
  });

  it('walks directories recursively (captures only, hidden entries skipped), like the same glob; the same with --jobs 1', () => {
    const r = cli('caps', '--jobs', '2');
    expect(r.status).toBe(0);
    const m = JSON.parse(r.stdout) as Many;
    expect(m.files.map((s) => s.file)).toEqual(['demo.pcapng', 'mtu.pcap', 'sub/bench.pcapng', 'sub/mtu.pcap.gz']);
    expect(m.files[3].frames).toBe(m.files[1].frames);
    expect(cli('caps', '--jobs', '1').stdout).toBe(r.stdout);
    expect(cli('caps/**/*.pcap*', 'caps/demo.pcapng', '--jobs', '2').stdout).toBe(r.stdout); // quoted glob; a capture named twice counts once
    expect(cli('caps/[dm]*.pcap*', 'caps/sub/*.pcap*').stdout).toBe(r.stdout);
  });

  it('a file that is no capture gives its one-line error and exit 2; the others are still summed', () => {
    const r = cli('caps/demo.pcapng', 'broken.pcap', 'caps/mtu.pcap', 'nothing-here.pcap', 'caps/*.none');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean).sort()).toEqual([
      'tunnelscope: broken.pcap: not a pcap or pcapng file: starts with 0x6e6f2070',
      'tunnelscope: caps/*.none: no file matches',
      'tunnelscope: nothing-here.pcap: no such file',
    ]);
    const m = JSON.parse(r.stdout) as Many;
    expect(m.files.map((s) => s.file)).toEqual(['caps/demo.pcapng', 'caps/mtu.pcap']);
    expect(m.errors).toEqual([
      { file: 'broken.pcap', error: 'not a pcap or pcapng file: starts with 0x6e6f2070' },
      { file: 'nothing-here.pcap', error: 'no such file' },
    ]);
    expect(m.total.frames).toBe(m.files[0].frames + m.files[1].frames);
  });

  it('one capture found in a directory prints the single-capture summary', () => {
    mkdirSync(join(dir, 'one'), { recursive: true });
    copyFileSync(join(dir, 'caps/mtu.pcap'), join(dir, 'one/x.pcap'));
    expect(cli('one').stdout).toBe(cli('one/x.pcap').stdout);
  });

  it('--frames: every row starts with its file, and is the row of that file alone', () => {
    const r = cli('caps/demo.pcapng', 'caps/mtu.pcap', '--frames');
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const alone = (f: string): unknown[] => cli(`caps/${f}`, '--frames').stdout.trim().split('\n').map((l) => ({ file: f, ...JSON.parse(l) }));
    expect(rows).toEqual([...alone('demo.pcapng'), ...alone('mtu.pcap')]);
    expect(Object.keys(rows[0])[0]).toBe('file');
  });

  it('--filter: each file\'s subset summary, the filter and the frames before it in the total', () => {
    const r = cli('caps/demo.pcapng', 'caps/mtu.pcap', '--filter', 'nvgre');
    const m = JSON.parse(r.stdout) as Many;
    expect(m.files).toEqual([JSON.parse(cli('caps/demo.pcapng', '--filter', 'nvgre').stdout), JSON.parse(cli('caps/mtu.pcap', '--filter', 'nvgre').stdout)]);
    expect(m.total.filter).toBe('nvgre');
    expect(m.total.totalFrames).toBe((m.files[0].totalFrames ?? 0) + (m.files[1].totalFrames ?? 0));
    expect(m.total.frames).toBe(m.files[0].frames + m.files[1].frames);
  });

  it('--fail-on-bad exits 3 when any capture has a flagged frame; --export takes one capture', () => {
    expect(cli('caps/demo.pcapng', 'caps/mtu.pcap', '--fail-on-bad').status).toBe(3);
    const e = cli('caps/demo.pcapng', 'caps/mtu.pcap', '--export', 'x.pcapng');
    expect(e.status).toBe(2);
    expect(e.stderr).toBe('tunnelscope: --export writes one capture\'s frames: 2 captures given\n');
  });
});
