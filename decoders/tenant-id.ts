// How a tenant id (NVGRE VSID, VXLAN/Geneve VNI) reads everywhere it is shown: decimal with its 24-bit hex
// in brackets, as Wireshark shows BASE_DEC_HEX fields, so `1193046 (0x123456)` is recognisable whichever
// form the user knows (configs often give VNIs in hex, tools in decimal). Machine outputs (CLI JSON,
// CSV/JSON exports, share-link keys, filters) keep plain numbers.

/** `1193046 (0x123456)`, `300 (0x00012c)`. */
export function tenantIdText(id: number): string {
  return `${id} (0x${id.toString(16).padStart(6, '0')})`;
}
