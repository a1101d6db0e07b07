// A Parquet file writer for the tables the CLI exports (README "Many captures"): rows come in batches of
// columns and each batch is encoded into a page per column at once, so that what waits for a row group to
// be complete is its compressed pages, not its rows. Only plain, widely read choices: data pages v1,
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
   * (an Int32Array of values 0..2^20-1; a page with others is written PLAIN, and the chunk on from it), or
   * LeafData.value maps keys.
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
  /** Rows per data page at most (pages are the unit a reader decompresses). */
  pageRows?: number;
  /** Rows per row group at most (writeRows ends one there). */
  rowGroupRows?: number;
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

/** A leaf's column chunk of the open row group: its data pages so far (compressed) and what the footer needs. */
interface Chunk {
  pages: ByteOut;
  uncompressed: number;
  compressed: number;
  values: number;
  nulls: number;
  /** Dictionary-encoded pages so far; false once an integer page fell back to PLAIN (its later pages too). */
  dict: boolean;
  plainPages: boolean;
  dictPages: boolean;
  /** Keys in dictionary order, each key's index (-1 for none) while the chunk is open, the dictionary page's body. */
  order: number[];
  local: Int32Array;
  dictBody: ByteOut;
  /** Integers written PLAIN: the smallest and largest so far. */
  lo: number;
  hi: number;
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
  private readonly chunks: Chunk[];
  private readonly codec: Codec;
  private readonly pageRows: number;
  private readonly groupRows: number;
  private pos = 0;
  private rows = 0;
  /** Rows in the open row group. */
  private open = 0;
  private finished = false;
  // Scratch, reused for every page.
  private readonly body = new ByteOut(1 << 20);
  private readonly packed = new ByteOut(1 << 20);
  private readonly head = new ByteOut(256);
  private idx = new Int32Array(1024);

  constructor(
    private readonly schema: readonly FieldSpec[],
    private readonly sink: (bytes: Uint8Array) => void,
    private readonly opts: WriterOptions = {},
  ) {
    this.codec = opts.codec ?? 'snappy';
    this.pageRows = opts.pageRows ?? 65536;
    this.groupRows = opts.rowGroupRows ?? Infinity;
    for (const f of schema) {
      if ('fields' in f) for (const l of f.fields) this.leaves.push({ spec: l, path: [f.name, l.name] });
      else this.leaves.push({ spec: f, path: [f.name] });
    }
    this.chunks = this.leaves.map(() => ({
      pages: new ByteOut(1 << 12), uncompressed: 0, compressed: 0, values: 0, nulls: 0, dict: true, plainPages: false, dictPages: false,
      order: [], local: new Int32Array(64).fill(-1), dictBody: new ByteOut(1 << 10), lo: Infinity, hi: -Infinity,
    }));
    this.emit(MAGIC);
  }

  /** Leaves in the order writeRows takes their data: fields in order, a group's leaves in place. */
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

  /** Writes rows 0..n-1 of every leaf's data as one row group (after any rows still open). */
  writeRowGroup(n: number, data: readonly LeafData[]): void {
    this.writeRows(n, data);
    this.endRowGroup();
  }

  /**
   * Adds rows 0..n-1 of every leaf's data to the open row group, a page per column for every pageRows of them;
   * a row group that reaches rowGroupRows is ended. The data may be reused once this returns.
   */
  writeRows(n: number, data: readonly LeafData[]): void {
    if (this.finished) throw new Error('parquet: rows after finish()');
    if (data.length !== this.leaves.length) throw new Error(`parquet: ${data.length} columns given, the schema has ${this.leaves.length}`);
    for (let from = 0; from < n;) {
      const to = Math.min(n, from + this.pageRows, from + (this.groupRows - this.open));
      for (let k = 0; k < this.leaves.length; k++) this.page(k, data[k], from, to);
      this.open += to - from;
      this.rows += to - from;
      from = to;
      if (this.open >= this.groupRows) this.endRowGroup();
    }
  }

