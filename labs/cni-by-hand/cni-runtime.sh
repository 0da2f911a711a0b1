#!/usr/bin/env bash
# A container runtime's network half, small enough to read: what containerd and CRI-O do through
# libcni when the kubelet asks for a pod sandbox (RunPodSandbox) or removes one (StopPodSandbox).
#
#   cni-runtime.sh [-n NODE] add|check|del POD
#
# ADD: create and pin the pod's network namespace, bring up lo with the loopback plugin (as
# containerd does), load the first configuration list in the node's /etc/cni/net.d (lexical
# order), then run each plugin of the list in order with the CNI environment variables and the
# plugin's configuration on stdin, adding "name", "cniVersion", the previous plugin's result as
# "prevResult" and the capability arguments the plugin declared as "runtimeConfig" (libcni's
# buildOneConfig and injectRuntimeConfig). The last result is cached under
# /var/lib/cni/results/<network>-<container id>-<ifname> and printed. If a plugin fails, the runtime
# tears down with DEL, as containerd's RunPodSandbox does.
# CHECK: every plugin in order, each given the cached result as prevResult.
# DEL: every plugin in reverse order with the cached result, then the cache and the namespace go.
#
# What the real runtimes add: the sandbox ID is random (here a hash of the pod name), the
# namespace lives at /var/run/netns/cni-<uuid> (containerd) or is pinned by pinns (CRI-O), the
# configuration directory is watched and reloaded, several attachments and networks per pod,
# timeouts and locking, conversions between result versions, CNI_ARGS with the pod UID, the pod's
# annotations as a capability, DNS settings, spec 1.1's STATUS and GC, and the pod IPs reported
# back to the kubelet over the CRI.
#
# Each node keeps its files under /run/NODE (the lab's private /run): etc/cni/net.d (configuration),
# opt/cni/bin (plugins), var/lib/cni (libcni's result cache). The capability arguments of a pod
# (what the kubelet passes for its hostPorts and bandwidth annotations) are in pods/POD.json.
# CNI_PATH and CNI_CONF_DIR in the environment override the node's plugin and configuration
# directories (containerd's bin_dirs and conf_dir settings).
set -euo pipefail

node=node1
if [[ ${1:-} == -n ]]; then
  node=${2:?usage: cni-runtime.sh [-n NODE] add|check|del POD}
  shift 2
fi
command=${1:?usage: cni-runtime.sh [-n NODE] add|check|del POD}
pod=${2:?usage: cni-runtime.sh [-n NODE] add|check|del POD}
lab_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
netns=/run/netns/$pod

