// TCP analysis per kind, on generated conversations (scripts/lib/tcp-scenarios.ts: the frames each kind
// must flag, which tcp-analysis-tshark.test.ts also holds against tshark): plain and inside each tunnel, the
// Info column, the details, the filters (column tier and details agree), two tenants reusing the same inner
// addresses, and segments that arrive as IP fragments.

import { describe, expect, it } from 'vitest';
import { conversationPackets, conversationPcapng, handshake, type Conversation, type Segment, type Tunnel } from '../../scripts/lib/tcp-conversation.ts';
import { writePcapng } from '../capture/pcapng-writer.ts';
import { TCP_SCENARIOS } from '../../scripts/lib/tcp-scenarios.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { PENDING, resolvePending } from '../filter/runner.ts';
import type { TreeNode } from '../summary.ts';
import { Engine } from './engine.ts';
import { DupAckNotes, TA_ANY_RETRANSMISSION, TA_RETRANSMISSION, TCP_FLAGS, TcpAnalyzer } from './tcp-analysis.ts';

const ALL = { tenant: null, sort: null, filter: '' } as const;

async function load(convs: Conversation[]): Promise<{ e: Engine; bytes: Uint8Array }> {
  const bytes = conversationPcapng(convs);
  const e = new Engine();
  await e.load(new MemorySource(bytes), 't.pcapng');
  return { e, bytes };
}

/** Frame -> flag names (as the scenarios write them), for the frames with any. */
function flagsOf(e: Engine): Record<number, string[]> {
  const out: Record<number, string[]> = {};
  for (let i = 0; i < e.store.count; i++) {
    const a = e.store.tcpAnalysis[i];
    if (a === 0) continue;
    out[i + 1] = TCP_FLAGS.filter((f) => (a & (f.bit === TA_RETRANSMISSION ? TA_ANY_RETRANSMISSION : f.bit)) !== 0)
      .map((f) => f.field.slice('tcp.analysis.'.length)).sort();
  }
  return out;
}

const sorted = (o: Record<number, string[]>): Record<number, string[]> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, [...v].sort()]));

const TUNNELS: Tunnel[] = [
  { kind: 'nvgre', id: 5001, chost: '192.168.10.11', shost: '192.168.10.12' },
  { kind: 'vxlan', id: 300, chost: '192.168.10.11', shost: '192.168.10.12' },
  { kind: 'geneve', id: 77, chost: '192.168.10.11', shost: '192.168.10.12' },
];

function frameBytes(e: Engine, bytes: Uint8Array, n: number): Uint8Array {
  const at = e.store.offsetOf(n - 1);
  return bytes.subarray(at, at + e.store.caplen[n - 1]);
}

function find(nodes: readonly TreeNode[], field: string): TreeNode | undefined {
  for (const n of nodes) {
    if (n.field === field) return n;
    const k = n.children ? find(n.children, field) : undefined;
    if (k) return k;
  }
  return undefined;
}

describe('TCP analysis, kind by kind', () => {
  for (const sc of TCP_SCENARIOS) {
    it(sc.name, async () => {
      const { e } = await load(sc.convs);
      expect(flagsOf(e)).toEqual(sorted(sc.expect));
    });
    it(`${sc.name}, inside NVGRE, VXLAN and Geneve`, async () => {
      for (const tunnel of TUNNELS) {
        const { e } = await load(sc.convs.map((c) => ({ ...c, tunnel })));
        expect(flagsOf(e), tunnel.kind).toEqual(sorted(sc.expect));
      }
    });
  }
});

