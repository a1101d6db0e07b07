// EngineOptions.onFrame streams every frame's final row out of an engine that keeps none (the CLI's
// --parquet): each frame exactly once, IP fragments when their datagram settles, each row the same as the
// retaining engine (the app, --frames) shows once the capture has been read.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../capture/memory-source.ts';
import { concat, pcapHeader, pcapRecord } from '../capture/test-bytes.ts';
import { mtuCapture } from '../../scripts/lib/mtu-capture.ts';
import { fragmentFrame } from '../../scripts/lib/fragment.ts';
import { buildFrame, eth, ipv4, nvgre, payload, tcp, udp } from '../../scripts/lib/packet-builder.ts';
import { Engine } from './engine.ts';
import { frameJson } from './report.ts';
import type { FrameJson } from './types.ts';

const demo = readFileSync(join(resolve(import.meta.dirname, '../..'), 'public/samples/demo.pcapng'));

/** Fragments in an order that settles datagrams out of frame order, odd inner endpoints, a lost fragment. */
function shuffledFragments(): Uint8Array {
  const h = { src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' };
  const vm = { src: '00:15:5d:aa:00:01', dst: '00:15:5d:aa:00:02' };
  const big = (id: number, sport: number): Uint8Array => buildFrame([eth(h), ipv4({ src: '192.168.1.1', dst: '192.168.1.2', id }), nvgre({ vsid: 7, flowId: 1 }),
    eth(vm), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), tcp({ sport, dport: 80, flags: 'A', seq: id }), payload(1400)]).data;
  const small = (sport: number): Uint8Array => buildFrame([eth(h), ipv4({ src: '192.168.1.2', dst: '192.168.1.1' }), nvgre({ vsid: 7, flowId: 1 }),
    eth(vm), ipv4({ src: '10.0.0.2', dst: '10.0.0.1' }), udp({ sport: 80, dport: sport }), payload(20)]).data;
  const a = fragmentFrame(big(1, 1000), 14, 600, 0x11);
  const b = fragmentFrame(big(2, 1001), 14, 600, 0x12);
  const frames = [a[1], small(1000), b[0], a[2], a[0], small(1001), b[2], small(1002)]; // b[1] never comes
  return concat(pcapHeader(), ...frames.map((data, k) => pcapRecord({ sec: 1_700_000_000 + k, frac: 0, data })));
}

async function rows(bytes: Uint8Array): Promise<{ streamed: Map<number, FrameJson>; calls: number; kept: FrameJson[] }> {
  const streamed = new Map<number, FrameJson>();
  let calls = 0;
  const e: Engine = new Engine({
    retainFrames: false,
    onFrame: (i, n) => {
      calls++;
      streamed.set(n, { ...frameJson(e, i, n), reassembledIn: null });
    },
  });
  await e.load(new MemorySource(bytes), 'x');
  const k = new Engine();
  await k.load(new MemorySource(bytes), 'x');
  const kept = Array.from({ length: k.frames }, (_, i) => ({ ...frameJson(k, i), reassembledIn: null }));
  return { streamed, calls, kept };
}

describe('Engine onFrame hook without retained frames', () => {
  for (const [name, bytes] of [['demo capture', demo], ['MTU capture (fragments)', mtuCapture()], ['fragments out of order', shuffledFragments()]] as const) {
    it(`gives every frame once with the row the retaining engine shows: ${name}`, async () => {
      const { streamed, calls, kept } = await rows(bytes);
      expect(calls).toBe(kept.length);
      expect(streamed.size).toBe(kept.length);
      for (const row of kept) expect(streamed.get(row.n)).toEqual(row);
    });
  }

  it('hands fragments over when their datagram settles, after frames that follow them', async () => {
    const order: number[] = [];
    const e = new Engine({ retainFrames: false, onFrame: (_i, n) => order.push(n) });
    await e.load(new MemorySource(shuffledFragments()), 'x');
    expect(order.indexOf(2)).toBeLessThan(order.indexOf(1)); // frame 1 is a's second fragment: a completes at frame 5
    expect([...order].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
