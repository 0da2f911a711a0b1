#!/usr/bin/env bash
# on-node.sh NODE COMMAND...: run a command in a kind node's root namespace, with Docker or with
# Podman when the lab runs on it (KIND_EXPERIMENTAL_PROVIDER=podman). stdin is passed through.
set -euo pipefail
node=${1:?usage: on-node.sh <node> <command...>}
shift
exec "${KIND_EXPERIMENTAL_PROVIDER:-docker}" exec -i "$node" "$@"
