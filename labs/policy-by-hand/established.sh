#!/usr/bin/env bash
# An open connection outlives a policy that would refuse it. With no policy loaded, tools/client
# opens a connection to shop/web:80 (the server echoes what it gets); then the policy set
# deny-ingress is loaded, which isolates shop/web. The open connection keeps working, because the
# rules accept packets of connections conntrack already knows before looking at any policy; a new
# connection is refused.
# Run it from the lab folder, in the lab's outer namespace (target host).
set -euo pipefail
cd "$(dirname "$0")"

./apply.sh none >/dev/null
echo "no policy loaded; tools/client connects to shop/web:80"
coproc CONN { exec ip netns exec client socat - TCP:10.244.1.2:80,connect-timeout=2 2>&1; }
trap 'kill "$CONN_PID" 2>/dev/null || true' EXIT

# say WORD: send a line on the open connection and print what comes back (nothing within 2 s
# means the connection is dead).
say() {
  local reply=
  echo "$1" >&"${CONN[1]}"
  if read -r -t 2 reply <&"${CONN[0]}"; then echo "  sent \"$1\", echoed \"$reply\""; else echo "  sent \"$1\", no echo"; fi
}

say before
./apply.sh deny-ingress | sed 's/^/  /'
say after
# The entry that lets it through, fetched by its exact tuple (a get, not a dump of the whole
# table, which the probes of other steps have filled with TIME_WAIT entries).
sport=$(ip netns exec client ss -tnH state established dst 10.244.1.2:80 | awk '{ split($3, a, ":"); print a[2]; exit }')
ip netns exec node1 conntrack -G -p tcp -s 10.244.1.3 -d 10.244.1.2 --sport "${sport:-0}" --dport 80 2>/dev/null |
  sed 's/^/  node1 conntrack: /' || echo "  node1 conntrack: no entry for port ${sport:-?}"

if err=$(ip netns exec client socat -u OPEN:/dev/null TCP:10.244.1.2:80,connect-timeout=2 2>&1); then
  echo "a new connection from tools/client to shop/web:80: connected"
else
  echo "a new connection from tools/client to shop/web:80: ${err##*: }"
fi
