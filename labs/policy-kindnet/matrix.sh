#!/usr/bin/env bash
# usage: ./matrix.sh [--expect FILE]
#
# The connectivity matrix on the cluster, drawn as the upstream network policy e2e tests draw it:
# every pod tries every pod on TCP 80 and 81 with `agnhost connect` (the tool those tests use),
# and asks cluster DNS for a name; one table per port, rows are sources, columns destinations.
#   .  connected (or DNS answered)
#   X  timed out: the CNI dropped it, which is what a policy denial looks like from a pod
#   ?  anything else (refused, no route, a wrong DNS answer): not a policy verdict
# With --expect FILE it compares the whole output with FILE and exits 1 on any difference.
set -euo pipefail
cd "$(dirname "$0")"

expect=
if [[ ${1:-} == --expect ]]; then expect=${2:?usage: matrix.sh [--expect FILE]}; fi

pods=(shop/web shop/db tools/client tools/batch)
ports=(80 81)
declare -A ip
for pod in "${pods[@]}"; do
  ip[$pod]=$(kubectl -n "${pod%/*}" get pod "${pod#*/}" -o jsonpath='{.status.podIP}')
done
dns=$(kubectl -n kube-system get service kube-dns -o jsonpath='{.spec.clusterIP}')

# Probes as name=address arguments: "shop/web:80=10.244.1.5:80", and "dns=10.96.0.10".
targets=()
for pod in "${pods[@]}"; do
  for port in "${ports[@]}"; do targets+=("$pod:$port=${ip[$pod]}:$port"); done
done
targets+=("dns=$dns")

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# One `kubectl exec` per source pod; inside it every probe runs at once, so a matrix takes about
# one timeout (2 s) however many cells are denied.
for src in "${pods[@]}"; do
  # shellcheck disable=SC2016 # the script runs in the pod's shell
  kubectl -n "${src%/*}" exec "${src#*/}" -c c80 -- sh -c '
    for t in "$@"; do
      (
        name=${t%%=*} addr=${t#*=}
        if [ "$name" = dns ]; then
          reply=$(dig +time=2 +tries=1 +short "@$addr" kubernetes.default.svc.cluster.local 2>&1)
          case $reply in
            10.96.0.1) echo "$name ." ;;
            *"timed out"*) echo "$name X" ;;
            *) echo "$name ?" ;;
          esac
        elif err=$(/agnhost connect "$addr" --timeout=2s 2>&1); then
          echo "$name ."
        else
          case $err in TIMEOUT*) echo "$name X" ;; *) echo "$name ?" ;; esac
        fi
      ) &
    done
    wait
  ' probe "${targets[@]}" >"$results/${src/\//_}" &
done
wait

cell() { # source, destination name
  local mark
  mark=$(awk -v n="$2" '$1 == n { print $2 }' "$results/${1/\//_}")
  printf '%-15s' "${mark:--}"
}

observed=$(
  for port in "${ports[@]}"; do
    printf '%-14s' "tcp/$port"
    for dst in "${pods[@]}"; do printf '%-15s' "$dst"; done
    echo
    for src in "${pods[@]}"; do
      printf '%-14s' "$src"
      for dst in "${pods[@]}"; do cell "$src" "$dst:$port"; done
      echo
    done
    echo
  done
  printf '%-14s%s\n' "udp/53" "kube-dns via $dns"
  for src in "${pods[@]}"; do printf '%-14s' "$src"; cell "$src" dns; echo; done
)
# Trailing spaces are padding, not information; the Service address varies between clusters.
# shellcheck disable=SC2001 # per line, which ${var//} cannot anchor
observed=$(sed -e 's/ *$//' -e "s/kube-dns via $dns/kube-dns via its ClusterIP/" <<<"$observed")
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
