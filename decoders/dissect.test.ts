import { describe, expect, it } from 'vitest';
import { detail, dissect, linkLayer } from './dissect.ts';
import { FIELDS } from './fields.ts';
import {
  IP4A, IP4B, IP6A, cat, eth, ext, geneve, gre, icmp, icmpv6, innerFrame, ipv4, ipv6, nvgre, run, tag, tcp, tree, u16,
  u32, udp, v, vxlan,
} from './layers/testkit.ts';
import {
  CHECK_NAMES, ENC_GENEVE, ENC_GRE, ENC_NONE, ENC_NVGRE, ENC_VXLAN, MAX_DEPTH, N_DEPTH_LIMIT, N_TRUNCATED, P_TCP,
  newSummary, type TreeNode,
} from './summary.ts';

const nvgreFrame = () => eth(0x0800, ipv4(IP4A, { proto: 47 }, nvgre(5001, 7, innerFrame(IP4B, 'bad', new Array(200).fill(7)))));
const vxlanFrame = () => eth(0x0800, ipv4(IP4A, { proto: 17 }, udp(IP4A, 50000, 4789, vxlan(300, innerFrame()))));
const geneveFrame = () => eth(0x86dd, ipv6(IP6A, 17, udp(IP6A, 50000, 6081, geneve({ vni: 9, options: [0, 1, 2, 1, 0, 0, 0, 0] }, innerFrame()))));

function* sampleFrames(): Generator<[string, Uint8Array, number]> {
  yield ['nvgre', nvgreFrame(), 1];
  yield ['vxlan', vxlanFrame(), 1];
  yield ['geneve', geneveFrame(), 1];
  yield ['qinq arp', eth(0x88a8, cat(tag(1, 0x8100), tag(2, 0x0806), u16(1), u16(0x0800), [6, 4, 0, 2], new Array(20).fill(1))), 1];
  yield ['llc', eth(20, [0x42, 0x42, 0x03, ...new Array(17).fill(0)]), 1];
  yield ['icmp error', eth(0x0800, ipv4(IP4A, { proto: 1 }, icmp(11, 0, cat([0, 0, 0, 0], ipv4(IP4B, { proto: 6 }, tcp(IP4B, {}, [])).subarray(0, 28))))), 1];
  yield ['icmpv6 error', eth(0x86dd, ipv6(IP6A, 58, icmpv6(IP6A, 2, 0, cat(u32(1280), ipv6(IP6A, 17, udp(IP6A, 1, 2, [])))))), 1];
  yield ['ipv6 ext', eth(0x86dd, ipv6(IP6A, 0, cat(ext(44, [1, 4, 0, 0, 0, 0]), [17, 0, 0, 1, 0, 0, 0, 9], udp(IP6A, 1, 2, [1])))), 1];
  yield ['gre all', eth(0x0800, ipv4(IP4A, { proto: 47, options: [1, 1, 1, 0] }, gre({ proto: 0x0800, csum: 'good', key: 1, seq: 2 }, ipv4(IP4B, { proto: 2 }, icmp(0x11, 0, [0, 0, 0, 0]))))), 1];
  yield ['pptp', eth(0x0800, ipv4(IP4A, { proto: 47 }, cat(u16(0x3081), u16(0x880b), u16(0), u16(1), u32(1), u32(2)))), 1];
  yield ['gpe', eth(0x0800, ipv4(IP4A, { proto: 17 }, udp(IP4A, 1, 4790, cat([0x0c, 0, 0, 2], u32(0x100), ipv6(IP6A, 6, tcp(IP6A, {}, [1])))))), 1];
  yield ['ip-in-ip', eth(0x0800, ipv4(IP4A, { proto: 4 }, ipv4(IP4B, { proto: 41 }, ipv6(IP6A, 17, udp(IP6A, 1, 2, [1]))))), 1];
  yield ['sll', cat([0, 4, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0], u16(0x0800), ipv4(IP4A, { proto: 6 }, tcp(IP4A, {}, [1]))), 113];
  yield ['sll2', cat(u16(0x86dd), [0, 0], u32(2), u16(1), [0, 6], [1, 2, 3, 4, 5, 6, 0, 0], ipv6(IP6A, 17, udp(IP6A, 1, 2, []))), 276];
  yield ['null', cat([2, 0, 0, 0], ipv4(IP4A, { proto: 17 }, udp(IP4A, 1, 2, []))), 0];
  yield ['null type', cat([0x0f, 0, 0x08, 0], ipv4(IP4A, { proto: 17 }, udp(IP4A, 1, 2, []))), 0];
  yield ['raw', ipv4(IP4A, { proto: 51 }, cat([17, 4, 0, 0], u32(1), u32(2), new Array(12).fill(0), udp(IP4A, 1, 2, []))), 101];
  yield ['mpls', eth(0x8847, cat(u32(0x00001140), ipv4(IP4A, { proto: 17 }, udp(IP4A, 1, 2, [])))), 1];
}

