#!/usr/bin/env bash
# Builds a Gateway's data plane by hand. An outside client (198.51.100.10) reaches a "load
# balancer" address, 203.0.113.80, that the edge router sends to node1, the way a cloud load
# balancer or a BGP speaker delivers a LoadBalancer Service's address to a node. node1 translates
# it to the Gateway's proxy pod (kube-proxy style, externalTrafficPolicy: Local, so no SNAT), and
# the proxy (HAProxy, started as the lab's daemon) routes each request to a backend pod by host,
# path, header, query and weight, routes gRPC calls by service and method over HTTP/2, terminates
# TLS, passes TLS through by server name (SNI), and forwards a TCP port.
#
#   client 198.51.100.10 ── edge (router) ── lan 192.168.0.0/24 ── node1 .11 ── gateway 10.244.1.10 (HAProxy)
#                                                                 │            web-v1 10.244.1.2, api 10.244.1.3,
#                                                                 │            pay 10.244.1.4 (TLS)
#                                                                 └── node2 .12 ── web-v2 10.244.2.2, db 10.244.2.3,
#                                                                                 blog 10.244.2.4, login 10.244.2.5 (TLS),
#                                                                                 cart 10.244.2.6 (gRPC, h2c)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../_lib/sandbox.sh
. "${LAB_LIB:-../_lib}/sandbox.sh"

readonly run_dir=/run/gateway-by-hand
readonly lb_address=203.0.113.80

# The gRPC server and client (cart-server.py, grpc-call.py) run on the distribution's Python with
# its grpc module (a python3 earlier on PATH, pyenv or a virtualenv, may lack it). Looking the
# module up without importing it costs a few milliseconds.
if ! /usr/bin/python3 -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("grpc") is None)' 2>/dev/null; then
  echo "setup: python3-grpcio missing: apt-get install python3-grpcio (Fedora: dnf install python3-grpcio)" >&2
  exit 1
fi

mkdir -p "$run_dir/nginx-tmp"

# The outside: a client on its own network, and the edge router between it and the nodes' LAN.
new_netns edge
new_netns client
ip netns exec edge sysctl -qw net.ipv4.ip_forward=1
ip -n client link add eth0 type veth peer name eth-client netns edge
ip -n client addr add 198.51.100.10/24 dev eth0
ip -n client link set eth0 up
ip -n client route add default via 198.51.100.1
ip -n edge addr add 198.51.100.1/24 dev eth-client
ip -n edge link set eth-client up
ip -n edge link add lan type bridge
ip -n edge addr add 192.168.0.1/24 dev lan
ip -n edge link set lan up

# Two nodes on the LAN. The edge router has no route to pod addresses: only the load balancer
# address is sent into the cluster, to node1, which runs the Gateway's proxy pod.
for n in 1 2; do
  make_node "node$n"
  ip -n "node$n" link add eth0 type veth peer name "port-node$n" netns edge
  ip -n edge link set "port-node$n" master lan
  ip -n edge link set "port-node$n" up
  ip -n "node$n" addr add "192.168.0.1$n/24" dev eth0
  ip -n "node$n" link set eth0 up
  ip -n "node$n" route add default via 192.168.0.1
  make_bridge "node$n" "10.244.$n.1/24" "02:42:0a:f4:0$n:01"
done
route_pod_cidr node1 10.244.2.0/24 192.168.0.12
route_pod_cidr node2 10.244.1.0/24 192.168.0.11
ip -n edge route add "$lb_address/32" via 192.168.0.11

make_pod node1 gateway 10.244.1.10/24 10.244.1.1
make_pod node1 web-v1 10.244.1.2/24 10.244.1.1
make_pod node1 api 10.244.1.3/24 10.244.1.1
make_pod node2 web-v2 10.244.2.2/24 10.244.2.1
make_pod node2 db 10.244.2.3/24 10.244.2.1
make_pod node2 blog 10.244.2.4/24 10.244.2.1
make_pod node1 pay 10.244.1.4/24 10.244.1.1
make_pod node2 login 10.244.2.5/24 10.244.2.1
# The gRPC backend of GRPCRoute cart; its server is the lab's daemon `cart-grpc` (cart-server.py).
make_pod node2 cart 10.244.2.6/24 10.244.2.1

