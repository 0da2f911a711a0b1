#!/usr/bin/env bash
# show.sh FILE BLOCK...: a Gateway API object from the lab folder, then the blocks of the running
# proxy configuration that implement it (each between `# >>> BLOCK` and `# <<<` in
# /run/gateway-by-hand/haproxy.cfg, the copy the proxy runs and the exercise edits).
set -euo pipefail
file=$1
shift
echo "── Gateway API: $file"
grep -v '^#' "$file"
for block in "$@"; do
  echo
  echo "── HAProxy: block '$block' of /run/gateway-by-hand/haproxy.cfg"
  awk -v start="# >>> $block" '$0 == start { on = 1; next } on && $0 == "# <<<" { exit } on' /run/gateway-by-hand/haproxy.cfg
done
