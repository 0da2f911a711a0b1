#!/usr/bin/env bash
# node2's Services, written the way kube-proxy's nftables mode writes them (pkg/proxy/nftables):
# one table, `ip kube-proxy`, with the same base chains, sets, maps, chain names and rules, loaded
# in one transaction as kube-proxy loads it. Run inside node2. The Services are those listed in
# node1-iptables.sh; node2 is up to date (default/web has all three endpoints).
# What a real node has beyond this: the kubernetes and kube-dns Services, the `ip6 kube-proxy`
# table on dual-stack nodes, health check servers, and the sync loop fed by the API server.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=kube-names.sh
. ./kube-names.sh

readonly cluster_cidr=10.244.0.0/16
a=10.244.1.2 b=10.244.1.3 c=10.244.2.2

web=$(nft_base default/web tcp http)
local_=$(nft_base default/web-local tcp http)
sticky=$(nft_base default/web-sticky tcp http)
stats=$(nft_base default/stats udp statsd)
ep() { nft_ep_base "$1" "$2" "$3" "$4" "$5"; }
web_a=$(ep default/web tcp http $a 8080) web_b=$(ep default/web tcp http $b 8080) web_c=$(ep default/web tcp http $c 8080)
local_a=$(ep default/web-local tcp http $a 8080) local_b=$(ep default/web-local tcp http $b 8080)
sticky_a=$(ep default/web-sticky tcp http $a 8080) sticky_b=$(ep default/web-sticky tcp http $b 8080)
stats_a=$(ep default/stats udp statsd $a 8125)

# endpoint BASE IP:PORT PROTO [AFFINITY]: kube-proxy's endpoint chain.
endpoint() {
  local base=$1 ep=$2 proto=$3 affinity=${4:-}
  echo "chain endpoint-$base {"
  echo "  ip saddr ${ep%:*} jump mark-for-masquerade"
  if [[ -n $affinity ]]; then echo "  update @affinity-$base { ip saddr }"; fi
  echo "  meta l4proto $proto dnat to $ep"
  echo "}"
}

