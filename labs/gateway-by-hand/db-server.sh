#!/usr/bin/env bash
# The db pod's TCP server, one run per connection (socat's fork): says which address the TCP
# connection came from and what its first line was. Behind a proxy that speaks the PROXY
# protocol, that first line is the PROXY header with the real client's address.
IFS= read -r line || true
printf 'db: connection from %s; first line: %s\n' "${SOCAT_PEERADDR:-?}" "${line%$'\r'}"
