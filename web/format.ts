// Small text formatters shared by the panes. Everything returns plain text.
import { tenantIdText } from '../decoders/tenant-id.ts';
import { tunnelLabel } from '../decoders/tunnels.ts';

export { tenantIdText };

/**
 * `nvgre:5001` -> `NVGRE 5001 (0x001389)` (as the packet list's Tenant column and the details tree show
 * it); `gre:` / `gre:null` -> `GRE`; `other` -> `other`.
 */
export function tenantLabel(key: string | null): string {
  if (key === null) return 'Plain';
  const i = key.indexOf(':');
  if (i < 0) return tunnelLabel(key);
  const encap = tunnelLabel(key.slice(0, i));
  const id = key.slice(i + 1);
  if (id === '' || id === 'null' || id === '-1') return encap;
  return /^\d+$/.test(id) ? `${encap} ${tenantIdText(Number(id))}` : `${encap} ${id}`;
}

export function encapLabel(encap: string): string {
  return tunnelLabel(encap);
}

const nf = new Intl.NumberFormat('en-US');
export function num(n: number): string {
  return nf.format(n);
}

/** Milliseconds as the panes show a delay: `140 ms`, `1.25 ms`, `2.5 s`. */
export function delayMs(ms: number): string {
  if (ms >= 1000) return `${Number((ms / 1000).toPrecision(3))} s`;
  return `${Number(ms.toPrecision(3))} ms`;
}

/**
 * The cost of bad TCP checksums in a row: `26/28` (retransmitted of bad segments), and the sentence its
 * tooltip reads. `—` when there was no bad segment.
 */
export function retransmittedText(r: { badSegments: number; retransmitted: number; medianDelayMs: number | null }): { text: string; title: string } {
  if (r.badSegments === 0) return { text: '—', title: 'No TCP segment with a bad checksum' };
  const segs = `TCP segment${r.badSegments === 1 ? '' : 's'} with a bad checksum`;
  const text = `${num(r.retransmitted)}/${num(r.badSegments)}`;
  if (r.retransmitted === 0 || r.medianDelayMs === null) return { text, title: `None of ${num(r.badSegments)} ${segs} was sent again` };
  return {
    text,
    title: `${num(r.retransmitted)} of ${num(r.badSegments)} ${segs} ${r.retransmitted === 1 ? 'was' : 'were'} retransmitted `
      + `(the receiver dropped ${r.retransmitted === 1 ? 'it' : 'them'}), adding ${delayMs(r.medianDelayMs)} in the median`,
  };
}

export function bytes(n: number): string {
  if (n < 0) return '?';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${units[u]}`;
}

/** Bytes per second as a short rate. */
export function rate(bytesPerSec: number): string {
  const bits = bytesPerSec * 8;
  if (bits === 0) return '0 bit/s';
  if (bits < 10) return `${Number(bits.toPrecision(2))} bit/s`;
  if (bits < 1000) return `${bits.toFixed(0)} bit/s`;
  const units = ['kbit/s', 'Mbit/s', 'Gbit/s'];
  let v = bits / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ${units[u]}`;
}

/** Relative time column: seconds with microsecond precision, like Wireshark. */
export function relTime(t: number | null): string {
  return t === null ? '' : t.toFixed(6);
}

/** ISO time with nanoseconds -> `HH:MM:SS.mmm` (UTC) for dense tables; the full value goes in a title. */
export function clockTime(iso: string | null): string {
  if (!iso) return '';
  const m = /T(\d\d:\d\d:\d\d)(\.\d{1,3})?/.exec(iso);
  if (!m) return iso;
  return m[1] + (m[2] ?? '.000').padEnd(4, '0');
}

export function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

export function hexOffset(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** Printable ASCII or a dot, as in every hex viewer. */
export function asciiChar(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  return String(e);
}
