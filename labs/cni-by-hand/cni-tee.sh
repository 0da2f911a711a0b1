#!/usr/bin/env bash
# A CNI plugin that only watches: installed under the name of another plugin (a symlink called
# "bridge", "portmap", ...) in a directory placed first in CNI_PATH, it appends the command and
# the stdin it was given to a log, one JSON object per call, and hands the call to the real plugin
# of that name found in the rest of CNI_PATH. Delegated calls (bridge running host-local) go
# through CNI_PATH too, so they are logged as well.
#   log: $CNI_TEE_LOG (default /run/cni-tee.log)
set -uo pipefail
name=$(basename "$0")
self_dir=$(cd "$(dirname "$0")" && pwd)
stdin=$(cat)

real=
IFS=: read -ra dirs <<<"${CNI_PATH:-}"
for dir in "${dirs[@]}"; do
  [[ $dir == "$self_dir" ]] && continue
  if [[ -x $dir/$name ]]; then real=$dir/$name; break; fi
done
if [[ -z $real ]]; then
  printf '{"cniVersion":"1.0.0","code":7,"msg":"cni-tee: no real %s in CNI_PATH"}\n' "$name"
  exit 1
fi

# The runtime and the plugins pass configurations as one line of JSON: logged as they are.
printf '{"plugin":"%s","command":"%s","ifname":"%s","stdin":%s}\n' \
  "$name" "${CNI_COMMAND:-}" "${CNI_IFNAME:-}" "$stdin" >>"${CNI_TEE_LOG:-/run/cni-tee.log}"
exec "$real" <<<"$stdin"
