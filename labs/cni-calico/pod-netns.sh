#!/usr/bin/env bash
# Runs a command in a test pod's network namespace, from the kind node that hosts it (the pods'
# own image cannot change routes: no NET_ADMIN). Used by the lab's breaks:
#   ./pod-netns.sh <pod> <command...>
set -euo pipefail
pod=${1:?usage: pod-netns.sh <pod> <command...>}
shift
provider=${KIND_EXPERIMENTAL_PROVIDER:-docker}
node=$(kubectl -n cni-calico get pod "${pod}" -o jsonpath='{.spec.nodeName}')
if [[ -z "${node}" ]]; then
  echo "pod ${pod} is not scheduled: kubectl -n cni-calico get pods" >&2
  exit 1
fi
# The pod's sandbox, then the network namespace containerd pinned for it (/var/run/netns/cni-<uuid>,
# named in the sandbox's runtime spec).
sandbox=$("${provider}" exec "${node}" crictl pods --namespace cni-calico --name "^${pod}\$" --state ready -q)
if [[ -z "${sandbox}" ]]; then
  echo "no ready sandbox for ${pod} on ${node}" >&2
  exit 1
fi
spec=$("${provider}" exec "${node}" crictl inspectp "${sandbox}")
netns=$(grep -o '/var/run/netns/cni-[0-9a-f-]*' <<<"${spec}" | head -n 1)
if [[ -z "${netns}" ]]; then
  echo "no network namespace in the sandbox of ${pod}" >&2
  exit 1
fi
exec "${provider}" exec "${node}" nsenter --net="${netns}" "$@"
