// ParquetWriter's files as another implementation reads them: DuckDB (in-process) reads back every type,
// null pattern, struct, page and row group split, dictionary choice and statistic; Snappy and the RLE
// hybrid round-trip through small decoders written from their specifications.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duck, lit, type Rows } from '../../scripts/lib/duck.ts';
import { Rng } from '../../scripts/lib/rng.ts';
import { ByteOut } from './bytes-out.ts';
import { bitWidth, rleHybrid } from './rle.ts';
import { snappyCompress } from './snappy.ts';
import { ParquetWriter, type Codec, type FieldSpec, type LeafData } from './writer.ts';

let dir = '';
let db: Awaited<ReturnType<typeof duck>>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tunnelscope-parquet-'));
  db = await duck();
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, schema: FieldSpec[], groups: Array<{ n: number; data: LeafData[] }>, codec: Codec = 'snappy', pageRows = 1000): string {
  const parts: Uint8Array[] = [];
  const w = new ParquetWriter(schema, (b) => parts.push(b.slice()), { codec, pageRows, metadata: { origin: 'test' } });
  for (const g of groups) w.writeRowGroup(g.n, g.data);
  w.finish();
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

const WORDS = ['x', 'yy', 'zzz', 'ünïcödé', ''];

/** Rows r of a group as the test expects them back. */
function expected(g: number, r: number): Record<string, unknown> {
  return {
    a: r - 100 * g,
    b: r % 7 === 0 ? null : String(r * 1_000_000_007 + g),
    s: r % 5 === 0 ? null : WORDS[(r >> 3) % WORDS.length],
    t: 1_764_000_000_000_000 + r * 1_000_003 - g,
    f: r % 3 === 0,
    d: r / 3 - g,
    id: { orig_h: r % 2 === 0 ? '10.0.0.1' : 'fe80::1', orig_p: r % 3 === 2 ? null : 80 + (r % 4) },
    port: r % 11 === 0 ? null : (r * 37) % 65536,
    none: null,
  };
}

const SCHEMA: FieldSpec[] = [
  { name: 'a', type: 'int32' },
  { name: 'b', type: 'int64', optional: true, dict: true }, // values past the key range: PLAIN after all
  { name: 's', type: 'string', optional: true },
  { name: 't', type: 'timestamp', optional: true },
  { name: 'f', type: 'bool' },
  { name: 'd', type: 'double' },
  { name: 'id', fields: [{ name: 'orig_h', type: 'string' }, { name: 'orig_p', type: 'int32', optional: true, dict: true }] },
  { name: 'port', type: 'int32', optional: true, dict: true },
  { name: 'none', type: 'string', optional: true },
];

function group(g: number, n: number): { n: number; data: LeafData[] } {
  const rows = Array.from({ length: n }, (_, r) => expected(g, r));
  const col = <T extends Int32Array | Float64Array | Uint8Array>(make: (k: number) => T, get: (row: Record<string, unknown>) => unknown, conv: (v: unknown) => number = Number): LeafData => {
    const values = make(n);
    const valid = new Uint8Array(n);
    rows.forEach((row, r) => {
      const v = get(row);
      if (v === null) return;
      values[r] = conv(v);
      valid[r] = 1;
    });
    return { values, valid };
  };
  const key = (list: string[]) => (v: unknown): number => list.indexOf(v as string);
  return {
    n,
    data: [
      col((k) => new Int32Array(k), (x) => x.a),
      col((k) => new Float64Array(k), (x) => x.b),
      { ...col((k) => new Int32Array(k), (x) => x.s, key(WORDS)), text: (k) => WORDS[k] },
      col((k) => new Float64Array(k), (x) => x.t),
      col((k) => new Uint8Array(k), (x) => x.f, (v) => (v ? 1 : 0)),
      col((k) => new Float64Array(k), (x) => x.d),
      { ...col((k) => new Int32Array(k), (x) => (x.id as { orig_h: string }).orig_h, key(['10.0.0.1', 'fe80::1'])), text: (k) => ['10.0.0.1', 'fe80::1'][k] },
      col((k) => new Int32Array(k), (x) => (x.id as { orig_p: number | null }).orig_p),
      col((k) => new Int32Array(k), (x) => x.port),
      { values: new Int32Array(n), valid: new Uint8Array(n), text: () => 'never' },
    ],
  };
}

describe('ParquetWriter', () => {
  for (const codec of ['snappy', 'none'] as const) {
    it(`writes what DuckDB reads back value for value (${codec}, several row groups and pages)`, async () => {
      const sizes = [2500, 1, 1001];
      const path = write(`all-${codec}.parquet`, SCHEMA, sizes.map((n, g) => group(g, n)), codec);
      const got = await db.run(`SELECT a, b::VARCHAR AS b, s, epoch_us(t) AS t, f, d, id, port, "none" FROM read_parquet(${lit(path)})`);
      const want: Rows = sizes.flatMap((n, g) => Array.from({ length: n }, (_, r) => {
        const e = expected(g, r);
        return { ...e, t: String(e.t) };
      }));
      expect(got.length).toBe(want.length);
      expect(got).toEqual(want);
      const meta = await db.run(`SELECT row_group_id, row_group_num_rows, path_in_schema, compression, encodings FROM parquet_metadata(${lit(path)}) ORDER BY row_group_id, column_id`);
      expect(meta.filter((m) => m.path_in_schema === 'a').map((m) => Number(m.row_group_num_rows))).toEqual(sizes);
      expect(new Set(meta.map((m) => m.compression))).toEqual(new Set([codec === 'snappy' ? 'SNAPPY' : 'UNCOMPRESSED']));
      const enc = (col: string): unknown => meta.find((m) => m.path_in_schema === col)?.encodings;
      expect(enc('s')).toContain('PLAIN_DICTIONARY');
      expect(enc('port')).toContain('PLAIN_DICTIONARY');
      expect(enc('b')).toBe('PLAIN, RLE'); // values of a billion are no small keys
      const kv = await db.run(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${lit(path)})`);
      expect(kv).toEqual([{ k: 'origin', v: 'test' }]);
    });
  }

  it('types: signed INT32/INT64, DOUBLE, BOOLEAN, UTF-8 strings, UTC timestamps in microseconds, structs', async () => {
    const path = write('types.parquet', SCHEMA, [group(0, 10)]);
    const schema = await db.run(`SELECT name, type, logical_type, converted_type FROM parquet_schema(${lit(path)}) WHERE name <> 'schema'`);
    const by = Object.fromEntries(schema.map((r) => [r.name, r]));
    expect(by.a.type).toBe('INT32');
    expect(by.b.type).toBe('INT64');
    expect(by.d.type).toBe('DOUBLE');
    expect(by.f.type).toBe('BOOLEAN');
    expect(by.s).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    expect(by.t).toMatchObject({ type: 'INT64', converted_type: 'TIMESTAMP_MICROS' });
    expect(String(by.t.logical_type)).toMatch(/isAdjustedToUTC=1.*MICROS|MICROS.*isAdjustedToUTC=1/);
    const desc = Object.fromEntries((await db.run(`DESCRIBE SELECT * FROM read_parquet(${lit(path)})`)).map((r) => [r.column_name, r.column_type]));
    expect(desc).toMatchObject({
      a: 'INTEGER', b: 'BIGINT', s: 'VARCHAR', t: 'TIMESTAMP WITH TIME ZONE', f: 'BOOLEAN', d: 'DOUBLE',
      id: 'STRUCT(orig_h VARCHAR, orig_p INTEGER)', port: 'INTEGER',
    });
  });

  it('min/max statistics of integer and timestamp columns let a reader skip row groups', async () => {
    const path = write('stats.parquet', SCHEMA, [group(0, 100), group(1, 100)]);
    const stats = await db.run(`SELECT row_group_id, path_in_schema, stats_min_value AS lo, stats_max_value AS hi, stats_null_count AS nulls
      FROM parquet_metadata(${lit(path)}) WHERE path_in_schema IN ('a', 'port', 'b') ORDER BY row_group_id, path_in_schema`);
    const want = [0, 1].flatMap((g) => ['a', 'b', 'port'].map((col) => {
      const vs = Array.from({ length: 100 }, (_, r) => expected(g, r)[col]);
      const present = vs.filter((v) => v !== null).map(Number);
      return {
        row_group_id: String(g), path_in_schema: col, lo: String(Math.min(...present)), hi: String(Math.max(...present)),
        nulls: String(vs.length - present.length),
      };
    }));
    expect(stats).toEqual(want);
    // A filter outside every row group's range is answered from the statistics alone.
    const plan = await db.run(`EXPLAIN ANALYZE SELECT count(*) FROM read_parquet(${lit(path)}) WHERE a > 1000`);
    expect(String(plan[0].explain_value)).toContain('EMPTY_RESULT');
  });

  it('an empty file (no row group) is a valid table of no rows', async () => {
    const path = write('empty.parquet', SCHEMA, []);
    expect(await db.run(`SELECT count(*) AS n FROM read_parquet(${lit(path)})`)).toEqual([{ n: '0' }]);
  });

  it('rows added in batches make pages of the open row group, ended at rowGroupRows', async () => {
    const parts: Uint8Array[] = [];
    const w = new ParquetWriter(SCHEMA, (b) => parts.push(b.slice()), { pageRows: 300, rowGroupRows: 1000 });
    const batches = [700, 1, 299, 1500, 3];
    batches.forEach((n, g) => w.writeRows(n, group(g, n).data));
    w.finish();
    const path = join(dir, 'batches.parquet');
    writeFileSync(path, Buffer.concat(parts));
    const got = await db.run(`SELECT a, s, port, id FROM read_parquet(${lit(path)})`);
    const want = batches.flatMap((n, g) => Array.from({ length: n }, (_, r) => {
      const e = expected(g, r);
      return { a: e.a, s: e.s, port: e.port, id: e.id };
    }));
    expect(got).toEqual(want);
    const groups = await db.run(`SELECT DISTINCT row_group_id, row_group_num_rows AS n FROM parquet_metadata(${lit(path)}) ORDER BY row_group_id`);
    expect(groups.map((g) => g.n)).toEqual(['1000', '1000', '503']);
  });

  it('an integer column whose values stop being small keys goes on PLAIN, the pages before it keep the dictionary', async () => {
    const n = 3000;
    const v = Int32Array.from({ length: n }, (_, i) => (i < 2000 ? i % 7 : 5_000_000 + i));
    const path = write('fallback.parquet', [{ name: 'v', type: 'int32', dict: true }], [{ n, data: [{ values: v }] }]);
    const got = await db.run(`SELECT v FROM read_parquet(${lit(path)})`);
    expect(got.map((r) => r.v)).toEqual([...v]);
    const [meta] = await db.run(`SELECT encodings, stats_min_value AS lo, stats_max_value AS hi FROM parquet_metadata(${lit(path)})`);
    expect(meta).toEqual({ encodings: 'PLAIN_DICTIONARY, PLAIN, RLE', lo: '0', hi: String(5_000_000 + n - 1) });
  });

  it('keyed integers: a dictionary of the keys\' values', async () => {
    const vnids = [5001, 4294967295, 0];
    const path = write('keyed.parquet', [{ name: 'v', type: 'int64', optional: true }], [{
      n: 6, data: [{ values: new Int32Array([0, 1, 2, 1, 0, 0]), valid: new Uint8Array([1, 1, 1, 1, 0, 1]), value: (k) => vnids[k] }],
    }]);
    const got = await db.run(`SELECT v::VARCHAR AS v FROM read_parquet(${lit(path)})`);
    expect(got.map((r) => r.v)).toEqual(['5001', '4294967295', '0', '4294967295', null, '5001']);
  });
});

/** Snappy decompression from the format description, to check the compressor against. */
function unsnappy(b: Uint8Array): Uint8Array {
  let p = 0, len = 0, shift = 0;
  for (;;) {
    const c = b[p++];
    len += (c & 0x7f) * 2 ** shift;
    shift += 7;
    if (c < 0x80) break;
  }
  const out = new Uint8Array(len);
  let o = 0;
  while (p < b.length) {
    const tag = b[p++];
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >> 2;
      if (n >= 60) {
        const bytes = n - 59;
        n = 0;
        for (let k = 0; k < bytes; k++) n += b[p++] * 2 ** (8 * k);
      }
      n += 1;
      out.set(b.subarray(p, p + n), o);
      p += n;
      o += n;
      continue;
    }
    let n: number, off: number;
    if (kind === 1) { n = ((tag >> 2) & 7) + 4; off = ((tag >> 5) << 8) | b[p++]; }
    else if (kind === 2) { n = (tag >> 2) + 1; off = b[p] | (b[p + 1] << 8); p += 2; }
    else { n = (tag >> 2) + 1; off = b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24); p += 4; }
    if (off === 0 || off > o) throw new Error(`bad offset ${off} at ${o}`);
    for (let k = 0; k < n; k++, o++) out[o] = out[o - off];
  }
  if (o !== len) throw new Error(`length ${o}, header says ${len}`);
  return out;
}

/** The RLE / bit-packing hybrid decoded from the specification. */
function unrle(b: Uint8Array, width: number, count: number): number[] {
  const out: number[] = [];
  let p = 0;
  while (out.length < count) {
    let h = 0, shift = 0;
    for (;;) {
      const c = b[p++];
      h += (c & 0x7f) * 2 ** shift;
      shift += 7;
      if (c < 0x80) break;
    }
    if (h % 2 === 0) {
      let v = 0;
      for (let k = 0; k < Math.ceil(width / 8); k++) v |= b[p++] << (8 * k);
      for (let k = 0; k < h / 2; k++) out.push(v);
    } else {
      const n = ((h - 1) / 2) * 8;
      let bit = p * 8;
      for (let k = 0; k < n; k++) {
        let v = 0;
        for (let j = 0; j < width; j++, bit++) v |= ((b[bit >> 3] >> (bit & 7)) & 1) << j;
        out.push(v);
      }
      p += ((h - 1) / 2) * width;
    }
  }
  return out.slice(0, count);
}

describe('Snappy', () => {
  const rng = new Rng(42);
  const inputs: Array<[string, Uint8Array]> = [
    ['empty', new Uint8Array(0)],
    ['short', new Uint8Array([1, 2, 3])],
    ['random', Uint8Array.from({ length: 200_000 }, () => rng.int(256))],
    ['runs', Uint8Array.from({ length: 300_000 }, (_, i) => (i >> 10) & 3)],
    ['words', new Uint8Array(Int32Array.from({ length: 100_000 }, (_, i) => [96, 1514, 600][i % 3] + (i % 97 === 0 ? rng.int(1000) : 0)).buffer)],
    ['text', new TextEncoder().encode('192.168.10.11,192.168.10.12;'.repeat(5000) + 'the end')],
  ];
  for (const [name, data] of inputs) {
    it(`round-trips ${name} data (and compresses what repeats)`, () => {
      const out = new ByteOut(16);
      snappyCompress(data, out);
      const back = unsnappy(out.bytes());
      expect(back.length).toBe(data.length);
      expect(Buffer.from(back).equals(Buffer.from(data))).toBe(true);
      if (name === 'runs' || name === 'text') expect(out.length).toBeLessThan(data.length / 10);
    });
  }
});

describe('RLE / bit-packing hybrid', () => {
  const rng = new Rng(7);
  const cases: Array<[string, number[], number]> = [
    ['one value', [5], 3],
    ['a long run', Array(1000).fill(1), 1],
    ['random bits', Array.from({ length: 1003 }, () => rng.int(2)), 1],
    ['runs and noise', Array.from({ length: 5000 }, (_, i) => (i % 100 < 30 ? 7 : rng.int(1000))), bitWidth(999)],
    ['ids up to 2^20', Array.from({ length: 777 }, () => rng.int(1 << 20)), 20],
    ['literals longer than a header holds', Array.from({ length: 2000 }, (_, i) => i % 9), 4],
  ];
  for (const [name, values, width] of cases) {
    it(`round-trips ${name}`, () => {
      const out = new ByteOut(16);
      rleHybrid(out, values, 0, values.length, width);
      expect(unrle(out.bytes(), width, values.length)).toEqual(values);
    });
  }
});
