#!/usr/bin/env bash
# Builds the policy lab's cluster: two nodes, four pods in two namespaces (shop and tools) plus the
# cluster DNS pod, a host outside the cluster, and the DNS Service's DNAT on both nodes. No policy
# is loaded here: each step loads the policy set it is about (apply.sh).
#
# Pods are wired the way kindnet's ptp plugin wires them: each pod's veth ends on the node with its
# own /32 route, no bridge. Every packet between pods, same node or not, is routed by the node, so
# it crosses the node's forward hook, where the policy rules sit; and the node-side interface name
# (veth-<pod>) tells a node's rules which of its own pods a packet comes from or goes to.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../_lib/sandbox.sh
. "${LAB_LIB:-../_lib}/sandbox.sh"
# shellcheck source-path=SCRIPTDIR source=cluster.sh
. ./cluster.sh

# ptp_pod NODE POD ADDR
#   A pod whose eth0 is one end of a veth pair; the node's end (veth-POD) carries the pod subnet's
#   gateway address as a /32, and the node routes the pod's /32 to it. The pod sends everything,
#   even its own /24, through that gateway.
ptp_pod() {
  local node=$1 pod=$2 addr=$3
  local gateway=${addr%.*}.1
  new_netns "$pod"
  ip -n "$node" link add "veth-$pod" type veth peer name eth0 netns "$pod"
  ip -n "$node" addr add "$gateway/32" dev "veth-$pod"
  ip -n "$node" link set "veth-$pod" up
  ip -n "$node" route add "$addr/32" dev "veth-$pod" scope link
  ip -n "$pod" addr add "$addr/24" dev eth0
  ip -n "$pod" link set eth0 up
  ip -n "$pod" route add "$gateway" dev eth0 scope link
  ip -n "$pod" route replace "${addr%.*}.0/24" via "$gateway" dev eth0 src "$addr"
  ip -n "$pod" route add default via "$gateway" dev eth0
}

# serve NETNS
#   TCP 80 and 81, as in the upstream network policy e2e tests. The server echoes what it receives
#   (the established-connection step needs that) and runs no program per connection.
serve() {
  local ns=$1 port
  for port in 80 81; do
    ip netns exec "$ns" setsid -f socat "TCP-LISTEN:$port,fork,reuseaddr" PIPE >/dev/null 2>&1
  done
}

make_node node1
make_node node2
# A node limits how many ICMP errors it sends (per destination, and in total). The lab's rejects
# are ICMP errors, and one matrix fires dozens at once: lift the limits so none is swallowed.
for node in node1 node2; do
  ip netns exec "$node" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_msgs_per_sec=100000 net.ipv4.icmp_msgs_burst=100000
done
link_nodes node1 192.168.0.11/24 node2 192.168.0.12/24
route_pod_cidr node1 10.244.2.0/24 192.168.0.12
route_pod_cidr node2 10.244.1.0/24 192.168.0.11

# A probe that gets no answer gives up after about 3 s (1 SYN retry) instead of 2 minutes.
no_long_syn_retries() { ip netns exec "$1" sysctl -qw net.ipv4.tcp_syn_retries=1; }
no_long_syn_retries node1
no_long_syn_retries node2

while read -r netns _name node addr _labels; do
  ptp_pod "$node" "$netns" "$addr"
  no_long_syn_retries "$netns"
  if [[ $netns != kube-dns ]]; then serve "$netns"; fi
done <<<"$PODS"

# The outside host hangs off node2 (as if node2 were the way out of the cluster). It routes the
# pod range back through node2; nothing is masqueraded, so it sees pod addresses as they are.
new_netns outside
ip -n node2 link add eth1 type veth peer name eth0 netns outside
ip -n node2 addr add 203.0.113.1/24 dev eth1
ip -n node2 link set eth1 up
ip -n outside addr add "$OUTSIDE_ALLOWED/24" dev eth0
ip -n outside addr add "$OUTSIDE_EXCEPTED/24" dev eth0
ip -n outside link set eth0 up
ip -n outside route add default via 203.0.113.1
no_long_syn_retries outside
ip -n node1 route add 203.0.113.0/24 via 192.168.0.12
serve outside

# The DNS Service, the way kube-proxy's nftables mode would program it (shortened to one Service):
# pods query 10.96.0.10 and each node DNATs that to the DNS pod before routing, so the policy
# rules, which run after DNAT, see the pod address 10.244.2.10, never the ClusterIP.
for node in node1 node2; do
  ip netns exec "$node" nft -f - <<EOF
table ip kube-proxy {
  comment "imitates kube-proxy's nftables mode, for the one Service kube-system/kube-dns"
  chain services {
    ip daddr $DNS_SERVICE_IP meta l4proto . th dport { udp . 53, tcp . 53 } dnat to $DNS_POD_IP comment "kube-system/kube-dns:dns -> $DNS_POD_IP:53"
  }
  chain nat-prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    jump services
  }
  chain nat-output {
    type nat hook output priority -100; policy accept;
    jump services
  }
}
EOF
done
