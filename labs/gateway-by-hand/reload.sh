#!/usr/bin/env bash
# Reloads the Gateway's proxy after its configuration changed, the way a controller that renders
# a configuration file does (Envoy-based implementations push the change over xDS instead, with no
# reload). Like a controller, it refuses a configuration the proxy would reject, then asks
# HAProxy's master process to start a new worker with the new file and waits until the old
# worker has left, so that the next request is served by the new configuration.
set -euo pipefail
readonly cfg=/run/gateway-by-hand/haproxy.cfg master=/run/gateway-by-hand/master.sock

workers() { { echo 'show proc' | socat -t 1 - "UNIX-CONNECT:$master" 2>/dev/null || true; } | awk '$2 == "worker" { print $1 }'; }

haproxy -c -q -f "$cfg"
old=$(workers)
echo reload | socat -t 1 - "UNIX-CONNECT:$master" >/dev/null
for _ in $(seq 100); do
  now=$(workers)
  if [[ -n $now && -z $(comm -12 <(sort <<<"$old") <(sort <<<"$now")) ]]; then
    echo "reloaded: worker $(tr '\n' ' ' <<<"$now")replaces $(tr '\n' ' ' <<<"$old")"
    exit 0
  fi
  sleep 0.03
done
echo "reload.sh: HAProxy did not replace its worker within 3 s; see npm run lab -- logs gateway-by-hand" >&2
exit 1
