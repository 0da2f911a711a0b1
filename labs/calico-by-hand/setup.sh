#!/usr/bin/env bash
# Builds Calico's data plane by hand: three nodes on one segment, pods plugged in the way Calico's
# CNI plugin plugs them (a cali* veth with no address on the node, proxy ARP, a /32 route per pod;
# inside the pod a /32 address and the 169.254.1.1 gateway), one /26 block per node, and a BIRD
# configuration per node as confd would write it. The BIRD daemons themselves are the lab's
# `daemons:`; they start after this script.
# Two things are deliberately off: pod-d on node2 has an address borrowed from node1's block, and
# node1's configuration has no session to node3 (the exercise).
set -euo pipefail
# shellcheck source=../_lib/sandbox.sh
. "${LAB_LIB:-../_lib}/sandbox.sh"

node_ip() { echo "192.168.0.1$1"; }

# The segment the nodes share: a bridge in its own namespace, as a switch would be, whose address
# 192.168.0.1 plays the data centre's router: the nodes' default gateway, which knows nothing
# about pod addresses.
new_netns lan
ip -n lan link add br0 type bridge
ip -n lan addr add 192.168.0.1/24 dev br0
ip -n lan link set br0 up

for n in 1 2 3; do
  make_node "node$n"
  ip netns exec "node$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip link add eth0 netns "node$n" type veth peer name "port$n" netns lan
  ip -n lan link set "port$n" master br0 up
  ip -n "node$n" addr add "$(node_ip "$n")/24" dev eth0
  ip -n "node$n" link set eth0 up
  # A default route, as every node has: proxy ARP answers for 169.254.1.1 only because the node
  # has a route to it (this one).
  ip -n "node$n" route add default via 192.168.0.1
done

# calico_pod NODE POD ADDRESS: what Calico's CNI plugin does on ADD (cni-plugin/pkg/dataplane/linux).
calico_pod() {
  local node=$1 pod=$2 addr=$3
  # The host end is "cali" + 11 hex digits of sha1("<namespace>.<pod>"); namespace "default" here.
  local veth
  veth="cali$(printf 'default.%s' "$pod" | sha1sum | cut -c1-11)"
  new_netns "$pod"
  ip netns exec "$pod" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  ip -n "$node" link add "$veth" type veth peer name eth0 netns "$pod"
  # Host side: a fixed MAC, no IP address, proxy ARP answering at once, forwarding on.
  ip -n "$node" link set "$veth" address ee:ee:ee:ee:ee:ee
  ip netns exec "$node" sysctl -qw "net.ipv4.conf.$veth.proxy_arp=1" \
    "net.ipv4.neigh.$veth.proxy_delay=0" "net.ipv4.conf.$veth.forwarding=1" \
    "net.ipv4.conf.$veth.route_localnet=1"
  ip -n "$node" link set "$veth" up
  # Pod side: a /32, a link route to the gateway that no interface owns, and the default via it.
  ip -n "$pod" addr add "$addr/32" dev eth0
  ip -n "$pod" link set eth0 up
  ip -n "$pod" route add 169.254.1.1 dev eth0 scope link
  ip -n "$pod" route add default via 169.254.1.1 dev eth0
  # The node's route to the pod: the /32 on its veth (Felix keeps it there afterwards).
  ip -n "$node" route add "$addr/32" dev "$veth" scope link
}

calico_pod node1 pod-a 10.244.8.1
calico_pod node1 pod-b 10.244.8.2
calico_pod node2 pod-c 10.244.8.65
# Borrowed: node2 had no room in its own blocks and no free block left in the pool, so calico-ipam
# handed it an address from node1's block.
calico_pod node2 pod-d 10.244.8.10
calico_pod node3 pod-e 10.244.8.129

# BIRD's configuration per node, written where the daemons read it (the lab's private /run).
# node1 lacks its session to node3: that is the exercise.
mkdir -p /run/calico/node1 /run/calico/node2 /run/calico/node3
./bird-conf.sh 192.168.0.11 10.244.8.0/26 192.168.0.12 >/run/calico/node1/bird.conf
./bird-conf.sh 192.168.0.12 10.244.8.64/26 192.168.0.11 192.168.0.13 >/run/calico/node2/bird.conf
./bird-conf.sh 192.168.0.13 10.244.8.128/26 192.168.0.11 192.168.0.12 >/run/calico/node3/bird.conf
