#!/usr/bin/env bash
# agent.sh pause|resume NODE: take the Cilium agent off one node (a nodeAffinity that excludes it)
# or put it back. The BPF programs and maps stay in the kernel while the agent is away; only what
# the agent itself answers (cilium-dbg) is gone.
set -euo pipefail
action=${1:?usage: agent.sh pause|resume <node>} node=${2:?usage: agent.sh pause|resume <node>}
case $action in
  pause)
    kubectl -n kube-system patch daemonset cilium --type merge -p "{\"spec\":{\"template\":{\"spec\":{\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"kubernetes.io/hostname\",\"operator\":\"NotIn\",\"values\":[\"$node\"]}]}]}}}}}}}"
    kubectl -n kube-system wait --for delete pod -l k8s-app=cilium --field-selector "spec.nodeName=$node" --timeout=120s
    ;;
  resume)
    kubectl -n kube-system patch daemonset cilium --type json -p '[{"op":"remove","path":"/spec/template/spec/affinity/nodeAffinity"}]'
    kubectl -n kube-system rollout status daemonset/cilium --timeout=5m
    ;;
  *) echo "usage: agent.sh pause|resume <node>" >&2; exit 2 ;;
esac
