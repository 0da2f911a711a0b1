#!/usr/bin/env bash
# usage: ./probe.sh OUTDIR DST:ADDRESS:PORT...
# Run inside one source's network namespace (matrix.sh does that). Probes every target at once
# and writes one mark per target to OUTDIR/DST.PORT: "." connected, "X" refused (the lab's rules
# answer a denied TCP connection with a reset, "Connection refused", and a denied DNS query with
# ICMP "administratively prohibited", which dig reports as "host unreachable"), "?" anything else. TCP probes use bash's /dev/tcp, so no program is started per probe: a matrix
# is nearly a hundred of them. DST "dns" is a real DNS query (dig, UDP, one try) instead.
# A probe that gets no answer at all gives up when the kernel does: setup.sh lowers
# net.ipv4.tcp_syn_retries in every namespace to 1, about 3 s.
set -uo pipefail
out=$1
shift
for target in "$@"; do
  IFS=: read -r dst ip port <<<"$target"
  file=$out/$dst.$port
  if [[ $dst == dns ]]; then
    (
      reply=$(dig +time=2 +tries=1 +short "@$ip" db.shop.svc.cluster.local 2>&1)
      case $reply in
        10.244.2.2) echo . ;;
        *"host unreachable"*) echo X ;;
        *) echo "?" ;;
      esac >"$file"
    ) &
  else
    (
      if : 2>"$file.err" 3<>"/dev/tcp/$ip/$port"; then
        echo . >"$file"
      else
        read -r err <"$file.err"
        if [[ $err == *"Connection refused"* ]]; then echo X >"$file"; else echo "?" >"$file"; fi
      fi
    ) &
  fi
done
wait
