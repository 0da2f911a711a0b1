#!/usr/bin/env bash
# Runs a command in the Cilium agent on one node: ./in-agent.sh <node> <command...>
# (`kubectl exec ds/cilium` would pick an arbitrary node; node-local state such as the
# endpoint list differs from node to node.)
set -euo pipefail
node=${1:?usage: in-agent.sh <node> <command...>}
shift
pod=$(kubectl -n kube-system get pod -l k8s-app=cilium \
  --field-selector "spec.nodeName=${node}" -o jsonpath='{.items[0].metadata.name}')
if [[ -z "${pod}" ]]; then
  echo "no Cilium agent pod on ${node}: is Cilium installed (helm -n kube-system status cilium)?" >&2
  exit 1
fi
exec kubectl -n kube-system exec "${pod}" -c cilium-agent -- "$@"
