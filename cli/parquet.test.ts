// `tunnelscope CAPTURE... --parquet DIR` read back with DuckDB, as the README's "Many captures" has users
// do: the tables' row counts, tenants, flagged frames and the README's per-host query give what the CLI's
// summary and the engine say, over several captures in several date partitions; a file that is no
// capture among them costs only itself; the types are the plain ones every engine reads.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../decoders/analysis/engine.ts';
import { offloadReport } from '../decoders/analysis/report.ts';
import type { CaptureSummaryJson, FrameJson } from '../decoders/analysis/types.ts';
import type { TotalSummaryJson } from '../decoders/analysis/total.ts';
import { MemorySource } from '../decoders/capture/memory-source.ts';
import { concat, pcapHeader, pcapRecord } from '../decoders/capture/test-bytes.ts';
import { duck, lit } from '../scripts/lib/duck.ts';
import { runCapture } from './capture-job.ts';
import { generateBench } from '../scripts/gen-bench.ts';
import { mtuFrames } from '../scripts/lib/mtu-capture.ts';

const root = resolve(import.meta.dirname, '..');
const CLI = join(root, 'cli/tunnelscope.mjs');
let dir = '';
let out = '';
let db: Awaited<ReturnType<typeof duck>>;
let run: { status: number | null; stdout: string; stderr: string };
let multi: { files: CaptureSummaryJson[]; total: TotalSummaryJson; errors: Array<{ file: string; error: string }> };
const engines = new Map<string, Engine>();

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The README's SQL block that follows `marker`, with its folder replaced by `folder`. */
function readmeSql(marker: string, folder: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const at = readme.indexOf(marker);
  const m = /```sql\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at < 0 || m === null) throw new Error(`README has no SQL after "${marker}"`);
  return m[1].replaceAll("'out/", `'${folder}/`);
}

