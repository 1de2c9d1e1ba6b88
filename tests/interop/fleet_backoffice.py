"""Fleet interop: paho-mqtt (PyPI), a client that is not vitrine's, plays the
back office through a real Mosquitto broker for two headless kiosks in one
group. It pushes a card to the group and gathers the replies by id, copies one
kiosk's layout to the group by publishing what `getState` returned as the
group's retained desired state, and asks for a screenshot, which arrives as a
PNG on the kiosk's screenshot topic.

Usage: python fleet_backoffice.py VITRINE
"""

import json
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import threading
import time

import paho.mqtt
import paho.mqtt.client as mqtt


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mosquitto(tmp, port):
    conf = tmp / "mosquitto.conf"
    conf.write_text("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n" % port)
    exe = "/usr/sbin/mosquitto" if os.path.exists("/usr/sbin/mosquitto") else "mosquitto"
    proc = subprocess.Popen([exe, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.05)
    sys.exit("mosquitto did not start")


def kiosk(binary, tmp, port, kiosk_id):
    config = tmp / ("%s.toml" % kiosk_id)
    config.write_text(
        '[fleet]\nenabled = true\nbroker = "mqtt://127.0.0.1:%d"\nkiosk_id = "%s"\ngroups = ["shop"]\n'
        '[state]\ndir = "%s"\n' % (port, kiosk_id, tmp / ("state-" + kiosk_id)))
    proc = subprocess.Popen(
        [binary, "--headless", "--no-demo", "--no-remote", "--no-thrift", "--no-admin",
         "--size", "640x360", "--config", str(config)],
        stderr=subprocess.PIPE, text=True, env=dict(os.environ, RUST_LOG="info"))
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
    return proc


class Office:
    """A paho client that keeps every message it sees under vitrine/#."""

    def __init__(self, port):
        self.seen = []
        self.lock = threading.Lock()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="paho-office")
        self.client.on_connect = lambda c, u, f, rc, p: c.subscribe("vitrine/#", qos=1)
        self.client.on_message = self.keep
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def keep(self, _client, _userdata, msg):
        with self.lock:
            self.seen.append((msg.topic, msg.payload))

    def wait(self, what, pred, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                for topic, payload in self.seen:
                    found = pred(topic, payload)
                    if found is not None:
                        return found
            time.sleep(0.02)
        sys.exit("no %s; saw %s" % (what, [t for t, _ in self.seen]))

    def json_on(self, topic, what, pred):
        def match(t, payload):
            if t != topic:
                return None
            try:
                v = json.loads(payload)
            except ValueError:
                return None
            return v if pred(v) else None
        return self.wait("%s on %s" % (what, topic), match)

    def status(self, kiosk_id, what, pred):
        """The kiosk's newest status, once it satisfies pred."""
        deadline = time.time() + 30
        topic = "vitrine/%s/status" % kiosk_id
        while time.time() < deadline:
            with self.lock:
                latest = [p for t, p in self.seen if t == topic]
            if latest and pred(json.loads(latest[-1])):
                return json.loads(latest[-1])
            time.sleep(0.02)
        sys.exit("%s never %s" % (kiosk_id, what))

    def command(self, topic, rid, method, params):
        body = {"jsonrpc": "2.0", "id": rid, "method": method, "params": params}
        self.client.publish(topic, json.dumps(body), qos=1).wait_for_publish()

    def reply(self, kiosk_id, rid):
        return self.json_on("vitrine/%s/reply" % kiosk_id, "reply " + rid, lambda v: v.get("id") == rid)


def main():
    binary = sys.argv[1]
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="vitrine-fleet-"))
    port = free_port()
    broker = mosquitto(tmp, port)
    kiosks = [kiosk(binary, tmp, port, k) for k in ("p1", "p2")]
    try:
        office = Office(port)
        for k in ("p1", "p2"):
            office.status(k, "online", lambda s: s.get("online") is True)

        card = "<body style='margin:0;background:#c03030'><h1>Sale</h1></body>"
        office.command("vitrine/group/shop/cmd", "py-sale", "postHtml",
                       {"name": "sale", "data": card, "width": 300, "height": 200})
        for k in ("p1", "p2"):
            r = office.reply(k, "py-sale")
            assert r["result"]["status"] == "SUCCESS", r

        office.command("vitrine/p1/cmd", "py-extra", "fetchUrl",
                       {"name": "nothing", "url": "file:///nonexistent.png"})
        assert "result" in office.reply("p1", "py-extra")
        office.command("vitrine/p1/cmd", "py-place", "place",
                       {"name": "sale", "x": 200, "y": 150, "rotation": 20, "animate": False})
        assert office.reply("p1", "py-place")["result"]["status"] == "SUCCESS"

        # Copy p1's layout to the group: what getState returned, retained.
        office.command("vitrine/p1/cmd", "py-get", "getState", {})
        doc = office.reply("p1", "py-get")["result"]
        assert doc["format"] == "vitrine-state" and doc["state"]["revision"] >= 2, doc
        office.client.publish("vitrine/group/shop/desired", json.dumps(doc), qos=1, retain=True).wait_for_publish()
        rev = doc["state"]["revision"]
        p1 = office.status("p1", "at revision %d" % rev, lambda s: s["revision"] == rev)
        p2 = office.status("p2", "at revision %d" % rev, lambda s: s["revision"] == rev)
        assert p1["shown"] == p2["shown"], (p1, p2)
        office.command("vitrine/p2/cmd", "py-state", "getState", {})
        assert office.reply("p2", "py-state")["result"] == doc

        # A screenshot, as a PNG on its own topic.
        office.command("vitrine/p2/cmd", "py-shot", "screenshot", {"max_width": 160})
        png = office.wait("a screenshot", lambda t, p: p if t == "vitrine/p2/screenshot" else None)
        assert png.startswith(b"\x89PNG\r\n\x1a\n"), png[:8]
        print("fleet interop: paho-mqtt %s drove 2 kiosks through mosquitto (revision %d copied, %d-byte screenshot)"
              % (paho.mqtt.__version__, rev, len(png)))
        office.client.loop_stop()
    finally:
        for k in kiosks:
            k.kill()
        broker.kill()


if __name__ == "__main__":
    main()
