import { describe, expect, it } from 'vitest';
import { byCapture, hop, offsetText, sinceText } from './format.ts';

describe('paths wording', () => {
  it('writes times between copies in the unit that fits', () => {
    expect(sinceText(null)).toBe('');
    expect(sinceText(0)).toBe('+0');
    expect(sinceText(0.00025)).toBe('+250 µs');
    expect(sinceText(0.00125)).toBe('+1.25 ms');
    expect(sinceText(2.5)).toBe('+2.5 s');
    expect(sinceText(-0.003)).toBe('−3 ms');
    expect(offsetText(null)).toBe('unknown');
    expect(offsetText(3.7000009)).toBe('+3.7 s');
  });

  it('names the hop and groups examples per capture in order', () => {
    expect(hop(null, 'a.pcapng')).toBe('(sending stack) → a.pcapng');
    expect(hop('pktmon.pcapng:vSwitch', 'pktmon.pcapng:NIC')).toBe('pktmon.pcapng:vSwitch → pktmon.pcapng:NIC');
    expect(byCapture([['b', 3], ['a', 1], ['b', 5]])).toEqual([['b', [3, 5]], ['a', [1]]]);
  });
});