describe('duplicate ACKs, Info and details', () => {
  const fast = TCP_SCENARIOS.find((s) => s.name.startsWith('fast retransmission')) as (typeof TCP_SCENARIOS)[number];

  it('numbers duplicate ACKs and names the frame they repeat, in the Info column and the details', async () => {
    const { e, bytes } = await load(fast.convs);
    expect([8, 9, 10].map((n) => e.dupAcks.get(n - 1))).toEqual([[1, 7], [2, 7], [3, 7]]);
    const rows = e.rows(0, e.frames, ALL).rows;
    expect(rows[7].info).toBe('[TCP Dup ACK 7#1] 443 → 40000 [ACK]');
    expect(rows[9].info).toBe('[TCP Dup ACK 7#3] 443 → 40000 [ACK]');
    expect(rows[10].info).toBe('[TCP Fast Retransmission] 40000 → 443 [PSH, ACK]');
    expect(rows[6].info).toBe('443 → 40000 [ACK]');
    const tree = e.detail(9, frameBytes(e, bytes, 9));
    const seqack = find(tree, 'tcp.analysis') as TreeNode;
    // Under the TCP layer, as Wireshark shows it.
    expect(find(tree, 'tcp')?.children?.includes(seqack)).toBe(true);
    expect(find([seqack], 'tcp.analysis.duplicate_ack')?.label).toBe('[This is a TCP duplicate ack]');
    expect(find([seqack], 'tcp.analysis.duplicate_ack_num')?.label).toBe('[Duplicate ACK #: 2]');
    const dupFrame = find([seqack], 'tcp.analysis.duplicate_ack_frame') as TreeNode;
    expect([dupFrame.label, dupFrame.frame]).toEqual(['[Duplicate to the ACK in frame: 7]', 7]);
    const fastTree = e.detail(11, frameBytes(e, bytes, 11));
    expect(find(fastTree, 'tcp.analysis.flags')?.children?.map((n) => n.label)).toEqual([
      '[Expert Info (Note/Sequence): This frame is a (suspected) retransmission]'.replace('retransmission', 'fast retransmission'),
      '[Expert Info (Note/Sequence): This frame is a (suspected) retransmission]',
    ]);
    expect(find(e.detail(4, frameBytes(e, bytes, 4)), 'tcp.analysis')).toBeUndefined();
  });

  it('puts the notes before the Info text in the order Wireshark prepends them', async () => {
    const zw = TCP_SCENARIOS.find((s) => s.name.startsWith('zero window')) as (typeof TCP_SCENARIOS)[number];
    const { e } = await load(zw.convs);
    const rows = e.rows(0, e.frames, ALL).rows;
    expect(rows[6].info).toBe('[TCP ZeroWindowProbeAck] [TCP ZeroWindow] 443 → 40000 [ACK]');
    expect(rows[5].info).toBe('[TCP ZeroWindowProbe] 40000 → 443 [PSH, ACK]');
    const wf: Segment[] = [...handshake(2, 10), { from: 's', seq: 1, ack: 1, win: 25, ms: 11 }, { from: 'c', seq: 1, ack: 1, flags: 'PA', len: 100, ms: 20 },
      { from: 'c', seq: 1, ack: 1, flags: 'PA', len: 100, ms: 300 }];
    const w = await load([{ segments: wf }]);
    expect(w.e.rows(5, 1, ALL).rows[0].info).toBe('[TCP Window Full] [TCP Retransmission] 40000 → 443 [PSH, ACK]');
  });
});

describe('tcp.analysis.* filters', () => {
  it('select by flag from the frame index alone, and the details say the same', async () => {
    const fast = TCP_SCENARIOS.find((s) => s.name.startsWith('fast retransmission')) as (typeof TCP_SCENARIOS)[number];
    const spur = TCP_SCENARIOS.find((s) => s.name.startsWith('spurious')) as (typeof TCP_SCENARIOS)[number];
    // Both conversations in one capture: the spurious one on other ports, two seconds later.
    const { e, bytes } = await load([...fast.convs, { ...spur.convs[0], endpoints: { client: '10.0.0.3', server: '10.0.0.4', cport: 40001, sport: 80, ciss: 1, siss: 2 }, startMs: 2000 }]);
    const cases: Array<[string, number[]]> = [
      // As in Wireshark, a fast or spurious retransmission is a retransmission too.
      ['tcp.analysis.retransmission', [11, 18]],
      ['tcp.analysis.fast_retransmission', [11]],
      ['tcp.analysis.spurious_retransmission', [18]],
      ['tcp.analysis.duplicate_ack', [8, 9, 10]],
      ['tcp.analysis.duplicate_ack_num >= 2', [9, 10]],
      ['tcp.analysis.duplicate_ack_frame == 7', [8, 9, 10]],
      ['tcp.analysis.flags && !tcp.analysis.duplicate_ack', [11, 18]],
      ['tcp.analysis', [8, 9, 10, 11, 18]],
      ['tcp.analysis.zero_window', []],
      ['tcp.port == 80 && tcp.analysis.flags', [18]],
    ];
    for (const [f, want] of cases) {
      const run = e.filters.get(f);
      expect(run.pending, `${f}: decided by the columns`).toBe(0);
      for (let i = 0; i < e.store.count; i++) {
        if (run.state[i] === PENDING) continue;
        expect(run.test(i, frameBytes(e, bytes, i + 1)), `${f} on frame ${i + 1}`).toBe(run.state[i] === 1);
      }
      await resolvePending(e, run, new MemorySource(bytes));
      const got: number[] = [];
      for (let i = 0; i < e.store.count; i++) if (run.state[i] === 1) got.push(i + 1);
      expect(got, f).toEqual(want);
    }
  });
});

