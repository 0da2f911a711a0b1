# shellcheck shell=bash
# Building blocks for sandbox labs: "nodes" and "pods" made of network namespaces.
#
# Source it from a lab script:   . "$LAB_LIB/sandbox.sh"
# Every function runs inside the lab's outer namespace (target `host`), which the engine created
# with a private /run and /etc/netns: `ip netns add` here never touches the machine's own network.
#
# The names mirror Kubernetes on purpose: a node's pods hang off a Linux bridge called cni0 (the
# name the bridge CNI plugin uses), each pod's eth0 is one end of a veth pair whose other end is
# plugged into that bridge, and the pod's default route points at the bridge's address.

# Interface names are limited to 15 characters by the kernel.
readonly SANDBOX_IFNAMSIZ=15

# new_netns NAME
#   A fresh network namespace with loopback up and IPv6 duplicate address detection off (without
#   that, the first IPv6 packet waits about 2 s for the address to become usable).
new_netns() {
  local name=$1
  ip netns add "$name"
  ip -n "$name" link set lo up
  ip netns exec "$name" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
}

# make_node NAME
#   A "node": a namespace that forwards packets between its pods and the other nodes, the way a
#   Kubernetes node's kernel does (IP forwarding on).
make_node() {
  local node=$1
  new_netns "$node"
  ip netns exec "$node" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}

# link_nodes NODE_A ADDR_A NODE_B ADDR_B
#   The "network between the nodes": one cable (a veth pair) with an eth0 at each end.
#   ADDR_* are addresses with their prefix, e.g. 192.168.0.11/24.
link_nodes() {
  local node_a=$1 addr_a=$2 node_b=$3 addr_b=$4
  ip -n "$node_a" link add eth0 type veth peer name eth0 netns "$node_b"
  ip -n "$node_a" addr add "$addr_a" dev eth0
  ip -n "$node_b" addr add "$addr_b" dev eth0
  ip -n "$node_a" link set eth0 up
  ip -n "$node_b" link set eth0 up
}

# make_bridge NODE GATEWAY MAC
#   The node's cni0 bridge with the pod subnet's gateway address (e.g. 10.244.1.1/24).
#   The MAC is pinned: a bridge otherwise takes the lowest MAC of its ports, so its address would
#   change as pods come and go, and every pod's neighbour entry for the gateway would go stale.
make_bridge() {
  local node=$1 gateway=$2 mac=$3
  ip -n "$node" link add cni0 type bridge
  ip -n "$node" link set cni0 address "$mac"
  ip -n "$node" addr add "$gateway" dev cni0
  ip -n "$node" link set cni0 up
}

# make_pod NODE POD ADDR GATEWAY [MAC]
#   A "pod": its own namespace whose eth0 is a veth pair's end; the other end, named veth-POD on
#   the node, is plugged into cni0. ADDR has its prefix (10.244.1.2/24); GATEWAY is cni0's
#   address without prefix (10.244.1.1). This is what the bridge CNI plugin does for each pod.
make_pod() {
  local node=$1 pod=$2 addr=$3 gateway=$4 mac=${5:-}
  local host_end="veth-$pod"
  if (( ${#host_end} > SANDBOX_IFNAMSIZ )); then
    echo "make_pod: interface name $host_end is longer than $SANDBOX_IFNAMSIZ characters" >&2
    return 1
  fi
  new_netns "$pod"
  ip -n "$node" link add "$host_end" type veth peer name eth0 netns "$pod"
  if [[ -n $mac ]]; then ip -n "$pod" link set eth0 address "$mac"; fi
  ip -n "$node" link set "$host_end" master cni0
  ip -n "$node" link set "$host_end" up
  ip -n "$pod" addr add "$addr" dev eth0
  ip -n "$pod" link set eth0 up
  ip -n "$pod" route add default via "$gateway" dev eth0
}

# route_pod_cidr NODE CIDR VIA
#   A host-gw route: "the pods in CIDR live behind the node at VIA". One per peer node; this is
#   what Flannel's host-gw backend (or Calico without encapsulation) programs on every node.
route_pod_cidr() {
  local node=$1 cidr=$2 via=$3
  ip -n "$node" route add "$cidr" via "$via" dev eth0
}

# make_switch NAME
#   A "physical" layer-2 segment: a namespace NAME holding one bridge, br0, that hosts plug into
#   with plug_into_switch. It forwards frames only; it has no address and routes nothing.
make_switch() {
  local name=$1
  new_netns "$name"
  ip -n "$name" link add br0 type bridge
  ip -n "$name" link set br0 up
}

# plug_into_switch SWITCH HOST ADDR PORT
#   A cable from HOST's eth0 (address ADDR with its prefix, e.g. 192.168.0.11/24) to the port
#   named PORT on SWITCH's br0.
plug_into_switch() {
  local switch=$1 host=$2 addr=$3 port=$4
  ip -n "$host" link add eth0 type veth peer name "$port" netns "$switch"
  ip -n "$switch" link set "$port" master br0 up
  ip -n "$host" addr add "$addr" dev eth0
  ip -n "$host" link set eth0 up
}

# wait_for_links
#   Waits until every veth in every namespace is operationally up. A veth pair whose two ends have
#   the same interface index in their namespaces (eth0 on both sides, say) has its carrier change
#   deferred by the kernel's link watcher for up to a second, and until then IPv6 holds its
#   addresses back. Call it at the end of a setup, so the first packets of the first step are not
#   lost. Asking for one device by name (`ip link show dev X`, a single RTM_GETLINK) makes kernels
#   that synchronise the link watcher on that request (6.18 here does) apply the pending change at
#   once: setups that waited about a second take a few milliseconds. Elsewhere it only waits.
wait_for_links() {
  local ns dev down
  for ns in $(ip netns list | cut -d' ' -f1); do
    for _ in $(seq 150); do
      down=$(ip -n "$ns" -o link show up type veth | grep -v 'state UP' | sed -E 's/^[0-9]+: ([^@:]+).*/\1/') || true
      [[ -n $down ]] || break
      for dev in $down; do ip -n "$ns" link show dev "$dev" >/dev/null 2>&1 || true; done
      sleep 0.02
    done
  done
}

# wait_reachable NETNS ADDRESS
#   Waits (at most about 3 s) until NETNS gets an answer from ADDRESS, and fails if it never does.
#   Even once a link is up, the first IPv6 neighbour solicitation across it can go unanswered (seen
#   here: the far end's IPv6 was not yet listening on the solicited-node group), and the kernel
#   asks again only a second later. A lab's first step, often run the moment setup ends, should
#   not pay that second inside a short timeout.
wait_reachable() {
  local ns=$1 addr=$2
  for _ in 1 2 3; do
    ip netns exec "$ns" ping -c1 -W1 "$addr" >/dev/null 2>&1 && return 0
  done
  echo "setup: $ns gets no answer from $addr" >&2
  return 1
}