nft -f - <<EOF
table ip kube-proxy {
  comment "rules for kube-proxy"

  set cluster-ips {
    type ipv4_addr
    comment "Active ClusterIPs"
    elements = { 10.96.0.10, 10.96.0.11, 10.96.0.12, 10.96.0.20, 10.96.0.40 }
  }
  set nodeport-ips {
    type ipv4_addr
    comment "IPs that accept NodePort traffic"
    elements = { 192.168.0.12 }
  }
  set affinity-$sticky_a { type ipv4_addr; flags dynamic,timeout; timeout 10800s; }
  set affinity-$sticky_b { type ipv4_addr; flags dynamic,timeout; timeout 10800s; }

  map no-endpoint-services {
    type ipv4_addr . inet_proto . inet_service : verdict
    comment "vmap to drop or reject packets to services with no endpoints"
  }
  map no-endpoint-nodeports {
    type inet_proto . inet_service : verdict
    comment "vmap to drop or reject packets to service nodeports with no endpoints"
  }
  map firewall-ips {
    type ipv4_addr . inet_proto . inet_service : verdict
    comment "destinations that are subject to LoadBalancerSourceRanges"
  }
  map service-ips {
    type ipv4_addr . inet_proto . inet_service : verdict
    comment "ClusterIP, ExternalIP and LoadBalancer IP traffic"
  }
  map service-nodeports {
    type inet_proto . inet_service : verdict
    comment "NodePort traffic"
  }

  # kube-proxy asks for priorities by name (dstnat - 10, dstnat, dstnat + 10, srcnat); older nft
  # releases accept only numbers in some hooks, so they are written as numbers (dstnat is -100).
  # Filter half: runs before the DNAT (dstnat - 10) so that it sees Service addresses.
  chain filter-prerouting {
    type filter hook prerouting priority -110; policy accept;
    ct state new jump firewall-check
  }
  chain filter-input {
    type filter hook input priority -110; policy accept;
    ct state new jump nodeport-endpoints-check
    ct state new jump service-endpoints-check
  }
  chain filter-forward {
    type filter hook forward priority -110; policy accept;
    ct state new jump service-endpoints-check
    ct state new jump cluster-ips-check
  }
  chain filter-output {
    type filter hook output priority -110; policy accept;
    ct state new jump service-endpoints-check
    ct state new jump firewall-check
  }
  chain filter-output-post-dnat {
    type filter hook output priority -90; policy accept;
    ct state new jump cluster-ips-check
  }
  chain nat-prerouting {
    type nat hook prerouting priority -100; policy accept;
    jump services
  }
  chain nat-output {
    type nat hook output priority -100; policy accept;
    jump services
  }
  chain nat-postrouting {
    type nat hook postrouting priority 100; policy accept;
    jump masquerading
  }

  chain nodeport-endpoints-check {
    ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports
  }
  chain service-endpoints-check {
    ip daddr . meta l4proto . th dport vmap @no-endpoint-services
  }
  chain firewall-check {
    ip daddr . meta l4proto . th dport vmap @firewall-ips
  }
  chain reject-chain {
    comment "helper for @no-endpoint-services / @no-endpoint-nodeports"
    reject
  }
  chain cluster-ips-check {
    ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"
    ip daddr { 10.96.0.0/16 } drop comment "Drop traffic to unallocated ClusterIPs"
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

  # default/web: Cluster policies, three endpoints
  chain service-$web {
    ip daddr 10.96.0.10 tcp dport 80 ip saddr != $cluster_cidr jump mark-for-masquerade
    numgen random mod 3 vmap { 0 : goto endpoint-$web_a, 1 : goto endpoint-$web_b, 2 : goto endpoint-$web_c }
  }
  chain external-$web {
    jump mark-for-masquerade
    goto service-$web
  }
  $(endpoint "$web_a" $a:8080 tcp)
  $(endpoint "$web_b" $b:8080 tcp)
  $(endpoint "$web_c" $c:8080 tcp)

  # default/web-local: both policies Local, and no endpoint on this node. Only pods and the node
  # itself may use the Cluster chain (short-circuit); the ClusterIP and the NodePort are dropped.
  chain service-$local_ {
    numgen random mod 2 vmap { 0 : goto endpoint-$local_a, 1 : goto endpoint-$local_b }
  }
  chain external-$local_ {
    ip saddr $cluster_cidr goto service-$local_ comment "short-circuit pod traffic"
    fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"
    fib saddr type local goto service-$local_ comment "short-circuit local traffic"
  }
  $(endpoint "$local_a" $a:8080 tcp)
  $(endpoint "$local_b" $b:8080 tcp)

  # default/web-sticky: sessionAffinity ClientIP, one timeout set per endpoint
  chain service-$sticky {
    ip daddr 10.96.0.12 tcp dport 80 ip saddr != $cluster_cidr jump mark-for-masquerade
    ip saddr @affinity-$sticky_a goto endpoint-$sticky_a
    ip saddr @affinity-$sticky_b goto endpoint-$sticky_b
    numgen random mod 2 vmap { 0 : goto endpoint-$sticky_a, 1 : goto endpoint-$sticky_b }
  }
  chain external-$sticky {
    jump mark-for-masquerade
    goto service-$sticky
  }
  $(endpoint "$sticky_a" $a:8080 tcp affinity)
  $(endpoint "$sticky_b" $b:8080 tcp affinity)

  # default/stats: UDP, one endpoint
  chain service-$stats {
    ip daddr 10.96.0.40 udp dport 8125 ip saddr != $cluster_cidr jump mark-for-masquerade
    numgen random mod 1 vmap { 0 : goto endpoint-$stats_a }
  }
  $(endpoint "$stats_a" $a:8125 udp)
}
add element ip kube-proxy service-ips { 10.96.0.10 . tcp . 80 : goto service-$web }
add element ip kube-proxy service-ips { 10.96.0.12 . tcp . 80 : goto service-$sticky }
add element ip kube-proxy service-ips { 10.96.0.40 . udp . 8125 : goto service-$stats }
add element ip kube-proxy service-nodeports { tcp . 30080 : goto external-$web }
add element ip kube-proxy service-nodeports { tcp . 30081 : goto external-$local_ }
add element ip kube-proxy service-nodeports { tcp . 30082 : goto external-$sticky }
add element ip kube-proxy no-endpoint-services { 10.96.0.11 . tcp . 80 comment "default/web-local:http" : drop }
add element ip kube-proxy no-endpoint-services { 10.96.0.20 . tcp . 80 comment "default/idle:http" : goto reject-chain }
add element ip kube-proxy no-endpoint-nodeports { tcp . 30081 comment "default/web-local:http" : drop }
EOF