describe('tenant-aware flows', () => {
  // The same inner conversation (addresses, ports, sequence numbers) in two VXLAN tenants, interleaved: one
  // flow per tenant, each clean. Wireshark keys TCP on the inner addresses and ports only, so it merges the
  // two into one stream and sees every segment of the second tenant as a retransmission of the first's.
  const conv: Segment[] = [...handshake(undefined, 10),
    { from: 'c', seq: 1, ack: 1, flags: 'PA', len: 100, ms: 20 }, { from: 's', seq: 1, ack: 101, ms: 21 },
    { from: 'c', seq: 101, ack: 1, flags: 'PA', len: 100, ms: 30 }, { from: 's', seq: 1, ack: 201, ms: 31 }];
  const hosts = { chost: '192.168.10.11', shost: '192.168.10.12' };

  it('analyses two tenants that reuse the same inner addresses apart', async () => {
    const { e } = await load([
      { segments: conv, tunnel: { kind: 'vxlan', id: 300, ...hosts } },
      { segments: conv, tunnel: { kind: 'vxlan', id: 301, ...hosts }, startMs: 0.2 },
    ]);
    expect(e.frames).toBe(2 * conv.length);
    expect(e.flows.count).toBe(2);
    expect(flagsOf(e)).toEqual({});
  });

  it('(the same segments in one tenant are retransmissions and duplicate ACKs: what a merge would show)', async () => {
    const { e } = await load([
      { segments: conv, tunnel: { kind: 'vxlan', id: 300, ...hosts } },
      { segments: conv, tunnel: { kind: 'vxlan', id: 300, ...hosts }, startMs: 0.2 },
    ]);
    expect(e.flows.count).toBe(1);
    const flags = Object.values(flagsOf(e)).flat();
    expect(flags).toContain('retransmission');
    expect(flags).toContain('duplicate_ack');
  });
});

describe('segments in IP fragments', () => {
  const tunnel: Tunnel = { kind: 'nvgre', id: 5001, chost: '192.168.10.11', shost: '192.168.10.12' };

  it('are analysed at the frame that completes their datagram, in frame order', async () => {
    // Segment 2 (1400 bytes) is fragmented by the underlay into two pieces that arrive in reverse order;
    // its retransmission too. The frame completing each datagram carries the flags; the other pieces none.
    const segs: Segment[] = [...handshake(undefined, 10),
      { from: 'c', seq: 1, ack: 1, flags: 'PA', len: 100, ms: 20 },
      { from: 'c', seq: 101, ack: 1, flags: 'PA', len: 1400, ms: 21, fragment: { max: 800, order: [1, 0] } },
      { from: 'c', seq: 1501, ack: 1, flags: 'PA', len: 100, ms: 22 },
      { from: 'c', seq: 101, ack: 1, flags: 'PA', len: 1400, ms: 500, fragment: { max: 800 } },
      { from: 's', seq: 1, ack: 1601, ms: 501 }];
    const { e } = await load([{ segments: segs, tunnel }]);
    // Frames: 1-3 handshake, 4 data, 5-6 fragments (6 completes), 7 data, 8-9 fragments (9 completes), 10 ACK.
    expect(e.fragments.completed).toBe(2);
    expect(flagsOf(e)).toEqual({ 9: ['retransmission'] });
    expect(e.rows(8, 1, ALL).rows[0].info).toBe('[TCP Retransmission] 40000 → 443 [PSH, ACK]');
    expect(e.rows(7, 1, ALL).rows[0].info).toMatch(/^Fragmented IP protocol/);
  });

  it('a segment whose fragments complete after a later segment is analysed when it completes', async () => {
    // The second fragment of segment 2 comes after segment 3: segment 3 is past a gap when it is analysed
    // (previous segment not captured), and segment 2 fills it at its completing frame (out of order).
    const segs: Segment[] = [...handshake(undefined, 10),
      { from: 'c', seq: 1, ack: 1, flags: 'PA', len: 100, ms: 20 },
      { from: 'c', seq: 101, ack: 1, flags: 'PA', len: 1400, ms: 21, fragment: { max: 800, order: [0] } },
      { from: 'c', seq: 1501, ack: 1, flags: 'PA', len: 100, ms: 21.5 }];
    const first = conversationPackets([{ segments: segs, tunnel }]);
    const piece = conversationPackets([{ segments: [{ ...segs[4], fragment: { max: 800, order: [1] } }], tunnel }])[0];
    const bytes = writePcapng([{ linktype: 1 }], [...first, { ...piece, tsNsec: first[first.length - 1].tsNsec + 1000 }]);
    const e = new Engine();
    await e.load(new MemorySource(bytes), 'b');
    expect(e.fragments.completed).toBe(1);
    // Frames: 1-3 handshake, 4 data, 5 first piece, 6 segment 3, 7 second piece (completes segment 2).
    expect(flagsOf(e)).toEqual({ 6: ['lost_segment'], 7: ['out_of_order'] });
  });
});

describe('TcpAnalyzer', () => {
  it('keeps a 128-byte record per flow', () => {
    expect(TcpAnalyzer.bytesPerFlow()).toBeLessThanOrEqual(128);
  });
});

describe('DupAckNotes', () => {
  it('finds each frame\'s note, appended in frame order or not', () => {
    const d = new DupAckNotes();
    for (let i = 0; i < 600; i += 2) d.add(i, i + 1, i + 2);
    d.add(301, 7, 8); // out of order: put in its place
    d.add(300, 9, 10); // again: replaced
    expect([d.get(0), d.get(298), d.get(300), d.get(301), d.get(302), d.get(599), d.get(1)]).toEqual([[1, 2], [299, 300], [9, 10], [7, 8], [303, 304], null, null]);
    expect([d.numAt(301), d.frameAt(301), d.numAt(3)]).toEqual([7, 8, -1]);
    expect(d.count).toBe(301);
  });
});
