import { describe, expect, it } from 'vitest';
import { asciiChar, bytes, clockTime, rate, relTime, tenantLabel } from './format.ts';

describe('formatters', () => {
  it('labels tenants the way the packet list does', () => {
    expect(tenantLabel('nvgre:5001')).toBe('NVGRE 5001');
    expect(tenantLabel('vxlan:300')).toBe('VXLAN 300');
    expect(tenantLabel('geneve:7')).toBe('Geneve 7');
    expect(tenantLabel('gre:')).toBe('GRE');
  });

  it('formats sizes, rates and times', () => {
    expect(bytes(512)).toBe('512 B');
    expect(bytes(1536)).toBe('1.50 KiB');
    expect(rate(0)).toBe('0 bit/s');
    expect(rate(0.01)).toBe('0.08 bit/s');
    expect(rate(125_000)).toBe('1.0 Mbit/s');
    expect(relTime(1.5)).toBe('1.500000');
    expect(relTime(null)).toBe('');
    expect(clockTime('2025-11-24T16:00:01.534736493Z')).toBe('16:00:01.534');
    expect(clockTime('2025-11-24T16:00:01Z')).toBe('16:00:01.000');
    expect(asciiChar(0x41)).toBe('A');
    expect(asciiChar(0x0a)).toBe('.');
  });
});
