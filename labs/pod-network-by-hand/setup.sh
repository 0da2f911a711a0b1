#!/usr/bin/env bash
# Builds the lab: two nodes joined by one link, a cni0 bridge and two pods on each node, and the
# host-gw route on node2 only. node1's route to node2's pods is the exercise, so it is left out.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../_lib/sandbox.sh
. "${LAB_LIB:-../_lib}/sandbox.sh"

make_node node1
make_node node2
link_nodes node1 192.168.0.11/24 node2 192.168.0.12/24

make_bridge node1 10.244.1.1/24 02:42:0a:f4:01:01
make_bridge node2 10.244.2.1/24 02:42:0a:f4:02:01

make_pod node1 pod-a 10.244.1.2/24 10.244.1.1 02:42:0a:f4:01:02
make_pod node1 pod-b 10.244.1.3/24 10.244.1.1 02:42:0a:f4:01:03
make_pod node2 pod-c 10.244.2.2/24 10.244.2.1 02:42:0a:f4:02:02
make_pod node2 pod-d 10.244.2.3/24 10.244.2.1 02:42:0a:f4:02:03

route_pod_cidr node2 10.244.1.0/24 192.168.0.11
