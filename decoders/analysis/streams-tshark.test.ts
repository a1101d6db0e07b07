// Differential test: conversations against tshark 4.0 with its default preferences (relative sequence
// numbers): tcp.stream, udp.stream, tcp.seq/ack (relative), tcp.seq_raw/ack_raw, tcp.nxtseq and
// tcp.window_size frame for frame, read from our details trees; `tcp.stream eq N` as a display filter; on
// generated conversations and on the real captures in captures/.
//
// tshark keys conversations on addresses and ports only, we on the tenant too: where tshark merges two of our
// flows (two tenants reusing inner addresses, a tunnelled and a direct copy of a connection) our streams are
// finer than its, so numbers are compared only in captures without such flows, and elsewhere each of our
// streams must lie inside one of tshark's. udp.stream is compared in captures without tunnels: tshark numbers
// the tunnels' outer UDP conversations too, we the innermost UDP only.

import { cachedTshark } from '../../scripts/lib/tshark-cache.ts';
import { flowsTsharkMerges } from '../../scripts/lib/tshark-flows.ts';
import { captureFilePaths as captureFiles } from '../../scripts/lib/shared-captures.ts';

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { conversationPcapng, handshake, type Conversation, type Segment } from '../../scripts/lib/tcp-conversation.ts';
import { TCP_SCENARIOS } from '../../scripts/lib/tcp-scenarios.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { readFrames, resolvePending } from '../filter/runner.ts';
import type { TreeNode } from '../summary.ts';
import { Engine } from './engine.ts';

const CAPTURES = fileURLToPath(new URL('../../captures/', import.meta.url));
const TSHARK = '/usr/bin/tshark';
const TCP_FIELDS = ['tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.nxtseq', 'tcp.window_size'];
const FIELDS = [...TCP_FIELDS, 'udp.stream'];
const ARGS = ['-T', 'fields', '-E', 'occurrence=l', '-E', 'separator=/t', '-e', 'frame.number', ...FIELDS.flatMap((f) => ['-e', f])];

/** Captures where the two differ, each with its reason (every frame of the file is then left out). */
const ALLOW: Record<string, string> = {
  'nDPI/fuzz-2006-06-26-2594.pcap': 'fuzzed headers: tshark stops at a malformed TCP/UDP header we read, so it counts one conversation fewer',
  'nDPI/fuzz-2006-09-29-28586.pcap': 'fuzzed headers: sequence bases differ where tshark stops at a malformed header',
  'nDPI/kerberos_fuzz.pcapng': 'fuzzed TCP header length: tshark shows no ACK number or window',
  'PcapPlusPlus/packetpp__tcp-malformed.pcap': 'header length past the segment: tshark shows no tcp.nxtseq',
  'suricata-verify/detect-ipopts__input.pcap': 'IPv4 source route: tshark keys the conversation on the route\'s final address',
  'suricata-verify/firewall__tcp-session-decode-malformed-ipv4__input.pcap': 'malformed IPv4 option: tshark has no TCP in that frame',
  'suricata-verify/bug-6875-01__fuzz.pcap': 'fuzzed capture: not investigated',
  'suricata-verify/snmp-v2c-get__SNMPv2c_get_requests.pcap': 'UDP conversations: not investigated',
  'pcapng-test-generator/output_le/test018.pcapng': 'several pcapng sections: tshark does not follow UDP conversations across them as one',
  'pcapng-test-generator/output_be/test018.pcapng': 'several pcapng sections: tshark does not follow UDP conversations across them as one',
  'pcapng-test-generator/output_le/test102.pcapng': 'several pcapng sections: tshark does not follow UDP conversations across them as one',
  'pcapng-test-generator/output_be/test102.pcapng': 'several pcapng sections: tshark does not follow UDP conversations across them as one',
  'pcapng-test-generator/output_le/test202.pcapng': 'several pcapng sections: tshark does not follow UDP conversations across them as one',
  'pcapng-test-generator/output_be/test202.pcapng': 'several pcapng sections: tshark does not follow UDP conversations across them as one',
};

