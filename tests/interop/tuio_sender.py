"""TUIO interop: python-osc (PyPI) sends TUIO 1.1 /tuio/2Dcur bundles, as a
tracker or simulator would, for a one-finger drag and a two-finger pinch to a
headless vitrine; `vitrine ctl list` must show the widget exactly where the
same touches through `vitrine replay` put it.

Usage: python tuio_sender.py VITRINE
"""

import json
import os
import pathlib
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

from pythonosc import osc_bundle_builder, osc_message_builder, udp_client

W, H = 640.0, 360.0


def png(path, w, h):
    """An opaque w x h PNG, written without any imaging library."""
    raw = b"".join(b"\x00" + b"\xc0\x30\x30\xff" * w for _ in range(h))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def f32(v):
    """The value as OSC carries it: a 32-bit float."""
    return struct.unpack(">f", struct.pack(">f", v))[0]


class Tuio:
    def __init__(self, port, source):
        self.client = udp_client.UDPClient("127.0.0.1", port)
        self.source = source
        self.fseq = 0

    def frame(self, cursors):
        """One bundle: source, alive, a set per cursor (id, x, y), fseq."""
        self.fseq += 1
        bundle = osc_bundle_builder.OscBundleBuilder(osc_bundle_builder.IMMEDIATELY)
        messages = [["source", self.source], ["alive"] + [c[0] for c in cursors]]
        messages += [["set", c[0], c[1], c[2], 0.0, 0.0, 0.0] for c in cursors]
        messages.append(["fseq", self.fseq])
        for args in messages:
            m = osc_message_builder.OscMessageBuilder(address="/tuio/2Dcur")
            for a in args:
                m.add_arg(a, "f" if isinstance(a, float) else None)
            bundle.add_content(m.build())
        self.client.send(bundle.build())
        time.sleep(0.015)


def start(binary, root):
    config = root / "tuio.toml"
    config.write_text('[content]\nroots = ["%s"]\n[scatter]\ninertia = false\n' % root)
    proc = subprocess.Popen(
        [binary, "--headless", "--no-demo", "--no-state", "--no-thrift", "--no-admin", "--size", "640x360",
         "--remote-port", "0", "--tuio-port", "0", "--config", str(config)],
        stderr=subprocess.PIPE, text=True, env=dict(os.environ, RUST_LOG="info"),
    )
    ports = {}
    for line in proc.stderr:
        for key in (" address=", " tuio="):
            if key in line:
                ports[key] = int(line.split(key, 1)[1].split()[0].rsplit(":", 1)[1])
        if len(ports) == 2:
            break
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
    return proc, ports[" address="], ports[" tuio="]


def ctl(binary, port, *args):
    out = subprocess.run([binary, "ctl", "--port", str(port), *args],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        sys.exit("vitrine ctl %s failed: %s" % (args, out.stderr))
    return out.stdout


def corners(binary, port):
    """The widget's corners once they stop changing."""
    last = None
    for _ in range(100):
        time.sleep(0.1)
        now = json.loads(ctl(binary, port, "list"))["widgets"][0]["corners"]
        if now == last:
            return now
        last = now
    return last


def replay(binary, root, trace):
    scene = root / "tuio.scene.json"
    scene.write_text(json.dumps({"window": [W, H], "widgets": [
        {"name": "pic", "size": [200, 100], "pos": [220, 130], "scatter": {"inertia": False}}]}))
    path = root / "tuio.trace.jsonl"
    path.write_text("\n".join(json.dumps(e) for e in trace))
    out = subprocess.run([binary, "replay", "--scene", str(scene), "--trace", str(path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["widgets"][0]["corners"]


def close(a, b):
    return all(abs(p[0] - q[0]) < 1e-6 and abs(p[1] - q[1]) < 1e-6 for p, q in zip(a, b))


def main():
    binary = sys.argv[1]
    root = pathlib.Path(tempfile.mkdtemp(prefix="vitrine-tuio-"))
    png(root / "pic.png", 200, 100)
    proc, port, tuio_port = start(binary, root)
    try:
        ctl(binary, port, "fetch-url", "pic", (root / "pic.png").as_uri(),
            "--x", "320", "--y", "180", "--scale", "1")
        tuio = Tuio(tuio_port, "python-osc@127.0.0.1")
        trace = []
        t = [0.0]

        def step(fid, phase, x, y):
            t[0] += 0.015
            trace.append({"t": t[0], "id": fid, "phase": phase, "x": f32(x) * W, "y": f32(y) * H})

        for i in range(11):
            x, y = 0.5 + 0.01 * i, 0.5 + 0.005 * i
            tuio.frame([(1, x, y)])
            step(1, "start" if i == 0 else "move", x, y)
        tuio.frame([])
        step(1, "end", 0.6, 0.55)
        dragged = corners(binary, port)
        want = replay(binary, root, trace)
        ok_drag = close(dragged, want)
        print("%s python-osc one-finger drag: %s (replay: %s)" % ("ok  " if ok_drag else "FAIL", dragged, want))

        tuio.frame([(2, 0.55, 0.52)])
        step(2, "start", 0.55, 0.52)
        tuio.frame([(2, 0.55, 0.52), (3, 0.62, 0.56)])
        step(3, "start", 0.62, 0.56)
        for i in range(1, 9):
            x, y = 0.62 + 0.01 * i, 0.56 + 0.01 * i
            tuio.frame([(2, 0.55, 0.52), (3, x, y)])
            step(3, "move", x, y)
        tuio.frame([(2, 0.55, 0.52)])
        step(3, "end", 0.70, 0.64)
        tuio.frame([])
        step(2, "end", 0.55, 0.52)
        pinched = corners(binary, port)
        want = replay(binary, root, trace)
        ok_pinch = close(pinched, want) and pinched != dragged
        print("%s python-osc two-finger pinch: %s (replay: %s)" % ("ok  " if ok_pinch else "FAIL", pinched, want))
    finally:
        proc.kill()
        proc.wait()
    if not (ok_drag and ok_pinch):
        sys.exit("TUIO interop failed")
    print("TUIO interop: python-osc bundles move and scale the widget as vitrine replay predicts")


if __name__ == "__main__":
    main()
