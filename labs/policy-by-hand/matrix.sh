#!/usr/bin/env bash
# usage: ./matrix.sh [--expect FILE]
#
# The connectivity matrix, drawn the way the upstream network policy e2e tests draw theirs: every
# source tries every destination on TCP 80 and 81, and each pod tries the DNS Service on UDP 53;
# one table per port, rows are sources, columns destinations.
#   .  connected
#   X  refused: the lab's policy rules reject instead of dropping (TCP with a reset, DNS with
#      ICMP "administratively prohibited"), so a denied probe returns at once instead of timing
#      out. Every pod listens on both ports, so a refusal means the rules said no.
#   ?  anything else: a timeout, an unreachable network, a wrong DNS answer. Never a policy
#      verdict; something is broken.
#   -  not probed
# With --expect FILE it compares the whole output with FILE and exits 1 on any difference.
# Run it from the lab folder, in the lab's outer namespace (target host).
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source-path=SCRIPTDIR source=cluster.sh
. ./cluster.sh

expect=
if [[ ${1:-} == --expect ]]; then expect=${2:?usage: matrix.sh [--expect FILE]}; fi

# Sources: the four application pods, both nodes (their own processes) and the outside host.
sources=(web db client batch node1 node2 outside)
# Destinations: the four pods, and the outside host's two addresses.
dests=(web db client batch ext-allowed ext-excepted)
ports=(80 81)

# Names and addresses, looked up once (no process per cell: the matrix must be quick).
declare -A label address
while read -r netns name _node addr _labels; do label[$netns]=$name; address[$netns]=$addr; done <<<"$PODS"
label[node1]=node1 label[node2]=node2 label[outside]=outside
label[ext-allowed]=$OUTSIDE_ALLOWED address[ext-allowed]=$OUTSIDE_ALLOWED
label[ext-excepted]=$OUTSIDE_EXCEPTED address[ext-excepted]=$OUTSIDE_EXCEPTED

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# One `ip netns exec` per source; inside it, probe.sh runs every probe in parallel. An allowed
# connection completes its handshake in well under a millisecond here, and a denied one gets its
# ICMP error just as fast: waiting only happens when something is broken.
mkdir "${sources[@]/#/$results/}"
for src in "${sources[@]}"; do
  targets=()
  for dst in "${dests[@]}"; do
    if [[ $src == outside && $dst == ext-* ]]; then continue; fi
    for port in "${ports[@]}"; do targets+=("$dst:${address[$dst]}:$port"); done
  done
  if [[ $src != node* && $src != outside ]]; then targets+=("dns:$DNS_SERVICE_IP:53"); fi
  ip netns exec "$src" ./probe.sh "$results/$src" "${targets[@]}" &
done
wait

cell() {
  local mark=-
  if [[ -f $results/$1/$2.$3 ]]; then read -r mark <"$results/$1/$2.$3"; fi
  printf '%-15s' "$mark"
}

observed=$(
  for port in "${ports[@]}"; do
    printf '%-14s' "tcp/$port"
    for dst in "${dests[@]}"; do printf '%-15s' "${label[$dst]}"; done
    echo
    for src in "${sources[@]}"; do
      printf '%-14s' "${label[$src]}"
      for dst in "${dests[@]}"; do cell "$src" "$dst" "$port"; done
      echo
    done
    echo
  done
  printf '%-14s%s\n' "udp/53" "kube-system/dns via $DNS_SERVICE_IP"
  for src in web db client batch; do
    printf '%-14s' "${label[$src]}"; cell "$src" dns 53; echo
  done
)
# Trailing spaces are padding, not information.
# shellcheck disable=SC2001 # per line, which ${var//} cannot anchor
observed=$(sed 's/ *$//' <<<"$observed")
echo "$observed"

if [[ -n $expect ]]; then
  echo
  if diff_out=$(diff -u --label "expected ($expect)" --label observed "$expect" - <<<"$observed"); then
    echo "matrix matches $expect"
  else
    echo "$diff_out"
    echo "matrix differs from $expect"
    exit 1
  fi
fi
