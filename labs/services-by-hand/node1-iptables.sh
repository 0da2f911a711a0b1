#!/usr/bin/env bash
# node1's Services, written the way kube-proxy's iptables mode writes them (pkg/proxy/iptables):
# the same chains, rule shapes, comments, mark bit and chain names, fed to iptables-restore in one
# go as kube-proxy does. Run inside node1: `./node1-iptables.sh` writes everything;
# `./node1-iptables.sh stats-moves-to-web-a` replays the sync after web-b left default/stats.
#
# The Services, as the API would hold them (cluster CIDR 10.244.0.0/16, kube-proxy's --cluster-cidr):
#   default/web         ClusterIP 10.96.0.10:80 -> 8080, NodePort 30080; endpoints web-a, web-b
#                       (web-c on node2 is in the EndpointSlice too; node1 has not caught up)
#   default/web-local   ClusterIP 10.96.0.11:80, NodePort 30081, externalTrafficPolicy: Local,
#                       internalTrafficPolicy: Local; endpoints web-a, web-b (node1 only)
#   default/web-sticky  ClusterIP 10.96.0.12:80, NodePort 30082, sessionAffinity: ClientIP
#                       (timeout 10800 s); endpoints web-a, web-b
#   default/idle        ClusterIP 10.96.0.20:80; no endpoints
#   default/stats       ClusterIP 10.96.0.40:8125/UDP; endpoint web-b, then web-a
# What a real node has beyond this: the kubernetes and kube-dns Services, kubelet's KUBE-FIREWALL
# chain, the KUBE-PROXY-CANARY chains kube-proxy watches to notice a flushed table, nfacct
# counters on two rules, health check servers, and a sync loop fed by the API server.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=kube-names.sh
. ./kube-names.sh

readonly cluster_cidr=10.244.0.0/16
a=10.244.1.2 b=10.244.1.3

# Chain names (see kube-names.sh).
h_web=$(svc_hash default/web:http tcp)
h_local=$(svc_hash default/web-local:http tcp)
h_sticky=$(svc_hash default/web-sticky:http tcp)
h_stats=$(svc_hash default/stats:statsd udp)
sep_web_a=$(sep_chain default/web:http tcp $a:8080)
sep_web_b=$(sep_chain default/web:http tcp $b:8080)
sep_local_a=$(sep_chain default/web-local:http tcp $a:8080)
sep_local_b=$(sep_chain default/web-local:http tcp $b:8080)
sep_sticky_a=$(sep_chain default/web-sticky:http tcp $a:8080)
sep_sticky_b=$(sep_chain default/web-sticky:http tcp $b:8080)
sep_stats_a=$(sep_chain default/stats:statsd udp $a:8125)
sep_stats_b=$(sep_chain default/stats:statsd udp $b:8125)

# endpoint CHAIN SERVICE-PORT IP:PORT PROTO [extra match]: kube-proxy's KUBE-SEP chain body.
endpoint() {
  local chain=$1 svc=$2 ep=$3 proto=$4 extra=${5:-}
  echo "-A $chain -s ${ep%:*}/32 -m comment --comment \"$svc\" -j KUBE-MARK-MASQ"
  echo "-A $chain -p $proto -m comment --comment \"$svc\"${extra:+ $extra} -m $proto -j DNAT --to-destination $ep"
}

# The default/stats chains with one endpoint, web-b before the move and web-a after it.
stats_rules() {
  local sep=$1 ep=$2
  echo "-A KUBE-SVC-$h_stats ! -s $cluster_cidr -d 10.96.0.40/32 -p udp -m comment --comment \"default/stats:statsd cluster IP\" -m udp --dport 8125 -j KUBE-MARK-MASQ"
  echo "-A KUBE-SVC-$h_stats -m comment --comment \"default/stats:statsd -> $ep\" -j $sep"
  endpoint "$sep" default/stats:statsd "$ep" udp
}

if [[ ${1:-} == stats-moves-to-web-a ]]; then
  # A partial sync, as kube-proxy does since 1.28: only the changed Service's chains, and the
  # stale endpoint chain deleted. (kube-proxy would then clear the UDP conntrack entries that
  # still point at web-b. This node does not: that is the exercise.)
  iptables-restore --noflush <<EOF
*nat
:KUBE-SVC-$h_stats - [0:0]
:$sep_stats_a - [0:0]
:$sep_stats_b - [0:0]
$(stats_rules "$sep_stats_a" $a:8125)
-X $sep_stats_b
COMMIT
EOF
  exit 0
fi