  /** Encodes rows from..to of a leaf as a data page of its chunk. */
  private page(k: number, d: LeafData, from: number, to: number): void {
    const leaf = this.leaves[k];
    const c = this.chunks[k];
    const type = leaf.spec.type;
    const opt = leaf.spec.optional === true;
    const valid = opt ? d.valid ?? null : null;
    const n = to - from;
    let nulls = 0;
    if (valid !== null) for (let i = from; i < to; i++) nulls += valid[i] ^ 1;
    c.values += n;
    c.nulls += nulls;
    const body = this.body;
    body.reset();
    if (opt) {
      const at = body.length;
      body.u32(0);
      // Level runs of one value are written as such: no scan of a page that is all null or all there.
      if (nulls === 0) sameLevel(body, n, 1);
      else if (nulls === n) sameLevel(body, n, 0);
      else rleHybrid(body, valid as Uint8Array, from, to, 1);
      new DataView(body.buf.buffer).setUint32(at, body.length - at - 4, true);
    }
    let enc = ENC_PLAIN;
    if (nulls < n) {
      const keyed = type === 'string' || d.value !== undefined || (leaf.spec.dict === true && (type === 'int32' || type === 'int64'));
      const m = keyed && c.dict ? this.index(c, type, d, valid, from, to) : -1;
      if (m >= 0) {
        enc = ENC_PLAIN_DICTIONARY;
        c.dictPages = true;
        const width = bitWidth(Math.max(0, c.order.length - 1));
        body.u8(width);
        rleHybrid(body, this.idx, 0, m, width);
      } else {
        if (keyed) c.dict = false;
        c.plainPages = true;
        if (type !== 'string') plain(body, type, d.values, valid, from, to);
      }
      if (d.value === undefined) minMax(c, type, d.values, valid, from, to);
    }
    this.compress(body.bytes(), c.pages, PAGE_DATA, n, enc, c);
  }

  /**
   * The page's dictionary indices (in idx; their count returned), adding new keys to the chunk's dictionary
   * (their values to its page body); -1 when an integer page has a value that is no small key.
   */
  private index(c: Chunk, type: LeafType, d: LeafData, valid: Uint8Array | null, from: number, to: number): number {
    const keys = d.values;
    if (!(keys instanceof Int32Array)) return -1;
    // Keys the caller maps (strings, LeafData.value) may be any; an integer column's values are its keys.
    const anyKey = type === 'string' || d.value !== undefined;
    if (type === 'string' && d.text === undefined) throw new Error('parquet: a string column needs text(key)');
    if (this.idx.length < to - from) this.idx = new Int32Array(to - from);
    const idx = this.idx;
    const order = c.order;
    let local = c.local;
    const before = order.length;
    const bodyBefore = c.dictBody.length;
    const limit = anyKey ? 0x7fffffff : MAX_KEY;
    let m = 0;
    let prev = -1, prevX = -1;
    for (let i = from; i < to; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const k = keys[i];
      // Runs of one key (a file's name, a verdict, a constant) skip the map.
      if (k === prev) {
        idx[m++] = prevX;
        continue;
      }
      if (k < 0 || k >= limit) {
        if (anyKey) throw new RangeError(`parquet: key ${k} of column ${type} is no index`);
        // Not a small key: this page (and the chunk's later ones) PLAIN; keys it added are taken back.
        for (let j = before; j < order.length; j++) local[order[j]] = -1;
        order.length = before;
        c.dictBody.length = bodyBefore;
        return -1;
      }
      if (k >= local.length) {
        const grown = new Int32Array(Math.max(k + 1, local.length * 2)).fill(-1);
        grown.set(local);
        local = c.local = grown;
      }
      let x = local[k];
      if (x < 0) {
        x = local[k] = order.length;
        order.push(k);
        this.dictValue(c, type, d, k);
      }
      idx[m++] = x;
      prev = k;
      prevX = x;
    }
    return m;
  }

  /** A new dictionary entry's value, PLAIN, onto the chunk's dictionary page body. */
  private dictValue(c: Chunk, type: LeafType, d: LeafData, k: number): void {
    const body = c.dictBody;
    if (type === 'string') {
      const b = utf8.encode((d.text as (key: number) => string)(k));
      body.u32(b.length);
      body.append(b);
      return;
    }
    const v = d.value !== undefined ? d.value(k) : k;
    if (d.value !== undefined && v < c.lo) c.lo = v;
    if (d.value !== undefined && v > c.hi) c.hi = v;
    if (type === 'int32') body.i32(v);
    else body.i64(v);
  }

