#!/usr/bin/env bash
# lookup.sh POD NAME: resolve NAME inside POD with the C library's resolver (glibc's getaddrinfo,
# through `getent ahosts`, as most programs resolve names), then print every query the DNS server
# in the pod's resolv.conf logged from the pod's address during the lookup, and count them.
# Run on the lab's outer namespace (target host).
set -euo pipefail
pod=$1 name=$2
nameserver=$(awk '$1 == "nameserver" { print $2; exit }' "/etc/netns/$pod/resolv.conf")
case $nameserver in
  10.96.0.10) server=cluster-dns ;;
  169.254.20.10) server=node-local-dns ;;
  *) echo "lookup.sh: $pod's nameserver $nameserver is not one of this lab's servers" >&2; exit 2 ;;
esac
log=/run/dns-lab/$server.log
addr=$(ip -n "$pod" -4 -o addr show dev eth0 | awk '{ sub(/\/.*/, "", $4); print $4 }')

start=$(stat -c %s "$log")
echo "getent ahosts $name   (in pod $pod, nameserver $nameserver)"
if answer=$(ip netns exec "$pod" timeout 3 getent ahosts "$name"); then
  awk '$2 == "STREAM" { print "  answer: " $1 }' <<<"$answer"
else
  echo "  answer: none (name not found)"
fi
# The server writes one line per answer; wait until no more arrive.
size=-1
for _ in $(seq 20); do
  [[ $(stat -c %s "$log") == "$size" ]] && break
  size=$(stat -c %s "$log"); sleep 0.02
done
echo "queries $server logged from $addr:"
# unbound's reply log: "<time> unbound[pid:thread] info: CLIENT NAME TYPE CLASS RCODE ..."
tail -c +"$((start + 1))" "$log" | awk -v addr="$addr" '
  { for (i = 1; i <= NF; i++) if ($i == "info:") break }
  i < NF && $(i + 1) == addr { n++; printf "  %-5s %-48s %s\n", $(i + 3), $(i + 2), $(i + 5) }
  END { print "queries: " n + 0 }'
