import { describe, expect, it } from 'vitest';
import { chooseShareLink } from './choose.ts';
import type { FrameSet, ShareInputs } from './choose.ts';
import { decodeCapture } from './compress.ts';
import { DEFAULT_VIEW, parseFragment } from './fragment.ts';
import type { ShareView } from './fragment.ts';
import { MAX_EMBEDDED_BYTES, SHARE_URL_LIMIT } from './limits.ts';

/** Bytes that do not compress (a linear congruential sequence), so sizes map to link lengths. */
function noise(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const view: ShareView = { ...DEFAULT_VIEW, view: 'packets', tenant: 'vxlan:300', sort: { column: 'time', desc: true }, frame: 40 };
const SHA = 'a'.repeat(64);

function inputs(sizes: Record<FrameSet, number>, over: Partial<ShareInputs> = {}): ShareInputs & { exported: FrameSet[] } {
  const exported: FrameSet[] = [];
  return {
    exported,
    base: 'http://127.0.0.1:4173/',
    origin: { kind: 'file', name: 'big.pcapng', size: 5_000_000 },
    view,
    counts: { frames: 1000, shown: 100, flagged: 10 },
    estimateBytes: async (set) => sizes[set],
    exportFrames: async (set, keep) => {
      exported.push(set);
      return { pcapng: noise(sizes[set], set.length), frames: set === 'all' ? 1000 : set === 'shown' ? 100 : 10, keptFrame: set === 'shown' && keep === 40 ? 7 : null };
    },
    sha256: async () => SHA,
    ...over,
  };
}

async function linkOf(inp: ShareInputs) {
  const r = await chooseShareLink(inp);
  if (!r.ok) throw new Error(r.error);
  const frag = r.value.url.slice(r.value.url.indexOf('#'));
  const parsed = parseFragment(frag);
  if (!parsed.ok) throw new Error(parsed.error);
  return { ...r.value, state: parsed.value };
}

describe('chooseShareLink', () => {
  it('links to the source URL when the capture came from one', async () => {
    const l = await linkOf(inputs({ all: 100, shown: 10, flagged: 1 }, { origin: { kind: 'url', url: 'https://example.org/x.pcapng' } }));
    expect(l.kind).toBe('src');
    expect(l.state).toEqual({ capture: { kind: 'src', url: 'https://example.org/x.pcapng' }, view });
    expect(l.description).toMatch(/example\.org\/x\.pcapng/);
  });

  it('embeds the whole capture when it fits, and it decodes to the same bytes', async () => {
    const inp = inputs({ all: 3000, shown: 300, flagged: 30 });
    const l = await linkOf(inp);
    expect(l.kind).toBe('embedded');
    expect(l.url.length).toBeLessThanOrEqual(SHARE_URL_LIMIT);
    expect(l.url.startsWith('http://127.0.0.1:4173/#')).toBe(true);
    expect(l.state.view).toEqual(view);
    if (l.state.capture?.kind !== 'cap') throw new Error('expected cap');
    expect(await decodeCapture(l.state.capture.data)).toEqual({ ok: true, value: noise(3000, 3) });
    expect(l.state.capture.name).toBe('big.pcapng');
    expect(l.description).toMatch(/whole capture big\.pcapng embedded \(1000 frames/);
  });

  it('embeds only the frames shown when the whole capture is too big, renumbering the selected frame', async () => {
    const inp = inputs({ all: 50_000, shown: 3000, flagged: 300 });
    const l = await linkOf(inp);
    expect(inp.exported).toEqual(['all', 'shown']);
    expect(l.kind).toBe('embedded-shown');
    expect(l.state.view).toEqual({ ...view, frame: 7 });
    expect(l.description).toMatch(/only the 100 frames shown/);
    expect(l.state.capture).toMatchObject({ kind: 'cap', name: 'big-shown.pcapng' });
    expect(l.url.length).toBeLessThanOrEqual(SHARE_URL_LIMIT);
  });

  it('falls back to the flagged frames, dropping a selected frame that is not among them', async () => {
    const inp = inputs({ all: 50_000, shown: 20_000, flagged: 3000 });
    const l = await linkOf(inp);
    expect(l.kind).toBe('embedded-flagged');
    expect(l.state.view.frame).toBeNull();
    expect(l.description).toMatch(/only the 10 flagged frames.*Frame 40 is not among them/);
    expect(l.state.capture).toMatchObject({ kind: 'cap', name: 'big-flagged.pcapng' });
  });

  it('gives the link a name it can carry: control characters replaced, cut to 255 characters', async () => {
    const long = `${'ü'.repeat(300)}.pcap`;
    const l = await linkOf(inputs({ all: 3000, shown: 300, flagged: 30 }, { origin: { kind: 'file', name: long, size: 5_000_000 } }));
    expect(l.state.capture).toMatchObject({ kind: 'cap', name: 'ü'.repeat(255) });
    const c = await linkOf(inputs({ all: 3000, shown: 300, flagged: 30 }, { origin: { kind: 'file', name: 'a\tb.pcap', size: 5_000_000 } }));
    expect(c.state.capture).toMatchObject({ kind: 'cap', name: 'a_b.pcap' });
  });

  it('makes a fingerprint link when nothing fits, without exporting what cannot be embedded', async () => {
    const inp = inputs({ all: MAX_EMBEDDED_BYTES + 1, shown: 20_000, flagged: 9000 });
    const l = await linkOf(inp);
    expect(inp.exported).toEqual(['shown', 'flagged']);
    expect(l.kind).toBe('fingerprint');
    expect(l.state).toEqual({ capture: { kind: 'fingerprint', sha256: SHA, name: 'big.pcapng', size: 5_000_000 }, view });
    expect(l.description).toMatch(/opens their own copy/);
    expect(l.description).toMatch(/the limit is 8000/);
  });

  it('honours a custom limit, and skips sets equal to the whole capture', async () => {
    const inp = inputs({ all: 3000, shown: 3000, flagged: 3000 }, { limit: 500, counts: { frames: 1000, shown: 1000, flagged: 1000 } });
    const l = await linkOf(inp);
    expect(inp.exported).toEqual(['all']);
    expect(l.kind).toBe('fingerprint');
  });

  it('returns an error instead of throwing when the capture work fails', async () => {
    const r = await chooseShareLink(inputs({ all: 100, shown: 1, flagged: 1 }, { exportFrames: async () => { throw new Error('worker gone'); } }));
    expect(r).toEqual({ ok: false, error: 'Could not make a link: worker gone' });
  });
});
