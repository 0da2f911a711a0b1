#!/usr/bin/python3
# grpc-call.py AUTHORITY SERVICE/METHOD: one unary gRPC call through the Gateway's load balancer
# address, 203.0.113.80 port 80 (listener `http`), as an outside client makes it: HTTP/2 without
# TLS and without an upgrade (h2c with prior knowledge), `:authority` AUTHORITY, `:path`
# /SERVICE/METHOD. Prints the gRPC status the client ends with and the answer; exits with the
# status's code (0 OK, 12 UNIMPLEMENTED, 14 UNAVAILABLE), so a shell can tell them apart.
# The distribution's Python, where python3-grpcio installs grpc (see cart-server.py).
import os
import sys

# gRPC's C core logs to stderr what it thinks of the responses it parses; the status says enough.
os.environ.setdefault('GRPC_VERBOSITY', 'NONE')
import grpc  # noqa: E402

authority, method = sys.argv[1], sys.argv[2]
options = [('grpc.default_authority', authority), ('grpc.enable_http_proxy', 0)]
with grpc.insecure_channel('203.0.113.80:80', options=options) as channel:
    call = channel.unary_unary(f'/{method}')
    try:
        answer = call(b'cart of customer 42', timeout=2)
    except grpc.RpcError as error:
        print(f'{method}: {error.code().name} ({error.details()})')
        sys.exit(error.code().value[0])
print(f'{method}: OK')
print(f'answer: {answer.decode()}')
