#!/usr/bin/env bash
# node2's kube-proxy runs in iptables mode (node1's in nftables mode: kube-proxy-ip*.nft), so the
# lab shows both. Written by hand the way kube-proxy's iptables proxiers write the Service
# default/web: one proxier per family, each with its own tool and its own copy of every chain,
# `iptables` for 10.96.0.20, `ip6tables` for fd00:10:96::20. Run inside node2.
#
# Chain names are kube-proxy's: KUBE-SVC- plus the first 16 characters of
# base32(sha256("default/web:http" + "tcp")), the same in both families; KUBE-SEP- hashes that text
# followed by the endpoint as kube-proxy writes it, "10.244.1.2:8080" or "[fd00:10:244:1::2]:8080"
# (computed with ../services-by-hand/kube-names.sh).
# What a real node has beyond this: the filter-table chains (KUBE-FORWARD, KUBE-PROXY-FIREWALL,
# KUBE-EXTERNAL-SERVICES, KUBE-NODEPORTS), the KUBE-PROXY-CANARY chains, the kubernetes and
# kube-dns Services, and a sync loop fed by the API server.
set -euo pipefail

svc=KUBE-SVC-CDGGSHYLG3RE2FKL

# rules CLUSTER-IP CLUSTER-CIDR MASK-BITS EP-A-CHAIN EP-A EP-B-CHAIN EP-B: the nat table for one
# family, EP-* as kube-proxy writes an endpoint (IPv6 in brackets), MASK-BITS 32 or 128.
rules() {
  local vip=$1 cidr=$2 bits=$3 sep_a=$4 ep_a=$5 sep_b=$6 ep_b=$7
  local ip_a=${ep_a%:*} ip_b=${ep_b%:*}
  ip_a=${ip_a#[} ip_a=${ip_a%]} ip_b=${ip_b#[} ip_b=${ip_b%]}
  cat <<RULES
*nat
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SERVICES - [0:0]
:$svc - [0:0]
:$sep_a - [0:0]
:$sep_b - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SERVICES -d $vip/$bits -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j $svc
-A $svc ! -s $cidr -d $vip/$bits -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A $svc -m comment --comment "default/web:http -> $ep_a" -m statistic --mode random --probability 0.50000000000 -j $sep_a
-A $svc -m comment --comment "default/web:http -> $ep_b" -j $sep_b
-A $sep_a -s $ip_a/$bits -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A $sep_a -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination $ep_a
-A $sep_b -s $ip_b/$bits -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A $sep_b -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination $ep_b
COMMIT
RULES
}

# --noflush: keep what else is in the nat table (ip-masq-agent's chain, in IPv4).
rules 10.96.0.20 10.244.0.0/16 32 \
  KUBE-SEP-UIQK3OSOSTRHRPBX 10.244.1.2:8080 KUBE-SEP-4EX2N4PG4ASNZOBF 10.244.2.2:8080 | iptables-restore --noflush
rules fd00:10:96::20 fd00:10:244::/56 128 \
  KUBE-SEP-H7O6RF3OHH4D5VRR '[fd00:10:244:1::2]:8080' KUBE-SEP-44OAPYS4LDTTYJA2 '[fd00:10:244:2::2]:8080' | ip6tables-restore --noflush
