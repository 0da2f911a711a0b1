#!/usr/bin/env bash
# nodelocal-rules.sh add|delete ADDR [raw|filter]: the iptables rules NodeLocal DNSCache's
# node-cache binary installs for each address it listens on (the DNS ones from
# cmd/node-cache/app/cache_app.go in kubernetes-sigs/node-local-dns 1.26.8, same tables, chains,
# matches and comments; the health-port rules are left out). In the raw table, NOTRACK for queries
# to ADDR:53 and for answers from it; in the filter table, ACCEPT for the same packets, because
# untracked packets never match a rule that accepts ESTABLISHED connections. node-cache inserts
# each rule at the top of its chain, and so does `add`. Run on the node. The third argument limits
# the change to one table.
set -euo pipefail
action=$1 addr=$2 only=${3:-}
case $action in add) op=-I ;; delete) op=-D ;; *) echo "usage: $0 add|delete ADDR [raw|filter]" >&2; exit 2 ;; esac
skip=(-m comment --comment "NodeLocal DNS Cache: skip conntrack")
allow=(-m comment --comment "NodeLocal DNS Cache: allow DNS traffic")
raw() { [[ $only == filter ]] || iptables -t raw "$op" "$@" -j NOTRACK "${skip[@]}"; }
filter() { [[ $only == raw ]] || iptables -t filter "$op" "$@" -j ACCEPT "${allow[@]}"; }
for proto in tcp udp; do
  raw PREROUTING -p "$proto" -d "$addr" --dport 53          # queries from pods
  filter INPUT -p "$proto" -d "$addr" --dport 53
  raw OUTPUT -p "$proto" -s "$addr" --sport 53              # the cache's answers
  filter OUTPUT -p "$proto" -s "$addr" --sport 53
  raw OUTPUT -p "$proto" -d "$addr" --dport 53              # queries from the node itself (hostNetwork pods)
done
