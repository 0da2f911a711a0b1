#!/usr/bin/env bash
# usage: ./hostport.sh ADD|DEL
#
# web-a's hostPort 8088 (container port 8080), published the way a container runtime does it on a
# kind node: kindnet's configuration list chains `portmap` after `ptp`, so the runtime runs the
# real portmap plugin with ptp's result as "prevResult" and the pod's port mappings (the kubelet
# passes the pod spec's hostPort entries as the `portMappings` capability) as "runtimeConfig".
# portmap-node1.json is that plugin's stdin without prevResult. ADD programs one DNAT per address
# family of the pod (iptables and ip6tables, nat table); DEL removes both.
# Run it in the lab's outer namespace (target host); the plugin runs in node1's network namespace.
set -euo pipefail
cd "$(dirname "$0")"
command=${1:?usage: hostport.sh ADD|DEL}

cni_path=
for dir in /usr/lib/cni /usr/libexec/cni /opt/cni/bin; do
  if [[ -x $dir/portmap ]]; then cni_path=$dir; break; fi
done
[[ -n $cni_path ]] || { echo "needs the reference CNI plugins (portmap): apt-get install containernetworking-plugins" >&2; exit 1; }

# The plugin's stdin: its configuration with ptp's cached ADD result spliced in as prevResult.
conf=$(<portmap-node1.json)
conf="${conf%\}*},\"prevResult\":$(</run/cni-results/web-a.json)}"
ip netns exec node1 env CNI_COMMAND="$command" CNI_CONTAINERID=web-a CNI_NETNS=/run/netns/web-a \
  CNI_IFNAME=eth0 CNI_PATH="$cni_path" "$cni_path/portmap" <<<"$conf" >/dev/null
echo "portmap $command for web-a: ok"
