#!/usr/bin/env bash
# kindnetd.sh pause|resume: take kindnetd off every node (a nodeSelector no node matches) or put it
# back. kindnetd repairs its routes every 10 s and its masquerade rules every 60 s; a check can only
# be shown to fail on a missing route or rule while nothing puts it back.
set -euo pipefail
case ${1:?usage: kindnetd.sh pause|resume} in
  pause)
    kubectl -n kube-system patch daemonset kindnet --type merge \
      -p '{"spec":{"template":{"spec":{"nodeSelector":{"kindnet-basics.lab/paused":"true"}}}}}'
    kubectl -n kube-system wait --for delete pod -l app=kindnet --timeout=90s
    ;;
  resume)
    kubectl -n kube-system patch daemonset kindnet --type json \
      -p '[{"op":"remove","path":"/spec/template/spec/nodeSelector/kindnet-basics.lab~1paused"}]'
    kubectl -n kube-system rollout status daemonset/kindnet --timeout=120s
    ;;
  *) echo "usage: kindnetd.sh pause|resume" >&2; exit 2 ;;
esac
