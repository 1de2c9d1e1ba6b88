#!/usr/bin/env python3
"""The baseline for `cargo bench --bench thrift`: Apache Thrift 0.25's own
TThreadedServer (binary protocol, buffered transport) serving
crates/vitrine-serve/src/thrift/displaymanager.thrift with a trivial handler.

Usage: thrift_server.py GEN_PY_DIR stock|accelerated. `stock` is the
pure-Python TBinaryProtocolFactory of Thrift's tutorial; `accelerated` is
TBinaryProtocolAcceleratedFactory, which uses the C extension pip builds.
Prints "listening PORT" once it accepts connections, then serves until killed.
"""

import socket
import sys


def main():
    sys.path.insert(0, sys.argv[1])
    from displaymanager import displaymanager
    from displaymanager.ttypes import pushResult
    from thrift.protocol import TBinaryProtocol
    from thrift.server import TServer
    from thrift.transport import TSocket, TTransport

    class Handler:
        def fetchUrl(self, url):
            return pushResult.SUCCESS

        def postHtml(self, html):
            return pushResult.SUCCESS

        def whatsLoaded(self):
            return "poster"

        def currentUrl(self):
            return ""

    # A free port, chosen before the server binds it.
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    server = TServer.TThreadedServer(
        displaymanager.Processor(Handler()),
        TSocket.TServerSocket(host="127.0.0.1", port=port),
        TTransport.TBufferedTransportFactory(),
        TBinaryProtocol.TBinaryProtocolAcceleratedFactory()
        if sys.argv[2] == "accelerated"
        else TBinaryProtocol.TBinaryProtocolFactory(),
        daemon=True,
    )
    server.serverTransport.listen()
    # serve() listens again; a listening socket makes that a no-op here.
    server.serverTransport.listen = lambda: None
    print(f"listening {port}", flush=True)
    server.serve()


if __name__ == "__main__":
    sys.exit(main())