# Backends: nginx answers with the pod's name and what it saw of the request. One config for all,
# a map picks the name from the address the request arrived on.
for pod in web-v1 api web-v2 blog; do
  ip netns exec "$pod" setsid -f nginx -c "$PWD/backend-nginx.conf" \
    -g "pid $run_dir/nginx-$pod.pid; daemon off; master_process off;" >/dev/null 2>&1
done
# The passthrough listener's backends terminate TLS themselves, each with its own certificate:
# self-signed, made here and never committed (the client trusts exactly that certificate).
for name in pay login; do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=$name.example" -addext "subjectAltName=DNS:$name.example" \
    -keyout "$run_dir/$name.example.key" -out "$run_dir/$name.example.crt" 2>/dev/null
  cat "$run_dir/$name.example.crt" "$run_dir/$name.example.key" > "$run_dir/$name.example.pem"
  ip netns exec "$name" setsid -f nginx -c "$PWD/tls-backend-nginx.conf" \
    -g "pid $run_dir/nginx-$name.pid; daemon off; master_process off;" >/dev/null 2>&1
done
# ConfigMap pay-ca of BackendTLSPolicy pay-tls: the pay pod's self-signed certificate is its own CA.
cp "$run_dir/pay.example.crt" "$run_dir/pay-ca.pem"
# A TCP backend (the Postgres listener's target), see db-server.sh. `-t 5`: once the client's side
# has closed, wait up to 5 s for the script's answer (socat's default, 0.5 s, cut it off on a busy
# machine before bash had started).
ip netns exec db setsid -f socat -t 5 TCP-LISTEN:5432,fork,reuseaddr EXEC:"$PWD/db-server.sh" >/dev/null 2>&1

# Wait until every backend listens: setsid -f returns before its child has left this command's
# process group, and the engine ends that group when setup ends.
for pod_port in web-v1:8080 api:8080 web-v2:8080 blog:8080 pay:8443 login:8443 db:5432; do
  for _ in $(seq 50); do
    if ip netns exec "${pod_port%:*}" ss -Hltn "sport = :${pod_port#*:}" | grep -q .; then continue 2; fi
    sleep 0.02
  done
  echo "setup: ${pod_port%:*} does not listen on port ${pod_port#*:}" >&2
  exit 1
done

# node1: the Gateway's LoadBalancer Service, as kube-proxy's nftables mode would program it with
# externalTrafficPolicy: Local. Each listener port of the Gateway is a Service port whose
# targetPort is the proxy's unprivileged port; no masquerade, so the proxy sees the client.
ip netns exec node1 nft -f - <<NFT
table ip kube-proxy {
  comment "rules for kube-proxy (only the Gateway's LoadBalancer Service)"
  map service-ips {
    type ipv4_addr . inet_proto . inet_service : verdict
    comment "ClusterIP, ExternalIP and LoadBalancer IP traffic"
    elements = { $lb_address . tcp . 80 : goto external-gw-http,
                 $lb_address . tcp . 443 : goto external-gw-https,
                 $lb_address . tcp . 8443 : goto external-gw-tls,
                 $lb_address . tcp . 5432 : goto external-gw-postgres }
  }
  chain nat-prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    ip daddr . meta l4proto . th dport vmap @service-ips
  }
  chain external-gw-http {
    meta l4proto tcp dnat to 10.244.1.10:8080
  }
  chain external-gw-https {
    meta l4proto tcp dnat to 10.244.1.10:8443
  }
  chain external-gw-tls {
    meta l4proto tcp dnat to 10.244.1.10:9443
  }
  chain external-gw-postgres {
    meta l4proto tcp dnat to 10.244.1.10:5432
  }
}
NFT

# The listener certificate, made here and never committed: a self-signed certificate for
# shop.example (the Secret a Gateway listener's certificateRefs would name).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=shop.example -addext subjectAltName=DNS:shop.example \
  -keyout "$run_dir/shop.example.key" -out "$run_dir/shop.example.crt" 2>/dev/null
cat "$run_dir/shop.example.crt" "$run_dir/shop.example.key" > "$run_dir/shop.example.pem"

# The proxy's configuration lives under /run so that the exercise edits a copy, never the lab folder.
cp haproxy.cfg "$run_dir/haproxy.cfg"
cp tls-routes.map "$run_dir/tls-routes.map"

