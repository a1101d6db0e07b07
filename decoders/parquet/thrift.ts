// Thrift Compact Protocol, the encoding of Parquet's page headers and footer: only the writing side and
// only what Parquet's structures use (structs, lists of structs/ints/strings, i32, i64, bool, binary).
import { ByteOut } from './bytes-out.ts';

const T_TRUE = 1;
const T_FALSE = 2;
const T_BYTE = 3;
const T_I32 = 5;
const T_I64 = 6;
const T_BINARY = 8;
const T_LIST = 9;
const T_STRUCT = 12;

const utf8 = new TextEncoder();

export class ThriftOut {
  readonly out: ByteOut;
  /** Last field id of each open struct. */
  private last: number[] = [0];

  constructor(out: ByteOut) {
    this.out = out;
  }

  private field(id: number, type: number): void {
    const delta = id - this.last[this.last.length - 1];
    if (delta > 0 && delta <= 15) this.out.u8((delta << 4) | type);
    else {
      this.out.u8(type);
      this.zigzag(id);
    }
    this.last[this.last.length - 1] = id;
  }

  private zigzag(v: number): void {
    this.out.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  i32(id: number, v: number): this {
    this.field(id, T_I32);
    this.zigzag(v);
    return this;
  }

  i64(id: number, v: number): this {
    this.field(id, T_I64);
    this.zigzag(v);
    return this;
  }

  byte(id: number, v: number): this {
    this.field(id, T_BYTE);
    this.out.u8(v & 0xff);
    return this;
  }

  bool(id: number, v: boolean): this {
    this.field(id, v ? T_TRUE : T_FALSE);
    return this;
  }

  binary(id: number, v: Uint8Array | string): this {
    this.field(id, T_BINARY);
    const b = typeof v === 'string' ? utf8.encode(v) : v;
    this.out.varint(b.length);
    this.out.append(b);
    return this;
  }

  /** A struct field: `body` writes its fields. */
  struct(id: number, body: (t: this) => void): this {
    this.field(id, T_STRUCT);
    this.inner(body);
    return this;
  }

  /** A top-level struct (a page header, the file metadata). */
  root(body: (t: this) => void): this {
    this.inner(body);
    return this;
  }

  private inner(body: (t: this) => void): void {
    this.last.push(0);
    body(this);
    this.out.u8(0);
    this.last.pop();
  }

  private listHeader(id: number, size: number, type: number): void {
    this.field(id, T_LIST);
    if (size < 15) this.out.u8((size << 4) | type);
    else {
      this.out.u8(0xf0 | type);
      this.out.varint(size);
    }
  }

  listStruct<T>(id: number, items: readonly T[], body: (t: this, item: T) => void): this {
    this.listHeader(id, items.length, T_STRUCT);
    for (const item of items) this.inner((t) => body(t, item));
    return this;
  }

  listI32(id: number, items: readonly number[]): this {
    this.listHeader(id, items.length, T_I32);
    for (const v of items) this.zigzag(v);
    return this;
  }

  listBinary(id: number, items: readonly string[]): this {
    this.listHeader(id, items.length, T_BINARY);
    for (const v of items) {
      const b = utf8.encode(v);
      this.out.varint(b.length);
      this.out.append(b);
    }
    return this;
  }
}
