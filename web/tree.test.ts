import { describe, expect, it } from 'vitest';
import type { TreeNode } from '../workers/api.ts';
import { ancestors, deepestAt, nodeAt, nodeText, worstVerdict } from './tree.ts';

const tree: TreeNode[] = [
  { label: 'Frame 1', start: 0, length: 60, children: [{ label: 'Frame Number: 1', start: 0, length: 0 }] },
  {
    label: 'Ethernet II', start: 0, length: 14, children: [
      { label: 'Destination: 00:00:00:00:00:02', field: 'eth.dst', value: '00:00:00:00:00:02', start: 0, length: 6 },
      { label: 'Source', field: 'eth.src', value: '00:00:00:00:00:01', start: 6, length: 6 },
      { label: 'Type: IPv4 (0x0800)', field: 'eth.type', start: 12, length: 2 },
    ],
  },
  {
    label: 'Internet Protocol Version 4', start: 14, length: 20, children: [
      { label: 'Header Checksum: 0x1234', field: 'ip.checksum', start: 24, length: 2, verdict: 'bad', expected: '0x4321' },
      { label: 'Source Address: 10.0.0.1', field: 'ip.src', start: 26, length: 4 },
    ],
  },
];

describe('detail tree helpers', () => {
  it('finds the deepest, narrowest node covering a byte', () => {
    expect(deepestAt(tree, 0)).toBe('1.0');
    expect(deepestAt(tree, 13)).toBe('1.2');
    expect(deepestAt(tree, 27)).toBe('2.1');
    expect(deepestAt(tree, 20)).toBe('2');
    expect(deepestAt(tree, 45)).toBe('0');
    expect(deepestAt(tree, 99)).toBeNull();
  });

  it('addresses nodes by index path', () => {
    expect(nodeAt(tree, '2.0')?.field).toBe('ip.checksum');
    expect(nodeAt(tree, '5')).toBeNull();
    expect(ancestors('2.0.3')).toEqual(['2', '2.0']);
  });

  it('does not repeat a value the label already shows', () => {
    expect(nodeText(tree[1].children![0])).toBe('Destination: 00:00:00:00:00:02');
    expect(nodeText(tree[1].children![1])).toBe('Source: 00:00:00:00:00:01');
  });

  it('reports the worst verdict below a layer', () => {
    expect(worstVerdict(tree[2])).toBe('bad');
    expect(worstVerdict(tree[1])).toBeNull();
  });

  it('does not count a UDP "no checksum" as a finding', () => {
    const udp: TreeNode = {
      label: 'User Datagram Protocol', start: 34, length: 8, children: [
        { label: 'Checksum: 0x0000', field: 'udp.checksum', start: 40, length: 2, verdict: 'zero', noChecksum: true },
      ],
    };
    expect(worstVerdict(udp)).toBeNull();
    expect(worstVerdict({ ...udp, children: [{ ...udp.children![0], noChecksum: undefined }] })).toBe('zero');
  });
});
