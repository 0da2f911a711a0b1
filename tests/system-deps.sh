#!/usr/bin/env bash
# Installs the system packages the test suite and the sandbox labs need, from the system's own
# package manager (never a browser download). Debian/Ubuntu: installs with apt-get (via sudo when
# not root). Other systems: prints what to install and exits non-zero.
#   npm run system-deps
set -euo pipefail

# chromium: browser tests and rendering new diagrams; the rest: sandbox labs (namespaces, veth,
# bridges, iptables/nftables, captures, DNS) and lab validation (shellcheck).
debian_packages=(
  chromium fonts-dejavu-core
  iproute2 util-linux iptables nftables conntrack tcpdump iputils-ping socat busybox
  dnsmasq-base bind9-dnsutils shellcheck
)
fedora_packages="chromium dejavu-sans-fonts iproute util-linux iptables-nft nftables conntrack-tools tcpdump iputils socat busybox dnsmasq bind-utils ShellCheck"

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
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "system-deps: done"
elif command -v dnf >/dev/null 2>&1; then
  echo "system-deps: on Fedora run: sudo dnf install $fedora_packages" >&2
  exit 1
else
  echo "system-deps: this system has neither apt-get nor dnf. Install Chromium (or set CHROMIUM_PATH to a Chrome/Chromium)," >&2
  echo "and for sandbox labs a Linux with: iproute2, util-linux (unshare, nsenter), iptables, nftables, conntrack, tcpdump, ping, socat, busybox, dnsmasq, dig, shellcheck." >&2
  exit 1
fi
