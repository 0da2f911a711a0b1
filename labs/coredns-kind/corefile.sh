#!/usr/bin/env bash
# corefile.sh autopath|restore: switch kubeadm's Corefile to server-side search (autopath, which
# needs `pods verified`) or back to what it was, then restart CoreDNS so that every replica runs
# the new Corefile at once. The original is kept in the ConfigMap's annotation.
set -euo pipefail
cm=(kubectl -n kube-system get configmap coredns)
apply_corefile() {
  kubectl -n kube-system create configmap coredns --from-literal=Corefile="$1" --dry-run=client -o yaml \
    | kubectl apply -f -
}
case ${1:-} in
  autopath)
    current=$("${cm[@]}" -o jsonpath='{.data.Corefile}')
    if ! grep -q 'autopath @kubernetes' <<<"$current"; then
      kubectl -n kube-system annotate configmap coredns --overwrite "original-corefile=$current" >/dev/null
      apply_corefile "$(sed -E 's/^(\s*)kubernetes cluster\.local/\1autopath @kubernetes\n&/; s/pods insecure/pods verified/' <<<"$current")"
    fi
    ;;
  restore)
    original=$("${cm[@]}" -o jsonpath='{.metadata.annotations.original-corefile}')
    [[ -n $original ]] || exit 0
    apply_corefile "$original"
    kubectl -n kube-system annotate configmap coredns original-corefile- >/dev/null
    ;;
  *) echo "usage: $0 autopath|restore" >&2; exit 2 ;;
esac
kubectl -n kube-system rollout restart deployment/coredns >/dev/null
kubectl -n kube-system rollout status deployment/coredns --timeout=3m