function walk(nodes: TreeNode[], fn: (n: TreeNode) => void): void {
  for (const n of nodes) {
    fn(n);
    if (n.children) walk(n.children, fn);
  }
}

describe('dissect: tunnels and depth', () => {
  it('NVGRE: encap, tenant, outer and inner addresses, checks by depth', () => {
    const s = run(nvgreFrame(), { at: 5 });
    expect([s.encap, s.vnid, s.flowId, s.depth]).toEqual([ENC_NVGRE, 5001, 7, 1]);
    expect([s.outerFamily, s.outerSrcOff, s.outerDstOff]).toEqual([4, 26, 30]);
    expect([s.innerFamily, s.innerSrcOff, s.innerDstOff]).toEqual([4, 42 + 14 + 12, 42 + 14 + 16]);
    expect([s.innerProto, s.sport, s.dport, s.topProto]).toEqual([6, 1234, 80, P_TCP]);
    expect(CHECK_NAMES.filter((_, i) => s.checks[i] !== 0).map((n) => `${n}=${v(s, n)}`))
      .toEqual(['ipv4=good', 'inner.ipv4=good', 'inner.tcp=bad']);
    expect(s.badMask).toBe(1 << CHECK_NAMES.indexOf('inner.tcp'));
  });

  it('offsets are relative to the frame start wherever it sits in the buffer', () => {
    for (const at of [0, 1, 2, 3, 4, 7, 100]) expect(run(vxlanFrame(), { at }).innerSrcOff).toBe(50 + 14 + 12);
  });

  it('the outermost tunnel names the encap: VXLAN in NVGRE, NVGRE in Geneve', () => {
    const vxInNv = eth(0x0800, ipv4(IP4A, { proto: 47 }, nvgre(7000, 1, vxlanFrame())));
    const s = run(vxInNv);
    expect([s.encap, s.vnid, s.flowId, s.depth]).toEqual([ENC_NVGRE, 7000, 1, 2]);
    expect(v(s, 'inner.udp')).toBe('good');
    expect(v(s, 'inner.inner.tcp')).toBe('good');
    const nvInGn = eth(0x0800, ipv4(IP4A, { proto: 17 }, udp(IP4A, 1, 6081, geneve({ vni: 77 }, nvgreFrame()))));
    const g = run(nvInGn);
    expect([g.encap, g.vnid, g.flowId, g.depth]).toEqual([ENC_GENEVE, 77, -1, 2]);
    expect(v(g, 'inner.inner.tcp')).toBe('bad');
  });

  it('IP-in-IP goes one level deeper without naming an encap; a GRE inside it does', () => {
    const s = run(eth(0x0800, ipv4(IP4A, { proto: 4 }, ipv4(IP4B, { proto: 17 }, udp(IP4B, 1, 2, [1])))));
    expect([s.encap, s.depth]).toEqual([ENC_NONE, 1]);
    expect(v(s, 'inner.udp')).toBe('good');
    const g = run(eth(0x0800, ipv4(IP4A, { proto: 41 }, ipv6(IP6A, 47, gre({ proto: 0x0800 }, ipv4(IP4B, { proto: 17 }, udp(IP4B, 1, 2, [])))))));
    expect([g.encap, g.vnid, g.depth]).toEqual([ENC_GRE, -1, 2]);
    expect(g.outerFamily).toBe(4);
    expect(g.innerFamily).toBe(4);
    expect(v(g, 'inner.inner.udp')).toBe('good');
  });

  it('VXLAN in VXLAN keeps the outer VNI', () => {
    const inner = eth(0x0800, ipv4(IP4B, { proto: 17 }, udp(IP4B, 1, 4789, vxlan(22, innerFrame()))));
    const s = run(eth(0x0800, ipv4(IP4A, { proto: 17 }, udp(IP4A, 1, 4789, vxlan(11, inner)))));
    expect([s.encap, s.vnid, s.depth]).toEqual([ENC_VXLAN, 11, 2]);
  });

  it(`tunnels deeper than MAX_DEPTH (${MAX_DEPTH}) stop with N_DEPTH_LIMIT; depth ${MAX_DEPTH} folds into the deepest slot`, () => {
    let pkt: Uint8Array = ipv4(IP4B, { proto: 17 }, udp(IP4B, 1, 2, [1], 'bad'));
    for (let i = 0; i < MAX_DEPTH; i++) pkt = ipv4(IP4A, { proto: 4 }, pkt);
    const s = run(eth(0x0800, pkt));
    expect(s.depth).toBe(MAX_DEPTH);
    expect(s.notes & N_DEPTH_LIMIT).toBe(0);
    expect(v(s, 'inner.inner.udp')).toBe('bad');
    const deeper = run(eth(0x0800, ipv4(IP4A, { proto: 4 }, pkt)));
    expect(deeper.depth).toBe(MAX_DEPTH);
    expect(deeper.notes & N_DEPTH_LIMIT).toBe(N_DEPTH_LIMIT);
    expect(v(deeper, 'inner.inner.udp')).toBe('');
  });
});

