// What the row menu's Copy items put on the clipboard: the row as text, the frame's bytes as a hex dump.

/** The row's cells as shown, tab-separated (pastes into a spreadsheet as one row). */
export function rowText(cells: readonly string[]): string {
  return cells.map((c) => c.replace(/[\t\r\n]+/g, ' ')).join('\t');
}

/**
 * Wireshark's "Copy … as Hex Dump": 16 bytes a line, offset, hex, then the printable characters; text2pcap
 * reads it back into a capture.
 */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, Math.min(bytes.length, off + 16));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(4, '0')}  ${`${left}  ${right}`.padEnd(48)}  ${ascii}`);
  }
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}
