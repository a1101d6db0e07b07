// The registered tunnels (their layer definitions' TunnelSpec), for code that names tenants but decodes
// nothing: the web app's labels and share links, the CLI. Importing this loads every layer definition.
import { tunnelSpecs } from './layers/index.ts';

/** `nvgre`, `vxlan`, `geneve`, `gre`, ...: the names tenant keys (`vxlan:300`) and tenant.encap use. */
export function tunnelNames(): string[] {
  return tunnelSpecs().map((t) => t.name);
}

/** How the app shows a tunnel (`VXLAN`), from its definition; unknown names as they are. */
export function tunnelLabel(name: string): string {
  return tunnelSpecs().find((t) => t.name === name)?.label ?? name;
}

/** The width of a tunnel's tenant id in bits (24 for a VSID or VNI), or 0 when it has none. */
export function tunnelIdBits(name: string): number {
  return tunnelSpecs().find((t) => t.name === name)?.idBits ?? 0;
}
