#!/usr/bin/env bash
# recreate-pod.sh POD: delete a test pod and create it again from pods.yaml, so that the CNI plugin
# runs ADD for it afresh (with whatever subnet.env now says); waits until it is Ready.
set -euo pipefail
pod=${1:?usage: recreate-pod.sh <pod-a|pod-b|pod-c>}
kubectl delete pod "$pod" --wait=true --timeout=60s
kubectl apply -f pods.yaml >/dev/null
kubectl wait --for condition=Ready --timeout=120s "pod/$pod"
