import { describe, expect, it } from 'vitest';
import { hexDump, rowText } from './copy.ts';

describe('copy', () => {
  it('writes a hex dump with offsets, two groups of eight and the printable characters', () => {
    const bytes = Uint8Array.from({ length: 20 }, (_, i) => (i < 4 ? [0x47, 0x45, 0x54, 0x20][i] : i));
    expect(hexDump(bytes)).toBe(
      '0000  47 45 54 20 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  GET ............\n'
      + '0010  10 11 12 13                                       ....\n',
    );
    expect(hexDump(new Uint8Array(0))).toBe('');
  });

  it('joins the cells of a row with tabs, keeping each cell on one line', () => {
    expect(rowText(['1', '0.000000', '10.0.0.1', 'a\tb\nc'])).toBe('1\t0.000000\t10.0.0.1\ta b c');
  });
});
