#!/usr/bin/env bash
# Builds a Service by hand: two nodes, three backend pods that answer with their own name, one
# client pod per node, and the Service default/web (ClusterIP 10.96.0.10:80, NodePort 30080,
# endpoints on port 8080) programmed on each node the way kube-proxy would: node1 in iptables mode
# (nat table chains), node2 in nftables mode (table ip kube-proxy).
# node1's rules are one endpoint behind (web-c, the newest pod, is missing): adding it is the
# exercise.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../_lib/sandbox.sh
. "${LAB_LIB:-../_lib}/sandbox.sh"

readonly cluster_cidr=10.244.0.0/16

# kube-proxy sends even same-node pod traffic through the node (see routed_pod), so the node must
# not tell a pod to talk to its neighbour directly: that would bypass the node's NAT.
no_redirects() {
  ip netns exec "$1" sysctl -qw net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0 \
    net.ipv4.conf.all.accept_redirects=0 net.ipv4.conf.default.accept_redirects=0
}

# routed_pod NODE POD ADDR GATEWAY MAC
#   make_pod, then the routes kindnet's ptp setup gives a pod: even the pod's own /24 goes via the
#   node. Every packet, same node or not, then crosses the node's IP layer, where the Service's
#   DNAT and its reverse happen. (With plain bridging, a reply from a backend on the same bridge
#   would skip the node's netfilter hooks unless br_netfilter is loaded.)
routed_pod() {
  local node=$1 pod=$2 addr=$3 gateway=$4 mac=$5
  make_pod "$node" "$pod" "$addr/24" "$gateway" "$mac"
  no_redirects "$pod"
  # What the bridge plugin's hairpinMode does: the bridge may send a frame back out of the port it
  # came in on. Needed when br_netfilter is loaded (bridged frames then go through the nat hooks,
  # and a pod's connection to itself through a Service is DNATed straight back to its own port).
  ip -n "$node" link set "veth-$pod" type bridge_slave hairpin on
  ip -n "$pod" route add "$gateway" dev eth0 scope link
  ip -n "$pod" route replace "${addr%.*}.0/24" via "$gateway" dev eth0 src "$addr"
}

# A backend: answers every TCP connection on :8080 with its name and the address it saw the client
# come from ($SOCAT_PEERADDR), so a reply shows both which endpoint was picked and any SNAT.
serve_name() {
  local pod=$1
  # shellcheck disable=SC2016 # $SOCAT_PEERADDR is expanded by the shell socat starts
  ip netns exec "$pod" setsid -f socat TCP-LISTEN:8080,fork,reuseaddr \
    SYSTEM:"echo $pod sees client \$SOCAT_PEERADDR" >/dev/null 2>&1
}

make_node node1
make_node node2
no_redirects node1
no_redirects node2
link_nodes node1 192.168.0.11/24 node2 192.168.0.12/24
make_bridge node1 10.244.1.1/24 02:42:0a:f4:01:01
make_bridge node2 10.244.2.1/24 02:42:0a:f4:02:01
route_pod_cidr node1 10.244.2.0/24 192.168.0.12
route_pod_cidr node2 10.244.1.0/24 192.168.0.11

routed_pod node1 web-a 10.244.1.2 10.244.1.1 02:42:0a:f4:01:02
routed_pod node1 web-b 10.244.1.3 10.244.1.1 02:42:0a:f4:01:03
routed_pod node1 client1 10.244.1.4 10.244.1.1 02:42:0a:f4:01:04
routed_pod node2 web-c 10.244.2.2 10.244.2.1 02:42:0a:f4:02:02
routed_pod node2 client2 10.244.2.3 10.244.2.1 02:42:0a:f4:02:03

for pod in web-a web-b web-c; do serve_name "$pod"; done

