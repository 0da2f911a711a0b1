#!/usr/bin/python3
# cart-server.py POD ADDRESS:PORT: the gRPC backend of GRPCRoute cart, a real gRPC server (grpcio)
# speaking HTTP/2 over cleartext TCP (h2c), in the foreground (the lab's daemon `cart-grpc`).
# Service shop.Cart has two methods: GetCart, which the route exposes, and ClearCart, an internal
# method it does not. Handlers take and return raw bytes (no serializers), so no .proto file and
# no generated code are needed: the bytes on the wire are what a protobuf message would be.
# The distribution's Python: python3-grpcio installs the grpc module for it, and a python3 that
# comes earlier on PATH (pyenv, a virtualenv) may not have it.
import sys
from concurrent import futures

import grpc


def handler(pod, method):
    def answer(request, context):
        # The caller's address as the server's TCP connection saw it ("ipv4:10.244.1.10:41234"),
        # and the metadata (HTTP/2 headers) that came with the call.
        peer = context.peer().split(':')[1]
        metadata = dict(context.invocation_metadata())
        forwarded = metadata.get('x-forwarded-for', '-')
        return f'{pod}: {method} peer={peer} x-forwarded-for={forwarded}'.encode()
    return grpc.unary_unary_rpc_method_handler(answer)


def main():
    pod, address = sys.argv[1], sys.argv[2]
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    methods = {name: handler(pod, name) for name in ('GetCart', 'ClearCart')}
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler('shop.Cart', methods),))
    server.add_insecure_port(address)
    server.start()
    print(f'{pod}: serving shop.Cart (GetCart, ClearCart) on {address}, h2c', flush=True)
    server.wait_for_termination()


main()
