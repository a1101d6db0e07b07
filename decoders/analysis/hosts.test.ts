// The Hosts report on a capture with a faulty NIC, a sender-side capture, a clean host and VXLAN's allowed
// zero: the ranking, the verdict counts and the diagnosis words follow what was built.
import { describe, expect, it } from 'vitest';
import { HOST_FRAMES, HOSTS, hostsCapture } from '../../scripts/lib/hosts-capture.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { loadParallel } from '../parallel/load.ts';
import { localPool } from '../parallel/local-pool.ts';
import { Engine } from './engine.ts';
import { summaryJson } from './report.ts';
import { subsetSummaryJson } from './subset.ts';

async function open(bytes: Uint8Array, retain = true): Promise<Engine> {
  const e = new Engine({ retainFrames: retain });
  await e.load(new MemorySource(bytes), 'hosts.pcapng');
  return e;
}

describe('the Hosts report', () => {
  const { bytes, badFrames } = hostsCapture();

  it('ranks hosts worst first and counts their verdicts per check', async () => {
    const e = await open(bytes);
    const h = e.hostStats();
    expect(h.map((x) => [x.address, x.direction, x.frames, x.bad, x.partial])).toEqual([
      [HOSTS.faulty, null, HOST_FRAMES.faulty, badFrames.length, 0],
      [HOSTS.sender, 'out', HOST_FRAMES.sender, 0, HOST_FRAMES.sender],
      [HOSTS.notReady, 'out', HOST_FRAMES.notReady, 0, HOST_FRAMES.notReady],
      [HOSTS.clean, 'in', HOST_FRAMES.clean, 0, 0],
      [HOSTS.vxlan, null, HOST_FRAMES.vxlan, 0, 0],
    ]);
    expect(h[0].checks['inner.tcp']).toEqual({ good: 190, bad: 10, partial: 0, zero: 0, unverified: 0, noChecksum: 0 });
    expect(h[0].firstBad).toBe(badFrames[0]);
    expect(h[0].lastBad).toBe(badFrames[badFrames.length - 1]);
    expect(h[4].checks.udp).toEqual({ good: 0, bad: 0, partial: 0, zero: 50, unverified: 0, noChecksum: 50 });
    expect(h[0].tenants).toEqual(['nvgre:5001']);
  });

  it('says in words what each pattern means, and on which frames', async () => {
    const h = (await open(bytes)).hostStats();
    const [faulty, sender, notReady, clean, vx] = h;
    expect(faulty.diagnosis[0]).toMatchObject({ kind: 'offload-suspect', check: 'inner.tcp', frames: badFrames.slice(0, 5) });
    expect(faulty.diagnosis[0].text).toBe('bad on 5.0% of inner TCP checksums from this host alone (10 of 200), every other host clean: suspect this host\'s NIC offload (a capture on the receiving side too tells it from corruption on the path)');
    expect(sender.diagnosis[0].kind).toBe('tx-offload');
    expect(sender.diagnosis[0].text).toBe('partial on every inner TCP checksum: captured on this host before its NIC filled the checksums in (transmit offload on): not a fault');
    expect(notReady.diagnosis[0].text).toContain('on frames the capture marks "checksum not ready" or super-frames');
    expect(sender.diagnosis[0].text).not.toContain('not ready');
    expect(clean.diagnosis.map((d) => d.kind)).toEqual(['clean']);
    expect(vx.diagnosis.map((d) => d.kind)).toEqual(['clean', 'no-checksum']);
    expect(vx.diagnosis[1].text).toContain('RFC 7348 recommends it for VXLAN');
  });

  it('is the same in the CLI summary, with or without frames kept, and in a parallel load', async () => {
    const kept = summaryJson(await open(bytes), 'x').hosts;
    const flat = summaryJson(await open(bytes, false), 'x').hosts;
    expect(flat).toEqual(kept);
    expect(Object.keys(kept[0]).slice(0, 7)).toEqual(['address', 'direction', 'frames', 'bad', 'partial', 'checks', 'diagnosis']);
    const src = new MemorySource(bytes);
    const par = new Engine();
    await loadParallel(par, src, 'x', { jobs: 3, plan: { cuts: [bytes.length / 4, bytes.length / 2, (3 * bytes.length) / 4].map(Math.floor) }, pool: () => localPool(src) });
    expect(summaryJson(par, 'x').hosts).toEqual(kept);
  });

  it('the host filter selects its frames, and the --filter summary counts only them', async () => {
    const e = await open(bytes);
    const faulty = e.hostStats()[0];
    const run = e.filters.get(faulty.filter);
    const sub = subsetSummaryJson(e, 'x', faulty.filter, run.update());
    expect(run.matched).toBe(HOST_FRAMES.faulty);
    expect(sub.hosts.map((x) => [x.address, x.frames, x.bad])).toEqual([[HOSTS.faulty, HOST_FRAMES.faulty, badFrames.length]]);
  });
});