# node1: kube-proxy's iptables mode. Chain names are kube-proxy's own: KUBE-SVC-/KUBE-EXT- plus
# the first 16 base32 characters of sha256("default/web:http" + "tcp"), KUBE-SEP- the same of
# sha256("default/web:httptcp" + "IP:port") (the `kube-names` step shows the computation).
ip netns exec node1 iptables-restore <<EOF
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXT-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-SEP-UIQK3OSOSTRHRPBX - [0:0]
:KUBE-SEP-2AZ33KU3V5PGPQZH - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web:http" -m tcp --dport 30080 -j KUBE-EXT-CDGGSHYLG3RE2FKL
-A KUBE-EXT-CDGGSHYLG3RE2FKL -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-CDGGSHYLG3RE2FKL -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL ! -s $cluster_cidr -d 10.96.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.2:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-UIQK3OSOSTRHRPBX
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.3:8080" -j KUBE-SEP-2AZ33KU3V5PGPQZH
-A KUBE-SEP-UIQK3OSOSTRHRPBX -s 10.244.1.2/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-UIQK3OSOSTRHRPBX -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.1.2:8080
-A KUBE-SEP-2AZ33KU3V5PGPQZH -s 10.244.1.3/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-2AZ33KU3V5PGPQZH -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.1.3:8080
COMMIT
EOF

# node2: kube-proxy's nftables mode. One lookup in a verdict map finds the Service; `numgen random
# mod 3` picks the endpoint. Chain names: an 8-character base32 sha256 prefix of the rest.
ip netns exec node2 nft -f - <<EOF
table ip kube-proxy {
  comment "rules for kube-proxy"
  set nodeport-ips {
    type ipv4_addr
    comment "IPs that accept NodePort traffic"
    elements = { 192.168.0.12 }
  }
  map service-ips {
    type ipv4_addr . inet_proto . inet_service : verdict
    comment "ClusterIP, ExternalIP and LoadBalancer IP traffic"
  }
  map service-nodeports {
    type inet_proto . inet_service : verdict
    comment "NodePort traffic"
  }
  chain nat-prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    jump services
  }
  chain nat-output {
    type nat hook output priority -100; policy accept;
    jump services
  }
  chain nat-postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    jump masquerading
  }
  chain mark-for-masquerade {
    meta mark set meta mark | 0x4000
  }
  chain masquerading {
    meta mark & 0x4000 == 0 return
    meta mark set meta mark ^ 0x4000
    masquerade fully-random
  }
  chain services {
    ip daddr . meta l4proto . th dport vmap @service-ips
    ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports
  }
  chain endpoint-SVLGPL42-default/web/tcp/http__10.244.1.2/8080 {
    ip saddr 10.244.1.2 jump mark-for-masquerade
    meta l4proto tcp dnat to 10.244.1.2:8080
  }
  chain endpoint-QYTGA46O-default/web/tcp/http__10.244.1.3/8080 {
    ip saddr 10.244.1.3 jump mark-for-masquerade
    meta l4proto tcp dnat to 10.244.1.3:8080
  }
  chain endpoint-AAOQDDFY-default/web/tcp/http__10.244.2.2/8080 {
    ip saddr 10.244.2.2 jump mark-for-masquerade
    meta l4proto tcp dnat to 10.244.2.2:8080
  }
  chain service-SUSTUHLJ-default/web/tcp/http {
    ip daddr 10.96.0.10 tcp dport 80 ip saddr != $cluster_cidr jump mark-for-masquerade
    numgen random mod 3 vmap { 0 : goto endpoint-SVLGPL42-default/web/tcp/http__10.244.1.2/8080, 1 : goto endpoint-QYTGA46O-default/web/tcp/http__10.244.1.3/8080, 2 : goto endpoint-AAOQDDFY-default/web/tcp/http__10.244.2.2/8080 }
  }
  chain external-SUSTUHLJ-default/web/tcp/http {
    jump mark-for-masquerade
    goto service-SUSTUHLJ-default/web/tcp/http
  }
}
add element ip kube-proxy service-ips { 10.96.0.10 . tcp . 80 : goto service-SUSTUHLJ-default/web/tcp/http }
add element ip kube-proxy service-nodeports { tcp . 30080 : goto external-SUSTUHLJ-default/web/tcp/http }
EOF
