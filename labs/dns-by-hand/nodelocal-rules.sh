#!/usr/bin/env bash
# nodelocal-rules.sh add|delete ADDR [raw|filter]: the iptables rules that NodeLocal DNSCache's
# node-cache binary installs for each address it listens on (the DNS ones from
# cmd/node-cache/app/cache_app.go in kubernetes-sigs/node-local-dns 1.26.8: same tables, chains,
# matches and comments; the health-port rules are left out). In the raw table, NOTRACK for queries
# to ADDR:53 and for answers from it; in the filter table, ACCEPT for the same packets, because
# untracked packets never match a rule that accepts ESTABLISHED connections. node-cache inserts
# each rule at the top of its chain (one iptables call per rule); `add` does the same in a single
# iptables-restore transaction. Run on the node. The third argument limits the change to one table.
set -euo pipefail
action=$1 addr=$2 only=${3:-}
case $action in add) op=-I ;; delete) op=-D ;; *) echo "usage: $0 add|delete ADDR [raw|filter]" >&2; exit 2 ;; esac
skip='-m comment --comment "NodeLocal DNS Cache: skip conntrack"'
allow='-m comment --comment "NodeLocal DNS Cache: allow DNS traffic"'
{
  if [[ $only != filter ]]; then
    echo '*raw'
    for proto in tcp udp; do
      echo "$op PREROUTING -p $proto -d $addr --dport 53 -j NOTRACK $skip"   # queries from pods
      echo "$op OUTPUT -p $proto -s $addr --sport 53 -j NOTRACK $skip"       # the cache's answers
      echo "$op OUTPUT -p $proto -d $addr --dport 53 -j NOTRACK $skip"       # queries from the node (hostNetwork pods)
    done
    echo COMMIT
  fi
  if [[ $only != raw ]]; then
    echo '*filter'
    for proto in tcp udp; do
      echo "$op INPUT -p $proto -d $addr --dport 53 -j ACCEPT $allow"
      echo "$op OUTPUT -p $proto -s $addr --sport 53 -j ACCEPT $allow"
    done
    echo COMMIT
  fi
} | iptables-restore --noflush
