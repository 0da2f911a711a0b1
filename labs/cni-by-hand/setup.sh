#!/usr/bin/env bash
# Two nodes and an outside client on one segment, each node laid out like a Kubernetes node for
# its container runtime: /etc/cni/net.d with a configuration list, /opt/cni/bin with the reference
# plugins, /var/lib/cni for IPAM state and cached results (all under /run/NODE, the lab's private
# /run, so nothing touches this machine's own /var/lib/cni). Then the runtime (cni-runtime.sh)
# starts pods the way containerd would: pod-a and pod-b on node1.
# node2 is deliberately broken for the exercise: its plugin directory lacks portmap, so pod-c's
# ADD fails there, and so does the teardown that follows.
set -euo pipefail
# shellcheck source=../_lib/sandbox.sh
. "${LAB_LIB:-../_lib}/sandbox.sh"

# Where this system keeps the reference plugins: Debian and Ubuntu /usr/lib/cni, Fedora
# /usr/libexec/cni, an upstream release tarball /opt/cni/bin.
plugins=${CNI_PLUGINS_DIR:-}
if [[ -z $plugins ]]; then
  for dir in /usr/lib/cni /usr/libexec/cni /opt/cni/bin; do
    if [[ -x $dir/bridge && -x $dir/host-local ]]; then plugins=$dir; break; fi
  done
fi
if [[ -z $plugins ]]; then
  echo "the CNI reference plugins are not installed (apt-get install containernetworking-plugins, dnf install containernetworking-plugins), or set CNI_PLUGINS_DIR" >&2
  exit 1
fi

# The segment: a bridge in its own namespace, with node1, node2 and a client outside the cluster.
new_netns lan
ip -n lan link add br0 type bridge
ip -n lan link set br0 up
plug() {
  local ns=$1 port=$2 addr=$3
  ip link add eth0 netns "$ns" type veth peer name "$port" netns lan
  ip -n lan link set "$port" master br0 up
  ip -n "$ns" addr add "$addr" dev eth0
  ip -n "$ns" link set eth0 up
}
make_node node1
make_node node2
new_netns outside
plug node1 port1 192.168.0.11/24
plug node2 port2 192.168.0.12/24
plug outside port9 192.168.0.100/24

for node in node1 node2; do
  mkdir -p "/run/$node/etc/cni/net.d" "/run/$node/opt/cni/bin" "/run/$node/var/lib/cni"
  # /opt/cni/bin as a plugin's init container fills it: every reference plugin (links here).
  ln -s "$plugins"/* "/run/$node/opt/cni/bin/"
done
# The watching wrapper under the names of the plugins the chain uses, for the chain-prevresult step.
mkdir -p /run/node1/opt/cni/tee
for name in bridge host-local portmap bandwidth; do ln -s "$LAB_DIR/cni-tee.sh" "/run/node1/opt/cni/tee/$name"; done
# node2's plugin directory never got portmap (the exercise).
rm "/run/node2/opt/cni/bin/portmap"

# The configuration list, as the network agent writes it from the node's podCIDR: node1's is the
# file in this folder, node2's the same with its own range and IPAM directory.
cp 10-podnet.conflist /run/node1/etc/cni/net.d/
jq '.plugins[0].ipam.ranges = [[{subnet: "10.244.2.0/24"}]]
    | .plugins[0].ipam.dataDir = "/run/node2/var/lib/cni/networks"' \
  10-podnet.conflist >/run/node2/etc/cni/net.d/10-podnet.conflist

# The kubelet asks for three pod sandboxes.
for pod in pod-a pod-b; do
  ./cni-runtime.sh -n node1 add "$pod" >"/run/node1/$pod.result" 2>"/run/node1/$pod.log" || { cat "/run/node1/$pod.log" >&2; exit 1; }
done
if ./cni-runtime.sh -n node2 add pod-c >/run/node2/pod-c.result 2>/run/node2/pod-c.log; then
  echo "setup: pod-c started on node2 although node2 has no portmap plugin" >&2
  exit 1
fi
