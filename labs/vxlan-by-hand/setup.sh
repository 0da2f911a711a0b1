#!/usr/bin/env bash
# Builds what Flannel's VXLAN backend builds, by hand, in network namespaces: three nodes on one
# underlay segment (a bridge in the `underlay` namespace) that has no routes for pod addresses, a
# cni0 bridge with pods on each node, and a VXLAN device flannel.1 per node with one route, one
# neighbour entry and one FDB entry per peer node.
# node1 is deliberately left without the FDB entry for node3: adding it is the exercise.
set -euo pipefail
# shellcheck source=../_lib/sandbox.sh
. "${LAB_LIB:-../_lib}/sandbox.sh"

readonly vni=1 vxlan_port=8472 underlay_mtu=1500
readonly overlay_mtu=$((underlay_mtu - 50)) # 20 outer IPv4 + 8 UDP + 8 VXLAN + 14 inner Ethernet

node_ip() { echo "192.168.0.1$1"; }                # node N -> 192.168.0.1N
vtep_mac() { printf '0e:2a:00:00:00:%02x' "$1"; }   # flanneld picks a random MAC; fixed here
bridge_mac() { printf '02:42:0a:f4:%02x:01' "$1"; } # pinned, as make_bridge explains

# The physical network: one L2 segment (a switch) that the nodes' eth0 plug into.
new_netns underlay
ip -n underlay link add br0 type bridge
ip -n underlay link set br0 up

add_node() {
  local n=$1 node="node$1"
  make_node "$node"
  # IPv4-only lab: without IPv6, flannel.1 sends no link-local chatter to blur its counters.
  ip netns exec "$node" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip link add eth0 netns "$node" mtu "$underlay_mtu" type veth peer name "port$n" netns underlay
  ip -n underlay link set "port$n" master br0 up
  ip -n "$node" addr add "$(node_ip "$n")/24" dev eth0
  ip -n "$node" link set eth0 up

  # cni0 as the bridge CNI plugin makes it on the first pod ADD, with FLANNEL_MTU from subnet.env.
  make_bridge "$node" "10.244.$n.1/24" "$(bridge_mac "$n")"
  ip -n "$node" link set cni0 mtu "$overlay_mtu"

  # flannel.1: VNI 1, UDP 8472, no MAC learning (every entry is programmed), MTU 1450, and the
  # .0 address of the node's pod subnet as a /32.
  ip -n "$node" link add flannel.1 address "$(vtep_mac "$n")" mtu "$overlay_mtu" type vxlan \
    id "$vni" local "$(node_ip "$n")" dev eth0 dstport "$vxlan_port" nolearning
  ip -n "$node" addr add "10.244.$n.0/32" dev flannel.1
  ip -n "$node" link set flannel.1 up
}

# add_pod NODE_NUMBER POD ADDRESS: make_pod, plus the tunnel's MTU on both ends of the veth.
add_pod() {
  local n=$1 pod=$2 addr=$3 node="node$1"
  make_pod "$node" "$pod" "$addr/24" "10.244.$n.1"
  ip -n "$pod" link set eth0 mtu "$overlay_mtu"
  ip -n "$node" link set "veth-$pod" mtu "$overlay_mtu"
}

# What flanneld on node FROM does when it sees node TO's lease: a neighbour entry (TO's flannel.1
# address -> TO's VTEP MAC), an FDB entry (VTEP MAC -> TO's underlay IP) and a route to TO's pod
# subnet via TO's flannel.1 address, marked onlink.
program_peer() {
  local from=$1 to=$2 with_fdb=${3:-yes} node="node$1"
  ip -n "$node" neigh replace "10.244.$to.0" lladdr "$(vtep_mac "$to")" dev flannel.1 nud permanent
  if [[ $with_fdb == yes ]]; then
    ip netns exec "$node" bridge fdb replace "$(vtep_mac "$to")" dev flannel.1 dst "$(node_ip "$to")" self permanent
  fi
  ip -n "$node" route replace "10.244.$to.0/24" via "10.244.$to.0" dev flannel.1 onlink
}

for n in 1 2 3; do add_node "$n"; done

add_pod 1 pod-a 10.244.1.2
add_pod 1 pod-b 10.244.1.3
add_pod 2 pod-c 10.244.2.2
add_pod 2 pod-d 10.244.2.3
add_pod 3 pod-e 10.244.3.2

for from in 1 2 3; do
  for to in 1 2 3; do
    if [[ $from == "$to" ]]; then continue; fi
    if [[ $from == 1 && $to == 3 ]]; then
      program_peer "$from" "$to" no # the exercise: node1 never got node3's FDB entry
    else
      program_peer "$from" "$to"
    fi
  done
done
