#!/usr/bin/env bash
# An IPv6-only pod reaching an IPv4-only server through NAT64 and DNS64.
#   pod6 (fd00:10:244:1::2, IPv6 only) - node1 (IPv6-only node, 2001:db8:0:1::11)
#   - gw (the network's gateway, 2001:db8:0:1::1 | 203.0.113.1): tayga (NAT64) and unbound
#     (DNS64), both daemons of this lab
#   - outside (IPv4 only): legacy.example's web server 203.0.113.10 and a DNS server 203.0.113.53
#     (dnsmasq, a daemon)
# The gateway does not masquerade tayga's IPv4 pool yet: that is the exercise.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../_lib/sandbox.sh
. "${LAB_LIB:-../_lib}/sandbox.sh"

make_node node1
make_node gw
new_netns outside

# The IPv6-only node network between node1 and the gateway.
ip -n node1 link add eth0 type veth peer name eth0 netns gw
ip -n node1 addr add 2001:db8:0:1::11/64 dev eth0
ip -n gw addr add 2001:db8:0:1::1/64 dev eth0
ip -n node1 link set eth0 up
ip -n gw link set eth0 up
ip -n node1 -6 route add default via 2001:db8:0:1::1
# The network routes the node's pod CIDR to the node (as cloud routes or BGP would).
ip -n gw -6 route add fd00:10:244:1::/64 via 2001:db8:0:1::11

# The IPv4-only outside world.
ip -n gw link add eth1 type veth peer name eth0 netns outside
ip -n gw addr add 203.0.113.1/24 dev eth1
ip -n outside addr add 203.0.113.10/24 dev eth0
ip -n outside addr add 203.0.113.53/24 dev eth0
ip -n gw link set eth1 up
ip -n outside link set eth0 up
ip netns exec outside sysctl -qw net.ipv6.conf.all.disable_ipv6=1

# The pod: the reference ptp + host-local plugins with kindnet's IPv6-only configuration.
cni_path=
for dir in /usr/lib/cni /usr/libexec/cni /opt/cni/bin; do
  if [[ -x $dir/ptp && -x $dir/host-local ]]; then cni_path=$dir; break; fi
done
if [[ -z $cni_path ]]; then
  echo "needs the reference CNI plugins (ptp, host-local): apt-get install containernetworking-plugins, dnf install containernetworking-plugins" >&2
  exit 1
fi
new_netns pod6
mkdir -p /run/cni-results
ip netns exec node1 env CNI_COMMAND=ADD CNI_CONTAINERID=pod6 CNI_NETNS=/run/netns/pod6 CNI_IFNAME=eth0 \
  CNI_PATH="$cni_path" "$cni_path/ptp" <ptp-node1.json >/run/cni-results/pod6.json
# The pod's resolver is the DNS64 one (`ip netns exec` shows this file as /etc/resolv.conf).
mkdir -p /etc/netns/pod6
echo 'nameserver 2001:db8:0:1::1' >/etc/netns/pod6/resolv.conf

# NAT64 on the gateway: tayga's tun device, and routes that send the NAT64 prefix and tayga's IPv4
# pool into it. tayga itself runs as a daemon.
mkdir -p /run/tayga
if [[ ! -c /dev/net/tun ]]; then
  echo "tayga needs /dev/net/tun: load the tun module (sudo modprobe tun)" >&2
  exit 1
fi
ip netns exec gw tayga --config tayga.conf --mktun >/dev/null
ip -n gw link set nat64 up
ip -n gw -6 route add 2001:db8:64::/96 dev nat64
ip -n gw route add 192.168.255.0/24 dev nat64

# The IPv4-only web server behind legacy.example.
ip netns exec outside env SERVER_NAME_IS=legacy setsid -f busybox httpd -f -p 203.0.113.10:80 -h "$LAB_DIR/www" >/dev/null 2>&1

wait_for_links
# The first step's first packets go from the pod through node1 to the gateway's resolver.
wait_reachable pod6 2001:db8:0:1::1
