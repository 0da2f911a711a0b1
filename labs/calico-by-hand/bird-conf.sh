#!/usr/bin/env bash
# Prints one node's BIRD configuration, the way confd writes /etc/calico/confd/config/bird.cfg for
# the BIRD inside calico-node: a static blackhole per block the node owns, a kernel protocol that
# learns the CNI plugin's /32 pod routes and installs what BGP learned, and one iBGP session per
# peer node (Calico's node-to-node mesh, AS 64512, sessions named Mesh_<address>).
# This is BIRD 2 syntax (Debian's bird2); calico-node runs Calico's fork of BIRD 1.6, whose
# configuration says the same things in the older syntax.
#   bird-conf.sh NODE_ADDRESS BLOCK [PEER_ADDRESS...]
set -euo pipefail
me=${1:?node address} block=${2:?block CIDR}
shift 2
readonly pool=10.244.0.0/16

cat <<CONF
router id ${me};

# Interfaces: needed before anything can be routed through them.
protocol device { scan time 10; }

# The node's own subnet, so that a peer's address resolves as a next hop (the cali* veths carry no
# address and are left out, as in calico-node).
protocol direct { ipv4; interface -"cali*", "*"; }

# The kernel routing table. learn: take in routes other programs wrote (the CNI plugin's
# "<pod>/32 dev cali..." routes); export: install pool routes BIRD knows (its blackholes and what
# the peers announce), which "ip route" shows as "proto bird".
protocol kernel {
  ipv4 {
    import all;
    export filter { if net ~ ${pool} then accept; reject; };
  };
  learn;
  scan time 2;
  merge paths on;
}

# The blocks this node owns (calico-ipam's block affinities): dropped here unless a more specific
# route says which pod has the address.
protocol static { ipv4; route ${block} blackhole; }

# What goes to the peers: the block as a whole, never the /32s inside it; a /32 from somebody
# else's block is a borrowed address that lives here, so it is announced on its own.
filter calico_export {
  if net = ${block} then accept;
  if net ~ ${block} then reject;
  if net ~ ${pool} then accept;
  reject;
}

# iBGP between the nodes. The timers are short so that the lab converges in a second: BIRD waits
# 5 s before its first connection attempt by default, and calico-node uses connect delay 2 s,
# retry 5 s.
template bgp mesh {
  local ${me} as 64512;
  ipv4 { import all; export filter calico_export; };
  connect delay time 1;
  connect retry time 1;
  error wait time 1, 2;
}
CONF
for peer in "$@"; do
  printf 'protocol bgp Mesh_%s from mesh { neighbor %s as 64512; }\n' "${peer//./_}" "$peer"
done
