// What the Share button puts in the link, by what is possible (issue 4):
// 1. the capture came from a URL: a `src` link (short; the recipient fetches the same file);
// 2. the whole capture, compressed, fits a link of SHARE_URL_LIMIT characters: embed it (`cap`, with its
//    file name in `name`);
// 3. else the frames shown (tenant/filter narrowing), else the flagged frames, when they fit: embed those
//    (frame numbers are those of the smaller capture, so the selected frame is renumbered);
// 4. else a fingerprint link (`sha256`, `name`, `size`): the recipient opens their own copy.
// The capture work (export, compression, hashing) is passed in, so this runs against fakes in tests.
import { encodeCapture } from './compress.ts';
import { serializeFragment } from './fragment.ts';
import type { CaptureRef, ShareView } from './fragment.ts';
import { formatBytes } from './fetch.ts';
import { linkName, partName } from './file-names.ts';
import { MAX_EMBEDDED_BYTES, SHARE_URL_LIMIT } from './limits.ts';
import type { Result } from './result.ts';

export type FrameSet = 'all' | 'shown' | 'flagged';

export interface ExportedFrames {
  /** The frames as a pcapng file. */
  pcapng: Uint8Array;
  /** How many frames it holds. */
  frames: number;
  /** The number, in the exported file, of the frame `keep` asked about; null when it is not in it. */
  keptFrame: number | null;
}

export interface ShareInputs {
  /** The page URL without fragment, e.g. `https://host/app/`. */
  base: string;
  /** Where the capture came from. */
  origin: { kind: 'url'; url: string } | { kind: 'file'; name: string; size: number };
  view: ShareView;
  counts: { frames: number; shown: number; flagged: number };
  /** Writes a set of frames as pcapng; `keep` is the selected frame to renumber. */
  exportFrames(set: FrameSet, keep: number | null): Promise<ExportedFrames>;
  /** Estimated pcapng size of a set (to skip sets that cannot be embedded without exporting them). */
  estimateBytes(set: FrameSet): Promise<number>;
  /** Hex SHA-256 of the opened file. */
  sha256(): Promise<string>;
  /** Longest link to make with an embedded capture. Default SHARE_URL_LIMIT. */
  limit?: number;
}

export type ShareKind = 'src' | 'embedded' | 'embedded-shown' | 'embedded-flagged' | 'fingerprint';

export interface ShareLink {
  url: string;
  kind: ShareKind;
  /** One sentence for the user: what the link contains. */
  description: string;
}

export async function chooseShareLink(inp: ShareInputs): Promise<Result<ShareLink>> {
  try {
    return { ok: true, value: await choose(inp) };
  } catch (e) {
    return { ok: false, error: `Could not make a link: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function choose(inp: ShareInputs): Promise<ShareLink> {
  const limit = inp.limit ?? SHARE_URL_LIMIT;
  const link = (capture: CaptureRef | null, view: ShareView): string => `${inp.base}${serializeFragment({ capture, view })}`;
  const { frames, shown, flagged } = inp.counts;

  if (inp.origin.kind === 'url') {
    return {
      url: link({ kind: 'src', url: inp.origin.url }, inp.view),
      kind: 'src',
      description: `Link to the capture at ${inp.origin.url} with this view: the recipient's browser downloads it from there.`,
    };
  }

  const name = inp.origin.name;
  const tried: string[] = [];
  const sets: Array<{ set: FrameSet; count: number }> = [{ set: 'all', count: frames }];
  if (shown > 0 && shown < frames) sets.push({ set: 'shown', count: shown });
  if (flagged > 0 && flagged < frames && flagged !== shown) sets.push({ set: 'flagged', count: flagged });
  for (const { set, count } of sets) {
    const estimate = await inp.estimateBytes(set);
    if (estimate > MAX_EMBEDDED_BYTES) {
      tried.push(`${what(set, count)} would be ${formatBytes(estimate)}`);
      continue;
    }
    const keep = inp.view.frame;
    const ex = await inp.exportFrames(set, keep);
    const data = await encodeCapture(ex.pcapng);
    // The selected frame keeps pointing at the same packet; it is dropped when the packet is not in the set.
    const view: ShareView = set === 'all' ? inp.view : { ...inp.view, frame: ex.keptFrame };
    // The recipient sees the capture under this name: the file's own, or the export's for a part of it.
    const url = link({ kind: 'cap', data, name: linkName(set === 'all' ? name : partName(name, set)) }, view);
    if (url.length <= limit && ex.pcapng.length <= MAX_EMBEDDED_BYTES) {
      const kb = `${Math.ceil(url.length / 100) / 10}k characters`;
      if (set === 'all') {
        return { url, kind: 'embedded', description: `Link with the whole capture ${name} embedded (${ex.frames} frames, ${kb}): nothing is uploaded, the link itself holds it.` };
      }
      const why = `the whole capture does not fit in a link of ${limit} characters`;
      const dropped = keep !== null && ex.keptFrame === null ? ` Frame ${keep} is not among them, so no frame is selected.` : '';
      return {
        url,
        kind: set === 'shown' ? 'embedded-shown' : 'embedded-flagged',
        description: `Link with only the ${ex.frames} ${set === 'shown' ? 'frames shown' : 'flagged frames (with a bad checksum)'} of ${name} embedded (${kb}; ${why}); frame numbers in it count from 1 again.${dropped}`,
      };
    }
    tried.push(`${what(set, count)} take ${url.length} characters`);
  }
  const sha256 = await inp.sha256();
  return {
    url: link({ kind: 'fingerprint', sha256, name: linkName(name), size: inp.origin.size }, inp.view),
    kind: 'fingerprint',
    description: `Fingerprint link: it names ${name} (${formatBytes(inp.origin.size)}, SHA-256 ${sha256.slice(0, 12)}…) and this view; the recipient opens their own copy of the file. (Too big to embed: ${tried.join(', ')}; the limit is ${limit}.)`,
  };
}

function what(set: FrameSet, count: number): string {
  return set === 'all' ? `the whole capture (${count} frames)` : set === 'shown' ? `the ${count} frames shown` : `the ${count} flagged frames (with a bad checksum)`;
}
