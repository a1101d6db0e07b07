// The display filter that selects the frames counted under one check and verdict, as the Offload pane
// shows them (`inner.tcp` bad): checksum.<verdict>.check names the check whatever layers the frame has,
// where `tcp.checksum.status#n` counts TCP layers, not tunnel depths.

export type FlagVerdict = 'bad' | 'partial' | 'zero' | 'unverified';

/** `checksum.bad.check == "inner.tcp"`; for `zero`, only zeros that are a finding (as checksum.zero). */
export function verdictFilter(verdict: FlagVerdict, check: string): string {
  return `checksum.${verdict}.check == "${check}"`;
}