describe('dissect: robustness', () => {
  it('truncation at every byte of tunnelled frames: no exception, N_TRUNCATED, tree within the captured bytes', () => {
    for (const f of [nvgreFrame(), vxlanFrame(), geneveFrame()]) {
      for (let n = 0; n < f.length; n++) {
        const s = run(f, { caplen: n, origlen: f.length, at: n % 5 });
        expect(s.notes & N_TRUNCATED, `cut at ${n}`).toBe(N_TRUNCATED);
        // Nothing past the cut can be good or bad: it was not captured.
        const t = tree(f, { caplen: n, origlen: f.length, at: n % 5 });
        walk(t, (node) => expect(node.start + node.length, node.label).toBeLessThanOrEqual(n));
      }
    }
  });

  it('random and mutated bytes never throw, for every link type', () => {
    let x = 12345;
    const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const s = newSummary();
    const seeds = [...sampleFrames()].map(([, f]) => f);
    for (let i = 0; i < 3000; i++) {
      const base = seeds[i % seeds.length];
      const f = Uint8Array.from(base);
      for (let k = 0; k < 1 + (i % 6); k++) f[rnd() % f.length] = rnd();
      const junk = Uint8Array.from({ length: rnd() % 90 }, rnd);
      for (const lt of [1, 113, 276, 0, 101, 228, 229]) {
        expect(() => dissect(f, 0, f.length, f.length, lt, s)).not.toThrow();
        expect(() => dissect(junk, 0, junk.length, junk.length + 5, lt, s)).not.toThrow();
        if (i % 10 === 0) expect(() => detail(f, 0, f.length, f.length, lt)).not.toThrow();
      }
    }
  });

  it('caplen beyond the buffer is clamped', () => {
    const f = vxlanFrame();
    const s = newSummary();
    expect(() => dissect(f, 10, 5000, 5000, 1, s)).not.toThrow();
    expect(() => detail(f, 10, 5000, 5000, 1)).not.toThrow();
  });

  it('maps link types', () => {
    expect([1, 113, 276, 0, 108, 101, 228, 229].map(linkLayer).every((l) => l !== 0)).toBe(true);
    expect(linkLayer(105)).toBe(0);
  });
});

describe('detail tree', () => {
  it('every field emitted is in the registry, with a value and a byte range inside the frame', () => {
    const seen = new Set<string>();
    for (const [name, f, lt] of sampleFrames()) {
      const t = tree(f, { linktype: lt });
      expect(t.length, name).toBeGreaterThan(0);
      walk(t, (n) => {
        expect(n.start, `${name}: ${n.label}`).toBeGreaterThanOrEqual(0);
        expect(n.start + n.length, `${name}: ${n.label}`).toBeLessThanOrEqual(f.length);
        if (n.field === undefined) return;
        seen.add(n.field);
        expect(FIELDS.has(n.field), `${name}: ${n.field} not registered`).toBe(true);
        if (FIELDS.get(n.field)?.type !== 'protocol') expect(n.value, n.field).toBeDefined();
      });
    }
    // The sample covers the bulk of the registry (a guard against the walk silently finding nothing).
    expect(seen.size).toBeGreaterThan(120);
  });

  it('one node per layer, Wireshark-style labels', () => {
    const t = tree(nvgreFrame());
    expect(t.map((n) => n.field)).toEqual(['eth', 'ip', 'gre', 'nvgre', 'eth', 'ip', 'tcp', 'data']);
    expect(t[1].label).toBe('Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2');
    expect(t[3].label).toBe('Network Virtualization using GRE (NVGRE), VSID: 5001 (0x001389), FlowID: 7');
    expect(t[2].label).toBe('Generic Routing Encapsulation (Transparent Ethernet bridging)');
  });

  it('checksum nodes carry verdict, check name and, when bad, the expected value', () => {
    const bad = tree(nvgreFrame()).find((n) => n.field === 'tcp')?.children?.find((n) => n.field === 'tcp.checksum');
    expect(bad?.verdict).toBe('bad');
    expect(bad?.check).toBe('inner.tcp');
    expect(bad?.expected).toMatch(/^0x[0-9a-f]{4}$/);
    const good = tree(eth(0x0800, ipv4(IP4A, { proto: 47 }, nvgre(5001, 7, innerFrame(IP4B, 'good', new Array(200).fill(7))))))
      .find((n) => n.field === 'tcp')?.children?.find((n) => n.field === 'tcp.checksum');
    expect(good?.value).toBe(bad?.expected);
  });

  it('notes appear as expert nodes', () => {
    const f = vxlanFrame();
    const t = tree(f, { caplen: 60, origlen: f.length });
    expect(t.some((n) => n.label.startsWith('[Expert: Frame ends before'))).toBe(true);
  });
});
