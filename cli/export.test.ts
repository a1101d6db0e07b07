// `tunnelscope FILE --export OUT.pcapng [--only-flagged]`: the written file reopens with our reader
// with the same frames, and capinfos/tshark (Debian's 4.0) read it with the same count.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../decoders/analysis/engine.ts';
import { MemorySource } from '../decoders/capture/memory-source.ts';

const root = resolve(import.meta.dirname, '..');
const demo = join(root, 'public/samples/demo.pcapng');
const multi = join(root, 'captures/pcapng-test-generator');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'cli/tunnelscope.mjs'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tool(cmd: string, ...args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw new Error(`${cmd} is needed for this test (apt-get install tshark): ${r.error.message}`);
  expect(r.stderr.replace(/Running as user "root".*\n?/, '').trim()).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

async function open(path: string): Promise<Engine> {
  const e = new Engine();
  await e.load(new MemorySource(new Uint8Array(readFileSync(path))), path);
  return e;
}

interface FrameLine { n: number; time: string | null; caplen: number; len: number; checks: Record<string, string> }
function frames(path: string): FrameLine[] {
  return cli(path, '--frames').stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as FrameLine);
}

/** Frame bytes of every frame, read through the engine. */
async function frameBytes(path: string): Promise<string[]> {
  const bytes = new Uint8Array(readFileSync(path));
  const e = await open(path);
  return Array.from({ length: e.frames }, (_, i) => {
    const loc = e.frameLocation(i + 1);
    return Buffer.from(bytes.subarray(loc.offset, loc.offset + loc.caplen)).toString('hex');
  });
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ts-export-'));

describe('tunnelscope --export', () => {
  it('writes all frames: same count, bytes and timestamps; the summary still prints; tshark agrees', async () => {
    const out = join(tmp(), 'all.pcapng');
    const r = cli(demo, '--export', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ...JSON.parse(cli(demo).stdout) as object });
    const a = frames(demo), b = frames(out);
    expect(b.length).toBe(a.length);
    expect(b).toEqual(a);
    expect(await frameBytes(out)).toEqual(await frameBytes(demo));
    expect(tool('capinfos', '-M', '-c', '-T', '-r', out).trim().split('\t')[1]).toBe(String(a.length));
    // tshark's view of each frame: same times (to the ns) and lengths as the input.
    const fields = ['-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.interface_id'];
    expect(tool('tshark', '-n', '-r', out, ...fields)).toBe(tool('tshark', '-n', '-r', demo, ...fields));
  });

  it('--only-flagged writes only the frames with a bad checksum, in file order', async () => {
    const dir = tmp();
    const out = join(dir, 'bad.pcapng');
    const r = cli(demo, '--export', out, '--only-flagged', '--fail-on-bad');
    expect(r.status).toBe(3); // exit codes unchanged
    const flagged = (JSON.parse(r.stdout) as { flagged: number[] }).flagged;
    expect(flagged.length).toBeGreaterThan(0);
    const all = frames(demo);
    const got = frames(out);
    expect(got.map((f) => ({ ...f, n: 0 }))).toEqual(flagged.map((n) => ({ ...all[n - 1], n: 0 })));
    expect(got.every((f) => Object.values(f.checks).includes('bad'))).toBe(true);
    expect(tool('capinfos', '-M', '-c', '-T', '-r', out).trim().split('\t')[1]).toBe(String(flagged.length));
    expect(tool('tshark', '-n', '-r', out, '-T', 'fields', '-e', 'frame.number').trim().split('\n')).toHaveLength(flagged.length);
    // --export=OUT spelling too
    const eq = join(dir, 'eq.pcapng');
    expect(cli(demo, `--export=${eq}`, '--only-flagged').status).toBe(0);
    expect(readFileSync(eq)).toEqual(readFileSync(out));
  });

  it('keeps pcapng interfaces of several sections and classic pcap input', async () => {
    // Sections, several interfaces, SPBs (also cut at the snaplen), big-endian input.
    const cases = ['output_be/test202.pcapng', 'output_le/test101.pcapng', 'output_le/test102.pcapng', 'output_le/test011.pcapng',
      'output_le/test012.pcapng', 'output_be/test010.pcapng'].map((p) => join(multi, p));
    for (const c of cases) expect(existsSync(c), c).toBe(true);
    const dir = tmp();
    const pcap = join(dir, 'demo.pcap');
    tool('tshark', '-r', demo, '-F', 'pcap', '-w', pcap);
    for (const input of [...cases, pcap]) {
      const out = join(dir, 'x.pcapng');
      const r = cli(input, '--export', out);
      expect(r.status, r.stderr).toBe(0);
      const a = await open(input), b = await open(out);
      expect(b.frames).toBe(a.frames);
      expect(b.interfaces().map((i) => [i.linktype, i.snaplen, i.name])).toEqual(a.interfaces().map((i) => [i.linktype, i.snaplen, i.name]));
      expect(Array.from({ length: b.frames }, (_, i) => b.interfaceIndex(i + 1))).toEqual(Array.from({ length: a.frames }, (_, i) => a.interfaceIndex(i + 1)));
      expect(frames(out)).toEqual(frames(input));
      expect(await frameBytes(out)).toEqual(await frameBytes(input));
      const count = tool('capinfos', '-M', '-c', '-T', '-r', out).trim().split('\t')[1];
      expect(count).toBe(String(a.frames));
    }
  });

  it('exports from a gzip-compressed capture', async () => {
    const dir = tmp();
    const gz = join(dir, 'demo.pcapng.gz');
    writeFileSync(gz, spawnSync('gzip', ['-c', demo], { maxBuffer: 1 << 26 }).stdout);
    const out = join(dir, 'from-gz.pcapng');
    expect(cli(gz, '--export', out).status).toBe(0);
    expect(frames(out)).toEqual(frames(demo));
    expect(await frameBytes(out)).toEqual(await frameBytes(demo));
  });

  it('exits 2 with a one-line error when OUT cannot be created or written, and removes only regular files', () => {
    const dir = tmp();
    const missingDir = cli(demo, '--export', join(dir, 'no/such/dir/x.pcapng'));
    expect(missingDir.status).toBe(2);
    expect(missingDir.stdout).toBe('');
    expect(missingDir.stderr.trim().split('\n')).toHaveLength(1);
    expect(missingDir.stderr).toMatch(/x\.pcapng: cannot create it: its directory does not exist/);
    const isDir = join(dir, 'adir');
    mkdirSync(isDir);
    const r = cli(demo, '--export', isDir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/adir: is a directory/);
    if (existsSync('/dev/full')) {
      // A write error part-way (ENOSPC). Through a symlink: even a faulty cleanup could only remove the
      // link, and the cleanup must leave anything that is not a regular file alone.
      const link = join(dir, 'full.pcapng');
      symlinkSync('/dev/full', link);
      const full = cli(demo, '--export', link);
      expect(full.status).toBe(2);
      expect(full.stderr.trim().split('\n')).toHaveLength(1);
      expect(full.stderr).toMatch(/full\.pcapng: no space left/);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(existsSync('/dev/full')).toBe(true);
    }
    if (process.getuid?.() !== 0) {
      const ro = join(dir, 'ro');
      mkdirSync(ro);
      chmodSync(ro, 0o500);
      expect(cli(demo, '--export', join(ro, 'x.pcapng')).stderr).toMatch(/permission denied/);
    }
    // Writing over the input is refused before anything is touched.
    const copy = join(dir, 'copy.pcapng');
    writeFileSync(copy, readFileSync(demo));
    const same = cli(copy, '--export', copy);
    expect(same.status).toBe(2);
    expect(same.stderr).toMatch(/is the input file/);
    expect(readFileSync(copy)).toEqual(readFileSync(demo));
  });

  it('rejects --only-flagged without --export and --export without a name', () => {
    const a = cli(demo, '--only-flagged');
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/--only-flagged needs --export/);
    const b = cli(demo, '--export');
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/--export needs an output file name/);
    expect(cli('--help').stdout).toMatch(/--export OUT/);
  });
});
