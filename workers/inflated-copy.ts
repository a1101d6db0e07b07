// The inflated bytes of a gzip capture, kept while it loads so that frame details read from them: before,
// the first detail inflated the whole file a second time (2.4 s for a 199 MiB .gz). The bytes go into
// Blobs a staging buffer at a time; the browser keeps Blob data outside this worker's heap (on disk
// when large), so the heap holds one staging buffer whatever the capture's size. It is also where frame
// bytes are read from while the load goes on (details, filters, export): a frame's bytes are always
// added before the frame itself is.
import { BlobSource } from '../decoders/capture/blob-source.ts';

const STAGING = 8 * 1024 * 1024;

export class InflatedCopy {
  private staging: Uint8Array<ArrayBuffer> | null = null;
  private used = 0;
  private readonly blobs: Blob[] = [];
  /** Reads what was added so far; dropped when more is added. */
  private reader: BlobSource | null = null;

  add(b: Uint8Array): void {
    this.reader = null;
    let v = b;
    while (v.length > 0) {
      this.staging ??= new Uint8Array(STAGING);
      const k = Math.min(v.length, STAGING - this.used);
      this.staging.set(v.subarray(0, k), this.used);
      this.used += k;
      v = v.subarray(k);
      if (this.used === STAGING) this.flush();
    }
  }

  /** Everything added so far, in order. */
  blob(): Blob {
    this.flush();
    return new Blob(this.blobs);
  }

  /** Bytes [offset, offset + length) of the inflated stream, as far as it has been added. */
  read(offset: number, length: number): Promise<Uint8Array> {
    this.reader ??= new BlobSource(this.blob());
    return this.reader.read(offset, length);
  }

  private flush(): void {
    if (this.staging === null || this.used === 0) return;
    // new Blob copies the bytes: the staging buffer is reused.
    this.blobs.push(new Blob([this.staging.subarray(0, this.used)]));
    this.used = 0;
  }
}
