import { describe, expect, it } from 'vitest';
import { N_FRAGMENT, N_TRUNCATED, P_IPV6 } from '../summary.ts';
import { IP6A, cat, eth, ext, find, findAll, hasNote, ipv6, run, tcp, tree, u16, u32, udp, v, type Ip } from './testkit.ts';

const FINAL = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0x09];
const HOME = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xaa, 0x01];

describe('ipv6', () => {
  it('fixed header, transport over the pseudo-header', () => {
    const f = eth(0x86dd, ipv6(IP6A, 17, udp(IP6A, 7, 9, [1, 2, 3])));
    const s = run(f);
    expect(s.outerFamily).toBe(6);
    expect(s.outerSrcOff).toBe(22);
    expect(s.outerDstOff).toBe(38);
    expect(v(s, 'udp')).toBe('good');
    const t = tree(f);
    expect(t[1].label).toBe('Internet Protocol Version 6, Src: 2001:db8::1, Dst: 2001:db8::2');
  });

  it('hop-by-hop and destination options are skipped to the transport', () => {
    const exts = [...ext(60, [1, 4, 0, 0, 0, 0]), ...ext(6, [1, 4, 0, 0, 0, 0])];
    const f = eth(0x86dd, ipv6(IP6A, 0, cat(exts, tcp(IP6A, {}, [5, 6]))));
    const s = run(f);
    expect(v(s, 'tcp')).toBe('good');
    expect(s.innerProto).toBe(6);
    const t = tree(f);
    expect(find(t, 'ipv6.hopopts')).toBeDefined();
    expect(find(t, 'ipv6.dstopts.nxt')?.value).toBe('TCP (6)');
  });

  it('routing header type 0 / 2 with segments left: the pseudo-header uses the final destination', () => {
    const finalIp: Ip = { ...IP6A, finalDst: FINAL };
    const t0 = [6, 4, 0, 1, 0, 0, 0, 0, ...IP6A.dst, ...FINAL]; // two addresses, 1 segment left
    const f0 = eth(0x86dd, ipv6(IP6A, 43, cat(t0, tcp(finalIp, {}, [1]))));
    expect(v(run(f0), 'tcp')).toBe('good');
    // The same segment checked against the header's destination would be wrong.
    const wrong = eth(0x86dd, ipv6(IP6A, 43, cat(t0, tcp(IP6A, {}, [1]))));
    expect(v(run(wrong), 'tcp')).toBe('bad');
    const t2 = [17, 2, 2, 1, 0, 0, 0, 0, ...FINAL];
    expect(v(run(eth(0x86dd, ipv6(IP6A, 43, cat(t2, udp(finalIp, 1, 2, [3]))))), 'udp')).toBe('good');
    // Segments left 0: the destination field already is the final destination.
    const done = [6, 4, 0, 0, 0, 0, 0, 0, ...FINAL, ...FINAL];
    expect(v(run(eth(0x86dd, ipv6(IP6A, 43, cat(done, tcp(IP6A, {}, [1]))))), 'tcp')).toBe('good');
    const t = tree(f0);
    expect(findAll(t, 'ipv6.routing.src.addr')).toHaveLength(2);
    expect(find(t, 'ipv6.routing.segleft')?.value).toBe('1');
  });

  it('home address option (Mobile IPv6) replaces the pseudo-header source', () => {
    const dstopts = [6, 2, 1, 2, 0, 0, 0xc9, 16, ...HOME];
    const f = eth(0x86dd, ipv6(IP6A, 60, cat(dstopts, tcp({ ...IP6A, pseudoSrc: HOME }, {}, [1, 2]))));
    expect(v(run(f), 'tcp')).toBe('good');
  });

  it('fragment header: first fragment decodes ports, later ones stop; both unverified', () => {
    const first = [17, 0, ...u16(0x0001), ...u32(77)];
    const s1 = run(eth(0x86dd, ipv6(IP6A, 44, cat(first, udp(IP6A, 5, 6, [1, 2, 3])))));
    expect(v(s1, 'udp')).toBe('unverified');
    expect(s1.sport).toBe(5);
    expect(hasNote(s1, N_FRAGMENT)).toBe(true);
    const later = [17, 0, ...u16(0x00a8), ...u32(77)];
    const s2 = run(eth(0x86dd, ipv6(IP6A, 44, cat(later, [1, 2, 3, 4, 5, 6, 7, 8]))));
    expect(v(s2, 'udp')).toBe('unverified');
    expect(s2.sport).toBe(-1);
    expect(s2.topProto).toBe(P_IPV6);
  });

  it('AH is skipped', () => {
    const ah = [17, 4, 0, 0, ...u32(0x100), ...u32(1), ...new Array(12).fill(0xab)];
    const f = eth(0x86dd, ipv6(IP6A, 51, cat(ah, udp(IP6A, 1, 2, [1]))));
    expect(v(run(f), 'udp')).toBe('good');
    expect(find(tree(f), 'ah.spi')?.value).toBe('0x00000100');
  });

  it('extension header cut by the snaplen: truncated, no exception', () => {
    const f = eth(0x86dd, ipv6(IP6A, 0, cat(ext(17, [1, 4, 0, 0, 0, 0]), udp(IP6A, 1, 2, [1]))));
    for (let n = 0; n < f.length; n++) {
      const s = run(f, { caplen: n, origlen: f.length });
      expect(hasNote(s, N_TRUNCATED)).toBe(true);
      expect(() => tree(f, { caplen: n, origlen: f.length })).not.toThrow();
    }
  });
});
