// Differential test of the capture metadata filters against `tshark -Y` (Debian tshark 4.0), on the capture of
// scripts/lib/metadata-capture.ts written in both byte orders: every interface and packet block option set
// somewhere. Wireshark's names are compared as they are; our frame.flags.* (the offload bits Wireshark 4.0
// still calls reserved) against the same bits of frame.packet_flags. Which filters the column tier decides
// alone is checked too: none of these fields needs the frame bytes.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { metadataCapture } from '../../scripts/lib/metadata-capture.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { resolvePending } from '../filter/runner.ts';
import { Engine } from './engine.ts';

const TSHARK = '/usr/bin/tshark';
/** tshark's answers, by binary, capture and filter (as filter-tshark.test.ts keeps them): only the first run pays. */
const CACHE = join(tmpdir(), 'tunnelscope-tshark-cache');

/** [ours, tshark's form when it differs, whether the column tier decides every frame]. */
const FILTERS: Array<[string, string | null, boolean]> = [
  ['frame.packet_flags', null, true],
  ['frame.packet_flags == 0', null, true],
  ['frame.packet_flags_direction == 1', null, true],
  ['frame.packet_flags_direction == 2', null, true],
  ['frame.packet_flags_direction != 1', null, true],
  ['frame.packet_flags_reception_type == 2', null, true],
  ['frame.packet_flags_reception_type >= 1', null, true],
  ['frame.packet_flags_fcs_length == 4', null, true],
  ['frame.packet_flags_crc_error == 1', null, true],
  ['frame.packet_flags_packet_too_error && frame.packet_flags_symbol_error == 1', null, true],
  ['frame.packet_flags_preamble_error == 1', null, true],
  ['frame.packet_flags & 0x200', null, true],
  ['frame.flags.checksum_not_ready == 1', 'frame.packet_flags & 0x200', true],
  ['frame.flags.checksum_valid == 1', 'frame.packet_flags & 0x400', true],
  ['frame.flags.tso == 0', 'frame.packet_flags && !(frame.packet_flags & 0x800)', true],
  ['frame.flags.checksum_not_ready', 'frame.packet_flags', true],
  ['frame.interface_name == "eth0"', null, true],
  ['frame.interface_name != "eth0"', 'frame.interface_name != "eth0" && frame.interface_name != "unknown"', true],
  ['frame.interface_name in {"eth0", "eth1"}', null, true],
  ['frame.interface_name contains "th1"', null, false],
  ['frame.interface_description == "Uplink port"', null, true],
  ['frame.interface_description', null, true],
  ['!frame.interface_description', null, true],
  ['frame.interface_queue == 3', null, true],
  ['frame.interface_queue', null, true],
  ['frame.interface_queue < 1', null, true],
  ['frame.packet_id == 18364758544493064720', null, true],
  ['frame.packet_id > 1000', null, true],
  ['frame.drop_count == 5', null, true],
  ['frame.drop_count', null, true],
  ['frame.verdict.ebpf_xdp == 2', null, false],
  ['frame.verdict.ebpf_tc == -1', null, false],
  ['frame.verdict.hw == de:ad', null, false],
  ['frame.verdict.ebpf_tc', null, true],
  ['frame.comment contains "hello"', null, false],
  ['frame.comment == "two"', null, false],
  ['frame.comment', null, true],
  ['frame.packet_flags_direction == 1 && frame.interface_name == "eth1"', null, true],
  ['frame.packet_flags_direction == 2 || frame.drop_count', null, true],
];

const dir = mkdtempSync(join(tmpdir(), 'tunnelscope-meta-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tsharkMatches(file: string, bytes: Uint8Array, filter: string): number[] {
  const st = statSync(TSHARK);
  const key = createHash('sha1').update(`${st.size}/${st.mtimeMs}\0${filter}\0`).update(bytes).digest('hex');
  const cached = join(CACHE, `meta-${key}.txt`);
  let out: string;
  if (existsSync(cached)) out = readFileSync(cached, 'utf8');
  else {
    out = execFileSync(TSHARK, ['-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(cached, out);
  }
  return out.split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
}

async function ours(bytes: Uint8Array, filter: string): Promise<{ frames: number[]; columnOnly: boolean }> {
  const e = new Engine();
  const src = new MemorySource(bytes);
  await e.load(src, 'meta.pcapng');
  const run = e.filters.get(filter);
  const columnOnly = run.pending === 0;
  await resolvePending(e, run, src);
  const frames: number[] = [];
  for (let i = 0; i < e.frames; i++) if (run.state[i] === 1) frames.push(i + 1);
  return { frames, columnOnly };
}

describe('capture metadata filters vs tshark -Y', () => {
  it('has tshark', () => {
    expect(existsSync(TSHARK), `${TSHARK} (apt-get install tshark)`).toBe(true);
  });

  for (const le of [true, false]) {
    it(`match the same frames (${le ? 'little' : 'big'}-endian section)`, { timeout: 120_000 }, async () => {
      const bytes = metadataCapture(undefined, le);
      const file = join(dir, `meta-${le ? 'le' : 'be'}.pcapng`);
      writeFileSync(file, bytes);
      for (const [filter, theirs, exact] of FILTERS) {
        const o = await ours(bytes, filter);
        expect(o.frames, filter).toEqual(tsharkMatches(file, bytes, theirs ?? filter));
        expect(o.columnOnly, `${filter}: decided by the column tier`).toBe(exact);
      }
    });
  }
});
