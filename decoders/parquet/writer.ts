// A Parquet file writer for the tables the CLI exports (README "Many captures"): columns in, row groups
// out, one at a time, so memory holds one row group. Only plain, widely read choices: data pages v1,
// strings dictionary-encoded (PLAIN_DICTIONARY, as parquet-mr writes them), numbers PLAIN, definition
// levels RLE, Snappy compression, signed INT32/INT64, DOUBLE, BOOLEAN, UTF-8 strings and timestamps as
// INT64 microseconds adjusted to UTC; groups (structs) of such leaves, no lists. Statistics (null count,
// and min/max of integer and timestamp columns) let engines skip row groups.
//
// Why our own: the registry's writers measured 4 to 100 times slower than decoding the same frames
// (see bench/parquet.ts and the README), and the frames already come as integer ids of interned
// strings, which is what a dictionary page wants.
import { ByteOut } from './bytes-out.ts';
import { bitWidth, rleHybrid } from './rle.ts';
import { snappyCompress } from './snappy.ts';
import { ThriftOut } from './thrift.ts';

export type LeafType = 'int32' | 'int64' | 'double' | 'bool' | 'string' | 'timestamp';

export interface LeafSpec {
  name: string;
  type: LeafType;
  /** May be null (OPTIONAL); otherwise every row has a value (REQUIRED). */
  optional?: boolean;
  /**
   * Integers: dictionary-encode (few distinct values: ports, lengths, ids). The values themselves are the keys
   * (non-negative, below 2^20; a row group with others is written PLAIN), or LeafData.value maps keys.
   */
  dict?: boolean;
}

/** A struct column: a REQUIRED group of leaves (SQL: `group.leaf`). */
export interface GroupSpec {
  name: string;
  fields: LeafSpec[];
}

export type FieldSpec = LeafSpec | GroupSpec;

/**
 * One leaf's values for a row group, indexed by row. int32: Int32Array; int64 and timestamp (microseconds):
 * Float64Array of exact integers (or Int32Array); double: Float64Array; bool: Uint8Array (0/1); string: an
 * Int32Array of keys with `text` giving each key's string (a key seen in many rows is encoded once).
 */
export interface LeafData {
  values: Int32Array | Float64Array | Uint8Array;
  /** Per row 1 when present; null: all present. Only for optional leaves. */
  valid?: Uint8Array | null;
  text?: (key: number) => string;
  /** Integer columns given as keys (Int32Array values): each key's value (a dictionary of them is written). */
  value?: (key: number) => number;
}

export type Codec = 'snappy' | 'none';

export interface WriterOptions {
  codec?: Codec;
  /** Rows per data page (pages are the unit a reader decompresses). */
  pageRows?: number;
  createdBy?: string;
  metadata?: Record<string, string>;
}

interface Leaf {
  spec: LeafSpec;
  path: string[];
}

interface ChunkMeta {
  leaf: Leaf;
  encodings: number[];
  numValues: number;
  uncompressed: number;
  compressed: number;
  dataOffset: number;
  dictOffset: number;
  start: number;
  nulls: number;
  min: Uint8Array | null;
  max: Uint8Array | null;
}

interface RowGroupMeta {
  rows: number;
  offset: number;
  chunks: ChunkMeta[];
}

// parquet.thrift enums.
const PHYSICAL: Record<LeafType, number> = { bool: 0, int32: 1, int64: 2, timestamp: 2, double: 5, string: 6 };
const REQUIRED = 0, OPTIONAL = 1;
const CONVERTED_UTF8 = 0, CONVERTED_TIMESTAMP_MICROS = 10;
const ENC_PLAIN = 0, ENC_PLAIN_DICTIONARY = 2, ENC_RLE = 3;
const PAGE_DATA = 0, PAGE_DICTIONARY = 2;
const CODEC_ID: Record<Codec, number> = { none: 0, snappy: 1 };

/** Largest key (+1) an integer column is dictionary-encoded by: the key map is an array this long at most. */
const MAX_KEY = 1 << 20;

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // PAR1
const utf8 = new TextEncoder();

export class ParquetWriter {
  private readonly leaves: Leaf[] = [];
  private readonly groups: RowGroupMeta[] = [];
  private readonly codec: Codec;
  private readonly pageRows: number;
  private pos = 0;
  private rows = 0;
  private finished = false;
  // Scratch, reused for every page.
  private readonly body = new ByteOut(1 << 20);
  private readonly packed = new ByteOut(1 << 20);
  private readonly head = new ByteOut(256);
  private local = new Int32Array(1024).fill(-1);
  private idx = new Int32Array(1024);
  private pageAt = new Int32Array(16);
  /** Keys of the string column being written, in dictionary order (local maps them back, -1 elsewhere). */
  private readonly order: number[] = [];

