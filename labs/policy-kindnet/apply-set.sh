#!/usr/bin/env bash
# usage: ./apply-set.sh [--force] SET
# Makes the NetworkPolicies in namespace shop exactly the set listed in sets/SET.txt: applies each
# listed file from policies/ and deletes any other policy in shop, then records SET in the
# annotation policy-lab/set on the namespace. When that annotation already says SET, it changes
# nothing, so a policy you edit by hand stays until another set is applied; --force re-applies.
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
  echo "shop's policies: set $set_name already applied"
  exit 0
fi

mapfile -t files < <(grep -v '^#' "$list" | grep . || true)
wanted=()
for file in "${files[@]}"; do
  kubectl apply -f "policies/$file" >/dev/null
  wanted+=("$(kubectl create --dry-run=client -o jsonpath='{.metadata.name}' -f "policies/$file")")
done
for name in $(kubectl -n shop get networkpolicies -o jsonpath='{.items[*].metadata.name}'); do
  if [[ " ${wanted[*]} " != *" $name "* ]]; then kubectl -n shop delete networkpolicy "$name" >/dev/null; fi
done
kubectl annotate namespace shop "policy-lab/set=$set_name" --overwrite >/dev/null
echo "shop's policies (set $set_name): ${wanted[*]:-none}"
