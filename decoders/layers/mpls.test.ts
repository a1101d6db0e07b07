import { describe, expect, it } from 'vitest';
import { N_TRUNCATED, P_MPLS } from '../summary.ts';
import { IP4A, IP4B, cat, eth, findAll, gre, hasNote, ipv4, run, tree, u32, udp, v } from './testkit.ts';

const label = (l: number, bottom: boolean, ttl = 64) => u32(((l << 12) | (bottom ? 0x100 : 0) | ttl) >>> 0);
const pkt = ipv4(IP4A, { proto: 17 }, udp(IP4A, 1, 2, [1]));

describe('mpls', () => {
  it('label stack to bottom, then IP by nibble', () => {
    const f = eth(0x8847, cat(label(100, false), label(200, true), pkt));
    const s = run(f);
    expect(v(s, 'udp')).toBe('good');
    expect(s.outerSrcOff).toBe(14 + 8 + 12);
    expect(findAll(tree(f), 'mpls.label').map((n) => n.value)).toEqual(['100', '200']);
  });

  it('non-IP payload stops with P_MPLS; cut stack is truncated', () => {
    expect(run(eth(0x8847, cat(label(3, true), [0, 0, 0, 0]))).topProto).toBe(P_MPLS);
    expect(hasNote(run(eth(0x8847, label(3, false))), N_TRUNCATED)).toBe(true);
  });

  it('MPLS in GRE is a tunnel', () => {
    const s = run(eth(0x0800, ipv4(IP4A, { proto: 47 }, gre({ proto: 0x8847 }, cat(label(5, true), pkt)))));
    expect(v(s, 'inner.udp')).toBe('good');
  });
});

describe('MPLS over UDP (RFC 7510, port 6635): registered, not hand-wired', () => {
  const inner = (mode: 'good' | 'bad') => ipv4(IP4B, { proto: 17 }, udp(IP4B, 1000, 53, [1, 2, 3, 4], mode));
  const frame = (mode: 'good' | 'bad') => eth(0x0800, ipv4(IP4A, { proto: 17 }, udp(IP4A, 50000, 6635, cat(label(100, false), label(200, true), inner(mode)))));

  it('is a tunnel: the inner checks are under inner., the outer ones unchanged', () => {
    const s = run(frame('bad'));
    expect(s.depth).toBe(1);
    expect(v(s, 'ipv4')).toBe('good');
    expect(v(s, 'udp')).toBe('good');
    expect(v(s, 'inner.ipv4')).toBe('good');
    expect(v(s, 'inner.udp')).toBe('bad');
    expect(s.tunPorts).toBe((50000 << 16) | 6635);
    expect(findAll(tree(frame('good')), 'mpls.label').map((n) => n.value)).toEqual(['100', '200']);
  });

  it('verdicts and layers equal tshark 4.0 on a generated capture', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { concat, pcapHeader, pcapRecord } = await import('../capture/test-bytes.ts');
    const frames = [frame('good'), frame('bad')];
    const path = join(mkdtempSync(join(tmpdir(), 'mpls-udp-')), 'mpls.pcap');
    writeFileSync(path, concat(pcapHeader(), ...frames.map((data, k) => pcapRecord({ sec: 1_700_000_000 + k, frac: 0, data }))));
    const out = execFileSync('/usr/bin/tshark', ['-r', path, '-o', 'udp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE',
      '-T', 'fields', '-e', 'frame.protocols', '-e', 'ip.checksum.status', '-e', 'udp.checksum.status'], { encoding: 'utf8' });
    const rows = out.trim().split('\n').map((l) => l.split('\t'));
    const name = (x: string): string => (x === '1' ? 'good' : x === '0' ? 'bad' : x);
    frames.forEach((f, k) => {
      const s = run(f);
      expect(rows[k][0]).toMatch(/^eth:ethertype:ip:udp:mpls:ip:udp\b/);
      expect(rows[k][1].split(',').map(name)).toEqual([v(s, 'ipv4'), v(s, 'inner.ipv4')]);
      expect(rows[k][2].split(',').map(name)).toEqual([v(s, 'udp'), v(s, 'inner.udp')]);
    });
  });
});
