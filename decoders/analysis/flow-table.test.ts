import { describe, expect, it } from 'vitest';
import { AddressTable } from './address-table.ts';
import { FlowTable } from './flow-table.ts';

describe('FlowTable.lookup4', () => {
  it('gives the same flow and address ids as interning both addresses and calling lookup()', () => {
    const addrsA = new AddressTable(), flowsA = new FlowTable();
    const addrsB = new AddressTable(), flowsB = new FlowTable();
    const b = new Uint8Array(64);
    let x = 99;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    // Enough distinct tuples (thousands) to evict memo entries, with repeats and both directions.
    for (let n = 0; n < 60000; n++) {
      const r = next();
      const a = r % 97, c = (r >>> 8) % 89;
      const srcOff = 3 + (n % 7), dstOff = 20 + (n % 5);
      const put = (off: number, v: number) => { b[off] = 10; b[off + 1] = v >> 8; b[off + 2] = v & 0xff; b[off + 3] = (v * 7) & 0xff; };
      const fwd = (r >>> 16) & 1;
      put(fwd ? srcOff : dstOff, a);
      put(fwd ? dstOff : srcOff, c + 1000);
      if (n % 11 === 0) { b.fill(255, srcOff, srcOff + 4); }
      const ports = (r >>> 20) % 5;
      const sport = ports === 0 ? -1 : 1000 + ports, dport = ports === 0 ? -1 : fwd ? 80 : 443;
      const tenant = n % 13 === 0 ? -1 : (r >>> 24) % 3;
      const proto = ports === 0 ? 1 : 6;
      const flow = flowsA.lookup4(addrsA, tenant, proto, b, srcOff, sport, dstOff, dport);
      const s = addrsB.intern(b, srcOff, 4), d = addrsB.intern(b, dstOff, 4);
      expect([flow, flowsA.srcId, flowsA.dstId]).toEqual([flowsB.lookup(tenant, proto, s, sport, d, dport), s, d]);
    }
    expect([flowsA.count, addrsA.count]).toEqual([flowsB.count, addrsB.count]);
  });
});
