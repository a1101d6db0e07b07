import { describe, expect, it } from 'vitest';
import { ENC_GRE, ENC_NVGRE, N_TRUNCATED, P_GRE } from '../summary.ts';
import { IP4A, IP4B, IP6A, cat, eth, find, gre, hasNote, innerFrame, ipv4, ipv6, run, tcp, tree, u16, u32, udp, v } from './testkit.ts';

const innerIp = ipv4(IP4B, { proto: 17 }, udp(IP4B, 1, 2, [1, 2, 3]));
const outer = (g: Uint8Array) => eth(0x0800, ipv4(IP4A, { proto: 47 }, g));

describe('gre', () => {
  it('IP in GRE: one tunnel deeper, encap GRE without tenant id', () => {
    const s = run(outer(gre({ proto: 0x0800 }, innerIp)));
    expect(s.encap).toBe(ENC_GRE);
    expect(s.vnid).toBe(-1);
    expect(s.depth).toBe(1);
    expect(v(s, 'ipv4')).toBe('good');
    expect(v(s, 'inner.ipv4')).toBe('good');
    expect(v(s, 'inner.udp')).toBe('good');
    expect(s.innerSrcOff).toBe(14 + 20 + 4 + 12);
    expect(s.outerSrcOff).toBe(26);
  });

  it('IPv6 in GRE', () => {
    const s = run(outer(gre({ proto: 0x86dd }, ipv6(IP6A, 6, tcp(IP6A, {}, [1])))));
    expect(s.innerFamily).toBe(6);
    expect(v(s, 'inner.tcp')).toBe('good');
  });

  it('checksum (C bit) over header + payload: good, bad, zero, unverified', () => {
    for (const m of ['good', 'bad', 'zero'] as const) {
      const s = run(outer(gre({ proto: 0x0800, csum: m, key: 7, seq: 9 }, innerIp)));
      expect(v(s, 'gre')).toBe(m);
      expect(v(s, 'inner.udp')).toBe('good');
    }
    const f = outer(gre({ proto: 0x0800, csum: 'good' }, innerIp));
    const s = run(f, { caplen: f.length - 1, origlen: f.length });
    expect(v(s, 'gre')).toBe('unverified');
    expect(v(s, 'inner.ipv4')).toBe('good');
    expect(v(s, 'inner.udp')).toBe('unverified');
    const bad = find(tree(outer(gre({ proto: 0x0800, csum: 'bad' }, innerIp))), 'gre.checksum');
    expect(bad?.expected).toBe(find(tree(outer(gre({ proto: 0x0800, csum: 'good' }, innerIp))), 'gre.checksum')?.value);
  });

  it('key and sequence number fields; keyed non-TEB GRE is not NVGRE', () => {
    const f = outer(gre({ proto: 0x0800, key: 0xabcdef01, seq: 5 }, innerIp));
    const s = run(f);
    expect(s.encap).toBe(ENC_GRE);
    const t = tree(f);
    expect(find(t, 'gre.key')?.value).toBe('0xabcdef01');
    expect(find(t, 'gre.sequence_number')?.value).toBe('5');
    expect(find(t, 'nvgre')).toBeUndefined();
  });

  it('version 1 (PPTP) is recognised, not decoded further', () => {
    const pptp = cat(u16(0x3001), u16(0x880b), u16(4), u16(17), u32(1), [0xff, 0x03, 0, 0x21]);
    const f = outer(pptp);
    const s = run(f);
    expect(s.topProto).toBe(P_GRE);
    expect(s.depth).toBe(0);
    const t = tree(f);
    expect(t[2].label).toContain('Enhanced GRE (PPTP)');
    expect(find(t, 'gre.key.call_id')?.value).toBe('17');
  });

  it('unknown protocol types stop after GRE', () => {
    const s = run(outer(gre({ proto: 0x88be }, [1, 2, 3, 4])));
    expect(s.topProto).toBe(P_GRE);
    expect(s.depth).toBe(0);
  });

  it('TEB with a key is NVGRE', () => {
    expect(run(outer(gre({ proto: 0x6558, key: 0x123456aa }, innerFrame()))).encap).toBe(ENC_NVGRE);
  });

  it('truncated header', () => {
    const f = outer(gre({ proto: 0x0800, csum: 'good', key: 1 }, innerIp));
    for (let n = 34; n < 34 + 12; n++) expect(hasNote(run(f, { caplen: n, origlen: f.length }), N_TRUNCATED)).toBe(true);
  });
});
