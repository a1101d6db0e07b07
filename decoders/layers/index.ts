// Every layer the decoder ships: importing a layer's file registers its definition (registry.ts). Adding a
// protocol is its file, its test, and one line here. Code that reads the registry (names, tunnels, fields)
// imports it from here, so that it always sees every shipped layer.
import './ethernet.ts';
import './vlan.ts';
import './sll.ts';
import './sll2.ts';
import './null.ts';
import './raw.ts';
import './arp.ts';
import './ipv4.ts';
import './ipv6.ts';
import './ah.ts';
import './gre.ts';
import './nvgre.ts';
import './udp.ts';
import './tcp.ts';
import './icmp.ts';
import './icmpv6.ts';
import './igmp.ts';
import './vxlan.ts';
import './geneve.ts';
import './mpls.ts';
import './dns.ts';
import './nbns.ts';
import './dhcp.ts';
import './dhcpv6.ts';
import './http.ts';
import './tls.ts';
import './services.ts';

export * from './registry.ts';
