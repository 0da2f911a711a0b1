#!/usr/bin/env bash
# Runs a command in the calico-node container on one node: ./in-calico-node.sh <node> <command...>
set -euo pipefail
node=${1:?usage: in-calico-node.sh <node> <command...>}
shift
pod=$(kubectl -n calico-system get pod -l k8s-app=calico-node \
  --field-selector "spec.nodeName=${node}" -o jsonpath='{.items[0].metadata.name}')
if [[ -z "${pod}" ]]; then
  echo "no calico-node pod on ${node}: is Calico installed (kubectl get tigerastatus)?" >&2
  exit 1
fi
exec kubectl -n calico-system exec "${pod}" -c calico-node -- "$@"
