#!/usr/bin/env bash
# Prints the name of a test pod's host-side veth (cali…) on its kind node: the interface of the
# node's route to the pod's address.
#   ./host-veth.sh <pod>
set -euo pipefail
pod=${1:?usage: host-veth.sh <pod>}
provider=${KIND_EXPERIMENTAL_PROVIDER:-docker}
node=$(kubectl -n cni-calico get pod "${pod}" -o jsonpath='{.spec.nodeName}')
ip=$(kubectl -n cni-calico get pod "${pod}" -o jsonpath='{.status.podIP}')
if [[ -z "${node}" || -z "${ip}" ]]; then
  echo "pod ${pod} has no node or no address yet: kubectl -n cni-calico get pods -o wide" >&2
  exit 1
fi
dev=$("${provider}" exec "${node}" ip -o route get "${ip}" | awk '{print $3}')
if [[ "${dev}" != cali* ]]; then
  echo "${node} routes ${ip} through ${dev:-nothing}, not a cali veth" >&2
  exit 1
fi
echo "${dev}"