const table = (t: string): string => `read_parquet(${lit(`${out}/${t}/**/*.parquet`)}, hive_partitioning = true)`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tunnelscope-parquet-cli-'));
  mkdirSync(join(dir, 'in/h1'), { recursive: true });
  mkdirSync(join(dir, 'in/h2'), { recursive: true });
  copyFileSync(join(root, 'public/samples/demo.pcapng'), join(dir, 'in/h1/demo.pcapng'));
  // Across midnight UTC (2025-12-31 to 2026-01-01): two date partitions; IP fragments and MTU findings.
  const midnight = Date.UTC(2026, 0, 1) / 1000;
  const frames = mtuFrames();
  writeFileSync(join(dir, 'in/h2/mtu.pcap'), concat(pcapHeader(), ...frames.map((data, k) => pcapRecord({ sec: midnight - 6 + k, frac: k * 1000, data }))));
  generateBench({ out: join(dir, 'in/h2/bench.pcapng'), params: { sizeMb: 2, seed: 11, tenants: 8 } });
  rmSync(join(dir, 'in/h2/bench.pcapng.json'));
  writeFileSync(join(dir, 'in/notes.pcap'), 'these are notes, not packets\n');
  for (const [name, path] of [['h1/demo.pcapng', 'in/h1/demo.pcapng'], ['h2/mtu.pcap', 'in/h2/mtu.pcap'], ['h2/bench.pcapng', 'in/h2/bench.pcapng']]) {
    const e = new Engine();
    await e.load(new MemorySource(readFileSync(join(dir, path))), name);
    engines.set(name, e);
  }
  out = join(dir, 'out');
  run = cli('in/h1', 'in/h2', 'in/notes.pcap', '--parquet', 'out', '--jobs', '2');
  multi = JSON.parse(run.stdout) as typeof multi;
  db = await duck();
  await db.run("SET TimeZone = 'UTC'");
}, 120_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tunnelscope --parquet over several captures', () => {
  it('reads the captures, says which file is no capture in one line and exits 2, and writes the others', () => {
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('tunnelscope: in/notes.pcap: not a pcap or pcapng file: starts with 0x74686573\n');
    expect(multi.files.map((s) => s.file)).toEqual(['h1/demo.pcapng', 'h2/bench.pcapng', 'h2/mtu.pcap']);
    expect(multi.errors).toEqual([{ file: 'notes.pcap', error: 'not a pcap or pcapng file: starts with 0x74686573' }]);
    expect(readdirSync(join(out, 'frames'), { recursive: true }).some((p) => String(p).includes('notes'))).toBe(false);
    expect(readdirSync(out).sort()).toEqual(['flows', 'frames', 'hosts', 'tenants']);
  });

  it('lays the frames out in Hive partitions by UTC date and capture, read as one table', async () => {
    const parts = readdirSync(join(out, 'frames'), { recursive: true }).map(String).filter((p) => p.endsWith('.parquet')).sort();
    expect(parts).toEqual([
      'date=2025-11-24/capture=h1%2Fdemo.pcapng/part-0.parquet',
      'date=2025-11-24/capture=h2%2Fbench.pcapng/part-0.parquet',
      'date=2025-12-31/capture=h2%2Fmtu.pcap/part-0.parquet',
      'date=2026-01-01/capture=h2%2Fmtu.pcap/part-0.parquet',
    ]);
    const got = await db.run(`SELECT capture, date::VARCHAR AS date, count(*) AS n, min(frame) AS lo, max(frame) AS hi FROM ${table('frames')} GROUP BY ALL ORDER BY ALL`);
    expect(got).toEqual([
      { capture: 'h1/demo.pcapng', date: '2025-11-24', n: String(multi.files[0].frames), lo: '1', hi: String(multi.files[0].frames) },
      { capture: 'h2/bench.pcapng', date: '2025-11-24', n: String(multi.files[1].frames), lo: '1', hi: String(multi.files[1].frames) },
      { capture: 'h2/mtu.pcap', date: '2025-12-31', n: '6', lo: '1', hi: '6' },
      { capture: 'h2/mtu.pcap', date: '2026-01-01', n: String(multi.files[2].frames - 6), lo: '7', hi: String(multi.files[2].frames) },
    ]);
  });

  it('row counts, bytes and times per file are the summary\'s', async () => {
    const got = await db.run(`SELECT file, count(*) AS frames, sum(caplen) AS bytes, min(time) AS lo, max(time) AS hi FROM ${table('frames')} GROUP BY file ORDER BY file`);
    // time is in microseconds; the summary's times have nanoseconds.
    const us = (t: string | null): string | null => (t === null ? null : `${t.slice(0, 10)} ${t.slice(11, 26).replace(/\.?0+$/, '')}+00`);
    expect(got).toEqual(multi.files.map((s) => ({ file: s.file, frames: String(s.frames), bytes: String(s.bytes), lo: us(s.firstTime), hi: us(s.lastTime) })));
  });

  it('tenant totals of the frames table and the tenants table are the summary\'s, per file and over all', async () => {
    const fromFrames = await db.run(`SELECT file, encap, vnid, count(*) AS frames, sum(caplen) AS bytes, count(*) FILTER (WHERE flagged) AS bad,
      count(*) FILTER (WHERE partial) AS partial FROM ${table('frames')} WHERE tenant IS NOT NULL GROUP BY ALL ORDER BY file, encap, vnid NULLS FIRST`);
    const want = multi.files.flatMap((s) => s.tenants.map((t) => ({
      file: s.file, encap: t.encap, vnid: t.vnid === null ? null : String(t.vnid), frames: String(t.frames), bytes: String(t.bytes), bad: String(t.bad), partial: String(t.partial),
    })));
    expect(want.length).toBeGreaterThan(10);
    expect(fromFrames).toEqual(want);
    const tenants = await db.run(`SELECT file, encap, vnid, frames, bytes, bad, partial, flows FROM ${table('tenants')} ORDER BY file, encap, vnid NULLS FIRST`);
    expect(tenants).toEqual(multi.files.flatMap((s) => s.tenants.map((t) => ({
      file: s.file, encap: t.encap, vnid: t.vnid === null ? null : String(t.vnid), frames: String(t.frames), bytes: String(t.bytes), bad: String(t.bad),
      partial: String(t.partial), flows: String(t.flows),
    }))));
    const total = await db.run(`SELECT encap, vnid, sum(frames) AS frames, sum(flows) AS flows FROM ${table('tenants')} GROUP BY ALL ORDER BY encap, vnid NULLS FIRST`);
    expect(total).toEqual(multi.total.tenants.map((t) => ({ encap: t.encap, vnid: t.vnid === null ? null : String(t.vnid), frames: String(t.frames), flows: String(t.flows) })));
  });

  it('every frame\'s row is its --frames line, column for column', async () => {
    for (const [name, path] of [['h1/demo.pcapng', 'in/h1/demo.pcapng'], ['h2/mtu.pcap', 'in/h2/mtu.pcap']]) {
      const lines = cli(path, '--frames').stdout.trim().split('\n').map((l) => JSON.parse(l) as FrameJson);
      const checkCols = Object.keys((await db.run(`DESCRIBE SELECT * EXCLUDE (file, frame, time, nanos, caplen, len, encap, vnid, tenant, flowId, flow,
        outerSrc, outerDst, innerSrc, innerDst, proto, sport, dport, flagged, partial, date, capture) FROM ${table('frames')}`)).reduce((o, r) => ({ ...o, [String(r.column_name)]: 1 }), {}));
      const got = await db.run(`SELECT frame, strftime(time, '%Y-%m-%dT%H:%M:%S.%f') AS us, nanos, caplen, len, encap, vnid, flowId, outerSrc, outerDst, innerSrc, innerDst,
        proto, sport, dport, ${checkCols.join(', ')}, flagged FROM ${table('frames')} WHERE file = ${lit(name)} ORDER BY frame`);
      expect(got.length).toBe(lines.length);
      const want = lines.map((f) => ({
        frame: String(f.n), us: f.time === null ? null : f.time.slice(0, 26), nanos: f.time === null ? null : Number(f.time.slice(26, 29)),
        caplen: f.caplen, len: f.len, encap: f.encap, vnid: f.vnid === null ? null : String(f.vnid), flowId: f.flowId,
        outerSrc: f.outer?.src ?? null, outerDst: f.outer?.dst ?? null, innerSrc: f.inner?.src ?? null, innerDst: f.inner?.dst ?? null,
        proto: f.inner?.proto ?? null, sport: f.inner?.sport ?? null, dport: f.inner?.dport ?? null,
        ...Object.fromEntries(checkCols.map((c) => [c, Object.entries(f.checks).find(([k]) => k.replaceAll('.', '_') === c)?.[1] ?? null])),
        flagged: Object.values(f.checks).includes('bad'),
      }));
      expect(got, name).toEqual(want);
    }
  });

  it('flagged frames are the summary\'s, and each check\'s verdicts its counts', async () => {
    const got = await db.run(`SELECT file, list(frame ORDER BY frame) AS flagged FROM ${table('frames')} WHERE flagged GROUP BY file ORDER BY file`);
    expect(got).toEqual(multi.files.filter((s) => s.flagged.length > 0).map((s) => ({ file: s.file, flagged: s.flagged.map(String) })));
    expect(multi.total.flagged).toBe(multi.files.reduce((n, s) => n + s.flagged.length, 0));
    for (const s of multi.files) {
      for (const [check, c] of Object.entries(s.checks)) {
        const col = `"${check.replaceAll('.', '_')}"`;
        const [v] = await db.run(`SELECT count(*) FILTER (WHERE ${col} = 'good') AS good, count(*) FILTER (WHERE ${col} = 'bad') AS bad,
          count(*) FILTER (WHERE ${col} = 'partial') AS partial, count(*) FILTER (WHERE ${col} = 'zero') AS zero,
          count(*) FILTER (WHERE ${col} = 'unverified') AS unverified FROM ${table('frames')} WHERE file = ${lit(s.file)}`);
        expect(v, `${s.file} ${check}`).toEqual({ good: String(c.good), bad: String(c.bad), partial: String(c.partial), zero: String(c.zero), unverified: String(c.unverified) });
      }
    }
  });

  it('the README\'s per-host query (bad inner TCP checksums per host, tenant and hour) agrees with the engine and the summary', async () => {
    const rows = await db.run(readmeSql('The same question in DuckDB, Spark or ClickHouse', out));
    expect(rows.length).toBeGreaterThan(3);
    // Per host: the engine's offload report (bad inner.tcp per sending host) of each capture.
    const perHost = new Map<string, number>();
    for (const r of rows) perHost.set(`${r.file}|${r.host}`, (perHost.get(`${r.file}|${r.host}`) ?? 0) + Number(r.bad));
    const want = new Map<string, number>();
    for (const [name, e] of engines) {
      for (const g of offloadReport(e, 1).groups) if (g.check === 'inner.tcp' && g.verdict === 'bad') want.set(`${name}|${g.source}`, g.frames);
    }
    expect(perHost).toEqual(want);
    // Over all hosts, tenants and hours: the summary's count of bad inner.tcp verdicts.
    for (const s of multi.files) {
      const sum = rows.filter((r) => r.file === s.file).reduce((n, r) => n + Number(r.bad), 0);
      expect(sum, s.file).toBe(s.checks['inner.tcp']?.bad ?? 0);
    }
    // And the hosts table's per-check counts say the same.
    const hosts = await db.run(`SELECT file, host, inner_tcp.bad AS bad FROM ${table('hosts')} WHERE inner_tcp.bad > 0`);
    expect(new Map(hosts.map((h) => [`${h.file}|${h.host}`, Number(h.bad)]))).toEqual(want);
  });

  it('hosts: frames per sending host, and the summary\'s MTU findings', async () => {
    for (const s of multi.files) {
      const [{ frames }] = await db.run(`SELECT sum(frames) AS frames FROM ${table('hosts')} WHERE file = ${lit(s.file)}`);
      const [{ ip }] = await db.run(`SELECT count(*) AS ip FROM ${table('frames')} WHERE file = ${lit(s.file)} AND coalesce(outerSrc, innerSrc) IS NOT NULL`);
      expect(frames, s.file).toBe(ip);
    }
    // Every checksum is in an IP frame, which has a host: per check, the hosts' verdict counts add up to the summary's.
    for (const s of multi.files) {
      for (const [check, c] of Object.entries(s.checks)) {
        const col = check.replaceAll('.', '_');
        const [v] = await db.run(`SELECT sum(${col}.good) AS good, sum(${col}.bad) AS bad, sum(${col}.partial) AS partial, sum(${col}.zero) AS zero,
          sum(${col}.unverified) AS unverified, sum(${col}.noChecksum) AS noChecksum FROM ${table('hosts')} WHERE file = ${lit(s.file)}`);
        expect(v, `${s.file} ${check}`).toEqual(Object.fromEntries(Object.entries(c).map(([k, x]) => [k, String(x)])));
      }
    }
    const mtu = await db.run(`SELECT host, mtu.fragmented AS fragmented, mtu.incomplete AS incomplete, mtu.needed AS needed, mtu.advice AS advice
      FROM ${table('hosts')} WHERE file = 'h2/mtu.pcap' AND mtu.advice IS NOT NULL ORDER BY host`);
    const findings = multi.files[2].mtu;
    expect(findings.length).toBeGreaterThan(2);
    expect(mtu).toEqual([...findings].sort((a, b) => (a.host < b.host ? -1 : 1)).map((m) => ({
      host: m.host, fragmented: String(m.fragmented), incomplete: String(m.incomplete), needed: m.needed, advice: m.advice,
    })));
  });

  it('flows: one row per flow of the engine, packets per direction adding up, Zeek\'s id.orig_h ... names', async () => {
    for (const [name, e] of engines) {
      const [f] = await db.run(`SELECT count(*) AS flows, sum(orig_pkts + resp_pkts) AS pkts, sum(frames) AS frames, sum(bad) AS bad FROM ${table('flows')} WHERE file = ${lit(name)}`);
      let frames = 0, bad = 0;
      for (let id = 0; id < e.flows.count; id++) {
        frames += e.flows.frames[id];
        bad += e.flows.bad[id];
      }
      expect(f, name).toEqual({ flows: String(e.flows.count), pkts: String(frames), frames: String(frames), bad: String(bad) });
      const [j] = await db.run(`SELECT count(*) AS n FROM ${table('frames')} fr JOIN ${table('flows')} fl USING (file, flow) WHERE fr.file = ${lit(name)}`);
      expect(j.n, name).toBe(String(frames));
      // ts is the flow's first frame's time, duration the time to its last (frames' times are microseconds).
      const [t] = await db.run(`SELECT count(*) AS n, count(*) FILTER (WHERE fl.ts = f.t0 AND abs(fl.duration - epoch(f.t1) + epoch(f.t0)) < 2e-6) AS ok
        FROM ${table('flows')} fl JOIN (SELECT file, flow, min(time) AS t0, max(time) AS t1 FROM ${table('frames')} GROUP BY ALL) f USING (file, flow)
        WHERE fl.file = ${lit(name)}`);
      expect(t, name).toEqual({ n: String(e.flows.count), ok: String(e.flows.count) });
    }
    const one = await db.run(`SELECT id.orig_h, id.orig_p, id.resp_h, id.resp_p, proto, orig_pkts, resp_pkts, orig_ip_bytes, orig_bytes, outer_orig_h, tenant
      FROM ${table('flows')} WHERE file = 'h2/mtu.pcap' AND id.orig_h = '10.0.1.5'`);
    // The tenant's 3000-byte UDP datagram, fragmented inside NVGRE: one datagram of 3028 IP bytes, 3000 of payload.
    expect(one).toEqual([{
      orig_h: '10.0.1.5', orig_p: 53, resp_h: '10.0.1.6', resp_p: 5353, proto: 'udp', orig_pkts: '3', resp_pkts: '0', orig_ip_bytes: '3028', orig_bytes: '3000',
      outer_orig_h: '192.168.10.13', tenant: 'nvgre:5002',
    }]);
  });

  it('types (DuckDB DESCRIBE): strings, integers, UTC timestamps, structs; no unsigned or nanosecond types', async () => {
    const describe = async (t: string): Promise<Record<string, unknown>> =>
      Object.fromEntries((await db.run(`DESCRIBE SELECT * FROM ${table(t)}`)).map((r) => [r.column_name, r.column_type]));
    expect(await describe('frames')).toMatchObject({
      file: 'VARCHAR', frame: 'BIGINT', time: 'TIMESTAMP WITH TIME ZONE', caplen: 'INTEGER', len: 'INTEGER', encap: 'VARCHAR', vnid: 'BIGINT',
      tenant: 'VARCHAR', flowId: 'INTEGER', flow: 'INTEGER', outerSrc: 'VARCHAR', outerDst: 'VARCHAR', innerSrc: 'VARCHAR', innerDst: 'VARCHAR',
      proto: 'VARCHAR', sport: 'INTEGER', dport: 'INTEGER', ipv4: 'VARCHAR', inner_tcp: 'VARCHAR', flagged: 'BOOLEAN', date: 'DATE', capture: 'VARCHAR',
    });
    expect(await describe('flows')).toMatchObject({
      ts: 'TIMESTAMP WITH TIME ZONE', duration: 'DOUBLE', id: 'STRUCT(orig_h VARCHAR, orig_p INTEGER, resp_h VARCHAR, resp_p INTEGER)', proto: 'VARCHAR',
      orig_pkts: 'BIGINT', orig_bytes: 'BIGINT', orig_ip_bytes: 'BIGINT', resp_pkts: 'BIGINT', tenant: 'VARCHAR', outer_orig_h: 'VARCHAR', bad: 'BIGINT',
    });
    expect(await describe('tenants')).toMatchObject({ tenant: 'VARCHAR', vnid: 'BIGINT', frames: 'BIGINT', firstTime: 'TIMESTAMP WITH TIME ZONE' });
    expect(await describe('hosts')).toMatchObject({ host: 'VARCHAR', frames: 'BIGINT', inner_tcp: expect.stringMatching(/^STRUCT\(good BIGINT, bad BIGINT/) });
    const files = readdirSync(out, { recursive: true }).map(String).filter((p) => p.endsWith('.parquet'));
    const types = await db.run(`SELECT DISTINCT type, converted_type, logical_type::VARCHAR AS logical FROM parquet_schema([${files.map((f) => lit(join(out, f))).join(', ')}]) WHERE type IS NOT NULL`);
    for (const t of types) {
      expect(['BOOLEAN', 'INT32', 'INT64', 'DOUBLE', 'BYTE_ARRAY']).toContain(t.type);
      expect(String(t.converted_type ?? '')).not.toMatch(/UINT|INT96/);
      if (t.type === 'INT64' && t.converted_type !== null) expect(t.converted_type).toBe('TIMESTAMP_MICROS');
    }
    const compression = await db.run(`SELECT DISTINCT compression FROM parquet_metadata([${files.map((f) => lit(join(out, f))).join(', ')}])`);
    expect(compression).toEqual([{ compression: 'SNAPPY' }]);
  });

  it('writes the same files with one thread; a capture written again replaces its files', () => {
    const again = cli('in/h1', 'in/h2', '--parquet', 'out1', '--jobs', '1');
    expect(again.status).toBe(0);
    const list = (d: string): string[] => readdirSync(join(dir, d), { recursive: true }).map(String).filter((p) => p.endsWith('.parquet')).sort();
    expect(list('out1')).toEqual(list('out'));
    for (const p of list('out')) expect(readFileSync(join(dir, 'out1', p)).equals(readFileSync(join(out, p))), p).toBe(true);
    // The MTU capture again, now all on one day: its other date's file goes.
    writeFileSync(join(dir, 'in/h2/mtu.pcap'), concat(pcapHeader(), ...mtuFrames().map((data, k) => pcapRecord({ sec: 1_767_225_600 + 3600 + k, frac: 0, data }))));
    expect(cli('in/h1', 'in/h2', '--parquet', 'out1').status).toBe(0);
    expect(list('out1').filter((p) => p.includes('mtu'))).toEqual([
      'flows/date=2026-01-01/capture=h2%2Fmtu.pcap/part-0.parquet', 'frames/date=2026-01-01/capture=h2%2Fmtu.pcap/part-0.parquet',
      'hosts/capture=h2%2Fmtu.pcap/part-0.parquet', 'tenants/capture=h2%2Fmtu.pcap/part-0.parquet',
    ]);
    expect(existsSync(join(dir, 'out1/frames/date=2025-12-31'))).toBe(false);
    expect(readdirSync(join(dir, 'out1'), { recursive: true }).map(String).filter((p) => p.includes('.tmp'))).toEqual([]);
  });

  it('one capture with --parquet prints the summary exactly as without it (frames written by a second thread or not)', () => {
    const plain = cli('in/h1/demo.pcapng');
    const withParquet = cli('in/h1/demo.pcapng', '--parquet', 'out2', '--jobs', '2');
    expect(withParquet.status).toBe(0);
    expect(withParquet.stderr).toBe('');
    expect(withParquet.stdout).toBe(plain.stdout);
    const part = 'frames/date=2025-11-24/capture=demo.pcapng/part-0.parquet';
    expect(existsSync(join(dir, 'out2', part))).toBe(true);
    expect(cli('in/h1/demo.pcapng', '--parquet', 'out2b', '--jobs', '1').stdout).toBe(plain.stdout);
    expect(readFileSync(join(dir, 'out2b', part)).equals(readFileSync(join(dir, 'out2', part)))).toBe(true);
  });

  it('row groups of a set size; the frames thread gives the same bytes, waiting for it when it is behind', async () => {
    const job = { path: join(dir, 'in/h2/bench.pcapng'), name: 'bench.pcapng', rowGroup: 1000 };
    const a = await runCapture({ ...job, parquet: join(dir, 'rg-inline') });
    const b = await runCapture({ ...job, parquet: join(dir, 'rg-pipe'), pipe: true });
    expect(a).toEqual(b);
    const part = 'frames/date=2025-11-24/capture=bench.pcapng/part-0.parquet';
    expect(readFileSync(join(dir, 'rg-pipe', part)).equals(readFileSync(join(dir, 'rg-inline', part)))).toBe(true);
    const groups = await db.run(`SELECT DISTINCT row_group_id, row_group_num_rows AS n FROM parquet_metadata(${lit(join(dir, 'rg-pipe', part))}) ORDER BY row_group_id`);
    const frames = 'summary' in a ? a.summary.frames : 0;
    expect(groups.length).toBe(Math.ceil(frames / 1000));
    expect(groups.slice(0, -1).every((g) => g.n === '1000')).toBe(true);
    expect(readdirSync(join(dir, 'rg-pipe'), { recursive: true }).map(String).filter((p) => p.includes('.tmp'))).toEqual([]);
  });

  it('a capture that fails leaves nothing behind, from either thread', async () => {
    for (const pipe of [false, true]) {
      const r = await runCapture({ path: join(dir, 'in/notes.pcap'), name: 'notes.pcap', parquet: join(dir, `fail-${pipe}`), pipe });
      expect(r).toEqual({ name: 'notes.pcap', error: 'not a pcap or pcapng file: starts with 0x74686573' });
      const d = join(dir, `fail-${pipe}`);
      const files = existsSync(d) ? readdirSync(d, { recursive: true }).map(String).filter((p) => statSync(join(d, p)).isFile()) : [];
      expect(files).toEqual([]);
    }
  });

  it('a folder that cannot be written: its one-line reason and exit 2 before any capture is read', () => {
    for (const args of [['in/h1/demo.pcapng'], ['in/h1/demo.pcapng', 'in/h2/mtu.pcap']]) {
      const r = cli(...args, '--parquet', 'in/notes.pcap/out');
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('tunnelscope: in/notes.pcap/out: not a directory (a file is in the way)\n');
    }
  });

  it('a table file that cannot be written fails its capture with the reason, from either thread, leaving nothing', async () => {
    for (const pipe of [false, true]) {
      const d = join(dir, `blocked-${pipe}`);
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'frames'), 'in the way');
      const r = await runCapture({ path: join(dir, 'in/h2/bench.pcapng'), name: 'bench.pcapng', parquet: d, pipe, rowGroup: 1000 });
      expect(r).toEqual({ name: 'bench.pcapng', error: `cannot write its tables under ${d}: not a directory (a file is in the way)` });
      expect(readdirSync(d, { recursive: true }).map(String)).toEqual(['frames']);
    }
  });

  it('rejects --parquet with --frames, --filter or --export', () => {
    for (const other of [['--frames'], ['--filter', 'tcp'], ['--export', 'x.pcapng']]) {
      const r = cli('in/h1/demo.pcapng', '--parquet', 'out3', ...other);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`--parquet writes every frame's table and takes no ${other[0]}`);
    }
  });
});

