import { describe, expect, it } from 'vitest';
import { Engine } from '../decoders/analysis/engine.ts';
import { MemorySource } from '../decoders/capture/memory-source.ts';
import { generateFragmentsSample } from '../scripts/gen-fragments-sample.ts';
import type { FrameDetail, TreeNode } from '../workers/api.ts';
import { byteTabs, fieldAtByte, rangeInTab } from './byte-sources.ts';
import { nodeAt } from './tree.ts';

/** Frame n's details as the worker's detail() returns them (engine tree, the frame's bytes, the reassembled sources). */
async function detailOf(n: number): Promise<FrameDetail> {
  const file = generateFragmentsSample();
  const e = new Engine();
  await e.load(new MemorySource(file, 4096), 'fragments.pcapng');
  const loc = (m: number) => e.frameLocation(m);
  const read = (m: number): Uint8Array => file.subarray(loc(m).offset, loc(m).offset + loc(m).caplen);
  const { tree, sources } = e.detailOf(n, read(n), new Map(e.detailFrames(n).map((m) => [m, read(m)] as const)));
  return { n, tree, bytes: read(n), sources: sources.slice(1) };
}

function paths(tree: readonly TreeNode[], field: string): string[] {
  const out: string[] = [];
  const walk = (list: readonly TreeNode[], prefix: string): void => list.forEach((x, i) => {
    const p = prefix ? `${prefix}.${i}` : String(i);
    if (x.field === field) out.push(p);
    if (x.children) walk(x.children, p);
  });
  walk(tree, '');
  return out;
}

describe('byte tabs of a frame that reassembled IP fragments', () => {
  it('are the frame and the reassembled datagram, which starts at its own first byte as in Wireshark', async () => {
    const d = await detailOf(3);
    const tabs = byteTabs(d);
    expect(tabs.map((t) => [t.label, t.bytes.length])).toEqual([['Frame (96 bytes)', 96], ['Reassembled IPv4 (2062 bytes)', 2062]]);
    // The datagram is GRE (NVGRE) first: flags 0x2000, protocol 0x6558 (transparent Ethernet bridging).
    expect(Array.from(tabs[1].bytes.subarray(0, 4))).toEqual([0x20, 0x00, 0x65, 0x58]);
  });

  it('map a field to its bytes in its tab and a byte of a tab back to the field', async () => {
    const d = await detailOf(3);
    const tabs = byteTabs(d);
    // TCP follows GRE (8 bytes), the tenant's Ethernet (14) and IPv4 (20) headers: offset 42 of the datagram.
    const [port] = paths(d.tree, 'tcp.srcport');
    const node = nodeAt(d.tree, port);
    expect(node && rangeInTab(node, tabs)).toEqual({ tab: 1, start: 42, end: 44 });
    expect(fieldAtByte(d.tree, tabs, 1, 42)).toBe(port);
    expect(fieldAtByte(d.tree, tabs, 1, 0)).toBe(paths(d.tree, 'gre.flags_and_version')[0]);
    // The same offset of the frame's own tab is a field of the frame (the outer IPv4 header), not of the datagram.
    const outer = nodeAt(d.tree, fieldAtByte(d.tree, tabs, 0, 14) ?? '');
    expect(outer?.src ?? 0).toBe(0);
    expect(outer?.field).toMatch(/^ip\./);
    // The outer source address: the frame's tab, where it is in the frame.
    const src = nodeAt(d.tree, paths(d.tree, 'ip.src')[0]);
    expect(src && rangeInTab(src, tabs)).toEqual({ tab: 0, start: 26, end: 30 });
    expect(fieldAtByte(d.tree, tabs, 1, 5000)).toBeNull();
  });

  it('a tenant-fragmented VXLAN packet: the tab holds the tenant datagram (its UDP header first)', async () => {
    const d = await detailOf(5);
    const tabs = byteTabs(d);
    expect(tabs.map((t) => t.label)).toEqual(['Frame (1092 bytes)', 'Reassembled IPv4 (2408 bytes)']);
    const [port] = paths(d.tree, 'udp.srcport').filter((p) => nodeAt(d.tree, p)?.src === 1);
    expect(rangeInTab(nodeAt(d.tree, port)!, tabs)).toEqual({ tab: 1, start: 0, end: 2 });
    expect(fieldAtByte(d.tree, tabs, 1, 1)).toBe(port);
  });

  it('a frame without reassembly has the frame tab alone', async () => {
    const d = await detailOf(1);
    expect(byteTabs(d).map((t) => t.label)).toEqual(['Frame (1034 bytes)']);
    expect(fieldAtByte(d.tree, byteTabs(d), 0, 0)).not.toBeNull();
  });
});