say() { printf '%s\n' "$*" >&2; }
# one_line TEXT: a plugin's (pretty-printed) error object on one line, for the log.
one_line() {
  local text=${1//$'\n'/ }
  while [[ $text == *'  '* ]]; do text=${text//  / }; done
  printf '%s' "${text:-(no output)}"
}

# The namespace is created and removed here, in the runtime's own mount namespace (pinned under
# /run/netns, where `ip netns` and the steps find it); the plugins then run in the node's network
# namespace, where the runtime lives on a real node. Inner exit codes: 0 done, 1 failed and torn
# down, 2 failed and the teardown failed too.
if [[ ${CNI_RUNTIME_INNER:-} != 1 ]]; then
  if [[ $command == add ]]; then
    if [[ -e $netns ]]; then
      say "$pod already has a sandbox ($netns): remove it first (cni-runtime.sh -n $node del $pod)"
      exit 1
    fi
    ip netns add "$pod"
  fi
  status=0
  CNI_RUNTIME_INNER=1 ip netns exec "$node" "$lab_dir/cni-runtime.sh" -n "$node" "$command" "$pod" || status=$?
  if [[ ($command == add && $status == 1) || ($command == del && $status == 0) ]]; then
    ip netns del "$pod" 2>/dev/null || true
  fi
  exit $((status == 0 ? 0 : 1))
fi

root=/run/$node
conf_dir=${CNI_CONF_DIR:-$root/etc/cni/net.d}
cni_path=${CNI_PATH:-$root/opt/cni/bin}
cache_dir=$root/var/lib/cni/results
ifname=eth0
# The sandbox ID stands in for the random 64-hex-digit ID a runtime generates.
container_id=$(printf '%s/%s' "$node" "$pod" | sha256sum | cut -c1-64)
cni_args="IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=$pod;K8S_POD_INFRA_CONTAINER_ID=$container_id"
loopback_conf='{"cniVersion":"1.0.0","name":"cni-loopback","type":"loopback"}'

# The first configuration list in lexical order, as containerd (max_conf_num = 1) and CRI-O pick it.
conflist=
for file in "$conf_dir"/*.conflist; do
  if [[ -f $file ]]; then conflist=$file; break; fi
done
[[ -n $conflist ]] || { say "no network configuration in $conf_dir: the node is NotReady (NetworkReady=false)"; exit 1; }
# One jq call reads the list: its name, cniVersion (unused here), disableCheck, then per plugin its type and its
# stdin without prevResult (the plugin's own object plus "name", "cniVersion" and, as libcni's
# injectRuntimeConfig does, a "runtimeConfig" with only the capabilities the plugin declares).
if ! meta=$(jq -re --slurpfile caps "$lab_dir/pods/$pod.json" '
    select(.name and .cniVersion and (.plugins | length > 0))
    | . as $list
    | $list.name, $list.cniVersion, ($list.disableCheck == true),
      ($list.plugins[] | .type // error("a plugin without type")),
      ($list.plugins[]
        | (.capabilities // {} | to_entries | map(select(.value) | .key)) as $declared
        | ($caps[0] | with_entries(select(.key as $k | $declared | index($k)))) as $rc
        | . + {name: $list.name, cniVersion: $list.cniVersion}
        + (if ($rc | length) > 0 then {runtimeConfig: $rc} else {} end)
        | tojson)' "$conflist" 2>&1); then
  say "$conflist: not a usable configuration list: ${meta:-needs name, cniVersion and plugins}"
  exit 1
fi
mapfile -t meta <<<"$meta"
network=${meta[0]} disable_check=${meta[2]}
count=$(((${#meta[@]} - 3) / 2))
types=("${meta[@]:3:count}")
configs=("${meta[@]:3+count}")
cache_file=$cache_dir/$network-$container_id-$ifname

# find_plugin TYPE: the first CNI_PATH directory holding an executable of that name.
find_plugin() {
  local dir dirs
  IFS=: read -ra dirs <<<"$cni_path"
  for dir in "${dirs[@]}"; do
    if [[ -x $dir/$1 ]]; then
      echo "$dir/$1"
      return 0
    fi
  done
  say "failed to find plugin \"$1\" in path [${cni_path//:/ }]"
  return 1
}

# plugin_config INDEX PREV_RESULT: the stdin of plugin INDEX, as libcni builds it: the previous
# result goes in as "prevResult" (a JSON object ends with "}", so it is spliced in before it).
plugin_config() {
  local config=${configs[$1]}
  if [[ $2 == null ]]; then
    printf '%s' "$config"
  else
    printf '%s,"prevResult":%s}' "${config%\}}" "$2"
  fi
}

# run_plugin COMMAND TYPE IFNAME STDIN: exec one plugin; its stdout (result or error) on stdout.
run_plugin() {
  local binary
  binary=$(find_plugin "$2") || return 1
  CNI_COMMAND=$1 CNI_CONTAINERID=$container_id CNI_NETNS=$netns CNI_IFNAME=$3 \
    CNI_ARGS=$cni_args CNI_PATH=$cni_path "$binary" <<<"$4"
}

# cached_result: the "result" member of the cache entry, which this script writes last.
cached_result() {
  local entry
  entry=$(<"$cache_file")
  entry=${entry#*\"result\":}
  printf '%s' "${entry%\}}"
}

# del_list PREV_RESULT: DEL through the list in reverse; stops at the first failure, like libcni.
del_list() {
  local i out
  for ((i = count - 1; i >= 0; i--)); do
    if ! out=$(run_plugin DEL "${types[i]}" "$ifname" "$(plugin_config "$i" "$1")"); then
      say "DEL ${types[i]}: failed: $(one_line "$out")"
      return 1
    fi
    say "DEL ${types[i]}: ok"
  done
}

case $command in
add)
  say "network $network from $conflist, sandbox ${container_id:0:12}"
  # lo first, with the loopback plugin in a network of its own (containerd's cni-loopback).
  run_plugin ADD loopback lo "$loopback_conf" >/dev/null
  result=null
  for ((i = 0; i < count; i++)); do
    if ! out=$(run_plugin ADD "${types[i]}" "$ifname" "$(plugin_config "$i" "$result")"); then
      say "ADD ${types[i]}: failed: $(one_line "$out")"
      say "failed to set up the sandbox: tearing its network down again (DEL)"
      del_list null && exit 1
      say "teardown failed too: the sandbox $netns and what the plugins made stay until a DEL succeeds"
      exit 2
    fi
    say "ADD ${types[i]}: ok"
    result=$out
  done
  mkdir -p "$cache_dir"
  # The cache entry libcni writes (kind cniCacheV1): what DEL and CHECK will need later. The
  # result is written last, so that cached_result can take it back without a JSON parser.
  printf '{"kind":"cniCacheV1","containerId":"%s","ifName":"%s","networkName":"%s","netns":"%s","capabilityArgs":%s,"result":%s}\n' \
    "$container_id" "$ifname" "$network" "$netns" "$(<"$lab_dir/pods/$pod.json")" "$result" >"$cache_file"
  printf '%s\n' "$result"
  ;;
check)
  if [[ $disable_check == true ]]; then
    say "CHECK disabled for network $network"
    exit 0
  fi
  [[ -f $cache_file ]] || { say "no cached result for $pod: it has no attachment to check"; exit 1; }
  cached=$(cached_result)
  for ((i = 0; i < count; i++)); do
    if ! out=$(run_plugin CHECK "${types[i]}" "$ifname" "$(plugin_config "$i" "$cached")"); then
      say "CHECK ${types[i]}: failed: $(one_line "$out")"
      exit 1
    fi
    say "CHECK ${types[i]}: ok"
  done
  ;;
del)
  cached=null
  [[ -f $cache_file ]] && cached=$(cached_result)
  del_list "$cached" || exit 1
  run_plugin DEL loopback lo "$loopback_conf" >/dev/null || true
  rm -f "$cache_file"
  ;;
*)
  say "unknown command $command: add, check or del"
  exit 1
  ;;
esac
