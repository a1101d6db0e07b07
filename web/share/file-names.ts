// File names made from the open capture's name: exports and the captures embedded in share links.
import { MAX_NAME_CHARS } from './limits.ts';

/** `x.pcapng.gz` -> `x`, with characters file systems refuse replaced; `capture` when nothing is left. */
export function baseName(name: string): string {
  const b = name.replace(/(\.(pcapng|pcap|cap|gz))+$/i, '').replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_');
  return b === '' ? 'capture' : b;
}

/** Name of an exported part of a capture: `x-shown.pcapng`, as the Export menu saves it. */
export function partName(name: string, part: string): string {
  return `${baseName(name)}-${part}.pcapng`;
}

/** A name a link can carry (`name=`: at most MAX_NAME_CHARS characters, no control characters). */
export function linkName(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '_');
  if (clean === '') return 'capture';
  // Cut in UTF-16 units, as the parser counts, without leaving half a surrogate pair.
  return clean.length <= MAX_NAME_CHARS ? clean : clean.slice(0, MAX_NAME_CHARS).replace(/[\ud800-\udbff]$/, '');
}
