import { describe, expect, it } from 'vitest';
import { ENC_VXLAN, N_MALFORMED, N_TRUNCATED, P_UDP } from '../summary.ts';
import { IP4A, IP4B, cat, eth, find, hasNote, innerFrame, ipv4, run, tree, udp, v, vxlan } from './testkit.ts';

const frame = (payload: Uint8Array, dport = 4789, mode: 'good' | 'zero' = 'zero') =>
  eth(0x0800, ipv4(IP4A, { proto: 17 }, udp(IP4A, 49152, dport, payload, mode)));

describe('vxlan', () => {
  it('VNI and the inner frame one level deeper', () => {
    const s = run(frame(vxlan(3000001, innerFrame(IP4B, 'bad'))));
    expect([s.encap, s.vnid, s.flowId, s.depth]).toEqual([ENC_VXLAN, 3000001, -1, 1]);
    expect(v(s, 'udp')).toBe('zero');
    expect(v(s, 'inner.ipv4')).toBe('good');
    expect(v(s, 'inner.tcp')).toBe('bad');
    expect(s.innerSrcOff).toBe(14 + 20 + 8 + 8 + 14 + 12);
    expect(s.sport).toBe(1234);
  });

  it('outer UDP checksum is verified too', () => {
    expect(v(run(frame(vxlan(1, innerFrame()), 4789, 'good')), 'udp')).toBe('good');
  });

  it('port 8472 (Linux default)', () => {
    expect(run(frame(vxlan(42, innerFrame()), 8472)).vnid).toBe(42);
  });

  it('I flag missing: no tenant id, malformed', () => {
    const s = run(frame(vxlan(42, innerFrame(), 0x00)));
    expect(s.vnid).toBe(-1);
    expect(hasNote(s, N_MALFORMED)).toBe(true);
  });

  it('VXLAN-GPE (4790) carrying IPv4 directly', () => {
    const gpe = cat([0x0c, 0, 0, 1], [0, 0, 0x10, 0], ipv4(IP4B, { proto: 17 }, udp(IP4B, 1, 2, [3])));
    const s = run(frame(gpe, 4790));
    expect(s.vnid).toBe(16);
    expect(v(s, 'inner.udp')).toBe('good');
    expect(find(tree(frame(gpe, 4790)), 'vxlan.next_proto')?.value).toBe('IPv4 (1)');
  });

  it('tree', () => {
    const t = tree(frame(vxlan(300, innerFrame())));
    expect(t[3].label).toBe('Virtual eXtensible Local Area Network, VNI: 300 (0x00012c)');
    expect(find(t, 'vxlan.vni')).toMatchObject({ start: 46, length: 3, value: '300 (0x00012c)', raw: 300 });
    expect(find(t, 'vxlan.flag_i')?.value).toBe('Set');
  });

  it('cut header', () => {
    const f = frame(vxlan(300, innerFrame()));
    const s = run(f, { caplen: 42 + 5, origlen: f.length });
    expect(hasNote(s, N_TRUNCATED)).toBe(true);
    expect(s.topProto).toBe(P_UDP);
  });
});
