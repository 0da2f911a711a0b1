#!/usr/bin/env bash
# One node with its cni0 bridge, the cluster DNS pod behind the kube-dns Service, three client
# pods in namespace "shop" with the resolv.conf a kubelet writes, a NodeLocal DNSCache address on
# the node, and a resolver "outside" the cluster. The three DNS servers themselves are the lab's
# daemons (unbound), started after this script.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../_lib/sandbox.sh
. "${LAB_LIB:-../_lib}/sandbox.sh"

# Everything the servers write, and the copies of the zones that breaks may edit.
mkdir -p /run/dns-lab
cp cluster.local.zone reverse.zone /run/dns-lab/

make_node node1
new_netns upstream
link_nodes node1 192.168.0.11/24 upstream 192.168.0.2/24
# 192.168.0.2 is the node network's router and resolver, "the outside". node1's default route
# points at it, as a node's does at its gateway: that is also the route a node's own packets to a
# ClusterIP take before kube-proxy's DNAT redirects them. The router sends pod traffic back through
# node1 (a real network routes the pod CIDR to the nodes, or the nodes masquerade it).
ip -n node1 route add default via 192.168.0.2
ip -n upstream route add 10.244.0.0/16 via 192.168.0.11
make_bridge node1 10.244.1.1/24 02:42:0a:f4:01:01

make_pod node1 coredns 10.244.1.53/24 10.244.1.1 02:42:0a:f4:01:35
make_pod node1 client 10.244.1.10/24 10.244.1.1 02:42:0a:f4:01:0a
make_pod node1 cached 10.244.1.11/24 10.244.1.1 02:42:0a:f4:01:0b
make_pod node1 batch 10.244.1.12/24 10.244.1.1 02:42:0a:f4:01:0c

# The files a kubelet (through the container runtime) puts into each pod. `ip netns exec` mounts
# /etc/netns/<pod>/<file> over /etc/<file>, so the pod's processes read these.
# resolv_conf POD NAMESERVER: dnsPolicy ClusterFirst in namespace shop, cluster domain
# cluster.local, the node's resolv.conf having no search line of its own.
resolv_conf() {
  printf 'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver %s\noptions ndots:5\n' "$2" \
    >"/etc/netns/$1/resolv.conf"
}
# hosts_file POD ADDR: the kubelet-managed /etc/hosts.
hosts_file() {
  printf '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n%s\t%s\n' "$2" "$1" \
    >"/etc/netns/$1/hosts"
}
for pod in node1 coredns client cached batch; do mkdir -p "/etc/netns/$pod"; done
# The node's own resolver configuration names the outside resolver.
printf 'nameserver 192.168.0.2\n' >/etc/netns/node1/resolv.conf
# The cluster DNS pod runs with dnsPolicy: Default: it gets the node's resolv.conf.
cp /etc/netns/node1/resolv.conf /etc/netns/coredns/resolv.conf
resolv_conf client 10.96.0.10
resolv_conf batch 10.96.0.10
# This pod's kubelet points pods at the node-local cache (--cluster-dns=169.254.20.10).
resolv_conf cached 169.254.20.10
hosts_file client 10.244.1.10
hosts_file cached 10.244.1.11
hosts_file batch 10.244.1.12
for pod in client cached batch; do
  # A container image's usual name service order: the hosts file, then DNS (no mDNS, no
  # systemd-resolved, whatever the machine running the lab uses).
  printf 'hosts: files dns\n' >"/etc/netns/$pod/nsswitch.conf"
  cp "/etc/netns/$pod/resolv.conf" "/run/dns-lab/$pod.resolv.conf"   # the original, for restores
done
# The batch pod's application reads the API host it calls from its environment (the exercise).
printf 'API_HOST=api.example.org\n' >/run/dns-lab/batch.env

# What kube-proxy programs for the two DNS Services on node1, cut down to the DNAT itself (one
# endpoint each, no masquerading; the Services chapter builds the real chains).
ip netns exec node1 nft -f - <<'NFT'
table ip kube-proxy {
  comment "kube-dns and kube-dns-upstream, as kube-proxy's nftables mode would DNAT them"
  chain nat-prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    jump services
  }
  chain nat-output {
    type nat hook output priority -100; policy accept;
    jump services
  }
  chain services {
    ip daddr 10.96.0.10 meta l4proto { tcp, udp } th dport 53 dnat to 10.244.1.53 comment "kube-system/kube-dns"
    ip daddr 10.96.0.11 meta l4proto { tcp, udp } th dport 53 dnat to 10.244.1.53 comment "kube-system/kube-dns-upstream"
  }
}
NFT

# Byte and packet counters on conntrack entries (shown in the conntrack steps). Set after the NAT
# rules, which are what brings connection tracking into the node's namespace.
ip netns exec node1 sysctl -qw net.netfilter.nf_conntrack_acct=1

# NodeLocal DNSCache's part of the node: an interface that only holds the link-local address, and
# the iptables rules node-cache installs so that queries to it skip connection tracking. node-cache
# creates a dummy interface; some kernels are built without the dummy driver, so an empty bridge
# plays that part here (no ports, no traffic of its own: its addresses are simply the node's).
ip -n node1 link add nodelocaldns type bridge
ip -n node1 addr add 169.254.20.10/32 dev nodelocaldns
ip -n node1 link set nodelocaldns up
ip netns exec node1 ./nodelocal-rules.sh add 169.254.20.10

# glibc asks for AAAA records too as soon as a pod has any non-loopback IPv6 address (its eth0's
# link-local one here). Wait for those addresses so every lookup sends the same queries.
for pod in client cached batch; do
  for _ in $(seq 100); do
    ip -n "$pod" -6 -o addr show dev eth0 scope link | grep -q . && break
    sleep 0.01
  done
done
