#!/usr/bin/env bash
# Adds the `log` plugin to kubeadm's Corefile (one line per query on CoreDNS's standard output)
# and restarts CoreDNS so that every replica runs it at once, instead of waiting for the `reload`
# plugin and the kubelet's ConfigMap sync (up to a minute or two). Idempotent.
set -euo pipefail
corefile=$(kubectl -n kube-system get configmap coredns -o jsonpath='{.data.Corefile}')
if ! grep -qE '^\s*log$' <<<"$corefile"; then
  kubectl -n kube-system get configmap coredns -o yaml \
    | sed -E 's/^(\s*)errors$/\1errors\n\1log/' \
    | kubectl apply -f -
  kubectl -n kube-system rollout restart deployment/coredns
fi
kubectl -n kube-system rollout status deployment/coredns --timeout=3m