  constructor(
    private readonly schema: readonly FieldSpec[],
    private readonly sink: (bytes: Uint8Array) => void,
    private readonly opts: WriterOptions = {},
  ) {
    this.codec = opts.codec ?? 'snappy';
    this.pageRows = opts.pageRows ?? 65536;
    for (const f of schema) {
      if ('fields' in f) for (const l of f.fields) this.leaves.push({ spec: l, path: [f.name, l.name] });
      else this.leaves.push({ spec: f, path: [f.name] });
    }
    this.emit(MAGIC);
  }

  /** Leaves in the order writeRowGroup takes their data: fields in order, a group's leaves in place. */
  get leafPaths(): string[] {
    return this.leaves.map((l) => l.path.join('.'));
  }

  get rowCount(): number {
    return this.rows;
  }

  private emit(b: Uint8Array): void {
    this.sink(b);
    this.pos += b.length;
  }

  /** Writes rows 0..n-1 of every leaf's data as one row group. */
  writeRowGroup(n: number, data: readonly LeafData[]): void {
    if (this.finished) throw new Error('parquet: row group after finish()');
    if (data.length !== this.leaves.length) throw new Error(`parquet: ${data.length} columns given, the schema has ${this.leaves.length}`);
    if (n === 0) return;
    const chunks: ChunkMeta[] = [];
    const offset = this.pos;
    this.leaves.forEach((leaf, k) => chunks.push(this.writeChunk(leaf, n, data[k])));
    this.groups.push({ rows: n, offset, chunks });
    this.rows += n;
  }

  private writeChunk(leaf: Leaf, n: number, d: LeafData): ChunkMeta {
    const type = leaf.spec.type;
    const opt = leaf.spec.optional === true;
    const valid = opt ? d.valid ?? null : null;
    const meta: ChunkMeta = {
      leaf, encodings: [], numValues: n, uncompressed: 0, compressed: 0, dataOffset: 0, dictOffset: -1, start: this.pos, nulls: 0, min: null, max: null,
    };
    const pages = Math.ceil(n / this.pageRows);
    // Dictionary columns: strings always, integers when asked and their keys allow it.
    const keyed = type === 'string' || d.value !== undefined || (leaf.spec.dict === true && (type === 'int32' || type === 'int64'));
    meta.nulls = nullCount(valid, n);
    // Level runs of one value are written as such: no scan of a column that is all null or all there.
    const levels = meta.nulls === 0 ? 1 : meta.nulls === n ? 0 : -1;
    const dictCount = keyed && levels !== 0 ? this.index(n, d, valid, pages) : -1;
    if (d.value !== undefined) {
      const value = d.value;
      stats(type, this.order.length, this.order.map(value), null, meta);
    } else if (type !== 'string') stats(type, n, d.values as Int32Array | Float64Array, valid, meta);
    if (dictCount >= 0) {
      this.dictPage(type, d);
      meta.dictOffset = this.pos;
      this.page(meta, PAGE_DICTIONARY, dictCount, ENC_PLAIN_DICTIONARY);
    }
    meta.dataOffset = this.pos;
    const enc = dictCount >= 0 ? ENC_PLAIN_DICTIONARY : ENC_PLAIN;
    meta.encodings = [enc, ENC_RLE];
    const width = bitWidth(Math.max(0, dictCount - 1));
    for (let p = 0; p < pages; p++) {
      const from = p * this.pageRows;
      const to = Math.min(n, from + this.pageRows);
      const body = this.body;
      body.reset();
      if (opt) {
        const at = body.length;
        body.u32(0);
        if (levels >= 0) sameLevel(body, to - from, levels);
        else rleHybrid(body, valid as Uint8Array, from, to, 1);
        new DataView(body.buf.buffer).setUint32(at, body.length - at - 4, true);
      }
      if (levels === 0) {
        // All null: the levels say it all.
      } else if (dictCount >= 0) {
        body.u8(width);
        rleHybrid(body, this.idx, this.pageAt[p], this.pageAt[p + 1], width);
      } else plain(body, type, d.values, valid, from, to);
      this.page(meta, PAGE_DATA, to - from, enc);
    }
    for (const k of this.order) this.local[k] = -1;
    this.order.length = 0;
    return meta;
  }

