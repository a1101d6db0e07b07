// Layer ids: the values the dispatch tables hold, the labels of decoders/dissect.ts's jump table, and
// Summary.topProto (the highest layer decoded, which the Protocol column names). Each layer's definition
// (decoders/layers/<name>.ts) registers under its id; a new layer takes a free one here or in its own file.

export const L_END = 0;
export const L_ETH = 1;
export const L_VLAN = 2;
export const L_LLC = 3;
export const L_ARP = 4;
export const L_IPV4 = 5;
export const L_IPV6 = 6;
export const L_GRE = 7;
export const L_UDP = 8;
export const L_TCP = 9;
export const L_ICMP = 10;
export const L_ICMPV6 = 11;
export const L_IGMP = 12;
export const L_VXLAN = 13;
export const L_VXLAN_GPE = 14;
export const L_GENEVE = 15;
export const L_SLL = 16;
export const L_SLL2 = 17;
export const L_NULL = 18;
/** Raw IP whose version nibble picks IPv4 or IPv6. */
export const L_RAW = 19;
export const L_AH = 20;
export const L_MPLS = 21;
/** NVGRE: GRE with a key and Transparent Ethernet Bridging (decoded by the GRE layer; named for the column). */
export const L_NVGRE = 22;
/** An IP payload protocol that is not decoded (ESP, OSPF, ...): the column says IP. */
export const L_IP_PAYLOAD = 23;
// Application protocols over TCP and UDP (decoders/layers/dns.ts, nbns.ts, dhcp.ts, dhcpv6.ts, http.ts, tls.ts).
export const L_DNS = 24;
/** Multicast DNS (UDP 5353): DNS messages, its own protocol name and column as in Wireshark. */
export const L_MDNS = 25;
/** Link-local Multicast Name Resolution (UDP 5355), likewise. */
export const L_LLMNR = 26;
export const L_NBNS = 27;
export const L_DHCP = 28;
export const L_DHCPV6 = 29;
export const L_HTTP = 30;
export const L_TLS = 31;

// Services named by their port where nothing decodes them (decoders/layers/services.ts).
export const L_FTP = 32;
export const L_SSH = 33;
export const L_TELNET = 34;
export const L_SMTP = 35;
export const L_KERBEROS = 36;
export const L_POP = 37;
export const L_NBSS = 38;
export const L_BGP = 40;
export const L_TDS = 41;
export const L_MQTT = 42;
export const L_MYSQL = 43;
export const L_PGSQL = 44;
export const L_VNC = 45;
export const L_X11 = 46;
export const L_RESP = 47;
export const L_IRC = 48;
export const L_MEMCACHE = 49;
export const L_TFTP = 50;
export const L_NTP = 51;
export const L_ISAKMP = 52;
export const L_SYSLOG = 53;
