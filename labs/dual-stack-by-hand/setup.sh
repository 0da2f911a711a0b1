#!/usr/bin/env bash
# A dual-stack cluster network by hand. The node network (192.168.0.0/24 and 2001:db8:0:1::/64) is
# a bridge in the `router` namespace, whose radvd (a daemon of this lab) advertises the IPv6
# prefix; `ext` is a server beyond the router, "the internet". node1 has a static IPv6 address,
# node2 builds one from the advertisement (SLAAC). Pods get one address per family from the
# reference CNI plugins (ptp + host-local, invoked as a container runtime does, with kindnet's
# dual-stack configuration). The Service default/web has a ClusterIP per family, programmed the way
# kube-proxy does it: on node1 in nftables mode (table ip kube-proxy, table ip6 kube-proxy), on node2
# in iptables mode (the same chains twice, with iptables and with ip6tables).
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

# Two VXLAN overlays between the nodes with the same inner addresses (10.99.N.0/24), one over each
# underlay family (the vxlan-mtu step compares them). Made without a lower device (`dev eth0`), a
# VXLAN device starts at MTU 1500 and the kernel takes any MTU it is given, as a CNI plugin sets it:
# 1500 - 50 over IPv4, 1500 - 70 over IPv6. node2's IPv6 address comes later (SLAAC), so its vx6
# names no `local`: the kernel picks the source address per packet.
vxlan_overlays() {
  ip -n node1 link add vx4 type vxlan id 4 local 192.168.0.11 remote 192.168.0.12 dstport 4789
  ip -n node2 link add vx4 type vxlan id 4 local 192.168.0.12 remote 192.168.0.11 dstport 4789
  ip -n node1 link add vx6 type vxlan id 6 local 2001:db8:0:1::11 remote 2001:db8:0:1:0:ff:fe00:12 dstport 4789
  ip -n node2 link add vx6 type vxlan id 6 remote 2001:db8:0:1::11 dstport 4789
  local node n
  for node in node1 node2; do
    n=${node#node}
    ip -n "$node" addr add "10.99.4.$n/24" dev vx4
    ip -n "$node" addr add "10.99.6.$n/24" dev vx6
    ip -n "$node" link set vx4 mtu 1450 up
    ip -n "$node" link set vx6 mtu 1430 up
  done
}
vxlan_overlays & overlays_done=$!

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
# Then the pod's /etc/hosts as the kubelet writes it (managedHostsFileContent in pkg/kubelet):
# `ip netns exec POD` mounts /etc/netns/POD/hosts over /etc/hosts, as a container sees its own.
mkdir -p /run/cni-results
cni_add() {
  local node=$1 pod=$2 addr
  new_netns "$pod"
  ip netns exec "$node" env CNI_COMMAND=ADD CNI_CONTAINERID="$pod" CNI_NETNS="/run/netns/$pod" \
    CNI_IFNAME=eth0 CNI_PATH="$cni_path" "$cni_path/ptp" <"ptp-$node.json" >"/run/cni-results/$pod.json"
  mkdir -p "/etc/netns/$pod"
  {
    printf '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'
    printf 'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n'
    sed -n 's/.*"address": *"\([^/"]*\)\/.*/\1/p' "/run/cni-results/$pod.json" | while read -r addr; do
      printf '%s\t%s\n' "$addr" "$pod"
    done
  } >"/etc/netns/$pod/hosts"
}
# The nodes side by side, each in order: its pods (host-local hands out each range's addresses in
# turn; each node's IPAM has a dataDir of its own, as on separate machines), its kube-proxy rules
# and, on node1, web-a's hostPort through the real portmap plugin (both families, see hostport.sh).
# node1's kube-proxy runs in nftables mode, node2's in iptables mode (kube-proxy-iptables-node2.sh).
{
  cni_add node1 web-a     # 10.244.1.2, fd00:10:244:1::2
  cni_add node1 client1   # 10.244.1.3, fd00:10:244:1::3
  ip netns exec node1 nft -f kube-proxy-ip.nft
  ip netns exec node1 nft -f kube-proxy-ip6.nft
  serve web-a web-a 8080
  # The same server bound to 0.0.0.0, as many are by default: an IPv4-only socket.
  ip netns exec web-a env SERVER_NAME_IS=web-a setsid -f busybox httpd -f -p 0.0.0.0:8081 -h "$LAB_DIR/www" >/dev/null 2>&1
  # A second container of client1 that listens on 127.0.0.1 only, as sidecars often do.
  ip netns exec client1 env SERVER_NAME_IS=sidecar setsid -f busybox httpd -f -p 127.0.0.1:9090 -h "$LAB_DIR/www" >/dev/null 2>&1
  ./hostport.sh ADD >/dev/null
} & node1_done=$!
{
  cni_add node2 web-b     # 10.244.2.2, fd00:10:244:2::2
  ip netns exec node2 ./kube-proxy-iptables-node2.sh
  serve web-b web-b 8080
} & node2_done=$!
wait "$node1_done"; wait "$node2_done"; wait "$overlays_done"

wait_for_links
