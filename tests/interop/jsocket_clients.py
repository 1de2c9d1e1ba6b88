#!/usr/bin/env python3
"""Drives a headless vitrine with the real jsocket clients from PyPI and a raw '=I' client.

Usage: jsocket_clients.py VITRINE_BINARY

Run it with the Python of a virtualenv that has jsocket 2.0.3 (v2 framing:
JSN1 + length + CRC32) or 1.9.5 (v1 framing: big-endian length). Either way
it also speaks the original 2011 framing, struct '=I', with a raw socket.
It starts vitrine and a loopback HTTP server itself, checks the IDL methods
fetchUrl, postHtml, whatsLoaded and currentUrl, and exits 0 when all agree.
"""

import http.server
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

import jsocket

def png(width, height, rgba):
    """A minimal valid PNG of one colour."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(rgba) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


RED_PNG = png(4, 4, (255, 0, 0, 255))


def serve_png():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/red.png":
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(RED_PNG)))
                self.end_headers()
                self.wfile.write(RED_PNG)
            else:
                self.send_error(404)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def start_vitrine(binary):
    proc = subprocess.Popen(
        [binary, "--headless", "--no-demo", "--no-state", "--size", "320x200", "--remote-port", "0", "--no-thrift", "--no-admin",
         "--config", os.path.join(tempfile.mkdtemp(), "none.toml")],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "RUST_LOG": "info"},
        text=True,
    )
    deadline = time.time() + 60
    for line in proc.stderr:
        if "address=" in line:
            port = int(line.rsplit("address=", 1)[1].strip().rsplit(":", 1)[1])
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
            return proc, port
        if time.time() > deadline:
            break
    proc.kill()
    raise RuntimeError("vitrine did not start listening")


def check(what, got, want):
    if got != want:
        raise AssertionError(f"{what}: got {got!r}, want {want!r}")


def jsocket_client(port):
    client = jsocket.JsonClient(address="127.0.0.1", port=port)
    try:
        client.timeout = 30.0
    except Exception:
        pass
    client.connect()

    def call(method, params, id_=[0]):
        id_[0] += 1
        client.send_obj({"jsonrpc": "2.0", "id": id_[0], "method": method, "params": params})
        reply = client.read_obj()
        check(f"{method} id", reply.get("id"), id_[0])
        if "error" in reply:
            raise AssertionError(f"{method}: {reply['error']}")
        return reply["result"]

    return client, call


def raw_le_call(port, request):
    """The original jsocket framing: struct '=I' (native, little-endian on x86)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        payload = json.dumps(request).encode()
        s.sendall(struct.pack("=I", len(payload)) + payload)
        header = b""
        while len(header) < 4:
            header += s.recv(4 - len(header))
        (size,) = struct.unpack("=I", header)
        body = b""
        while len(body) < size:
            body += s.recv(size - len(body))
        return json.loads(body)


def main():
    binary = sys.argv[1]
    from importlib.metadata import version as package_version

    version = package_version("jsocket")
    http_server = serve_png()
    url = f"http://127.0.0.1:{http_server.server_address[1]}/red.png"
    proc, port = start_vitrine(binary)
    try:
        client, call = jsocket_client(port)
        check("whatsLoaded on an empty screen", call("whatsLoaded", {}), "")
        result = call("fetchUrl", {"url": {"name": "pic", "url": url}})
        check("fetchUrl status", (result["status"], result["code"], result["kind"]), ("SUCCESS", 0, "image"))
        check("whatsLoaded", call("whatsLoaded", {}), "pic")
        check("currentUrl", call("currentUrl", {}), url)
        result = call("postHtml", {"html": {"name": "card", "data": "<h1>jsocket</h1>"}})
        check("postHtml status", result["status"], "SUCCESS")
        check("whatsLoaded after postHtml", call("whatsLoaded", []), "card")
        check("currentUrl of posted HTML", call("currentUrl", []), "")
        result = call("fetchUrl", ["bad", url.replace("red", "missing")])
        check("fetchUrl 404", (result["status"], result["code"]), ("NOT_FOUND", 2))
        client.close()

        reply = raw_le_call(port, {"jsonrpc": "2.0", "id": 7, "method": "whatsLoaded"})
        check("'=I' framing", (reply["id"], reply["result"]), (7, "card"))
        # The v2 checksum is zlib's CRC32, as jsocket computes it.
        check("crc32", zlib.crc32(b"123456789"), 0xCBF43926)
        print(f"jsocket {version} and the '=I' framing: fetchUrl, postHtml, whatsLoaded and currentUrl agree")
        return 0
    finally:
        proc.kill()
        proc.wait()
        http_server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
