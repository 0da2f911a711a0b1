#!/usr/bin/env bash
# Egress by hand. Two nodes on a LAN (192.168.0.0/24) behind a router that leads to the
# "outside" (203.0.113.0/24) and knows nothing about pod addresses. node1 runs three pods (app,
# billing, reports), node2 runs db. Both nodes masquerade pod traffic the way ip-masq-agent does,
# except towards the cluster's own pod range. Then an egress gateway, built the way Cilium's
# CiliumEgressGatewayPolicy works but with routing rules instead of eBPF: node1 marks billing's
# traffic to 203.0.113.0/24, a policy routing rule sends marked packets into a VXLAN tunnel to
# node2, and node2 SNATs them to the fixed egress address 192.168.0.100.
#
#   app 10.244.1.2, billing .3, reports .4 ── node1 192.168.0.11 ─┐                  ┌─ outside 203.0.113.20
#                                               vxlan-egw 10.99.0.1 │  router (lan .1) │  (shows the source it saw)
#   db 10.244.2.2 ── node2 192.168.0.12, egress IP 192.168.0.100 ──┤   203.0.113.1 ───┘
#                     vxlan-egw 10.99.0.2                           │
#                                    lan-db 192.168.0.50 (a private server outside the cluster)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../_lib/sandbox.sh
. "${LAB_LIB:-../_lib}/sandbox.sh"

# The router and the outside server. The router forwards between the LAN and the outside and
# does no NAT: a packet from a pod address gets no answer, because nothing routes replies back.
new_netns router
new_netns outside
ip netns exec router sysctl -qw net.ipv4.ip_forward=1
ip -n outside link add eth0 type veth peer name eth-out netns router
ip -n outside addr add 203.0.113.20/24 dev eth0
ip -n outside link set eth0 up
ip -n outside route add default via 203.0.113.1
ip -n router addr add 203.0.113.1/24 dev eth-out
ip -n router link set eth-out up
ip -n router link add lan type bridge
ip -n router addr add 192.168.0.1/24 dev lan
ip -n router link set lan up

for n in 1 2; do
  make_node "node$n"
  ip -n "node$n" link add eth0 type veth peer name "port-node$n" netns router
  ip -n router link set "port-node$n" master lan
  ip -n router link set "port-node$n" up
  ip -n "node$n" addr add "192.168.0.1$n/24" dev eth0
  ip -n "node$n" link set eth0 up
  ip -n "node$n" route add default via 192.168.0.1
  make_bridge "node$n" "10.244.$n.1/24" "02:42:0a:f4:0$n:01"
done
route_pod_cidr node1 10.244.2.0/24 192.168.0.12
route_pod_cidr node2 10.244.1.0/24 192.168.0.11

# A server in the private network outside the cluster (a database VM on the LAN, 192.168.0.50):
# private addresses, but no route to pod addresses, like most peered networks.
new_netns lan-db
ip -n lan-db link add eth0 type veth peer name port-lan-db netns router
ip -n router link set port-lan-db master lan
ip -n router link set port-lan-db up
ip -n lan-db addr add 192.168.0.50/24 dev eth0
ip -n lan-db link set eth0 up
ip -n lan-db route add default via 192.168.0.1

make_pod node1 app 10.244.1.2/24 10.244.1.1
make_pod node1 billing 10.244.1.3/24 10.244.1.1
make_pod node1 reports 10.244.1.4/24 10.244.1.1
make_pod node2 db 10.244.2.2/24 10.244.2.1

# Servers that say which source address a connection came from: the outside server (port 8080,
# and port 8081, which holds each connection for half a second) and the db pod inside the cluster.
# shellcheck disable=SC2016 # the variables are expanded by the shell socat starts per connection
ip netns exec outside setsid -f socat TCP-LISTEN:8080,fork,reuseaddr \
  SYSTEM:'echo "outside saw $SOCAT_PEERADDR"' >/dev/null 2>&1
# shellcheck disable=SC2016
ip netns exec outside setsid -f socat TCP-LISTEN:8081,fork,reuseaddr \
  SYSTEM:'echo "outside saw $SOCAT_PEERADDR port $SOCAT_PEERPORT"; sleep 0.5' >/dev/null 2>&1
# shellcheck disable=SC2016
ip netns exec db setsid -f socat TCP-LISTEN:8080,fork,reuseaddr \
  SYSTEM:'echo "db saw $SOCAT_PEERADDR"' >/dev/null 2>&1
# shellcheck disable=SC2016
ip netns exec lan-db setsid -f socat TCP-LISTEN:5432,fork,reuseaddr \
  SYSTEM:'echo "lan-db saw $SOCAT_PEERADDR"' >/dev/null 2>&1
