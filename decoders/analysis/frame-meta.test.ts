// Capture metadata in the details' frame node and in the filters: every option of the metadata capture
// (scripts/lib/metadata-capture.ts) shown under its Wireshark name, "Apply as filter" on each of those lines
// selecting its frame, fields tshark 4.0 lacks (frame.hash*, frame.flags.*) filtered, interface names known
// while a load is still running, and the partial checksum a "checksum not ready" frame carries called expected.

import { describe, expect, it } from 'vitest';
import { METADATA_FRAMES, metadataCapture } from '../../scripts/lib/metadata-capture.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { readCapture } from '../capture/sniff.ts';
import { annotateFilters, checkFilter, resolvePending } from '../filter/index.ts';
import type { TreeNode } from '../summary.ts';
import { Engine } from './engine.ts';

const BYTES = metadataCapture();

async function load(bytes = BYTES): Promise<{ e: Engine; src: MemorySource }> {
  const e = new Engine();
  const src = new MemorySource(bytes);
  await e.load(src, 'meta.pcapng');
  return { e, src };
}

async function tree(e: Engine, src: MemorySource, n: number): Promise<TreeNode[]> {
  const loc = e.frameLocation(n);
  const bytes = await src.read(loc.offset, loc.caplen);
  const t = e.detailOf(n, bytes);
  annotateFilters(t.tree, t.sources.map((s) => s.bytes));
  return t.tree;
}

function lines(nodes: readonly TreeNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    out.push(n.label);
    if (n.children) lines(n.children, out);
  }
  return out;
}

function fieldNodes(nodes: readonly TreeNode[], prefix: string, out: TreeNode[] = []): TreeNode[] {
  for (const n of nodes) {
    if (n.field?.startsWith(prefix)) out.push(n);
    if (n.children) fieldNodes(n.children, prefix, out);
  }
  return out;
}

async function matches(e: Engine, src: MemorySource, filter: string): Promise<number[]> {
  const run = e.filters.get(filter);
  await resolvePending(e, run, src);
  const out: number[] = [];
  for (let i = 0; i < e.frames; i++) if (run.state[i] === 1) out.push(i + 1);
  return out;
}

