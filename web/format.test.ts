import { describe, expect, it } from 'vitest';
import { asciiChar, bytes, clockTime, delayMs, rate, relTime, retransmittedText, tenantIdText, tenantLabel } from './format.ts';

describe('formatters', () => {
  it('labels tenants the way the packet list and the details tree do: decimal id, hex in brackets', () => {
    expect(tenantLabel('nvgre:5001')).toBe('NVGRE 5001 (0x001389)');
    expect(tenantLabel('vxlan:300')).toBe('VXLAN 300 (0x00012c)');
    expect(tenantLabel('geneve:1193046')).toBe('Geneve 1193046 (0x123456)');
    expect(tenantLabel('vxlan:16777215')).toBe('VXLAN 16777215 (0xffffff)');
    expect(tenantLabel('gre:')).toBe('GRE');
    expect(tenantIdText(0)).toBe('0 (0x000000)');
    // Ids wider than 24 bits (up to a 32-bit GTP-U TEID) show all 8 hex digits.
    expect(tenantIdText(0x1000000)).toBe('16777216 (0x01000000)');
    expect(tenantIdText(0xffffffff)).toBe('4294967295 (0xffffffff)');
    expect(tenantLabel('geneve:4294967295')).toBe('Geneve 4294967295 (0xffffffff)');
    expect(tenantLabel('nvgre:305419896')).toBe('NVGRE 305419896 (0x12345678)');
  });

  it('says what bad TCP checksums cost: retransmitted of bad segments, and the median delay', () => {
    expect(retransmittedText({ badSegments: 28, retransmitted: 26, medianDelayMs: 140 })).toEqual({
      text: '26/28', title: '26 of 28 TCP segments with a bad checksum were retransmitted (the receiver dropped them), adding 140 ms in the median',
    });
    expect(retransmittedText({ badSegments: 1, retransmitted: 1, medianDelayMs: 2512.5 }).title).toBe(
      '1 of 1 TCP segment with a bad checksum was retransmitted (the receiver dropped it), adding 2.51 s in the median');
    expect(retransmittedText({ badSegments: 3, retransmitted: 0, medianDelayMs: null })).toEqual({ text: '0/3', title: 'None of 3 TCP segments with a bad checksum was sent again' });
    expect(retransmittedText({ badSegments: 0, retransmitted: 0, medianDelayMs: null }).text).toBe('—');
    expect(delayMs(0.125)).toBe('0.125 ms');
    expect(delayMs(1234.5)).toBe('1.23 s');
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
