// The frames the selected frame's details refer to (the fragments it reassembled, the frame that
// reassembled it): the packet list marks them in the No. column, as Wireshark's related-packet indicator does.
import { Store } from './store.ts';

export interface Related {
  /** The frame whose details these references come from. */
  of: number | null;
  frames: ReadonlySet<number>;
}

export const NO_RELATED: ReadonlySet<number> = new Set();

export const relatedStore = new Store<Related>({ of: null, frames: NO_RELATED });
