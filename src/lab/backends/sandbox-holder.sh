# The sandbox's holder: run by `unshare` inside the lab's fresh net + mount (+ user) namespaces.
# First it records itself (pid, start time, namespace ids, the lab's token) in the state file, so
# that `lab down` can find and verify the sandbox even if the engine that started it is killed a
# moment later. Then it gives the namespace a private /run (so `ip netns add` keeps its mount
# points in here) and a private /etc/netns (per-netns resolv.conf), brings up lo, says "ready", and
# sleeps until `lab down` kills it. Everything the lab creates lives in these namespaces.
set -eu
: "${LAB_STATE_FILE:?}" "${K8S_NET_LAB_TOKEN:?}" "${LAB_USERNS:?}"
stat=$(</proc/$$/stat)
read -r -a fields <<<"${stat##*) }"
printf '{"pid":%d,"startTime":"%s","userns":%s,"user":"%s","net":"%s","mnt":"%s","token":"%s"}\n' \
  "$$" "${fields[19]}" "$LAB_USERNS" "$(readlink /proc/$$/ns/user)" "$(readlink /proc/$$/ns/net)" \
  "$(readlink /proc/$$/ns/mnt)" "$K8S_NET_LAB_TOKEN" >"$LAB_STATE_FILE.tmp"
mv "$LAB_STATE_FILE.tmp" "$LAB_STATE_FILE"
mount -t tmpfs -o mode=0755 lab-run /run
mkdir -p /run/netns
if [ -d /etc/netns ]; then
  mount -t tmpfs -o mode=0755 lab-etc-netns /etc/netns
else
  # No /etc/netns on the host: overlay /etc with a throwaway upper layer so it can exist in here.
  mkdir -p /run/.lab-etc/upper /run/.lab-etc/work
  if mount -t overlay lab-etc -o lowerdir=/etc,upperdir=/run/.lab-etc/upper,workdir=/run/.lab-etc/work /etc; then
    mkdir -p /etc/netns
  else
    echo "warning: no private /etc/netns (overlay refused); per-namespace resolv.conf unavailable" >&2
  fi
fi
ip link set lo up
sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 2>/dev/null || true
echo ready
# Stay this process rather than exec `sleep`: while an exec replaces a process's memory, its
# /proc/<pid>/environ reads empty, and a step entering the lab at that moment would find a holder
# without the lab's token and refuse it (seen under load, right after "ready").
exec </dev/null >/dev/null 2>&1
while :; do sleep 3600 || true; done
