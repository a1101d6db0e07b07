// Filter bar helpers: field completion, tenant stripe colours.
import { describe, expect, it } from 'vitest';
import { completions } from './complete.ts';
import { tenantColour } from './rules.ts';

const F = ['ip', 'ip.src', 'ip.dst', 'ip.addr', 'ipv6', 'ipv6.src', 'nvgre', 'nvgre.vsid', 'nvgre.flowid', 'tcp.port']
  .map((name) => ({ name, label: name, type: 'uint' }));

describe('completions', () => {
  it('offers the fields the word under the caret starts, whole components first', () => {
    const c = completions('tcp && ip.', 10, F);
    expect(c?.from).toBe(7);
    expect(c?.items.map((f) => f.name)).toEqual(['ip.addr', 'ip.dst', 'ip.src']);
    expect(completions('ip', 2, F)?.items.map((f) => f.name)).toEqual(['ip', 'ip.addr', 'ip.dst', 'ip.src', 'ipv6', 'ipv6.src']);
    expect(completions('nvgre.v', 7, F)?.items.map((f) => f.name)).toEqual(['nvgre.vsid']);
    // Mid-text: the whole word is replaced.
    expect(completions('nvgre.vs == 1', 6, F)).toMatchObject({ from: 0, to: 8 });
  });

  it('stays quiet for values, numbers and complete names', () => {
    expect(completions('ip.src == 10.', 13, F)).toBeNull();
    expect(completions('tenant.encap == nv', 18, F)).toBeNull();
    expect(completions('nvgre.vsid', 10, F)).toBeNull();
    expect(completions('', 0, F)).toBeNull();
  });
});

describe('tenantColour', () => {
  it('is stable and tells neighbouring tenants apart', () => {
    expect(tenantColour('nvgre:5001')).toBe(tenantColour('nvgre:5001'));
    const hues = ['nvgre:5001', 'nvgre:5002', 'nvgre:5003', 'vxlan:5001', 'geneve:5001'].map((k) => Number(/hsl\((\d+)/.exec(tenantColour(k))?.[1]));
    for (let i = 0; i < hues.length; i++) for (let j = i + 1; j < hues.length; j++) {
      const d = Math.abs(hues[i] - hues[j]);
      expect(Math.min(d, 360 - d)).toBeGreaterThan(20);
    }
  });
});
