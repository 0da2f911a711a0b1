/**
 * The lab's network as the kernel sees it: its namespaces, their interfaces (kind, bridge master,
 * addresses) and which interface is the other end of each veth pair. The walk follows a packet
 * from an interface to its peer; the packet-walk diagram draws the same graph.
 */

export interface Interface {
  name: string;
  /** veth, bridge, vxlan, tun, …; undefined for loopback and plain devices. */
  kind?: string;
  /** The bridge this interface is a port of. */
  master?: string;
  /** The other end of a veth pair: namespace and interface. */
  peer?: { ns: string; name: string };
  /** A VXLAN device: its VNI, the underlay address it sends from and its UDP port. */
  vxlan?: { id: number; local?: string; port: number };
  addresses: string[];
}

export interface Topology {
  namespaces: { name: string; interfaces: Interface[] }[];
}

interface RawLink {
  ifindex: number;
  ifname: string;
  link_index?: number;
  link_netnsid?: number;
  master?: string;
  linkinfo?: { info_kind?: string; info_data?: { id?: number; local?: string; port?: number } };
  addr_info?: { local: string; prefixlen: number; scope?: string }[];
}

/** The shell that prints what `parseTopology` reads, for every namespace named in `$nss`. */
export const TOPOLOGY_SCRIPT = `for ns in "\${nss[@]}"; do echo "@@topology $ns $(ip -n "$ns" -j -d addr show | tr -d '\\n') $(ip -n "$ns" -j netns list-id | tr -d '\\n')"; done`;

/** Reads the `@@topology <ns> <ip -j -d addr> <ip -j netns list-id>` lines. */
export function parseTopology(lines: string[]): Topology {
  const raw = new Map<string, { links: RawLink[]; ids: Map<number, string> }>();
  for (const line of lines) {
    const m = /^@@topology (\S+) (\[.*?\]) (\[.*\])\s*$/.exec(line);
    if (!m) continue;
    try {
      const links = JSON.parse(m[2]!) as RawLink[];
      const ids = new Map((JSON.parse(m[3]!) as { nsid: number; name?: string }[]).filter((e) => e.name).map((e) => [e.nsid, e.name!] as [number, string]));
      raw.set(m[1]!, { links, ids });
    } catch {
      raw.set(m[1]!, { links: [], ids: new Map() });
    }
  }
  const namespaces = [...raw].map(([name, { links, ids }]) => ({
    name,
    interfaces: links
      .filter((l) => l.ifname !== 'lo')
      .map((l): Interface => {
        const iface: Interface = { name: l.ifname.split('@')[0]!, addresses: (l.addr_info ?? []).filter((a) => a.scope !== 'link').map((a) => `${a.local}/${a.prefixlen}`) };
        if (l.linkinfo?.info_kind) iface.kind = l.linkinfo.info_kind;
        if (l.master) iface.master = l.master;
        const data = l.linkinfo?.info_data;
        if (l.linkinfo?.info_kind === 'vxlan' && data?.id !== undefined) iface.vxlan = { id: data.id, local: data.local, port: data.port ?? 8472 };
        const peerNs = l.link_netnsid !== undefined ? ids.get(l.link_netnsid) : undefined;
        const peerLink = peerNs !== undefined ? raw.get(peerNs)?.links.find((p) => p.ifindex === l.link_index) : undefined;
        if (peerNs && peerLink) iface.peer = { ns: peerNs, name: peerLink.ifname.split('@')[0]! };
        return iface;
      }),
  }));
  return { namespaces };
}

/** Where a packet leaving `ns` by `ifname` arrives: the veth peer, if any. */
export function peerOf(topology: Topology, ns: string, ifname: string): { ns: string; name: string } | undefined {
  return topology.namespaces.find((n) => n.name === ns)?.interfaces.find((i) => i.name === ifname)?.peer;
}

export function isTunnel(topology: Topology, ns: string, ifname: string): boolean {
  const kind = topology.namespaces.find((n) => n.name === ns)?.interfaces.find((i) => i.name === ifname)?.kind;
  return kind === 'vxlan' || kind === 'geneve' || kind === 'tun' || kind === 'ipip' || kind === 'gre';
}

export function interfaceOf(topology: Topology, ns: string, ifname: string): Interface | undefined {
  return topology.namespaces.find((n) => n.name === ns)?.interfaces.find((i) => i.name === ifname);
}
