#!/usr/bin/env bash
# capture.sh -i NETNS/IFACE FILTER [-i NETNS/IFACE FILTER]... -- COMMAND [ARG]...
#   Captures on each interface while COMMAND runs, then prints what tcpdump decodes from each
#   capture (tcpdump -n -t, one block per interface, filtered by that interface's FILTER).
#   NETNS may be `-` for the namespace the script runs in.
# On a real node, `tcpdump -ni IFACE FILTER` shows the same lines; see pcap-stream.pl for why the
# sandbox splits capturing from decoding.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
specs=() filters=()
while (($# > 0)) && [[ $1 == -i ]]; do specs+=("$2") filters+=("$3"); shift 3; done
[[ ${1:-} == -- ]] || { echo "usage: $0 -i NETNS/IFACE FILTER ... -- COMMAND" >&2; exit 2; }
shift
dir=$(mktemp -d /run/capture.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"' EXIT

for n in "${!specs[@]}"; do
  ns=${specs[n]%%/*} if=${specs[n]#*/}
  enter=(); [[ $ns == - ]] || enter=(ip netns exec "$ns")
  "${enter[@]}" perl "$here/pcap-stream.pl" "$if" >"$dir/$n.pcap" 2>"$dir/$n.err" &
  pids+=($!)
done
for n in "${!specs[@]}"; do   # wait until every socket listens (at most 2 s)
  for _ in $(seq 100); do grep -q ready "$dir/$n.err" 2>/dev/null && break; sleep 0.02; done
  grep -q ready "$dir/$n.err" || { cat "$dir/$n.err" >&2; exit 1; }
done

status=0
"$@" || status=$?
# No pause: the command has seen its replies, so their frames are queued on the capture sockets,
# and pcap-stream.pl copies what is queued before it exits.
kill -TERM "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true; pids=()

# tcpdump refuses to run as root in a rootless sandbox (see pcap-stream.pl): decode as user 1000
# of a nested user namespace when one can be made, else (a real root) directly.
decode=(tcpdump)
if unshare --user --map-user=1000 --map-group=1000 true 2>/dev/null; then
  decode=(unshare --user --map-user=1000 --map-group=1000 tcpdump)
fi
for n in "${!specs[@]}"; do
  echo "--- ${specs[n]}: ${filters[n]}"
  "${decode[@]}" -n -t -r "$dir/$n.pcap" "${filters[n]}" 2>/dev/null
done
exit "$status"
