#!/usr/bin/env bash
# connect.sh HOST PORT [COUNT]: COUNT new TCP connections (default 1), one after the other, each
# printing the first line the server sends. bash's /dev/tcp is quicker than starting a client
# program per connection. A connection that fails ends the loop with bash's error message; wrap
# the call in `timeout` where a dropped SYN could leave it waiting.
set -euo pipefail
host=$1 port=$2 count=${3:-1}
for ((i = 0; i < count; i++)); do
  exec 3<>"/dev/tcp/$host/$port"
  if ! IFS= read -r -t 2 line <&3; then
    echo "connect.sh: no answer from $host:$port" >&2
    exit 1
  fi
  exec 3<&-
  echo "$line"
done
