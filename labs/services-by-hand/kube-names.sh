# shellcheck shell=bash
# kube-proxy's chain names, computed the way kube-proxy computes them, so every name in this lab's
# rules is the one a real node would show for the same Service port and endpoint.
#
# iptables mode: PREFIX + the first 16 characters of base32(sha256(text)), 28 characters at most
#   (KUBE-SVC-/SVL-/EXT-: text = "<namespace>/<name>:<port name><protocol>";
#    KUBE-SEP-: the same text followed by "<endpoint IP>:<port>").
# nftables mode: the first 8 characters of the same kind of hash, a dash, then the readable text
#   ("<namespace>/<name>/<protocol>/<port name>", plus "__<IP>/<port>" for an endpoint).

# b32sha TEXT LENGTH: the first LENGTH characters (a multiple of 8) of base32(sha256(TEXT)).
# Base32 in plain bash: each 8 characters encode 40 bits, 10 hex digits of the digest.
b32sha() {
  local hex alphabet=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567 out='' n i j
  hex=$(printf '%s' "$1" | sha256sum)
  for ((i = 0; i < $2; i += 8)); do
    n=$((16#${hex:i / 8 * 10:10}))
    for ((j = 35; j >= 0; j -= 5)); do out+=${alphabet:(n >> j) & 31:1}; done
  done
  echo "$out"
}

# iptables mode. svc_hash "default/web:http" tcp -> CDGGSHYLG3RE2FKL (use as KUBE-SVC-/SVL-/EXT-)
svc_hash() { b32sha "$1$2" 16; }
# sep_chain "default/web:http" tcp 10.244.1.2:8080 -> KUBE-SEP-UIQK3OSOSTRHRPBX
sep_chain() { echo "KUBE-SEP-$(b32sha "$1$2$3" 16)"; }

# nftables mode. nft_base default/web tcp http -> SUSTUHLJ-default/web/tcp/http
nft_base() { local name="$1/$2/$3"; echo "$(b32sha "$name" 8)-$name"; }
# nft_ep_base default/web tcp http 10.244.1.2 8080 -> SVLGPL42-default/web/tcp/http__10.244.1.2/8080
nft_ep_base() { local name="$1/$2/$3__$4/$5"; echo "$(b32sha "$name" 8)-$name"; }