  /**
   * Dictionary indices of the present values (idx, in row order; pageAt[p] is where page p's start) and the
   * keys in dictionary order (order; local maps a key to its index). Returns the dictionary size, or -1 for an
   * integer column whose values are no small keys (written PLAIN instead).
   */
  private index(n: number, d: LeafData, valid: Uint8Array | null, pages: number): number {
    const keys = d.values;
    if (keys instanceof Uint8Array) return -1;
    if (this.idx.length < n) this.idx = new Int32Array(n);
    if (this.pageAt.length < pages + 1) this.pageAt = new Int32Array(pages + 1);
    const idx = this.idx, pageAt = this.pageAt, order = this.order;
    let local = this.local;
    let m = 0;
    for (let p = 0; p < pages; p++) {
      pageAt[p] = m;
      const to = Math.min(n, (p + 1) * this.pageRows);
      for (let i = p * this.pageRows; i < to; i++) {
        if (valid !== null && valid[i] === 0) continue;
        const k = keys[i];
        if (!(k >= 0 && k < MAX_KEY && k === Math.floor(k))) {
          // Not a small key (an integer column with large or negative values): PLAIN after all.
          for (const o of order) local[o] = -1;
          order.length = 0;
          return -1;
        }
        if (k >= local.length) {
          const grown = new Int32Array(Math.max(k + 1, local.length * 2)).fill(-1);
          grown.set(local);
          local = this.local = grown;
        }
        let x = local[k];
        if (x < 0) {
          x = local[k] = order.length;
          order.push(k);
        }
        idx[m++] = x;
      }
    }
    pageAt[pages] = m;
    return order.length;
  }

  /** The dictionary page body: the values of the keys in `order`, PLAIN. */
  private dictPage(type: LeafType, d: LeafData): void {
    const body = this.body;
    body.reset();
    const order = this.order;
    if (type === 'string') {
      const text = d.text;
      if (text === undefined) throw new Error('parquet: a string column needs text(key)');
      for (const k of order) {
        const b = utf8.encode(text(k));
        body.u32(b.length);
        body.append(b);
      }
      return;
    }
    const value = d.value ?? ((k: number) => k);
    for (const k of order) {
      if (type === 'int32') body.i32(value(k));
      else body.i64(value(k));
    }
  }

  /** Compresses the page body and writes header and page. */
  private page(meta: ChunkMeta, type: number, count: number, encoding: number): void {
    const raw = this.body.bytes();
    let data = raw;
    if (this.codec === 'snappy') {
      this.packed.reset();
      snappyCompress(raw, this.packed);
      data = this.packed.bytes();
    }
    const h = this.head;
    h.reset();
    new ThriftOut(h).root((t) => {
      t.i32(1, type).i32(2, raw.length).i32(3, data.length);
      if (type === PAGE_DATA) t.struct(5, (p) => p.i32(1, count).i32(2, encoding).i32(3, ENC_RLE).i32(4, ENC_RLE));
      else t.struct(7, (p) => p.i32(1, count).i32(2, encoding));
    });
    meta.uncompressed += h.length + raw.length;
    meta.compressed += h.length + data.length;
    this.emit(h.bytes());
    this.emit(data);
    this.body.shrink(4 << 20);
    this.packed.shrink(4 << 20);
  }

