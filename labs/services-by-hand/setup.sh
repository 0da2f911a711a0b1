#!/usr/bin/env bash
# Builds the lab: a LAN (192.168.0.0/24, with a router at .1 that knows nothing about Services)
# with two nodes and one client outside the cluster; on each node a cni0 bridge with pods plugged
# in the way the bridge CNI plugin plugs them; backends that answer with their own name; and five
# Services programmed the way kube-proxy programs them: node1 in iptables mode, node2 in nftables
# mode (see node1-iptables.sh and node2-nftables.sh).
# Two things are deliberately left wrong for the exercises: node1's rules for default/web lack the
# newest endpoint (web-c), and node1 holds a stale UDP conntrack entry for default/stats.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../_lib/sandbox.sh
. "${LAB_LIB:-../_lib}/sandbox.sh"

# A real node sends a packet to an unknown port of a ClusterIP along its default route; so do
# these nodes. The kernel would otherwise tell a node that an Internet address is unreachable.
no_redirects() {
  ip netns exec "$1" sysctl -qw net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0
}

# bridge_node NODE: what a node running a bridge CNI plugin needs from the kernel. br_netfilter
# hands bridged IPv4 frames to the netfilter hooks, so that a reply switched from one pod to
# another on cni0 still meets the conntrack entry that undoes the Service's DNAT.
bridge_node() {
  if ! ip netns exec "$1" sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null; then
    echo "setup: net.bridge.bridge-nf-call-iptables is missing: load br_netfilter (sudo modprobe br_netfilter)" >&2
    return 1
  fi
}

# A pod as the bridge CNI plugin makes it (make_pod), with the plugin's hairpinMode: the bridge
# may send a frame back out of the port it came in on, which a pod reaching itself through a
# Service needs once br_netfilter does the DNAT while the frame is being bridged.
bridge_pod() {
  local node=$1 pod=$2 addr=$3 gateway=$4 mac=$5
  make_pod "$node" "$pod" "$addr/24" "$gateway" "$mac"
  ip -n "$node" link set "veth-$pod" type bridge_slave hairpin on
}

# A backend: answers every TCP connection on :8080 with its name and the address it saw the client
# come from ($SOCAT_PEERADDR), and every UDP datagram on :8125 with its name. Stateless test
# servers, started in the background; `lab down` stops them with the sandbox.
serve_name() {
  local pod=$1
  # shellcheck disable=SC2016 # $SOCAT_PEERADDR is expanded by the shell socat starts
  ip netns exec "$pod" setsid -f socat TCP-LISTEN:8080,fork,reuseaddr \
    SYSTEM:"echo $pod sees client \$SOCAT_PEERADDR" >/dev/null 2>&1
  ip netns exec "$pod" setsid -f socat UDP-RECVFROM:8125,fork SYSTEM:"echo $pod" >/dev/null 2>&1
}

# The LAN: a switch, its router, two nodes and a machine outside the cluster.
make_switch lan
ip -n lan addr add 192.168.0.1/24 dev br0 # the router; it does not forward (no ip_forward)
make_node node1
make_node node2
new_netns outside
plug_into_switch lan node1 192.168.0.11/24 port-node1
plug_into_switch lan node2 192.168.0.12/24 port-node2
plug_into_switch lan outside 192.168.0.100/24 port-outside
for node in node1 node2; do
  no_redirects "$node"
  ip -n "$node" route add default via 192.168.0.1 dev eth0
done

make_bridge node1 10.244.1.1/24 02:42:0a:f4:01:01
make_bridge node2 10.244.2.1/24 02:42:0a:f4:02:01
bridge_node node1
bridge_node node2
route_pod_cidr node1 10.244.2.0/24 192.168.0.12
route_pod_cidr node2 10.244.1.0/24 192.168.0.11

bridge_pod node1 web-a 10.244.1.2 10.244.1.1 02:42:0a:f4:01:02
bridge_pod node1 web-b 10.244.1.3 10.244.1.1 02:42:0a:f4:01:03
bridge_pod node1 client1 10.244.1.4 10.244.1.1 02:42:0a:f4:01:04
bridge_pod node2 web-c 10.244.2.2 10.244.2.1 02:42:0a:f4:02:02
bridge_pod node2 client2 10.244.2.3 10.244.2.1 02:42:0a:f4:02:03

for pod in web-a web-b web-c; do serve_name "$pod"; done

ip netns exec node1 ./node1-iptables.sh
ip netns exec node2 ./node2-nftables.sh

# The stale UDP entry of the second exercise. default/stats had web-b as its endpoint; client1
# sent it one datagram from port 40000 (web-b answered). Then web-b failed its readiness probe,
# left the EndpointSlice, and node1's rules moved to web-a; kube-proxy would now delete the
# conntrack entries that still point at web-b, and node1 does not. The UDP timeout is raised so
# the entry waits for you instead of expiring after 30 s of silence (a client that keeps sending
# keeps it alive the same way).
ip netns exec node1 sysctl -qw net.netfilter.nf_conntrack_udp_timeout=3600 net.netfilter.nf_conntrack_udp_timeout_stream=3600
ip netns exec client1 socat -T1 -t 0.2 - UDP:10.96.0.40:8125,sourceport=40000 <<<'setup' >/dev/null
ip netns exec node1 ./node1-iptables.sh stats-moves-to-web-a
