#!/usr/bin/env python3
"""The baseline for `cargo bench --bench remote`: a jsocket 2.0.3 ServerFactory answering whatsLoaded.

Prints "listening PORT" once it accepts connections, then serves until killed.
"""

import sys

from jsocket import ServerFactory, ServerFactoryThread


class Answer(ServerFactoryThread):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.timeout = 30.0

    def _process_message(self, obj):
        if isinstance(obj, dict) and obj.get("method") == "whatsLoaded":
            return {"jsonrpc": "2.0", "id": obj.get("id"), "result": "poster"}
        return {"jsonrpc": "2.0", "id": obj.get("id") if isinstance(obj, dict) else None,
                "error": {"code": -32601, "message": "method not found"}}


def main():
    server = ServerFactory(Answer, address="127.0.0.1", port=0, timeout=30.0)
    port = server.socket.getsockname()[1]
    server.start()
    print(f"listening {port}", flush=True)
    server.join()


if __name__ == "__main__":
    sys.exit(main())
