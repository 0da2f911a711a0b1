import type { Topology } from '../../lab/trace/topology.ts';

/** A box on the walk's map: a node, switch or outside host, with the pods plugged into it. */
export interface MapHost {
  name: string;
  addresses: string[];
  pods: { name: string; addresses: string[] }[];
}

/**
 * The lab's namespaces as the map draws them. A pod is a namespace with a single link whose
 * other end is a veth or bridge port of a namespace with addresses (a node); it is drawn inside
 * that node. Everything else (nodes, switches, routers, outside hosts) is a column of its own,
 * in the order the walk first reaches it.
 */
export function mapOf(topology: Topology, order: string[]): MapHost[] {
  const byName = new Map(topology.namespaces.map((ns) => [ns.name, ns]));
  const linked = (name: string) => byName.get(name)?.interfaces.filter((i) => i.peer) ?? [];
  const hasAddresses = (name: string) => (byName.get(name)?.interfaces ?? []).some((i) => i.addresses.length > 0);
  const hostOf = new Map<string, string>();
  for (const ns of topology.namespaces) {
    const links = linked(ns.name);
    if (links.length !== 1) continue;
    const peer = links[0]!.peer!;
    const peerIface = byName.get(peer.ns)?.interfaces.find((i) => i.name === peer.name);
    const plugged = Boolean(peerIface?.master) || /^(veth|cali)/.test(peer.name);
    if (plugged && hasAddresses(peer.ns) && linked(peer.ns).length > 1) hostOf.set(ns.name, peer.ns);
  }
  const rank = (name: string) => {
    const i = order.indexOf(name);
    return i < 0 ? order.length : i;
  };
  const addresses = (name: string) => (byName.get(name)?.interfaces ?? []).flatMap((i) => i.addresses);
  const hosts = topology.namespaces
    .filter((ns) => !hostOf.has(ns.name))
    .map((ns) => ({
      name: ns.name,
      addresses: addresses(ns.name),
      pods: topology.namespaces.filter((p) => hostOf.get(p.name) === ns.name).map((p) => ({ name: p.name, addresses: addresses(p.name) })),
    }));
  const firstSeen = (h: MapHost) => Math.min(rank(h.name), ...h.pods.map((p) => rank(p.name)));
  return hosts.sort((a, b) => firstSeen(a) - firstSeen(b) || a.name.localeCompare(b.name));
}
