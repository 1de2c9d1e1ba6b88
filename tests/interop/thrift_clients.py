"""Thrift interop: clients generated from crates/vitrine-serve/src/thrift/displaymanager.thrift by Apache
Thrift's own compiler, in Python (PyPI thrift 0.25: binary and compact, buffered
and framed), C++ (libthrift, binary buffered and framed) and PHP (php-thrift,
binary buffered and framed), each against a real headless vitrine.

A Python client generated from the seed's original four-method IDL
(tests/interop/seed.thrift) checks that old clients still work.

Usage: python thrift_clients.py VITRINE GEN_DIR CPP_CLIENT
GEN_DIR holds gen-py (both IDLs) and gen-php; CPP_CLIENT is the compiled C++ client.
"""

import os
import pathlib
import struct
import subprocess
import sys
import tempfile
import threading
import zlib


def png(path):
    """A 4x4 opaque PNG, written without any imaging library."""
    raw = b"".join(b"\x00" + b"\x10\xc0\x30\xff" * 4 for _ in range(4))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 4, 4, 8, 6, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


def start(binary, root):
    """Starts a headless vitrine serving only Thrift; returns it and its port."""
    config = root / "thrift.toml"
    config.write_text('[content]\nroots = ["%s"]\n' % root)
    proc = subprocess.Popen(
        [binary, "--headless", "--no-demo", "--no-state", "--no-remote", "--size", "320x200",
         "--thrift-port", "0", "--no-admin", "--config", str(config)],
        stderr=subprocess.PIPE, text=True, env=dict(os.environ, RUST_LOG="info"),
    )
    port = None
    for line in proc.stderr:
        if " thrift=" in line:
            port = int(line.split(" thrift=", 1)[1].split()[0].rsplit(":", 1)[1])
            break
    if port is None:
        proc.kill()
        sys.exit("vitrine did not start its Thrift endpoint")
    # Keep draining its log so it never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
    return proc, port


def python_clients(gen, port, png_url, missing_url):
    sys.path.insert(0, str(gen / "gen-py"))
    from displaymanager import displaymanager
    from displaymanager.ttypes import pushHtml, pushResult, pushUrl
    from thrift.protocol import TBinaryProtocol, TCompactProtocol
    from thrift.transport import TSocket, TTransport

    failures = 0
    for proto_name, proto in (("binary", TBinaryProtocol.TBinaryProtocol),
                              ("compact", TCompactProtocol.TCompactProtocol)):
        for framed in (False, True):
            wire = "%s %s" % (proto_name, "framed" if framed else "buffered")
            tag = "py-%s-%s" % (proto_name, "f" if framed else "b")
            sock = TSocket.TSocket("127.0.0.1", port)
            sock.setTimeout(30000)
            transport = TTransport.TFramedTransport(sock) if framed else TTransport.TBufferedTransport(sock)
            client = displaymanager.Client(proto(transport))
            transport.open()
            checks = [
                (client.postHtml(pushHtml(name=tag + "-card", data="<h1>py</h1>")) == pushResult.SUCCESS,
                 "postHtml is SUCCESS"),
                (client.whatsLoaded() == tag + "-card", "whatsLoaded names the posted page"),
                (client.fetchUrl(pushUrl(name=tag + "-pic", url=png_url)) == pushResult.SUCCESS,
                 "fetchUrl of a file is SUCCESS"),
                (client.currentUrl() == png_url, "currentUrl is the fetched URL"),
                (client.fetchUrl(pushUrl(name="x", url="file:///etc/passwd")) == pushResult.FORBIDDEN,
                 "file:///etc/passwd is FORBIDDEN"),
                (client.fetchUrl(pushUrl(name="x", url=missing_url)) == pushResult.NOT_FOUND,
                 "a missing file is NOT_FOUND"),
            ]
            transport.close()
            for ok, what in checks:
                print("%s python %s: %s" % ("ok  " if ok else "FAIL", wire, what))
                failures += not ok
    return failures


def seed_client(port, png_url):
    """A client generated from the seed's own four-method IDL, with none of
    vitrine's optional fields, over the stock binary buffered wire."""
    from seed_displaymanager import displaymanager as seed
    from seed_displaymanager.ttypes import pushHtml, pushResult, pushUrl
    from thrift.protocol import TBinaryProtocol
    from thrift.transport import TSocket, TTransport

    transport = TTransport.TBufferedTransport(TSocket.TSocket("127.0.0.1", port))
    client = seed.Client(TBinaryProtocol.TBinaryProtocol(transport))
    transport.open()
    checks = [
        (client.postHtml(pushHtml(name="seed-card", data="<h1>seed</h1>")) == pushResult.SUCCESS,
         "postHtml is SUCCESS"),
        (client.whatsLoaded() == "seed-card", "whatsLoaded names the posted page"),
        (client.fetchUrl(pushUrl(name="seed-pic", url=png_url)) == pushResult.SUCCESS,
         "fetchUrl of a file is SUCCESS"),
        (client.currentUrl() == png_url, "currentUrl is the fetched URL"),
    ]
    transport.close()
    failures = 0
    for ok, what in checks:
        print("%s python, the seed's IDL: %s" % ("ok  " if ok else "FAIL", what))
        failures += not ok
    return failures


def main():
    binary, gen, cpp = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
    root = pathlib.Path(tempfile.mkdtemp(prefix="vitrine-thrift-"))
    png(root / "a.png")
    png_url = (root / "a.png").as_uri()
    missing_url = (root / "missing.png").as_uri()
    proc, port = start(binary, root)
    failures = 0
    try:
        failures += python_clients(gen, port, png_url, missing_url)
        failures += seed_client(port, png_url)
        for mode in ("buffered", "framed"):
            for name, cmd in (
                ("c++", [cpp, str(port), mode, png_url, missing_url, "cpp-" + mode]),
                ("php", ["php", str(pathlib.Path(__file__).with_name("thrift_client.php")),
                         str(gen / "gen-php"), str(port), mode, png_url, missing_url, "php-" + mode]),
            ):
                done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
                for line in done.stdout.splitlines():
                    print("%s %s: %s" % (name, mode, line))
                if done.returncode != 0:
                    print("FAIL %s %s exited %d: %s" % (name, mode, done.returncode, done.stderr.strip()))
                    failures += 1
    finally:
        proc.kill()
        proc.wait()
    if failures:
        sys.exit("%d Thrift interop checks failed" % failures)
    print("Thrift interop: Python (binary/compact x buffered/framed, and the seed's own IDL), "
          "C++ and PHP (binary x buffered/framed) agree")


if __name__ == "__main__":
    main()
