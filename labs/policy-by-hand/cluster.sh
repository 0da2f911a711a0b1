#!/usr/bin/env bash
# shellcheck disable=SC2034 # every variable here is read by the scripts that source this file
# The lab's cluster, as data: every script of the lab sources this file. One line per pod:
#   netns  namespace/name  node  address  labels
# A pod's network namespace is named after the pod (its node-side veth is veth-<netns>).
# "Namespaces" here are only names and labels: the sandbox has no API server.
readonly PODS="\
web      shop/web          node1  10.244.1.2   app=web
db       shop/db           node2  10.244.2.2   app=db
client   tools/client      node1  10.244.1.3   app=client
batch    tools/batch       node2  10.244.2.3   app=batch
kube-dns kube-system/dns   node2  10.244.2.10  k8s-app=kube-dns"

# Namespace labels (kubernetes.io/metadata.name is set on every namespace by the API server).
readonly NAMESPACES="\
shop         kubernetes.io/metadata.name=shop
tools        kubernetes.io/metadata.name=tools
kube-system  kubernetes.io/metadata.name=kube-system"

# The DNS Service (kube-dns) as pods see it, and what each node's kube-proxy rules DNAT it to.
readonly DNS_SERVICE_IP=10.96.0.10
readonly DNS_POD_IP=10.244.2.10

# A host outside the cluster, behind node2, with two addresses: one inside the ipBlock the
# policies allow, one inside its `except`.
readonly OUTSIDE_ALLOWED=203.0.113.10
readonly OUTSIDE_EXCEPTED=203.0.113.200

# pod_field NETNS COLUMN  ->  one column (1-5) of that pod's line
pod_field() {
  awk -v n="$1" -v c="$2" '$1 == n { print $c }' <<<"$PODS"
}

# Run rather than sourced: print the cluster.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  echo "namespace labels:"
  awk '{ print "  " $0 }' <<<"$NAMESPACES"
  echo "pods (netns  namespace/name  node  address  labels):"
  awk '{ print "  " $0 }' <<<"$PODS"
  echo "outside host: $OUTSIDE_ALLOWED and $OUTSIDE_EXCEPTED (behind node2)"
  echo "kube-dns Service: $DNS_SERVICE_IP:53 -> $DNS_POD_IP:53 (DNAT on both nodes)"
fi