iptables-restore <<EOF
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-SERVICES - [0:0]
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/idle:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXT-$h_web - [0:0]
:KUBE-SVC-$h_web - [0:0]
:$sep_web_a - [0:0]
:$sep_web_b - [0:0]
:KUBE-EXT-$h_local - [0:0]
:KUBE-SVC-$h_local - [0:0]
:KUBE-SVL-$h_local - [0:0]
:$sep_local_a - [0:0]
:$sep_local_b - [0:0]
:KUBE-EXT-$h_sticky - [0:0]
:KUBE-SVC-$h_sticky - [0:0]
:$sep_sticky_a - [0:0]
:$sep_sticky_b - [0:0]
:KUBE-SVC-$h_stats - [0:0]
:$sep_stats_b - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-$h_web
-A KUBE-SERVICES -d 10.96.0.11/32 -p tcp -m comment --comment "default/web-local:http cluster IP" -m tcp --dport 80 -j KUBE-SVL-$h_local
-A KUBE-SERVICES -d 10.96.0.12/32 -p tcp -m comment --comment "default/web-sticky:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-$h_sticky
-A KUBE-SERVICES -d 10.96.0.40/32 -p udp -m comment --comment "default/stats:statsd cluster IP" -m udp --dport 8125 -j KUBE-SVC-$h_stats
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web:http" -m tcp --dport 30080 -j KUBE-EXT-$h_web
-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web-local:http" -m tcp --dport 30081 -j KUBE-EXT-$h_local
-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web-sticky:http" -m tcp --dport 30082 -j KUBE-EXT-$h_sticky
-A KUBE-EXT-$h_web -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-$h_web -j KUBE-SVC-$h_web
-A KUBE-SVC-$h_web ! -s $cluster_cidr -d 10.96.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-$h_web -m comment --comment "default/web:http -> $a:8080" -m statistic --mode random --probability 0.50000000000 -j $sep_web_a
-A KUBE-SVC-$h_web -m comment --comment "default/web:http -> $b:8080" -j $sep_web_b
$(endpoint "$sep_web_a" default/web:http $a:8080 tcp)
$(endpoint "$sep_web_b" default/web:http $b:8080 tcp)
-A KUBE-EXT-$h_local -s $cluster_cidr -m comment --comment "pod traffic for default/web-local:http external destinations" -j KUBE-SVC-$h_local
-A KUBE-EXT-$h_local -m comment --comment "masquerade LOCAL traffic for default/web-local:http external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
-A KUBE-EXT-$h_local -m comment --comment "route LOCAL traffic for default/web-local:http external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-$h_local
-A KUBE-EXT-$h_local -j KUBE-SVL-$h_local
-A KUBE-SVC-$h_local -m comment --comment "default/web-local:http -> $a:8080" -m statistic --mode random --probability 0.50000000000 -j $sep_local_a
-A KUBE-SVC-$h_local -m comment --comment "default/web-local:http -> $b:8080" -j $sep_local_b
-A KUBE-SVL-$h_local ! -s $cluster_cidr -d 10.96.0.11/32 -p tcp -m comment --comment "default/web-local:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVL-$h_local -m comment --comment "default/web-local:http -> $a:8080" -m statistic --mode random --probability 0.50000000000 -j $sep_local_a
-A KUBE-SVL-$h_local -m comment --comment "default/web-local:http -> $b:8080" -j $sep_local_b
$(endpoint "$sep_local_a" default/web-local:http $a:8080 tcp)
$(endpoint "$sep_local_b" default/web-local:http $b:8080 tcp)
-A KUBE-EXT-$h_sticky -m comment --comment "masquerade traffic for default/web-sticky:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-$h_sticky -j KUBE-SVC-$h_sticky
-A KUBE-SVC-$h_sticky ! -s $cluster_cidr -d 10.96.0.12/32 -p tcp -m comment --comment "default/web-sticky:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-$h_sticky -m comment --comment "default/web-sticky:http -> $a:8080" -m recent --rcheck --seconds 10800 --reap --name $sep_sticky_a --mask 255.255.255.255 --rsource -j $sep_sticky_a
-A KUBE-SVC-$h_sticky -m comment --comment "default/web-sticky:http -> $b:8080" -m recent --rcheck --seconds 10800 --reap --name $sep_sticky_b --mask 255.255.255.255 --rsource -j $sep_sticky_b
-A KUBE-SVC-$h_sticky -m comment --comment "default/web-sticky:http -> $a:8080" -m statistic --mode random --probability 0.50000000000 -j $sep_sticky_a
-A KUBE-SVC-$h_sticky -m comment --comment "default/web-sticky:http -> $b:8080" -j $sep_sticky_b
$(endpoint "$sep_sticky_a" default/web-sticky:http $a:8080 tcp "-m recent --set --name $sep_sticky_a --mask 255.255.255.255 --rsource")
$(endpoint "$sep_sticky_b" default/web-sticky:http $b:8080 tcp "-m recent --set --name $sep_sticky_b --mask 255.255.255.255 --rsource")
$(stats_rules "$sep_stats_b" $b:8125)
COMMIT
EOF
