// The registry is the one place layers are wired: the hot path's literal switch must name every shipped
// layer (else it silently takes the slower registry path), and the dispatch tables must be exactly what the
// definitions declare.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SWITCHED_LAYERS } from '../dissect.ts';
import { FIELDS } from '../fields.ts';
import { etherNext, ipProtoNext, newCtx, udpPortNext } from './ctx.ts';
import * as ids from './ids.ts';
import './index.ts';
import {
  ETHERTYPE_NEXT, IPPROTO_NEXT, layerDefs, LINKTYPE_NEXT, protoName, registerLayer, TCPPORT_NEXT, TUNNEL_BIT, tunnelSpecs, UDPPORT_NEXT,
} from './registry.ts';
import { newSummary } from '../summary.ts';

describe('the layer registry', () => {
  it('the hot path switch calls every shipped layer that decodes, under its id, and nothing else', () => {
    const src = readFileSync(new URL('../dissect.ts', import.meta.url), 'utf8');
    const body = src.slice(src.indexOf('switch (layer) {'), src.indexOf('default: next = decodeOther'));
    const labels = [...body.matchAll(/case (\d+): next = (\w+)\(/g)].map((m) => [Number(m[1]), m[2]] as const);
    const decoding = layerDefs().filter((d) => d.decode !== undefined);
    expect(labels.map(([id]) => id).sort((a, b) => a - b)).toEqual(decoding.map((d) => d.id).sort((a, b) => a - b));
    expect([...SWITCHED_LAYERS].sort((a, b) => a - b)).toEqual(labels.map(([id]) => id).sort((a, b) => a - b));
    // Each case calls the decoder its definition names (VXLAN and VXLAN-GPE share decodeVxlan).
    for (const [id, fn] of labels) {
      const def = decoding.find((d) => d.id === id);
      expect(def?.decode?.toString() ?? '', `layer ${id}`).toContain(fn);
    }
  });

  it('ids are those of ids.ts, one layer each; names, columns and fields are set', () => {
    const known = new Set(Object.values(ids).filter((v) => v > 0));
    const defs = layerDefs();
    expect(new Set(defs.map((d) => d.id))).toEqual(known);
    for (const d of defs) {
      expect(d.column, `layer ${d.id}`).not.toBe('');
      if (d.name !== '') expect(FIELDS.get(d.name)?.type, d.name).toBe('protocol');
      for (const [name] of d.fields ?? []) expect(FIELDS.has(name), name).toBe(true);
    }
  });

  it('the dispatch tables hold exactly the joins', () => {
    const want = new Map<string, number>();
    for (const d of layerDefs()) {
      for (const j of d.joins ?? []) for (const v of j.values) want.set(`${j.table}/${v}`, d.id | (j.tunnel ? TUNNEL_BIT : 0));
    }
    const have = new Map<string, number>();
    const tables = { ethertype: ETHERTYPE_NEXT, ipproto: IPPROTO_NEXT, udpport: UDPPORT_NEXT, tcpport: TCPPORT_NEXT, linktype: LINKTYPE_NEXT };
    for (const [name, t] of Object.entries(tables)) t.forEach((v, k) => { if (v !== 0) have.set(`${name}/${k}`, v); });
    expect(have).toEqual(want);
    // What the layers used to wire by hand, now from their definitions.
    expect(etherNext(0x0800)).toBe(ids.L_IPV4);
    expect(etherNext(0x6558)).toBe(ids.L_ETH);
    expect(etherNext(0x8100)).toBe(ids.L_VLAN);
    expect(udpPortNext(4789)).toBe(ids.L_VXLAN);
    expect(udpPortNext(6635)).toBe(ids.L_MPLS | TUNNEL_BIT);
    const c = newCtx();
    const s = newSummary();
    expect(ipProtoNext(4, c, s)).toBe(ids.L_IPV4);
    expect(c.depth).toBe(1); // IP-in-IP is a tunnel
    expect(ipProtoNext(89, c, s)).toBe(ids.L_END);
    expect(protoName(s.topProto)).toBe('IP');
  });

  it('tunnels have distinct encapsulation codes and names', () => {
    const t = tunnelSpecs();
    expect(t.map((x) => x.name)).toEqual(['nvgre', 'vxlan', 'geneve', 'gre']);
    expect(new Set(t.map((x) => x.encap)).size).toBe(t.length);
  });

  it('refuses a layer that would take another one\'s id or table entry', () => {
    expect(() => registerLayer({ id: ids.L_UDP, name: 'x', column: 'X', kind: 'other' })).toThrow(/layer id 8 is both/);
    expect(() => registerLayer({ id: 250, name: 'y', column: 'Y', kind: 'other', joins: [{ table: 'udpport', values: [4789] }] }))
      .toThrow(/udpport 4789 is both layer 13 and 250/);
    expect(layerDefs().some((d) => d.id === 250)).toBe(false); // nothing of it stays
  });
});
