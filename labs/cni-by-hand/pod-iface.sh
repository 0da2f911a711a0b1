#!/usr/bin/env bash
# Prints the name of a pod's host-side interface on node1, read from the result the runtime cached
# for the pod's sandbox (as a runtime or a debugging tool would find it):
#   pod-iface.sh POD veth   the host end of the pod's veth pair (bridge plugin)
#   pod-iface.sh POD ifb    the ifb device that shapes the pod's egress (bandwidth plugin)
set -euo pipefail
pod=${1:?usage: pod-iface.sh POD veth|ifb} kind=${2:?usage: pod-iface.sh POD veth|ifb}
prefix=$([[ $kind == ifb ]] && echo bwp || echo veth)
# The cache entry of the pod's sandbox, then the interface name in its result.
entry=$(grep -l "\"netns\":\"/run/netns/$pod\"" /run/node1/var/lib/cni/results/* 2>/dev/null | head -n 1 || true)
name=
if [[ -n $entry ]]; then
  name=$(grep -o "\"name\": *\"${prefix}[0-9a-f]*\"" "$entry" | head -n 1 | cut -d'"' -f4 || true)
fi
[[ -n $name ]] || { echo "no $kind for $pod in node1's cached results" >&2; exit 1; }
echo "$name"
