// How a tenant id (NVGRE VSID, VXLAN/Geneve VNI, up to 32 bits for other tunnels) reads everywhere it is
// shown: decimal with its hex in brackets, as Wireshark shows BASE_DEC_HEX fields, so `1193046 (0x123456)`
// is recognisable whichever form the user knows (configs often give VNIs in hex, tools in decimal). The hex
// has the 6 digits of a 24-bit field, 8 for an id above 0xffffff. Machine outputs (CLI JSON, CSV/JSON
// exports, share-link keys, filters) keep plain numbers.

/** `1193046 (0x123456)`, `300 (0x00012c)`, `16777216 (0x01000000)`. */
export function tenantIdText(id: number): string {
  return `${id} (0x${id.toString(16).padStart(id > 0xffffff ? 8 : 6, '0')})`;
}
