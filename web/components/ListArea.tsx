// The packet list of the capture shown, or (several captures open, "All, by time") all of them merged by time.
import { useGroup } from '../state/captures.ts';
import { MergedList } from './MergedList.tsx';
import { PacketList } from './PacketList.tsx';

export function ListArea() {
  const merged = useGroup((s) => s.merged);
  return merged ? <MergedList /> : <PacketList />;
}
