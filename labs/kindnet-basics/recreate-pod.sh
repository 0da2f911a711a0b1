#!/usr/bin/env bash
# recreate-pod.sh POD: delete a test pod and create it again from pods.yaml, so that the CNI plugin
# runs ADD for it afresh (with whatever configuration the node now has); waits until it is Ready.
set -euo pipefail
pod=${1:?usage: recreate-pod.sh <net-a1|net-a2|net-b1>}
kubectl -n kindnet-basics delete pod "$pod" --wait=true --timeout=60s
kubectl apply -f pods.yaml >/dev/null
kubectl -n kindnet-basics wait --for condition=Ready --timeout=120s "pod/$pod"
