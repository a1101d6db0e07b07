// Differential test: the Info column of TCP rows against tshark 4.0's (default preferences: relative
// sequence numbers; TCP reassembly off, as we read one segment at a time) on every real capture in captures/
// and on generated conversations: `40000 → 443 [SYN, ACK] Seq=0 Ack=1 Win=65535 Len=0 MSS=1460 WS=128`, with
// the analysis notes before it. Compared are the frames both call TCP, outside flows tshark merges with
// another of ours (another tenant: its numbering is the merged connection's).

import { cachedTshark } from '../../scripts/lib/tshark-cache.ts';
import { flowsTsharkMerges } from '../../scripts/lib/tshark-flows.ts';
import { captureFilePaths as captureFiles } from '../../scripts/lib/shared-captures.ts';

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { conversationPcapng, handshake, type Segment } from '../../scripts/lib/tcp-conversation.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { Engine } from './engine.ts';
import { fillLayerRows } from './layer-rows.ts';

const CAPTURES = fileURLToPath(new URL('../../captures/', import.meta.url));
const ARGS = ['-n', '-o', 'tcp.desegment_tcp_streams:FALSE', '-T', 'fields', '-E', 'separator=/t', '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info'];

/**
 * Genuine differences, each with its reason. Key: "<file>#<frame>", or "<file>#*" for every frame of the file.
 */
const ALLOW: Record<string, string> = {
  // As in tcp-analysis-tshark.test.ts and streams-tshark.test.ts:
  'suricata-verify/detect-ipopts__input.pcap#*': 'IPv4 source route: tshark keys the conversation on the route\'s final address, so its retransmission notes differ',
  'suricata-verify/firewall__tcp-session-decode-malformed-ipv4__input.pcap#9': 'malformed IPv4 option: tshark has no TCP in frame 8, so frame 9 is no retransmission for it',
  'zeek/contentline__rlogin-long-client-user-no-nul.pcapng.gz#13987': 'ACKed unseen segment: our unacknowledged-segment list is bounded (tcp-analysis.ts)',
  'zeek/contentline__rsh-long-client-user-no-nul.pcapng.gz#13987': 'ACKed unseen segment: our unacknowledged-segment list is bounded (tcp-analysis.ts)',
  'zeek/contentline__telnet-long-line-no-eol.pcapng.gz#13987': 'ACKed unseen segment: our unacknowledged-segment list is bounded (tcp-analysis.ts)',
  'zeek/contentline__telnet-unclosed-suboption.pcapng.gz#13987': 'ACKed unseen segment: our unacknowledged-segment list is bounded (tcp-analysis.ts)',
  'zeek/mixed-vlan-mpls.pcap#*': 'F5 Ethernet trailer: tshark\'s f5ethtrailer dissector puts "IN/OUT s1/tmm1 : " before the Info; we decode no F5 trailer',
  // Malformed headers: tshark stops the Info where the dissection failed, we write what the index has.
  'PcapPlusPlus/packetpp__tcp-malformed.pcap#*': 'TCP header longer than the segment: tshark stops after Win=, we add Len=0',
  'nDPI/kerberos_fuzz.pcapng#1': 'TCP header length 8 (bogus): tshark says so in the Info, we mark the row [malformed]',
  'nDPI/fuzz-2006-09-29-28586.pcap#27': 'fuzzed header: tshark stops after Urg= and reads another Seq for the broken header',
  'nDPI/fuzz-2006-09-29-28586.pcap#80': 'fuzzed header: the reserved bits set (tshark names them Reserved; the index keeps 8 flag bits) and tshark stops after Urg=',
  'nDPI/fuzz-2006-06-26-2594.pcap#63': 'fuzzed header: the reserved bits set (tshark names them Reserved; the index keeps 8 flag bits)',
  'nDPI/fuzz-2006-09-29-28586.pcap#121': 'the AE (former NS) bit set: the index keeps 8 flag bits, so the row has no AE',
  'tcpdump/heapoverflow-tcp_print.pcap#1': 'fuzzed header: reserved and AE bits, and a truncated super-frame that tshark notes as "Packet size limited"',
  'tcpdump/tcp-auth-heapoverflow.pcap#1': 'fuzzed header: reserved bits, a TCP-AO option tshark names, a truncated super-frame',
};