describe('capture metadata in the details', () => {
  it('the frame node names the interface and the direction, and lists every option the frame has', async () => {
    const { e, src } = await load();
    const f1 = (await tree(e, src, 1))[0];
    expect(f1.label).toBe('Frame 1: 94 bytes on wire, 94 bytes captured on interface eth0, id 0 (inbound)');
    expect(lines(f1.children ?? [])).toEqual(expect.arrayContaining([
      'Interface id: 0 (eth0)', 'Interface name: eth0', 'Interface description: Uplink port', 'Interface queue: 3',
      'Packet flags: 0x00000005', 'Direction: Inbound (1)', 'Reception type: Unicast (1)', 'FCS length: 0',
      'Checksum not ready (offload pending): Not set', 'TCP segmentation offloaded: Not set', 'CRC error: Not set',
      'Packet id: 18364758544493064720', 'Comment: hello from eth0',
    ]));
    const f3 = lines([(await tree(e, src, 3))[0]]);
    expect(f3[0]).toBe('Frame 3: 94 bytes on wire, 94 bytes captured on interface eth1, id 1 (inbound)');
    expect(f3).toEqual(expect.arrayContaining([
      'Reception type: Multicast (2)', 'FCS length: 4', 'Checksum valid (checked before capture): Set',
      'Verdict: eBPF_XDP (2), eBPF_TC (1), Hardware (0)', 'eBPF XDP: XDP_PASS (2)', 'eBPF TC: TC_ACT_UNSPEC (-1)', 'Hardware: de ad',
      'Hash Algorithm: CRC32 (2), MD5 (3)', 'Hash Value: ec 1d 87 97', `Hash Value: ${new Array(16).fill('07').join(' ')}`,
    ]));
    expect(f3).not.toContain('Interface description: Uplink port');
    // No name, no direction: nothing is made up.
    const f5 = (await tree(e, src, 5))[0];
    expect(f5.label).toBe('Frame 5: 94 bytes on wire, 94 bytes captured');
    expect(lines([f5])).toEqual(expect.arrayContaining(['Interface id: 2', 'Packet flags: 0x00000000', 'Direction: Unknown (0)', 'Interface queue: 0']));
    const f6 = lines([(await tree(e, src, 6))[0]]);
    expect(f6).toEqual(expect.arrayContaining(['Reception type: Promiscuous (4)', 'CRC error: Set', 'Packet too long error: Set', 'Packet too short error: Not set', 'Symbol error: Set']));
    expect(lines([(await tree(e, src, 7))[0]])).toEqual(expect.arrayContaining(['Comment: solo', 'Comment: two']));
    expect(lines([(await tree(e, src, 4))[0]]).some((l) => /flags|Verdict|Hash|Comment|queue/.test(l))).toBe(false);
  });

  it('"Apply as filter" on every metadata line selects its frame', async () => {
    const { e, src } = await load();
    let checked = 0;
    for (let n = 1; n <= e.frames; n++) {
      for (const node of fieldNodes([(await tree(e, src, n))[0]], 'frame.')) {
        if (['frame.time', 'frame.number', 'frame.len', 'frame.cap_len'].includes(node.field ?? '')) continue;
        expect(node.filter, `${node.label} of frame ${n}`).toBeDefined();
        expect(await matches(e, src, node.filter as string), `${node.filter} (frame ${n})`).toContain(n);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('a partial checksum of a frame marked "checksum not ready" is called expected', async () => {
    const { e, src } = await load();
    expect(METADATA_FRAMES[1].checksum).toBe('partial');
    const status = fieldNodes(await tree(e, src, 2), 'tcp.checksum.status')[0];
    expect(status.verdict).toBe('partial');
    expect(status.label).toContain('[expected: the capture marks the checksum not ready (offload pending)]');
    // The same partial checksum without the flag says nothing of the kind.
    const plain = metadataCapture([{ iface: 0, checksum: 'partial' }]);
    const other = await load(plain);
    expect(fieldNodes(await tree(other.e, other.src, 1), 'tcp.checksum.status')[0].label).not.toContain('expected');
    // The Offload pane's count of them, and what its link selects.
    expect(e.offload().frames.partial).toBe(1);
    expect(e.offload().capture).toEqual({ notReady: 1, superframes: 0 });
    expect(await matches(e, src, 'checksum.partial && frame.flags.checksum_not_ready == 1')).toEqual([2]);
    expect(other.e.offload().capture).toEqual({ notReady: 0, superframes: 0 });
  });
});

describe('capture metadata in the filters', () => {
  it('fields tshark 4.0 lacks: frame.hash, frame.hash.value, frame.flags.*, frame.verdict', async () => {
    const { e, src } = await load();
    expect(await matches(e, src, 'frame.hash')).toEqual([3]);
    expect(await matches(e, src, 'frame.hash contains "CRC32"')).toEqual([3]);
    expect(await matches(e, src, 'frame.hash.value == ec:1d:87:97')).toEqual([3]);
    expect(await matches(e, src, 'frame.hash.value == ec:1d:87:98')).toEqual([]);
    expect(await matches(e, src, 'frame.verdict contains "XDP"')).toEqual([3]);
    expect(await matches(e, src, 'frame.verdict.unknown')).toEqual([]);
    expect(await matches(e, src, 'frame.flags.checksum_not_ready == 1')).toEqual([2]);
    expect(await matches(e, src, 'frame.flags.checksum_valid == 1')).toEqual([3]);
    expect(await matches(e, src, 'frame.flags.tso == 1')).toEqual([]);
    expect(await matches(e, src, 'checksum.partial && frame.flags.checksum_not_ready == 1')).toEqual([2]);
  });

  it('a metadata filter reads no frame bytes where the column tier decides', async () => {
    const { e } = await load();
    for (const f of ['frame.packet_flags_direction == 1', 'frame.interface_name == "eth1"', 'frame.packet_id > 5', 'frame.hash', 'frame.comment']) {
      expect(e.filters.get(f).pending, f).toBe(0);
    }
    // Values the columns lack are looked up only on the frames that have the field.
    expect(e.filters.get('frame.comment == "two"').pending).toBe(2);
    expect(e.filters.get('frame.hash.value == ec:1d:87:97').pending).toBe(1);
    // Those, and every other metadata filter, are decided from the index: no frame is read again.
    const noReads = { read: (): Promise<Uint8Array> => Promise.reject(new Error('no frame bytes should be read')) };
    for (const [f, want] of [['frame.comment == "two"', [7]], ['frame.comment contains "hello"', [1]], ['frame.verdict.ebpf_tc == -1', [3]],
      ['frame.hash.value[0:2] == ec:1d', [3]], ['frame.interface_name matches "^eth[01]$" && frame.interface_queue', [1]]] as const) {
      const run = e.filters.get(f);
      await resolvePending(e, run, noReads);
      expect(Array.from({ length: e.frames }, (_, i) => i + 1).filter((n) => run.state[n - 1] === 1), f).toEqual(want);
      expect(checkFilter(f).needsBytes, f).toBe(false);
    }
    expect(checkFilter('frame.comment == "two" && ip.ttl > 1').needsBytes).toBe(true);
  });

  it('interface names are known to the filters while the load is still running', async () => {
    const e = new Engine();
    const seen: number[][] = [];
    await readCapture(new MemorySource(BYTES), {
      onFrame: (rec) => {
        e.add(rec);
        if (rec.n === 4) seen.push(Array.from(e.filters.get('frame.interface_name == "eth1"').update().subarray(0, 4)));
      },
    });
    expect(e.result).toBeNull();
    expect(seen).toEqual([[0, 0, 1, 1]]);
  });

  it('a signed verdict value is compared as signed; a literal that is no integer is an error', async () => {
    const { e, src } = await load();
    expect(await matches(e, src, 'frame.verdict.ebpf_tc < 0')).toEqual([3]);
    expect(() => e.filters.get('frame.verdict.ebpf_tc == x1')).toThrow(/not an integer/);
  });
});
