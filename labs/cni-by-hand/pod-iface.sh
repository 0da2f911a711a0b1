#!/usr/bin/env bash
# Prints the name of a pod's host-side interface on node1, read from the result the runtime cached
# for the pod's sandbox (as a runtime or a debugging tool would find it):
#   pod-iface.sh POD veth   the host end of the pod's veth pair (bridge plugin)
#   pod-iface.sh POD ifb    the ifb device that shapes the pod's egress (bandwidth plugin)
set -euo pipefail
pod=${1:?usage: pod-iface.sh POD veth|ifb} kind=${2:?usage: pod-iface.sh POD veth|ifb}
prefix=$([[ $kind == ifb ]] && echo bwp || echo veth)
name=$(jq -r --arg ns "/run/netns/$pod" --arg prefix "$prefix" '
  select(.netns == $ns) | .result.interfaces[] | select(.sandbox == null and (.name | startswith($prefix))) | .name' \
  /run/node1/var/lib/cni/results/*)
[[ -n $name ]] || { echo "no $kind for $pod in node1's cached results" >&2; exit 1; }
echo "$name"