# Wait until they listen: setsid -f returns before its child has left setup's process group,
# which the engine ends when setup ends.
for ns_port in outside:8080 outside:8081 db:8080 lan-db:5432; do
  for _ in $(seq 50); do
    if ip netns exec "${ns_port%:*}" ss -Hltn "sport = :${ns_port#*:}" | grep -q .; then continue 2; fi
    sleep 0.02
  done
  echo "setup: ${ns_port%:*} does not listen on port ${ns_port#*:}" >&2
  exit 1
done

# Both nodes: ip-masq-agent's rules (its chain name, comments and rule order), with the
# nonMasqueradeCIDRs of ip-masq-agent-config.yaml: everything leaving for a destination that is
# not local and not in 10.244.0.0/16 (or link-local) is masqueraded to the node's address.
for node in node1 node2; do
  ip netns exec "$node" iptables-restore <<'IPT'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:IP-MASQ-AGENT - [0:0]
-A POSTROUTING -m comment --comment "ip-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom IP-MASQ-AGENT chain" -m addrtype ! --dst-type LOCAL -j IP-MASQ-AGENT
-A IP-MASQ-AGENT -d 169.254.0.0/16 -m comment --comment "ip-masq-agent: local traffic is not subject to MASQUERADE" -j RETURN
-A IP-MASQ-AGENT -d 10.244.0.0/16 -m comment --comment "ip-masq-agent: local traffic is not subject to MASQUERADE" -j RETURN
-A IP-MASQ-AGENT -m comment --comment "ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE --random-fully
COMMIT
IPT
done

# The egress gateway. A tunnel between the nodes: a VXLAN device on each (VNI 2, UDP port 8472,
# the port Cilium's VXLAN tunnel uses), with a /30 on it so that a route can point across.
ip -n node1 link add vxlan-egw type vxlan id 2 local 192.168.0.11 remote 192.168.0.12 dstport 8472 dev eth0
ip -n node2 link add vxlan-egw type vxlan id 2 local 192.168.0.12 remote 192.168.0.11 dstport 8472 dev eth0
ip -n node1 addr add 10.99.0.1/30 dev vxlan-egw
ip -n node2 addr add 10.99.0.2/30 dev vxlan-egw
ip -n node1 link set vxlan-egw up
ip -n node2 link set vxlan-egw up
# The egress IP lives on the gateway node's LAN interface, so the router delivers replies to it.
ip -n node2 addr add 192.168.0.100/24 dev eth0

# node1 (where the selected pods run): mark their packets to the policy's destinations, send
# marked packets to routing table 200, whose only route leads into the tunnel, and leave them
# alone in ip-masq-agent's chain (the gateway, not this node, translates them).
ip netns exec node1 nft -f - <<'NFT'
table ip egress-gateway {
  comment "CiliumEgressGatewayPolicy billing-fixed-ip, by hand"
  set sources {
    type ipv4_addr
    comment "pods the policy selects (app=billing)"
    elements = { 10.244.1.3 }
  }
  set destinations {
    type ipv4_addr
    flags interval
    comment "destinationCIDRs"
    elements = { 203.0.113.0/24 }
  }
  chain mark-selected {
    type filter hook prerouting priority mangle; policy accept;
    ip saddr @sources ip daddr @destinations meta mark set 0x200 counter
  }
}
NFT
ip -n node1 rule add fwmark 0x200 iif cni0 lookup 200 priority 100
ip -n node1 route add default via 10.99.0.2 dev vxlan-egw table 200
ip netns exec node1 iptables -t nat -I POSTROUTING 1 -m mark --mark 0x200 \
  -m comment --comment "egress gateway: the gateway node translates this traffic" -j RETURN

# node2 (the gateway node): traffic that came through the tunnel for the policy's destinations
# leaves with the egress IP. This chain runs before ip-masq-agent's (priority srcnat - 10), and
# the first NAT decision for a connection is the one that sticks.
ip netns exec node2 nft -f - <<'NFT'
table ip egress-gateway {
  comment "CiliumEgressGatewayPolicy billing-fixed-ip, by hand"
  set destinations {
    type ipv4_addr
    flags interval
    comment "destinationCIDRs"
    elements = { 203.0.113.0/24 }
  }
  chain to-egress-ip {
    type nat hook postrouting priority srcnat - 10; policy accept;
    iifname "vxlan-egw" oifname "eth0" ip daddr @destinations counter snat to 192.168.0.100
  }
}
NFT
