#!/usr/bin/env bash
# Installs the system packages the test suite and the sandbox labs need, from the system's own
# package manager (never a browser download). Debian/Ubuntu: installs with apt-get (via sudo when
# not root). Other systems: prints what to install and exits non-zero.
#   npm run system-deps
set -euo pipefail

# chromium: browser tests and rendering new diagrams; the rest: sandbox labs (namespaces, veth,
# bridges, iptables/nftables, captures, DNS) and lab validation (shellcheck). The second line is
# the real software the sandbox labs drive: the reference CNI plugins, BIRD (Calico's BGP daemon),
# an L7 proxy for a Gateway's data plane, a DNS resolver (cluster DNS, node-local cache, DNS64),
# NAT64 and IPv6 neighbour discovery tools.
debian_packages=(
  chromium fonts-dejavu-core
  iproute2 util-linux procps coreutils iptables nftables conntrack tcpdump iputils-ping socat busybox
  dnsmasq-base bind9-dnsutils shellcheck curl openssl jq
  containernetworking-plugins bird2 haproxy nginx-light unbound tayga radvd ndisc6
  # a real gRPC server and client (the grpc module for the system's python3): gateway-by-hand's GRPCRoute
  python3-grpcio
)
fedora_packages="chromium dejavu-sans-fonts iproute util-linux procps-ng coreutils iptables-nft nftables conntrack-tools tcpdump iputils socat busybox dnsmasq bind-utils ShellCheck curl openssl jq containernetworking-plugins bird haproxy nginx unbound tayga radvd ndisc6 python3-grpcio"

if command -v apt-get >/dev/null 2>&1; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "system-deps: not root and no sudo: run as root: apt-get install ${debian_packages[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  missing=()
  for p in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "system-deps: all ${#debian_packages[@]} Debian packages already installed"
    exit 0
  fi
  echo "system-deps: installing ${missing[*]}"
  # The labs start these daemons themselves, inside their namespaces. Installing a package must not
  # start its service on this machine (haproxy, nginx, unbound, bird and radvd ship one): a
  # policy-rc.d that says "no" keeps invoke-rc.d from starting anything during the install.
  policy=/usr/sbin/policy-rc.d
  added_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    added_policy=1
  fi
  trap '[ -n "$added_policy" ] && "${sudo[@]}" rm -f "$policy"' EXIT
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "system-deps: done"
elif command -v dnf >/dev/null 2>&1; then
  echo "system-deps: on Fedora run: sudo dnf install $fedora_packages" >&2
  exit 1
else
  echo "system-deps: this system has neither apt-get nor dnf. Install Chromium (or set CHROMIUM_PATH to a Chrome/Chromium)," >&2
  echo "and for sandbox labs a Linux with: iproute2, util-linux (unshare, nsenter, setsid), procps (sysctl), coreutils (timeout), iptables, nftables, conntrack, tcpdump, iputils ping, socat, busybox, dnsmasq, dig, shellcheck, curl, openssl, jq, the CNI reference plugins, bird2, haproxy, nginx, unbound, tayga, radvd, ndisc6, Python 3 with grpcio." >&2
  exit 1
fi
