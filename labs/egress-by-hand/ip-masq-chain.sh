#!/usr/bin/env bash
# ip-masq-chain.sh CIDR...: rewrites the IP-MASQ-AGENT chain of the current network namespace
# the way ip-masq-agent does on each sync, for a nonMasqueradeCIDRs list given as arguments (and
# masqLinkLocal false): the chain is declared again in an iptables-restore --noflush input, which
# empties it atomically, then one RETURN per listed range after the link-local one, and
# MASQUERADE last. The POSTROUTING jump to the chain is setup's and stays. A hand-written
# imitation of the agent (kubernetes-sigs/ip-masq-agent), not the agent.
set -euo pipefail
readonly keep='-m comment --comment "ip-masq-agent: local traffic is not subject to MASQUERADE" -j RETURN'
{
  echo '*nat'
  echo ':IP-MASQ-AGENT - [0:0]'
  echo "-A IP-MASQ-AGENT -d 169.254.0.0/16 $keep"
  for cidr in "$@"; do echo "-A IP-MASQ-AGENT -d $cidr $keep"; done
  echo '-A IP-MASQ-AGENT -m comment --comment "ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE --random-fully'
  echo 'COMMIT'
} | iptables-restore --noflush
