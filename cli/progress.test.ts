// The progress bar of a run over many captures: what a line says, how often it is redrawn, and that it
// is wiped at the end; the CLI only makes one when stderr is a terminal (cli/many.test.ts: no stderr).
import { describe, expect, it } from 'vitest';
import { ProgressBar, progressLine } from './progress.ts';

describe('progress bar', () => {
  it('says files done, bytes, throughput and time left', () => {
    expect(progressLine(3, 10, 250e6, 1e9, 2)).toBe('[#####...............] 3/10 files  250 MB/1.0 GB  125 MB/s  0:06 left');
    expect(progressLine(0, 4, 0, 4e9, 0)).toBe('[....................] 0/4 files  0 kB/4.0 GB  0 kB/s  ? left');
    expect(progressLine(40, 40, 7.2e12, 7.2e12, 3600)).toBe('[####################] 40/40 files  7200.0 GB/7200.0 GB  2.0 GB/s  0:00 left');
    expect(progressLine(1, 2, 1e9, 101e9, 10)).toContain('16:40 left');
    expect(progressLine(1, 2, 1e9, 101e9, 3600)).toContain('100:00:00 left');
  });

  it('redraws one line in place at most ten times a second (and at every finished file), then wipes it', () => {
    const writes: string[] = [];
    let t = 0;
    const bar = new ProgressBar({ write: (s) => writes.push(s), columns: 200 }, 2, 100e6, () => t);
    expect(writes).toEqual(['\r[....................] 0/2 files  0 kB/100 MB  0 kB/s  ? left\x1b[K']);
    t = 50;
    bar.addBytes(10e6);
    expect(writes.length).toBe(1);
    t = 1000;
    bar.addBytes(40e6);
    expect(writes.length).toBe(2);
    expect(writes[1]).toBe('\r[##########..........] 0/2 files  50 MB/100 MB  50 MB/s  0:01 left\x1b[K');
    t = 1010;
    bar.fileDone();
    expect(writes[2]).toContain(' 1/2 files ');
    bar.end();
    expect(writes[3]).toBe('\r\x1b[K');
    bar.end();
    expect(writes.length).toBe(4);
  });

  it('cuts the line to the terminal width (80 where a terminal says 0)', () => {
    const writes: string[] = [];
    new ProgressBar({ write: (s) => writes.push(s), columns: 30 }, 2, 100e6, () => 0);
    expect(writes[0]).toBe('\r[....................] 0/2 fi\x1b[K');
    new ProgressBar({ write: (s) => writes.push(s), columns: 0 }, 2, 100e6, () => 0);
    expect(writes[1]).toBe('\r[....................] 0/2 files  0 kB/100 MB  0 kB/s  ? left\x1b[K');
  });
});
