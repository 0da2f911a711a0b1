#!/usr/bin/env bash
# A dual-stack cluster network by hand. The node network (192.168.0.0/24 and 2001:db8:0:1::/64) is
# a bridge in the `router` namespace, whose radvd (a daemon of this lab) advertises the IPv6
# prefix; `ext` is a server beyond the router, "the internet". node1 has a static IPv6 address,
# node2 builds one from the advertisement (SLAAC). Pods get one address per family from the
# reference CNI plugins (ptp + host-local, invoked as a container runtime does, with kindnet's
# dual-stack configuration). The Service default/web has a ClusterIP per family, programmed on both
# nodes the way kube-proxy's nftables mode does (table ip kube-proxy, table ip6 kube-proxy).
# Egress NAT is ip-masq-agent's default: IPv4 only.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../_lib/sandbox.sh
. "${LAB_LIB:-../_lib}/sandbox.sh"

# serve NETNS NAME PORT: busybox httpd on [::]:PORT, one dual-stack socket for both families;
# its CGI answers "NAME sees <client address>".
serve() {
  ip netns exec "$1" env SERVER_NAME_IS="$2" setsid -f busybox httpd -f -p "[::]:$3" -h "$LAB_DIR/www" >/dev/null 2>&1
}

# The router: a bridge `lan` for the node network, a link `wan` to the outside server.
make_node router
ip -n router link add lan type bridge
# Pinned MAC, so the router's link-local address is always fe80::ff:fe00:1 (EUI-64 of the MAC).
ip -n router link set lan address 02:00:00:00:00:01
# No multicast snooping: neighbour solicitations go to multicast groups, let the bridge flood them.
ip -n router link set lan type bridge mcast_snooping 0
ip -n router addr add 192.168.0.1/24 dev lan
ip -n router addr add 2001:db8:0:1::1/64 dev lan
ip -n router link set lan up

new_netns ext
ip -n router link add wan type veth peer name eth0 netns ext
ip -n router addr add 203.0.113.1/24 dev wan
ip -n router addr add 2001:db8:ff::1/64 dev wan
ip -n ext addr add 203.0.113.10/24 dev eth0
ip -n ext addr add 2001:db8:ff::10/64 dev eth0
# The link to the outside has an MTU of 1280, IPv6's minimum (as a tunnel on the path would).
ip -n router link set wan mtu 1280
ip -n ext link set eth0 mtu 1280
ip -n router link set wan up
ip -n ext link set eth0 up
ip -n ext route add default via 203.0.113.1
ip -n ext -6 route add default via 2001:db8:ff::1
serve ext ext 80

# node_on_lan NODE MAC ADDR4: the node's eth0 on the router's bridge, IPv4 static, IPv6 from the
# router's advertisements. accept_ra=2: a node forwards packets (it routes for its pods), and with
# forwarding on the kernel ignores advertisements unless accept_ra is 2.
node_on_lan() {
  local node=$1 mac=$2 addr4=$3
  make_node "$node"
  ip -n router link add "p-$node" type veth peer name eth0 netns "$node"
  ip -n router link set "p-$node" master lan up
  ip -n "$node" link set eth0 address "$mac"
  ip netns exec "$node" sysctl -qw net.ipv6.conf.eth0.accept_ra=2
  ip -n "$node" addr add "$addr4" dev eth0
  ip -n "$node" link set eth0 up
  ip -n "$node" route add default via 192.168.0.1
  ip netns exec "$node" iptables-restore <ip-masq-agent.rules
}
# The two nodes are independent: build them at the same time (setup time is the lab's budget).
node_on_lan node1 02:00:00:00:00:11 192.168.0.11/24 & node1_up=$!
node_on_lan node2 02:00:00:00:00:12 192.168.0.12/24 & node2_up=$!
wait "$node1_up"; wait "$node2_up"   # each `wait PID` returns that job's status, so set -e sees a failure
# node1's IPv6 address is static (autoconf off); node2 keeps autoconf on and will SLAAC.
ip netns exec node1 sysctl -qw net.ipv6.conf.eth0.autoconf=0
ip -n node1 addr add 2001:db8:0:1::11/64 dev eth0

# Each node routes the other's pod CIDRs, per family. The IPv6 next hop is the peer's link-local
# address (EUI-64 of its MAC), always on-link, so it needs `dev eth0`.
ip -n node1 route add 10.244.2.0/24 via 192.168.0.12
ip -n node1 -6 route add fd00:10:244:2::/64 via fe80::ff:fe00:12 dev eth0
ip -n node2 route add 10.244.1.0/24 via 192.168.0.11
ip -n node2 -6 route add fd00:10:244:1::/64 via fe80::ff:fe00:11 dev eth0

# The reference CNI plugins: /usr/lib/cni on Debian and Ubuntu, /usr/libexec/cni on Fedora,
# /opt/cni/bin where a cluster installs them.
cni_path=
for dir in /usr/lib/cni /usr/libexec/cni /opt/cni/bin; do
  if [[ -x $dir/ptp && -x $dir/host-local ]]; then cni_path=$dir; break; fi
done
if [[ -z $cni_path ]]; then
  echo "needs the reference CNI plugins (ptp, host-local): apt-get install containernetworking-plugins, dnf install containernetworking-plugins" >&2
  exit 1
fi

# cni_add NODE POD: what a container runtime does for a new pod: an empty netns, then the plugin
# chain's ADD with the node's network config on stdin. The result (JSON) is kept for the lab.
mkdir -p /run/cni-results
cni_add() {
  local node=$1 pod=$2
  new_netns "$pod"
  ip netns exec "$node" env CNI_COMMAND=ADD CNI_CONTAINERID="$pod" CNI_NETNS="/run/netns/$pod" \
    CNI_IFNAME=eth0 CNI_PATH="$cni_path" "$cni_path/ptp" <"ptp-$node.json" >"/run/cni-results/$pod.json"
}
# The nodes side by side, each in order: its pods (host-local hands out each range's addresses in
# turn; each node's IPAM has a dataDir of its own, as on separate machines), its kube-proxy tables
# and, on node1, web-a's hostPort through the real portmap plugin (both families, see hostport.sh).
node_pods_and_rules() {
  local node=$1 pod
  shift
  for pod in "$@"; do cni_add "$node" "$pod"; done
  ip netns exec "$node" nft -f kube-proxy-ip.nft
  ip netns exec "$node" nft -f kube-proxy-ip6.nft
}
{
  node_pods_and_rules node1 web-a client1   # 10.244.1.2 and .3, fd00:10:244:1::2 and ::3
  serve web-a web-a 8080
  # The same server bound to 0.0.0.0, as many are by default: an IPv4-only socket.
  ip netns exec web-a env SERVER_NAME_IS=web-a setsid -f busybox httpd -f -p 0.0.0.0:8081 -h "$LAB_DIR/www" >/dev/null 2>&1
  ./hostport.sh ADD >/dev/null
} & node1_done=$!
{
  node_pods_and_rules node2 web-b   # 10.244.2.2, fd00:10:244:2::2
  serve web-b web-b 8080
} & node2_done=$!
wait "$node1_done"; wait "$node2_done"

wait_for_links
