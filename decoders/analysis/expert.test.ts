// Expert Information groups: every group has a display filter and its frames are exactly what that filter selects
// (the filter engine reads the same flags by another path: its column tier and, frame by frame, its byte tier),
// on the demo capture (checksum findings, a truncated frame), on real captures with every decoder note
// (malformed, truncated, IP fragments, NVGRE, super-frames, undecoded link types), the MTU capture (ICMP
// signals) and the TCP scenarios (every analysis note); the groups are ordered most severe first.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../capture/memory-source.ts';
import { Engine } from './engine.ts';
import { expertInfo, SEVERITIES } from './expert.ts';
import { TCP_SCENARIOS } from '../../scripts/lib/tcp-scenarios.ts';
import { conversationPcapng } from '../../scripts/lib/tcp-conversation.ts';
import { mtuCapture } from '../../scripts/lib/mtu-capture.ts';
import { PENDING } from '../filter/runner.ts';

async function open(path: string | Uint8Array): Promise<Engine> {
  const e = new Engine();
  await e.load(new MemorySource(typeof path === 'string' ? new Uint8Array(readFileSync(path)) : path), typeof path === 'string' ? path : 'capture.pcapng');
  return e;
}

function checkGroups(e: Engine): void {
  const info = expertInfo(e);
  expect(info.groups.length).toBeGreaterThan(0);
  const ranks = info.groups.map((g) => SEVERITIES.indexOf(g.severity));
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  for (const g of info.groups) {
    expect(g.frames.length).toBe(Math.min(g.count, info.limit));
    expect(g.frames, `${g.summary}: ${g.filter}`).toEqual(Array.from(e.viewFrames({ tenant: null, sort: null, filter: g.filter })));
  }
}

/** The byte tier of an index field (what a frame the columns cannot decide gets) says what the column tier says. */
function checkByteTier(e: Engine, filter: string): void {
  const run = e.filters.get(filter);
  for (let i = 0; i < e.store.count; i++) {
    if (run.state[i] === PENDING) continue;
    expect(run.test(i, new Uint8Array(0)), `${filter} on frame ${i + 1}`).toBe(run.state[i] === 1);
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

  const NOTE_CAPTURES: Array<[string, string | (() => Uint8Array)]> = [
    ['malformed', 'captures/PcapPlusPlus/packetpp__ipv4-malformed.pcap'],
    ['truncated', 'captures/PcapPlusPlus/pcappp__pcapng-example.pcapng'],
    ['fragments, malformed', 'captures/nDPI/fuzz-2006-06-26-2594.pcap'],
    ['IP fragment', 'captures/dotpcap+packetnet/udp-ip-fragmented.pcap'],
    ['NVGRE reserved VSID', 'captures/PcapPlusPlus/packetpp__GrePackets.pcap'],
    ['super-frame', 'captures/PcapPlusPlus/packetpp__IPv4-TSO.pcap'],
    ['link type not decoded', 'captures/arkime/nflog.pcap'],
    ['ICMP MTU signals', mtuCapture],
  ];
  it('every decoder note is a group with a filter selecting exactly its frames', async () => {
    const seen = new Set<string>();
    for (const [what, src] of NOTE_CAPTURES) {
      const e = await open(typeof src === 'string' ? src : src());
      checkGroups(e);
      for (const g of expertInfo(e).groups) {
        seen.add(g.filter);
        if (g.filter.startsWith('_ws.')) checkByteTier(e, g.filter);
      }
      expect(expertInfo(e).groups.length, what).toBeGreaterThan(0);
      // _ws.expert: every frame with an item; _ws.expert.message: any of them, by its text.
      const any = new Set(expertInfo(e).groups.flatMap((g) => g.frames));
      expect(Array.from(e.viewFrames({ tenant: null, sort: null, filter: '_ws.expert' })), what).toEqual([...any].sort((a, b) => a - b));
      checkByteTier(e, '_ws.expert');
    }
    expect([...seen].filter((f) => !f.startsWith('tcp.') && !f.startsWith('checksum.')).sort()).toEqual([
      '_ws.expert.message == "Frame ends before a layer does (snaplen or short frame)"',
      '_ws.expert.message == "ICMP fragmentation needed / packet too big sent to a host"',
      '_ws.expert.message == "IP fragment"',
      '_ws.expert.message == "Link type not decoded"',
      '_ws.expert.message == "NVGRE: reserved VSID (0-0xFFF or 0xFFFFFF)"',
      '_ws.malformed',
      'frame.superframe',
    ]);
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