function tshark(file: string, bytes: Uint8Array, args: string[]): Promise<string> {
  return cachedTshark('streams', file, bytes, args, 120_000);
}

async function theirFields(file: string, bytes: Uint8Array): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const line of (await tshark(file, bytes, ARGS)).split('\n')) {
    const [n, ...rest] = line.split('\t');
    if (n !== '' && Number.isInteger(Number(n))) out.set(Number(n), rest);
  }
  return out;
}

function collect(nodes: readonly TreeNode[], m: Map<string, string>): void {
  for (const n of nodes) {
    if (n.field !== undefined && FIELDS.includes(n.field) && n.value !== undefined) m.set(n.field, n.value);
    if (n.children) collect(n.children, m);
  }
}

/** Our values of FIELDS for frame n, from its details tree as the app shows it. */
async function ourFields(e: Engine, src: MemorySource, n: number): Promise<string[]> {
  const loc = e.frameLocation(n);
  const need = e.detailFrames(n);
  const others = need.length > 0 ? await readFrames(e, src, need) : undefined;
  const m = new Map<string, string>();
  collect(e.detailOf(n, await src.read(loc.offset, loc.caplen), others).tree, m);
  return FIELDS.map((f) => m.get(f) ?? '');
}

interface Tally {
  files: number;
  tcpFrames: number;
  udpFrames: number;
  /** Frames of flows tshark merges: only checked for our streams lying inside one of tshark's. */
  merged: number;
  allowed: number;
  mismatches: string[];
}

async function compareFile(file: string, rel: string, raw: Uint8Array, t: Tally): Promise<void> {
  const bytes = rel.endsWith('.gz') ? new Uint8Array(gunzipSync(raw)) : raw;
  const e = new Engine();
  const src = new MemorySource(bytes);
  try {
    await e.load(src, rel);
  } catch {
    return;
  }
  if (e.streams.count('tcp') + e.streams.count('udp') === 0) return;
  if (ALLOW[rel] !== undefined) {
    t.allowed++;
    return;
  }
  t.files++;
  const theirs = await theirFields(file, raw);
  const merged = flowsTsharkMerges(e);
  const st = e.store;
  let tunnels = false;
  for (let i = 0; i < st.count && !tunnels; i++) tunnels = st.depth[i] > 0;
  const exact = merged.size === 0;
  // Our stream -> theirs, where numbers cannot be equal.
  const into = new Map<number, string>();
  const udpInto = new Map<number, string>(), udpFrom = new Map<string, number>();
  for (let n = 1; n <= st.count; n++) {
    const i = n - 1;
    const ours = await ourFields(e, src, n);
    const their = theirs.get(n) ?? [];
    const tcp = e.streams.tcpOf(i);
    if (tcp >= 0) {
      if (!exact && merged.has(st.flow[i])) {
        t.merged++;
        const was = into.get(tcp);
        if (was === undefined) into.set(tcp, their[0] ?? '');
        else if (was !== (their[0] ?? '')) t.mismatches.push(`${rel}#${n}: our tcp.stream ${tcp} spans tshark's ${was} and ${their[0]}`);
        continue;
      }
      t.tcpFrames++;
      const a = ours.slice(0, TCP_FIELDS.length).join(' '), b = TCP_FIELDS.map((_, k) => their[k] ?? '').join(' ');
      // Stream numbers shift after a merged flow: compare them only where none is.
      if (exact ? a !== b : a.slice(a.indexOf(' ')) !== b.slice(b.indexOf(' '))) t.mismatches.push(`${rel}#${n}: tshark ${b}, ours ${a}`);
    }
    // UDP: each of our streams is one of tshark's and no two are the same one (its numbers also count the
    // conversations of UDP it decodes where we do not: inside GTP, quoted in ICMP errors).
    const udp = e.streams.udpOf(i);
    if (udp >= 0 && !tunnels && exact) {
      t.udpFrames++;
      const their0 = their[TCP_FIELDS.length] ?? '';
      const was = udpInto.get(udp);
      if (was === undefined) {
        if (udpFrom.has(their0)) t.mismatches.push(`${rel}#${n}: tshark udp.stream ${their0} is our ${udpFrom.get(their0)} and ${udp}`);
        udpInto.set(udp, their0);
        udpFrom.set(their0, udp);
      } else if (was !== their0) t.mismatches.push(`${rel}#${n}: our udp.stream ${udp} spans tshark's ${was} and ${their0}`);
    }
  }
}

