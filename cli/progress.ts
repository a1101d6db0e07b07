// The progress bar of a run over many captures (or --parquet): files done, throughput and time left, on
// one line of stderr redrawn in place at most ten times a second; only when stderr is a terminal (the
// caller checks), and wiped at the end so the terminal keeps only the results.

export interface ProgressOut {
  write(s: string): unknown;
  columns?: number;
}

const BAR = 20;

function size(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(0)} MB`;
  return `${(bytes / 1e3).toFixed(0)} kB`;
}

function clock(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}

/** The line for a state of the run (exported for tests). */
export function progressLine(filesDone: number, files: number, bytesDone: number, bytes: number, elapsedSec: number): string {
  const frac = bytes > 0 ? Math.min(1, bytesDone / bytes) : files > 0 ? filesDone / files : 1;
  const fill = Math.round(frac * BAR);
  const rate = elapsedSec > 0 ? bytesDone / elapsedSec : 0;
  const left = rate > 0 ? clock((bytes - bytesDone) / rate) : '?';
  return `[${'#'.repeat(fill)}${'.'.repeat(BAR - fill)}] ${filesDone}/${files} files  ${size(bytesDone)}/${size(bytes)}  ${size(rate)}/s  ${left} left`;
}

export class ProgressBar {
  private filesDone = 0;
  private bytesDone = 0;
  private readonly start: number;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly out: ProgressOut, private readonly files: number, private readonly bytes: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.start = now();
    this.draw(true);
  }

  addBytes(n: number): void {
    this.bytesDone += n;
    this.draw(false);
  }

  fileDone(): void {
    this.filesDone++;
    this.draw(true);
  }

  private draw(force: boolean): void {
    const t = this.now();
    if (!force && t - this.lastDraw < 100) return;
    this.lastDraw = t;
    let line = progressLine(this.filesDone, this.files, this.bytesDone, this.bytes, (t - this.start) / 1000);
    const cols = this.out.columns || 80; // 0 where the terminal does not say
    if (line.length >= cols) line = line.slice(0, Math.max(0, cols - 1));
    this.out.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  /** Wipes the line. */
  end(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}
