// Command-line parsing for `tunnelscope FILE [options]`; no dependencies so errors stay ours.

export interface CliArgs {
  file: string;
  frames: boolean;
  pretty: boolean;
  failOnBad: boolean;
  help: boolean;
  /** --export OUT.pcapng: write frames (all, or only flagged ones) to this file; null for none. */
  exportPath: string | null;
  onlyFlagged: boolean;
  /** --jobs N: decoding threads (1 = no worker threads); null = one per core. */
  jobs: number | null;
  /** --filter EXPR: a display filter the summary, --frames and --export are restricted to; null for none. */
  filter: string | null;
}

export const USAGE = `usage: tunnelscope FILE [--filter EXPR] [--frames] [--pretty] [--fail-on-bad] [--jobs N] [--export OUT.pcapng [--only-flagged]]
       tunnelscope --paths FILE [FILE...] [--window SECONDS] [--pretty] [--jobs N]   (tunnelscope --paths --help)

Reads a pcap or pcapng capture (gzip-compressed too), decodes NVGRE/VXLAN/Geneve overlays,
verifies every checksum and prints a JSON summary on stdout.

  --filter EXPR  only the frames a display filter matches (Wireshark syntax, e.g. 'tcp.port == 80',
                 'nvgre.vsid == 5001 && checksum.bad'): the summary counts them, --frames and --export
                 write them, --fail-on-bad looks at them
  --frames       one JSON object per frame (NDJSON) instead of the summary
  --pretty       indent the summary JSON
  --fail-on-bad  exit 3 when any frame has a bad checksum
  --export OUT   also write the frames as pcapng to OUT (interfaces and timestamps kept)
  --only-flagged with --export: only the frames with a bad checksum
  --jobs N       decode with N threads (default: one per core; 1 = no worker threads)

exit status: 0 read (also with warnings or bad checksums), 2 unreadable, OUT not writable or a bad filter,
3 bad checksums with --fail-on-bad`;

export function parseArgs(argv: string[]): CliArgs {
  const out: CliArgs = { file: '', frames: false, pretty: false, failOnBad: false, help: false, exportPath: null, onlyFlagged: false, jobs: null, filter: null };
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
    } else if (a === '--only-flagged') out.onlyFlagged = true;
    else if (a === '--frames') out.frames = true;
    else if (a === '--pretty') out.pretty = true;
    else if (a === '--fail-on-bad') out.failOnBad = true;
    else if (a === '-h' || a === '--help') out.help = true;
    else if (a.startsWith('-') && a !== '-') throw new Error(`unknown option ${a}`);
    else if (out.file === '') out.file = a;
    else throw new Error(`unexpected argument ${a}: give one capture file`);
  }
  if (!out.help && out.file === '') throw new Error('no capture file given');
  if (out.onlyFlagged && out.exportPath === null) throw new Error('--only-flagged needs --export OUT.pcapng');
  return out;
}
