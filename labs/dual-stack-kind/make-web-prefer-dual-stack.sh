#!/usr/bin/env bash
# Undoes make-web-prefer-single-stack.sh: back to PreferDualStack with the same IPv6 ClusterIP
# (a Service may gain a secondary ClusterIP; its primary one never changes).
set -euo pipefail
kubectl -n dual-stack patch service web-prefer --type merge \
  -p '{"spec":{"ipFamilyPolicy":"PreferDualStack","ipFamilies":["IPv4","IPv6"],"clusterIPs":["10.96.100.20","fd00:10:96::20"]}}'
for _ in $(seq 60); do
  kubectl -n dual-stack get endpointslices -l kubernetes.io/service-name=web-prefer \
    -o jsonpath='{.items[*].addressType}' | grep -q IPv6 && break
  sleep 0.5
done
sleep 3
