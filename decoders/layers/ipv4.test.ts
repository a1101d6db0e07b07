import { describe, expect, it } from 'vitest';
import { N_FRAGMENT, N_MALFORMED, N_TRUNCATED, P_IPV4, P_OTHER_IP } from '../summary.ts';
import { IP4A, eth, find, findAll, hasNote, ipv4, run, tcp, tree, udp, v, type Ip } from './testkit.ts';

const seg = udp(IP4A, 1000, 2000, [1, 2, 3, 4, 5]);

describe('ipv4', () => {
  it('header checksum good / bad (with expected value) / zero', () => {
    expect(v(run(eth(0x0800, ipv4(IP4A, { proto: 17 }, seg))), 'ipv4')).toBe('good');
    const bad = eth(0x0800, ipv4(IP4A, { proto: 17, csum: 0x1c46 }, seg));
    expect(v(run(bad), 'ipv4')).toBe('bad');
    const good = eth(0x0800, ipv4(IP4A, { proto: 17 }, seg));
    const ck = find(tree(bad), 'ip.checksum');
    expect(ck).toMatchObject({ verdict: 'bad', check: 'ipv4', start: 24, length: 2, value: '0x1c46' });
    expect(ck?.expected).toBe('0x' + ((good[24] << 8) | good[25]).toString(16).padStart(4, '0'));
    expect(ck?.label).toContain(`should be ${ck?.expected}`);
    expect(v(run(eth(0x0800, ipv4(IP4A, { proto: 17, csum: 'zero' }, seg))), 'ipv4')).toBe('zero');
    expect(find(tree(good), 'ip.checksum.status')).toMatchObject({ value: 'Good', verdict: 'good', check: 'ipv4' });
  });

  it('unverified when the header is cut by the snaplen', () => {
    const f = eth(0x0800, ipv4(IP4A, { proto: 17 }, seg));
    const s = run(f, { caplen: 14 + 15, origlen: f.length });
    expect(v(s, 'ipv4')).toBe('unverified');
    expect(hasNote(s, N_TRUNCATED)).toBe(true);
  });

  it('options are part of the checked header and listed in the tree', () => {
    const f = eth(0x0800, ipv4(IP4A, { proto: 17, options: [7, 7, 4, 0, 0, 0, 0, 1] }, seg));
    const s = run(f);
    expect(v(s, 'ipv4')).toBe('good');
    expect(v(s, 'udp')).toBe('good');
    const t = tree(f);
    expect(find(t, 'ip.hdr_len')?.value).toBe('28 bytes (7)');
    expect(findAll(t, 'ip.opt.type').map((n) => n.value)).toEqual(['Record Route (0x07)', 'No-Operation (NOP) (0x01)']);
  });

  it('a loose source route puts the final destination in the transport pseudo-header', () => {
    const final = [172, 16, 0, 9];
    const route = [131, 11, 4, 1, 2, 3, 4, ...final, 0];
    const pseudoIp: Ip = { v: 4, src: IP4A.src, dst: final };
    const f = eth(0x0800, ipv4(IP4A, { proto: 6, options: route }, tcp(pseudoIp, {}, [1, 2, 3])));
    expect(v(run(f), 'tcp')).toBe('good');
    // Once the route is complete (pointer past the end), the header's destination is the final one.
    const done = [131, 11, 12, 1, 2, 3, 4, ...final, 0];
    expect(v(run(eth(0x0800, ipv4(IP4A, { proto: 6, options: done }, tcp(IP4A, {}, [1, 2, 3])))), 'tcp')).toBe('good');
  });

  it('first fragment: ports decoded, transport checksum unverified', () => {
    const f = eth(0x0800, ipv4(IP4A, { proto: 17, fragWord: 0x2000 }, seg));
    const s = run(f);
    expect(v(s, 'ipv4')).toBe('good');
    expect(v(s, 'udp')).toBe('unverified');
    expect(s.sport).toBe(1000);
    expect(hasNote(s, N_FRAGMENT)).toBe(true);
    expect(hasNote(s, N_TRUNCATED)).toBe(false);
  });

  it('later fragment: no transport decode, its checksum unverified', () => {
    const f = eth(0x0800, ipv4(IP4A, { proto: 6, fragWord: 185 }, [9, 9, 9, 9, 9, 9, 9, 9]));
    const s = run(f);
    expect(v(s, 'tcp')).toBe('unverified');
    expect(s.sport).toBe(-1);
    expect(s.topProto).toBe(P_IPV4);
    expect(hasNote(s, N_FRAGMENT)).toBe(true);
  });

  it('total length 0 (TSO) uses the captured bytes', () => {
    const f = eth(0x0800, ipv4(IP4A, { proto: 17, totalLength: 0 }, seg));
    expect(v(run(f), 'udp')).toBe('good');
  });

  it('total length beyond a complete frame: malformed, verified over the bytes present (as Wireshark)', () => {
    const f = eth(0x0800, ipv4(IP4A, { proto: 17, totalLength: 400 }, seg));
    const s = run(f);
    expect(hasNote(s, N_MALFORMED)).toBe(true);
    expect(v(s, 'ipv4')).toBe('good');
    expect(v(s, 'udp')).toBe('good');
    expect(hasNote(s, N_TRUNCATED)).toBe(false);
  });

  it('total length beyond a snaplen-cut frame: transport unverified', () => {
    const f = eth(0x0800, ipv4(IP4A, { proto: 17 }, seg));
    const s = run(f, { caplen: f.length - 2, origlen: f.length });
    expect(v(s, 'ipv4')).toBe('good');
    expect(v(s, 'udp')).toBe('unverified');
    expect(hasNote(s, N_TRUNCATED)).toBe(true);
  });

  it('Ethernet padding after the IP packet is not checksummed', () => {
    const f = eth(0x0800, [...ipv4(IP4A, { proto: 17 }, seg), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(v(run(f), 'udp')).toBe('good');
  });

  it('bad version / header length', () => {
    const p = ipv4(IP4A, { proto: 17 }, seg);
    p[0] = 0x44;
    expect(hasNote(run(eth(0x0800, p)), N_MALFORMED)).toBe(true);
    p[0] = 0x55;
    expect(hasNote(run(eth(0x0800, p)), N_MALFORMED)).toBe(true);
  });

  it('unknown protocol is P_OTHER_IP', () => {
    expect(run(eth(0x0800, ipv4(IP4A, { proto: 89 }, [1, 2, 3, 4]))).topProto).toBe(P_OTHER_IP);
  });

  it('tree label and addresses', () => {
    const t = tree(eth(0x0800, ipv4(IP4A, { proto: 17 }, seg)));
    expect(t[1].label).toBe('Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2');
    expect(find(t, 'ip.src')).toMatchObject({ value: '10.0.0.1', start: 26, length: 4 });
    expect(find(t, 'ip.proto')?.value).toBe('UDP (17)');
  });
});
