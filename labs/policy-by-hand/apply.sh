#!/usr/bin/env bash
# usage: ./apply.sh [--force] SET
#
# Does, for one set of NetworkPolicies, what a policy engine's agent does on every node after
# `kubectl apply`: loads the nftables table those policies compile to (sets/SET.nft, written by
# hand) as `table inet netpol` on node1 and node2, replacing the previous one in one transaction.
# SET "none" removes the table: no policy, nothing isolated.
#
# A node whose table already holds SET (its comment says "policy set: SET") is left alone, so
# rules you change by hand stay until another set is applied; --force reloads anyway.
# Run it from the lab folder, in the lab's outer namespace (target host).
set -euo pipefail
cd "$(dirname "$0")"

force=0
if [[ ${1:-} == --force ]]; then force=1; shift; fi
set_name=${1:-}
if [[ $set_name != none && ! -f sets/$set_name.nft ]]; then
  known=(none sets/*.nft)
  known=("${known[@]#sets/}")
  echo "usage: apply.sh [--force] SET, where SET is one of: ${known[*]%.nft}" >&2
  exit 2
fi

# The set a node's table holds, from the table's comment; empty when there is no table.
loaded_set() {
  local table
  table=$(ip netns exec "$1" nft list table inet netpol 2>/dev/null) || return 0
  sed -n 's/^\s*comment "policy set: \(.*\)"$/\1/p' <<<"$table"
}

for node in node1 node2; do
  current=$(loaded_set "$node")
  if [[ $set_name == none ]]; then
    if [[ -n $current ]]; then ip netns exec "$node" nft delete table inet netpol; fi
    echo "$node: no policy table"
  elif [[ $force == 0 && $current == "$set_name" ]]; then
    echo "$node: policy set $set_name already loaded"
  else
    # Creating then deleting the table first makes the load one atomic replacement.
    { echo 'table inet netpol'; echo 'delete table inet netpol'; cat "sets/$set_name.nft"; } |
      ip netns exec "$node" nft -f -
    echo "$node: policy set $set_name loaded"
  fi
done