function writeTemp(name: string, bytes: Uint8Array): string {
  const dir = join(tmpdir(), 'tunnelscope-streams');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${createHash('sha1').update(name).digest('hex').slice(0, 12)}.pcapng`);
  writeFileSync(file, bytes);
  return file;
}

/** Several connections, one reusing another's ports with a new ISN, with window scaling and data both ways. */
function conversations(): Conversation[] {
  const talk: Segment[] = [...handshake(7, 4)];
  for (let k = 0; k < 6; k++) {
    talk.push({ from: 'c', seq: 1 + k * 10, ack: 1 + k * 30, flags: 'PA', len: 10, ms: 10 + k * 5 });
    talk.push({ from: 's', seq: 1 + k * 30, ack: 11 + k * 10, flags: 'PA', len: 30, ms: 12 + k * 5, win: 300 + k });
  }
  talk.push({ from: 'c', seq: 61, ack: 181, flags: 'FA', ms: 50 }, { from: 's', seq: 181, ack: 62, flags: 'FA', ms: 51 }, { from: 'c', seq: 62, ack: 182, ms: 52 });
  const ep = { client: '10.1.0.1', server: '10.1.0.2', cport: 50000, sport: 80, ciss: 1000, siss: 2000 };
  return [
    { segments: talk, endpoints: ep },
    { segments: talk.slice(3), startMs: 2, endpoints: { ...ep, cport: 50001, ciss: 4294967290, siss: 7 } },
    // The same ports again later with new initial sequence numbers: a new stream (tcp.analysis.reused_ports).
    { segments: talk, startMs: 100, endpoints: { ...ep, ciss: 900000, siss: 800000 } },
  ];
}

describe('conversations vs tshark 4.0', () => {
  it('has tshark', () => {
    expect(existsSync(TSHARK), `${TSHARK} (apt-get install tshark)`).toBe(true);
  });

  it('agrees frame for frame on generated conversations, plain and tunnelled', { timeout: 120_000 }, async () => {
    const t: Tally = { files: 0, tcpFrames: 0, udpFrames: 0, merged: 0, allowed: 0, mismatches: [] };
    const cases: Array<[string, Conversation[]]> = [['streams', conversations()]];
    for (const sc of TCP_SCENARIOS) cases.push([sc.name, sc.convs]);
    const tunnel = { kind: 'vxlan' as const, id: 300, chost: '192.168.10.21', shost: '192.168.10.22' };
    cases.push(['streams in vxlan', conversations().map((c) => ({ ...c, tunnel }))]);
    for (const [name, convs] of cases) {
      const bytes = conversationPcapng(convs);
      await compareFile(writeTemp(name, bytes), name, bytes, t);
    }
    expect(t.mismatches.slice(0, 20)).toEqual([]);
    expect(t.files).toBe(cases.length);
    expect(t.merged).toBe(0);
    expect(t.tcpFrames).toBeGreaterThan(150);
  });

  it('numbers two tenants that reuse one inner 5-tuple as two streams, where tshark merges them', async () => {
    const segs: Segment[] = [...handshake(undefined, 2), { from: 'c', seq: 1, ack: 1, flags: 'PA', len: 4, ms: 3 }];
    const convs: Conversation[] = [
      { segments: segs, tunnel: { kind: 'vxlan', id: 100, chost: '192.168.1.1', shost: '192.168.1.2' } },
      { segments: segs, startMs: 1, tunnel: { kind: 'vxlan', id: 200, chost: '192.168.1.1', shost: '192.168.1.2' } },
    ];
    const bytes = conversationPcapng(convs);
    const file = writeTemp('two tenants', bytes);
    const theirs = await theirFields(file, bytes);
    const e = new Engine();
    await e.load(new MemorySource(bytes), 'two tenants');
    const ours = Array.from({ length: e.frames }, (_, i) => e.streams.tcpOf(i));
    expect(new Set([...theirs.values()].map((v) => v[0]))).toEqual(new Set(['0']));
    expect(e.streams.count('tcp')).toBe(2);
    // Each tenant's frames are one stream, numbered by first appearance.
    for (let i = 0; i < e.frames; i++) expect(ours[i]).toBe(e.tenants.vnid[e.store.tenant[i]] === 100 ? 0 : 1);
    const run = e.filters.get('tcp.stream eq 1');
    await resolvePending(e, run, new MemorySource(bytes));
    expect([...run.state.subarray(0, e.frames)].map((s, i) => (s === 1 ? i : -1)).filter((i) => i >= 0)).toEqual(
      ours.map((s, i) => (s === 1 ? i : -1)).filter((i) => i >= 0));
  });

  it('selects the frames tshark selects with `tcp.stream eq N` and `udp.stream eq N`', { timeout: 120_000 }, async () => {
    const files = ['PcapPlusPlus/pcappp__four_ipv6_http_streams.pcap', 'PcapPlusPlus/pcappp__one_http_stream_fin.pcap', 'PcapPlusPlus/packetpp__dns_over_tcp.pcapng'];
    let checked = 0;
    for (const rel of files) {
      const file = join(CAPTURES, rel);
      const bytes = new Uint8Array(readFileSync(file));
      const e = new Engine();
      const src = new MemorySource(bytes);
      await e.load(src, rel);
      for (const kind of ['tcp', 'udp'] as const) {
        for (let s = 0; s < Math.min(e.streams.count(kind), 6); s++) {
          const filter = `${kind}.stream eq ${s}`;
          const their = (await tshark(file, bytes, ['-Y', filter, '-T', 'fields', '-e', 'frame.number'])).split('\n').filter((x) => x !== '').map(Number);
          const run = e.filters.get(filter);
          await resolvePending(e, run, src);
          const ours: number[] = [];
          for (let i = 0; i < e.frames; i++) if (run.state[i] === 1) ours.push(i + 1);
          expect(ours, `${rel}: ${filter}`).toEqual(their);
          expect(e.streams.frames(kind, s), `${rel}: frames of ${kind} stream ${s}`).toEqual(their);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(6);
  });

  it('agrees frame for frame on the real captures', { timeout: 900_000 }, async () => {
    const t: Tally = { files: 0, tcpFrames: 0, udpFrames: 0, merged: 0, allowed: 0, mismatches: [] };
    for (const file of captureFiles()) await compareFile(file, file.slice(CAPTURES.length), new Uint8Array(readFileSync(file)), t);
    console.log(JSON.stringify({ files: t.files, tcpFrames: t.tcpFrames, udpFrames: t.udpFrames, merged: t.merged, allowedFiles: t.allowed, mismatches: t.mismatches.length }));
    expect(t.allowed).toBeLessThanOrEqual(Object.keys(ALLOW).length);
    expect(t.mismatches.slice(0, 40)).toEqual([]);
    expect(t.files).toBeGreaterThan(100);
    expect(t.tcpFrames).toBeGreaterThan(30_000);
    expect(t.udpFrames).toBeGreaterThan(1_000);
  });
});
