#!/usr/bin/env bash
# Breaks what several steps read, the way a wrong manifest would: web-prefer switched to
# SingleStack. The API server keeps only the first ClusterIP (IPv4) and releases the IPv6 one, the
# EndpointSlice controller deletes the IPv6 slice, kube-proxy drops the Service from
# `ip6 kube-proxy`. Returns once the slice is gone and kube-proxy has had time to sync.
set -euo pipefail
kubectl -n dual-stack patch service web-prefer --type merge -p '{"spec":{"ipFamilyPolicy":"SingleStack"}}'
for _ in $(seq 60); do
  kubectl -n dual-stack get endpointslices -l kubernetes.io/service-name=web-prefer \
    -o jsonpath='{.items[*].addressType}' | grep -q IPv6 || break
  sleep 0.5
done
sleep 3   # kube-proxy's minimum sync period is 1 s; give it a few