  /** Writes the footer; the file is complete. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const out = new ByteOut(4096);
    const t = new ThriftOut(out);
    t.root((f) => {
      f.i32(1, 1);
      f.listStruct(2, this.schemaElements(), (e, el) => el(e));
      f.i64(3, this.rows);
      f.listStruct(4, this.groups, (g, rg) => {
        g.listStruct(1, rg.chunks, (c, m) => {
          c.i64(2, m.start);
          c.struct(3, (cm) => {
            cm.i32(1, PHYSICAL[m.leaf.spec.type]);
            cm.listI32(2, m.encodings);
            cm.listBinary(3, m.leaf.path);
            cm.i32(4, CODEC_ID[this.codec]);
            cm.i64(5, m.numValues).i64(6, m.uncompressed).i64(7, m.compressed).i64(9, m.dataOffset);
            if (m.dictOffset >= 0) cm.i64(11, m.dictOffset);
            cm.struct(12, (s) => {
              s.i64(3, m.nulls);
              if (m.max !== null && m.min !== null) s.binary(5, m.max).binary(6, m.min);
            });
          });
        });
        g.i64(2, rg.chunks.reduce((a, c) => a + c.uncompressed, 0));
        g.i64(3, rg.rows);
        g.i64(5, rg.offset);
        g.i64(6, rg.chunks.reduce((a, c) => a + c.compressed, 0));
      });
      const kv = Object.entries(this.opts.metadata ?? {});
      if (kv.length > 0) f.listStruct(5, kv, (e, [k, v]) => e.binary(1, k).binary(2, v));
      f.binary(6, this.opts.createdBy ?? 'tunnelscope');
      // Column orders make min/max trustworthy to readers (signed order for every leaf written here).
      f.listStruct(7, this.leaves, (o) => o.struct(1, () => undefined));
    });
    const len = out.length;
    out.u32(len);
    out.append(MAGIC);
    this.emit(out.bytes());
  }

  private schemaElements(): Array<(t: ThriftOut) => void> {
    const els: Array<(t: ThriftOut) => void> = [(t) => t.binary(4, 'schema').i32(5, this.schema.length)];
    const leaf = (l: LeafSpec) => (t: ThriftOut): void => {
      t.i32(1, PHYSICAL[l.type]).i32(3, l.optional ? OPTIONAL : REQUIRED).binary(4, l.name);
      if (l.type === 'string') t.i32(6, CONVERTED_UTF8).struct(10, (lt) => lt.struct(1, () => undefined));
      if (l.type === 'timestamp') {
        t.i32(6, CONVERTED_TIMESTAMP_MICROS).struct(10, (lt) => lt.struct(8, (ts) => ts.bool(1, true).struct(2, (u) => u.struct(2, () => undefined))));
      }
    };
    for (const f of this.schema) {
      if ('fields' in f) {
        els.push((t) => t.i32(3, REQUIRED).binary(4, f.name).i32(5, f.fields.length));
        for (const l of f.fields) els.push(leaf(l));
      } else els.push(leaf(f));
    }
    return els;
  }
}

function nullCount(valid: Uint8Array | null, n: number): number {
  let k = 0;
  if (valid !== null) for (let i = 0; i < n; i++) k += valid[i] ^ 1;
  return k;
}

/** Definition levels of a page whose rows are all present (1) or all null (0): one RLE run. */
function sameLevel(out: ByteOut, n: number, level: number): void {
  out.varint(n * 2);
  out.u8(level);
}

function plain(out: ByteOut, type: LeafType, v: LeafData['values'], valid: Uint8Array | null, from: number, to: number): void {
  if (type === 'bool') {
    const b = v as Uint8Array;
    let acc = 0, bits = 0;
    for (let i = from; i < to; i++) {
      if (valid !== null && valid[i] === 0) continue;
      acc |= (b[i] & 1) << bits;
      if (++bits === 8) { out.u8(acc); acc = 0; bits = 0; }
    }
    if (bits > 0) out.u8(acc);
    return;
  }
  if (valid === null && ((type === 'int32' && v instanceof Int32Array) || (type === 'double' && v instanceof Float64Array))) {
    out.append(new Uint8Array(v.buffer, v.byteOffset + from * v.BYTES_PER_ELEMENT, (to - from) * v.BYTES_PER_ELEMENT));
    return;
  }
  const size = type === 'int32' ? 4 : 8;
  out.ensure((to - from) * size);
  for (let i = from; i < to; i++) {
    if (valid !== null && valid[i] === 0) continue;
    if (type === 'int32') out.i32((v as Int32Array)[i]);
    else if (type === 'double') out.f64((v as Float64Array)[i]);
    else out.i64(v[i]);
  }
}

/** min/max statistics of integer and timestamp columns (little-endian, as the footer stores them). */
function stats(type: LeafType, n: number, x: ArrayLike<number>, valid: Uint8Array | null, meta: ChunkMeta): void {
  if (type !== 'int32' && type !== 'int64' && type !== 'timestamp') return;
  let lo = 0, hi = 0, seen = false;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const v = x[i];
    if (!seen) { lo = hi = v; seen = true; }
    else if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  if (!seen) return;
  const enc = (v: number): Uint8Array => {
    const o = new ByteOut(8);
    if (type === 'int32') o.i32(v);
    else o.i64(v);
    return o.bytes().slice();
  };
  meta.min = enc(lo);
  meta.max = enc(hi);
}
