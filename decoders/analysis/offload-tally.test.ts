// The offload report kept up to date while frames arrive equals the one counted afresh, at every point
// of a load, on captures with bad, partial and zero checksums from many senders.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../capture/memory-source.ts';
import { Engine } from './engine.ts';
import { offloadReport } from './report.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CAPTURES = [
  resolve(ROOT, 'public/samples/demo.pcapng'),
  resolve(ROOT, 'captures/tcpdump/geneve.pcap'),
];

describe('Engine.offload() while a capture loads', () => {
  for (const path of CAPTURES) {
    it(`matches the report counted afresh after every few frames: ${path.split('/').slice(-2).join('/')}`, async () => {
      const checks: Array<[number, unknown, unknown]> = [];
      const e: Engine = new Engine({
        onFrame: (i) => {
          if (i % 37 === 5) checks.push([i, e.offload(), offloadReport(e)]);
        },
      });
      await e.load(new MemorySource(new Uint8Array(readFileSync(path)), 4096), 'x', {});
      expect(checks.length).toBeGreaterThan(0);
      for (const [i, kept, fresh] of checks) expect(kept, `after frame ${i + 1}`).toEqual(fresh);
      const last = e.offload();
      expect(last).toEqual(offloadReport(e));
      if (path.endsWith('demo.pcapng')) expect(last.groups.length).toBeGreaterThan(1);
      // A caller's copy does not change when more frames are counted.
      const before = JSON.stringify(checks[0][1]);
      e.offload();
      expect(JSON.stringify(checks[0][1])).toBe(before);
    });
  }
});
