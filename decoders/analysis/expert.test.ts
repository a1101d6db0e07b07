// Expert Information groups: each group's frames are exactly what its display filter selects (the filter engine
// reads the same flags by another path), on the demo capture (checksum findings, a truncated frame) and on the
// TCP scenarios (every analysis note), and the groups are ordered most severe first.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../capture/memory-source.ts';
import { Engine } from './engine.ts';
import { expertInfo, SEVERITIES } from './expert.ts';
import { TCP_SCENARIOS } from '../../scripts/lib/tcp-scenarios.ts';
import { conversationPcapng } from '../../scripts/lib/tcp-conversation.ts';

async function open(path: string): Promise<Engine> {
  const e = new Engine();
  await e.load(new MemorySource(new Uint8Array(readFileSync(path))), path);
  return e;
}

function checkGroups(e: Engine): void {
  const info = expertInfo(e);
  expect(info.groups.length).toBeGreaterThan(0);
  const ranks = info.groups.map((g) => SEVERITIES.indexOf(g.severity));
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  for (const g of info.groups) {
    expect(g.frames.length).toBe(Math.min(g.count, info.limit));
    if (g.filter === null) continue;
    expect(g.frames, `${g.summary}: ${g.filter}`).toEqual(Array.from(e.viewFrames({ tenant: null, sort: null, filter: g.filter })));
  }
}

describe('expert information', () => {
  it('demo capture: bad, partial and zero checksums per check, the truncated frame', async () => {
    const e = await open('public/samples/demo.pcapng');
    checkGroups(e);
    const info = expertInfo(e);
    const bad = info.groups.filter((g) => g.summary.startsWith('Bad checksum'));
    expect(bad.length).toBeGreaterThan(0);
    expect(new Set(bad.flatMap((g) => g.frames)).size).toBe(e.badFrames);
    expect(info.groups[0].severity).toBe('error');
    const truncated = info.groups.find((g) => g.summary.startsWith('Frame ends before'));
    const short = [];
    for (let i = 0; i < e.store.count; i++) if (e.store.caplen[i] < e.store.origlen[i]) short.push(i + 1);
    expect(truncated?.frames).toEqual(short);
  });

  it('the frame lists stop at the limit, the counts do not', async () => {
    const e = await open('public/samples/demo.pcapng');
    const all = expertInfo(e);
    const few = expertInfo(e, 2);
    expect(few.groups.map((g) => g.count)).toEqual(all.groups.map((g) => g.count));
    for (const g of few.groups) expect(g.frames).toEqual(all.groups.find((x) => x.summary === g.summary)?.frames.slice(0, 2));
  });

  for (const sc of TCP_SCENARIOS) {
    it(`TCP analysis notes: ${sc.name}`, async () => {
      const e = new Engine();
      await e.load(new MemorySource(conversationPcapng(sc.convs)), 'tcp.pcapng');
      checkGroups(e);
      // Each expected note is a group holding exactly the frames the scenario names for it.
      const want = new Map<string, number[]>();
      for (const [n, fields] of Object.entries(sc.expect)) for (const f of fields) want.set(f, [...(want.get(f) ?? []), Number(n)]);
      const got = new Map(expertInfo(e).groups.filter((g) => g.filter?.startsWith('tcp.analysis.')).map((g) => [g.filter?.slice(13), g.frames]));
      for (const [f, frames] of want) if (got.has(f) || f !== 'flags') expect(got.get(f), f).toEqual(frames);
    });
  }
});
