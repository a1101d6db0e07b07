// Raw IP link types: 101 (and BSD DLT_RAW 12/14) by version nibble; 228 IPv4 and 229 IPv6 are fixed.

import { N_MALFORMED, N_TRUNCATED, type Summary } from '../summary.ts';
import { L_END, L_IPV4, L_IPV6, type DecodeCtx } from './ctx.ts';
import { registerLayer } from './registry.ts';
import { L_RAW } from './ids.ts';

export function decodeRaw(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  if (c.pos >= c.end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  const v = b[c.pos] >> 4;
  if (v === 4) return L_IPV4;
  if (v === 6) return L_IPV6;
  s.notes |= N_MALFORMED;
  return L_END;
}

export const RAW = registerLayer({
  id: L_RAW,
  name: '',
  column: 'IP',
  kind: 'link',
  decode: decodeRaw,
  joins: [{ table: 'linktype', values: [101, 12, 14] }],
});
