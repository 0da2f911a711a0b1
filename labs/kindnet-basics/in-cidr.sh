#!/usr/bin/env bash
# Usage: in-cidr.sh <IPv4 address> <IPv4 CIDR>
# Prints "inside" and exits 0 when the address lies in the CIDR, else prints "outside" and exits 1.
set -euo pipefail

to_int() {
  local a b c d
  IFS=. read -r a b c d <<<"$1"
  echo $(((a << 24) | (b << 16) | (c << 8) | d))
}

ip="$1"
network="${2%/*}"
bits="${2#*/}"
mask=$(((0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF))
if (($(($(to_int "$ip") & mask)) == $(($(to_int "$network") & mask)))); then
  echo "inside: $ip is in $2"
else
  echo "outside: $ip is not in $2"
  exit 1
fi