function tshark(file: string, bytes: Uint8Array): Promise<Map<number, [string, string]>> {
  return cachedTshark('tcp-rows', file, bytes, ARGS).then((out) => {
    const m = new Map<number, [string, string]>();
    for (const line of out.split('\n')) {
      const [n, p, info] = line.split('\t');
      if (n !== '' && Number.isInteger(Number(n))) m.set(Number(n), [p ?? '', (info ?? '').trimEnd()]);
    }
    return m;
  });
}

/**
 * Notes that are not the TCP Info itself, taken off before comparing: ours after it (` [malformed]`,
 * ` [truncated]`, ` [super-frame]`: README "The web app"), tshark's `[Malformed Packet]` after it, and the
 * `[Continuation to #N]` an application dissector (HTTP, DRDA) puts before it for a segment that continues a
 * message it reassembles; we read one segment at a time.
 */
function ours(info: string): string {
  return info.replace(/( \[(malformed|truncated|super-frame)\])+$/, '');
}

function theirsNormal(info: string): string {
  return info.replace(/\[Malformed Packet\]$/, '').replace(/^\[Continuation to #\d+\] /, '');
}

interface Tally { compared: number; withOptions: number; allowed: number; mismatches: string[] }

async function compare(file: string, rel: string, raw: Uint8Array, t: Tally): Promise<void> {
  const bytes = rel.endsWith('.gz') ? new Uint8Array(gunzipSync(raw)) : raw;
  const e = new Engine();
  const src = new MemorySource(bytes);
  try {
    await e.load(src, rel);
  } catch {
    return;
  }
  if (e.streams.count('tcp') === 0) return;
  const rows = e.rows(0, e.frames, { tenant: null, sort: null, filter: '' }).rows;
  await fillLayerRows(e, rows, src);
  const theirs = await tshark(file, raw);
  const merged = flowsTsharkMerges(e);
  for (const row of rows) {
    const their = theirs.get(row.n);
    if (row.protocol !== 'TCP' || their?.[0] !== 'TCP' || merged.has(e.store.flow[row.n - 1])) continue;
    t.compared++;
    if (/ (MSS|WS|SACK_PERM|TSval|SLE)/.test(their[1])) t.withOptions++;
    if (ours(row.info) === theirsNormal(their[1])) continue;
    if (ALLOW[`${rel}#${row.n}`] ?? ALLOW[`${rel}#*`]) { t.allowed++; continue; }
    t.mismatches.push(`${rel}#${row.n}: tshark "${their[1]}", ours "${row.info}"`);
  }
}

describe('TCP Info column vs tshark 4.0', () => {
  it('agrees on generated conversations: handshake with options, data, window scaling', async () => {
    const opts = Uint8Array.of(2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 7, 0, 0, 0, 0, 1, 3, 3, 7);
    const segs: Segment[] = [
      { from: 'c', seq: 0, flags: 'S', ms: 0, options: opts }, { from: 's', seq: 0, ack: 1, flags: 'SA', ms: 1, options: opts },
      ...handshake(7).slice(2).map((s) => ({ ...s, ms: 2 })),
      { from: 'c', seq: 1, ack: 1, flags: 'PA', len: 20, ms: 3 }, { from: 's', seq: 1, ack: 21, ms: 4, win: 100 },
      { from: 's', seq: 1, ack: 21, flags: 'PAU', len: 5, ms: 5 },
    ];
    const bytes = conversationPcapng([{ segments: segs }]);
    const dir = join(tmpdir(), 'tunnelscope-tcp-rows');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'gen.pcapng');
    writeFileSync(file, bytes);
    const t: Tally = { compared: 0, withOptions: 0, allowed: 0, mismatches: [] };
    await compare(file, 'generated', bytes, t);
    expect(t.mismatches).toEqual([]);
    expect(t.compared).toBe(segs.length);
    expect(t.withOptions).toBe(2);
  });

  it('agrees on the real captures', { timeout: 900_000 }, async () => {
    const t: Tally = { compared: 0, withOptions: 0, allowed: 0, mismatches: [] };
    for (const file of captureFiles()) await compare(file, file.slice(CAPTURES.length), new Uint8Array(readFileSync(file)), t);
    console.log(JSON.stringify({ compared: t.compared, withOptions: t.withOptions, allowed: t.allowed, mismatches: t.mismatches.length }));
    expect(t.mismatches.slice(0, 40)).toEqual([]);
    // Most TCP frames of the real captures carry an application layer (HTTP, TLS, ...), where the Info is that
    // layer's: about 2,000 are TCP for both.
    expect(t.compared).toBeGreaterThan(1_500);
    expect(t.withOptions).toBeGreaterThan(500);
  });
});
