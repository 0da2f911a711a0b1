#!/usr/bin/env bash
# usage: ./apply-set.sh [--force] SET
# Makes the cluster's ClusterNetworkPolicies and the NetworkPolicies of namespace shop exactly the
# set listed in sets/SET.txt: applies each listed file from policies/ and deletes every other
# ClusterNetworkPolicy and every other NetworkPolicy in shop, then records SET in the annotation
# policy-lab/set on namespace shop. When that annotation already says SET it changes nothing, so
# a policy you edit by hand stays until another set is applied; --force re-applies.
set -euo pipefail
cd "$(dirname "$0")"

force=0
if [[ ${1:-} == --force ]]; then force=1; shift; fi
set_name=${1:?usage: apply-set.sh [--force] SET}
list=sets/$set_name.txt
if [[ ! -f $list ]]; then
  echo "apply-set.sh: no such set: $list" >&2
  exit 2
fi

current=$(kubectl get namespace shop -o jsonpath='{.metadata.annotations.policy-lab/set}')
if [[ $force == 0 && $current == "$set_name" ]]; then
  echo "policies: set $set_name already applied"
  exit 0
fi

mapfile -t files < <(grep -v '^#' "$list" | grep . || true)
wanted=()
for file in "${files[@]}"; do
  kubectl apply -f "policies/$file" >/dev/null
  wanted+=("$(kubectl create --dry-run=client -o jsonpath='{.kind}/{.metadata.name}' -f "policies/$file")")
done
for name in $(kubectl get clusternetworkpolicies -o jsonpath='{range .items[*]}ClusterNetworkPolicy/{.metadata.name} {end}') \
  $(kubectl -n shop get networkpolicies -o jsonpath='{range .items[*]}NetworkPolicy/{.metadata.name} {end}'); do
  if [[ " ${wanted[*]} " != *" $name "* ]]; then
    case $name in
      ClusterNetworkPolicy/*) kubectl delete clusternetworkpolicy "${name#*/}" >/dev/null ;;
      NetworkPolicy/*) kubectl -n shop delete networkpolicy "${name#*/}" >/dev/null ;;
    esac
  fi
done
kubectl annotate namespace shop "policy-lab/set=$set_name" --overwrite >/dev/null
echo "policies (set $set_name): ${wanted[*]:-none}"
