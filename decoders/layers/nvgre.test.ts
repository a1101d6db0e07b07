import { describe, expect, it } from 'vitest';
import {
  ENC_NVGRE, N_NVGRE_CSUM_BIT, N_NVGRE_INNER_VLAN, N_NVGRE_RESERVED_VSID, N_NVGRE_SEQ_BIT, P_TCP,
} from '../summary.ts';
import { IP4A, IP6A, cat, eth, find, gre, hasNote, innerFrame, ipv4, ipv6, nvgre, run, tag, tree, v } from './testkit.ts';

const frame = (g: Uint8Array) => eth(0x0800, ipv4(IP4A, { proto: 47 }, g));

describe('nvgre', () => {
  it('VSID = key >>> 8, FlowID = key & 0xff, checks one level in', () => {
    const f = frame(nvgre(5001, 7, innerFrame()));
    const s = run(f);
    expect([s.encap, s.vnid, s.flowId, s.depth]).toEqual([ENC_NVGRE, 5001, 7, 1]);
    expect(v(s, 'ipv4')).toBe('good');
    expect(v(s, 'inner.ipv4')).toBe('good');
    expect(v(s, 'inner.tcp')).toBe('good');
    expect(s.topProto).toBe(P_TCP);
    expect(s.notes).toBe(0);
  });

  it('tree: a node of its own with VSID and FlowID over the key bytes', () => {
    const t = tree(frame(nvgre(0xabcdef, 0x12, innerFrame())));
    const n = t.find((x) => x.field === 'nvgre');
    expect(n?.label).toBe('Network Virtualization using GRE (NVGRE), VSID: 11259375 (0xabcdef), FlowID: 18');
    expect(find(t, 'nvgre.vsid')).toMatchObject({ start: 38, length: 3 });
    expect(find(t, 'nvgre.flowid')).toMatchObject({ start: 41, length: 1, value: '18' });
  });

  it('over IPv6 underlay, inner mismatch found one level in', () => {
    const s = run(eth(0x86dd, ipv6(IP6A, 47, nvgre(6000, 1, innerFrame(undefined, 'partial')))));
    expect(s.vnid).toBe(6000);
    expect(v(s, 'inner.tcp')).toBe('partial');
  });

  it('conformance notes: C bit, S bit, reserved VSIDs, inner 802.1Q tag', () => {
    const inner = innerFrame();
    expect(hasNote(run(frame(gre({ proto: 0x6558, key: 5000 << 8, csum: 'good' }, inner))), N_NVGRE_CSUM_BIT)).toBe(true);
    expect(hasNote(run(frame(gre({ proto: 0x6558, key: 5000 << 8, seq: 1 }, inner))), N_NVGRE_SEQ_BIT)).toBe(true);
    for (const vsid of [0, 0xfff, 0xffffff]) {
      expect(hasNote(run(frame(nvgre(vsid, 0, inner))), N_NVGRE_RESERVED_VSID)).toBe(true);
    }
    expect(hasNote(run(frame(nvgre(0x1000, 0, inner))), N_NVGRE_RESERVED_VSID)).toBe(false);
    const tagged = cat(inner.subarray(0, 12), [0x81, 0], tag(100, 0x0800), inner.subarray(14));
    const s = run(frame(nvgre(5001, 0, tagged)));
    expect(hasNote(s, N_NVGRE_INNER_VLAN)).toBe(true);
    expect(v(s, 'inner.tcp')).toBe('good');
    expect(tree(frame(nvgre(5, 0, inner))).find((x) => x.field === 'nvgre')?.children?.some((k) => k.label.includes('reserved'))).toBe(true);
  });

  it('tree: each conformance note appears once, inside the NVGRE node', () => {
    const inner = innerFrame();
    const tagged = cat(inner.subarray(0, 12), [0x81, 0], tag(100, 0x0800), inner.subarray(14));
    // Reserved VSID, C and S bits and an inner 802.1Q tag all at once.
    const t = tree(frame(gre({ proto: 0x6558, key: 5 << 8, csum: 'good', seq: 1 }, tagged)));
    const labels: string[] = [];
    const walk = (ns: typeof t): void => { for (const n of ns) { labels.push(n.label); if (n.children) walk(n.children); } };
    walk(t);
    const experts = labels.filter((l) => l.startsWith('[Expert: '));
    expect(experts).toHaveLength(4);
    expect(new Set(experts).size).toBe(4);
    const nv = t.find((x) => x.field === 'nvgre');
    expect(nv?.children?.filter((k) => k.label.startsWith('[Expert: ')).map((k) => k.label)).toEqual(experts);
  });

  it('GRE checksum in NVGRE (non-conformant but verified)', () => {
    const s = run(frame(gre({ proto: 0x6558, key: 5000 << 8, csum: 'bad' }, innerFrame())));
    expect(v(s, 'gre')).toBe('bad');
    expect(s.vnid).toBe(5000);
  });
});
