// Command-line parsing for `tunnelscope CAPTURE... [options]`; no dependencies so errors stay ours.

export interface CliArgs {
  /** The first capture argument (with one capture, the only one). */
  file: string;
  /** Every capture argument: files, directories, globs (cli/inputs.ts). */
  files: string[];
  frames: boolean;
  pretty: boolean;
  failOnBad: boolean;
  help: boolean;
  /** --export OUT.pcapng: write frames (all, or only flagged ones) to this file; null for none. */
  exportPath: string | null;
  onlyFlagged: boolean;
  /** --jobs N: decoding threads (1 = no worker threads); null = one per core. With many captures, captures at once. */
  jobs: number | null;
  /** --parquet DIR: write the tables as Parquet under DIR (Hive partitions); null for none. */
  parquet: string | null;
  /** --filter EXPR: a display filter the summary, --frames and --export are restricted to; null for none. */
  filter: string | null;
}

export const USAGE = `usage: tunnelscope CAPTURE... [--filter EXPR] [--frames] [--pretty] [--fail-on-bad] [--jobs N]
                   [--parquet DIR] [--export OUT.pcapng [--only-flagged]]
       tunnelscope --paths FILE [FILE...] [--window SECONDS] [--pretty] [--jobs N]   (tunnelscope --paths --help)

Reads pcap or pcapng captures (gzip-compressed too), decodes NVGRE/VXLAN/Geneve overlays,
verifies every checksum and prints a JSON summary on stdout. CAPTURE is a file, a directory
(every capture file in it, recursively) or a glob ('hosts/**/*.pcapng'); with several captures
the summary is {"files": [one summary per capture], "total": ..., "errors": [...]}.

  --filter EXPR  only the frames a display filter matches (Wireshark syntax, e.g. 'tcp.port == 80',
                 'nvgre.vsid == 5001 && checksum.bad'): the summary counts them, --frames and --export
                 write them, --fail-on-bad looks at them
  --frames       one JSON object per frame (NDJSON) instead of the summary
  --pretty       indent the summary JSON
  --fail-on-bad  exit 3 when any frame has a bad checksum
  --export OUT   also write the frames as pcapng to OUT (interfaces and timestamps kept)
  --only-flagged with --export: only the frames with a bad checksum
  --jobs N       decode with N threads (default: one per core; 1 = no worker threads); with several
                 captures, N captures at once
  --parquet DIR  also write the frames, flows, tenants and hosts tables as Parquet under DIR
                 (DIR/frames/date=YYYY-MM-DD/capture=NAME/part-0.parquet, ...), for DuckDB, Spark,
                 Trino, ClickHouse or BigQuery

exit status: 0 read (also with warnings or bad checksums), 2 a capture unreadable (the others are still
read and written), OUT or DIR not writable, or a bad filter, 3 bad checksums with --fail-on-bad`;

export function parseArgs(argv: string[]): CliArgs {
  const out: CliArgs = {
    file: '', files: [], frames: false, pretty: false, failOnBad: false, help: false, exportPath: null, onlyFlagged: false, jobs: null, filter: null,
    parquet: null,
  };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--export' || a.startsWith('--export=')) {
      const v = a === '--export' ? argv[++k] : a.slice('--export='.length);
      if (v === undefined || v === '') throw new Error('--export needs an output file name');
      if (out.exportPath !== null) throw new Error('--export given twice');
      out.exportPath = v;
    } else if (a === '--jobs' || a.startsWith('--jobs=')) {
      const v = a === '--jobs' ? argv[++k] : a.slice('--jobs='.length);
      const n = Number(v);
      if (v === undefined || !/^[0-9]+$/.test(v) || !(n >= 1 && n <= 256)) throw new Error('--jobs needs a whole number from 1 to 256');
      out.jobs = n;
    } else if (a === '--filter' || a.startsWith('--filter=')) {
      const v = a === '--filter' ? argv[++k] : a.slice('--filter='.length);
      if (v === undefined) throw new Error('--filter needs a display filter, e.g. --filter "tcp.port == 80"');
      if (out.filter !== null) throw new Error('--filter given twice: combine them with && instead');
      out.filter = v;
    } else if (a === '--parquet' || a.startsWith('--parquet=')) {
      const v = a === '--parquet' ? argv[++k] : a.slice('--parquet='.length);
      if (v === undefined || v === '') throw new Error('--parquet needs an output directory');
      if (out.parquet !== null) throw new Error('--parquet given twice');
      out.parquet = v;
    } else if (a === '--only-flagged') out.onlyFlagged = true;
    else if (a === '--frames') out.frames = true;
    else if (a === '--pretty') out.pretty = true;
    else if (a === '--fail-on-bad') out.failOnBad = true;
    else if (a === '-h' || a === '--help') out.help = true;
    else if (a.startsWith('-') && a !== '-') throw new Error(`unknown option ${a}`);
    else out.files.push(a);
  }
  out.file = out.files[0] ?? '';
  if (!out.help && out.file === '') throw new Error('no capture file given');
  if (out.onlyFlagged && out.exportPath === null) throw new Error('--only-flagged needs --export OUT.pcapng');
  if (out.parquet !== null) {
    // The tables hold every frame: filtering is what the SQL on top does.
    const other = out.frames ? '--frames' : out.filter !== null ? '--filter' : out.exportPath !== null ? '--export' : null;
    if (other !== null) throw new Error(`--parquet writes every frame's table and takes no ${other}: select in SQL instead`);
  }
  return out;
}
