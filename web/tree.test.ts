import { describe, expect, it } from 'vitest';
import type { TreeNode } from '../workers/api.ts';
import { ancestors, deepestAt, frameRefs, nodeAt, nodeText, referencedFrames, worstVerdict } from './tree.ts';

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

describe('byte sources and frame references', () => {
  // A frame that completed a reassembly: its own IPv4 header (source 0), then the datagram's layers (source 1).
  const reassembled: TreeNode[] = [
    { label: 'Frame 3', start: 0, length: 96 },
    { label: 'Internet Protocol Version 4', field: 'ip', start: 14, length: 20, children: [{ label: 'Source Address', field: 'ip.src', start: 26, length: 4 }] },
    {
      label: '[3 IPv4 Fragments (2062 bytes): #1(1000), #2(1000), #3(62)]', field: 'ip.fragments', start: 0, length: 0, children: [
        { label: '[Frame: 1, payload: 0-999 (1000 bytes)]', field: 'ip.fragment', start: 0, length: 0, frame: 1 },
        { label: '[Frame: 2, payload: 1000-1999 (1000 bytes)]', field: 'ip.fragment', start: 0, length: 0, frame: 2 },
        { label: '[Frame: 3, payload: 2000-2061 (62 bytes)]', field: 'ip.fragment', start: 0, length: 0, frame: 3 },
      ],
    },
    { label: 'Generic Routing Encapsulation', field: 'gre', start: 34, length: 8, src: 1, children: [{ label: 'Key', field: 'gre.key', start: 38, length: 4, src: 1 }] },
  ];

  it('finds the field at a byte of the source asked for only', () => {
    expect(deepestAt(reassembled, 28)).toBe('1.0');
    expect(deepestAt(reassembled, 28, 0)).toBe('1.0');
    expect(deepestAt(reassembled, 39, 1)).toBe('3.0');
    // Byte 39 of the frame is its fragment's payload: the frame node, not the datagram's GRE key.
    expect(deepestAt(reassembled, 39)).toBe('0');
    expect(deepestAt(reassembled, 28, 1)).toBeNull();
    expect(deepestAt(reassembled, 39, 2)).toBeNull();
  });

  it('cuts a fragment list at the #N of the frames its lines refer to', () => {
    expect(frameRefs(reassembled[2])).toEqual([
      '[3 IPv4 Fragments (2062 bytes): ', { frame: 1, text: '#1' }, '(1000), ', { frame: 2, text: '#2' }, '(1000), ', { frame: 3, text: '#3' }, '(62)]',
    ]);
    // No references below: the text whole, even with a '#' in it.
    expect(frameRefs({ label: 'Option #1', start: 0, length: 0 })).toEqual(['Option #1']);
    expect(frameRefs({ label: 'a #12 b', start: 0, length: 0, children: [{ label: 'x', start: 0, length: 0, frame: 1 }] })).toEqual(['a #12 b']);
  });

  it('lists the other frames a tree refers to (the packet list marks them)', () => {
    expect([...referencedFrames(reassembled, 3)].sort()).toEqual([1, 2]);
    expect([...referencedFrames(tree, 1)]).toEqual([]);
  });
});