  /** Ends the open row group: every leaf's chunk (dictionary page, then its data pages) written out. */
  endRowGroup(): void {
    if (this.open === 0) return;
    const offset = this.pos;
    const metas: ChunkMeta[] = [];
    this.leaves.forEach((leaf, k) => {
      const c = this.chunks[k];
      const type = leaf.spec.type;
      const meta: ChunkMeta = {
        leaf, encodings: [], numValues: c.values, uncompressed: c.uncompressed, compressed: c.compressed, dataOffset: 0, dictOffset: -1,
        start: this.pos, nulls: c.nulls, min: null, max: null,
      };
      if (c.dictPages) {
        meta.dictOffset = this.pos;
        this.compress(c.dictBody.bytes(), null, PAGE_DICTIONARY, c.order.length, ENC_PLAIN_DICTIONARY, meta);
        meta.encodings.push(ENC_PLAIN_DICTIONARY);
      }
      if (c.plainPages || !c.dictPages) meta.encodings.push(ENC_PLAIN);
      meta.encodings.push(ENC_RLE);
      meta.dataOffset = this.pos;
      this.emit(c.pages.bytes());
      if (c.lo <= c.hi && (type === 'int32' || type === 'int64' || type === 'timestamp')) {
        meta.min = int(type, c.lo);
        meta.max = int(type, c.hi);
      }
      metas.push(meta);
      for (const key of c.order) c.local[key] = -1;
      c.order.length = 0;
      c.pages.reset();
      c.pages.shrink(8 << 20);
      c.dictBody.reset();
      c.dictBody.shrink(8 << 20);
      Object.assign(c, { uncompressed: 0, compressed: 0, values: 0, nulls: 0, dict: true, plainPages: false, dictPages: false, lo: Infinity, hi: -Infinity });
    });
    this.groups.push({ rows: this.open, offset, chunks: metas });
    this.open = 0;
  }

  /**
   * Compresses a page body and puts it with its header into `into` (a chunk's data pages) or, when null, out to
   * the file (a dictionary page); its sizes are added to `sizes`.
   */
  private compress(
    raw: Uint8Array, into: ByteOut | null, type: number, count: number, encoding: number, sizes: { uncompressed: number; compressed: number },
  ): void {
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
    sizes.uncompressed += h.length + raw.length;
    sizes.compressed += h.length + data.length;
    if (into === null) {
      this.emit(h.bytes());
      this.emit(data);
    } else {
      into.append(h.bytes());
      into.append(data);
    }
    this.body.shrink(4 << 20);
    this.packed.shrink(4 << 20);
  }

  /** Writes the footer; the file is complete. */
  finish(): void {
    if (this.finished) return;
    this.endRowGroup();
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
  if ((type === 'int64' || type === 'timestamp') && v instanceof Float64Array) {
    plainInt64(out, v, valid, from, to);
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

let words = new Int32Array(1024);

/** 64-bit integers held as doubles, PLAIN: their two 32-bit words each, built in a word array and copied once. */
function plainInt64(out: ByteOut, v: Float64Array, valid: Uint8Array | null, from: number, to: number): void {
  if (words.length < (to - from) * 2) words = new Int32Array((to - from) * 2);
  const w = words;
  let k = 0;
  for (let i = from; i < to; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const x = v[i];
    const hi = Math.floor(x / 4294967296);
    w[k++] = x - hi * 4294967296; // the low word's bits (an Int32Array keeps them modulo 2^32)
    w[k++] = hi;
  }
  // Little-endian words in a little-endian (and every JavaScript) engine's memory: as Parquet lays them.
  out.append(new Uint8Array(w.buffer, 0, k * 4));
}

/** Counts the present integers of rows from..to into the chunk's min/max (other types keep no statistics). */
function minMax(c: Chunk, type: LeafType, x: LeafData['values'], valid: Uint8Array | null, from: number, to: number): void {
  if (type !== 'int32' && type !== 'int64' && type !== 'timestamp') return;
  let lo = c.lo, hi = c.hi;
  for (let i = from; i < to; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const v = x[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  c.lo = lo;
  c.hi = hi;
}

/** A statistic as the footer stores it: the value's little-endian bytes. */
function int(type: LeafType, v: number): Uint8Array {
  const o = new ByteOut(8);
  if (type === 'int32') o.i32(v);
  else o.i64(v);
  return o.bytes().slice();
}
